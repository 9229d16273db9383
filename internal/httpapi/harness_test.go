package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/apitest"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
	"github.com/partnerready/partnerready/internal/uploads"
	"github.com/partnerready/partnerready/openapi"
)

// webhookSecret is the audit firm's signing secret in the API tests.
const webhookSecret = "whsec-test-0123456789abcdef"

// rotatingSecret is the webhook secret's values as Secrets Manager would
// give them during a rotation (the current one, then the previous one),
// set by the test; secrets.Secret reads the real service in its own tests.
type rotatingSecret struct {
	mu     sync.Mutex
	values [][]byte
}

func (s *rotatingSecret) set(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = nil
	for _, v := range values {
		s.values = append(s.values, []byte(v))
	}
}

func (s *rotatingSecret) Values(context.Context, bool) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values, nil
}

// testNow is the clock of every API test: mid-November 2026.
var testNow = time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC)

// env is the whole API (every service's routes) on a fresh table, and a key
// to sign callers' tokens with.
type env struct {
	t       testing.TB
	routes  []httpapi.Route
	handler http.Handler
	key     *auth.DevKey
	secret  *rotatingSecret // the audit firm's, as the webhook verifies it
	sealer  push.Sealer     // what the endpoints' secrets are sealed with
	store   *store.Store
	table   storetest.Table
	bucket  blobtest.Bucket
	logs    *apitest.Log
	start   time.Time
	clock   *atomic.Int64 // nanoseconds after start the API's clock reads
}

// later moves the API's clock on (tokens live an hour from when they are made).
func (e *env) later(d time.Duration) { e.clock.Add(int64(d)) }

// now is what the API's clock reads.
func (e *env) now() time.Time { return e.start.Add(time.Duration(e.clock.Load())) }

func newEnv(t testing.TB) *env { t.Helper(); return newEnvAt(t, testNow) }

// newEnvAt is newEnv with the API's clock (and its tokens' issue time) at start.
func newEnvAt(t testing.TB, start time.Time) *env { t.Helper(); return buildEnv(t, start, false) }

// newLoopbackEnv is newEnv as the local server is: webhook endpoints may
// be on this machine.
func newLoopbackEnv(t testing.TB) *env { t.Helper(); return buildEnv(t, testNow, true) }

func buildEnv(t testing.TB, start time.Time, loopback bool) *env {
	t.Helper()
	key, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	clock := &atomic.Int64{}
	now := func() time.Time { return start.Add(time.Duration(clock.Load())) }
	verifier, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience, Now: now}, key.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	secret := &rotatingSecret{}
	secret.set(webhookSecret)
	table := storetest.New(t)
	st := table.Store(now)
	logs := &apitest.Log{}
	certs := catalog.MustCertifications()
	specs := catalog.MustSpecializations()
	bucket := blobtest.New(t)
	checker := uploads.NewChecker(st, bucket.Store, false, now)
	sealer := push.Sealer{Keys: secrets.Fixed("the key endpoint secrets are sealed with")}
	partners := httpapi.NewPartners(st, certs, now).WithEndpointSecrets(sealer)
	if loopback {
		partners.WithLoopbackEndpoints()
	}
	routes := slices.Concat(
		partners.Routes(),
		httpapi.NewScoring(st, certs, catalog.MustScoringRules(certs), specs, now).Routes(),
		httpapi.NewEvidence(st, bucket.Store, checker, catalog.MustChecklists(specs), now).Routes(),
		httpapi.NewAudits(httpapi.AuditsDeps{Store: st, Certs: certs, Rules: catalog.MustScoringRules(certs), Specs: specs,
			Checklists: catalog.MustChecklists(specs), Secret: secret, Now: now}).Routes())
	server := httpapi.NewServer(httpapi.ServerDeps{Store: st, Verifier: verifier, Logger: slog.New(slog.NewJSONHandler(logs, nil)), Now: now})
	return &env{t: t, routes: routes, handler: server.Handler(routes), key: key, secret: secret, sealer: sealer, store: st, table: table, bucket: bucket, logs: logs, start: start, clock: clock}
}

// withProfile creates the profiles of partners that have none yet: their
// people, customers and consumption live only under one.
func (e *env) withProfile(pids ...string) {
	e.t.Helper()
	for _, p := range pids {
		r := e.do("PUT", "/v1/partners/"+p, e.admin(p), map[string]any{"name": "Partner " + p, "country": "FR"}, header{"If-None-Match": "*"})
		if r.Status != http.StatusCreated && r.Status != http.StatusPreconditionFailed {
			e.t.Fatalf("profile %s: %d %s", p, r.Status, r.Body)
		}
	}
}

// token signs a token for the given roles and partner.
func (e *env) token(partnerID string, roles ...auth.Role) string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "user-" + partnerID, Roles: roles, PartnerID: partnerID, TTL: time.Hour, Now: e.now()})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) admin(pid string) string  { return e.token(pid, auth.RolePartnerAdmin) }
func (e *env) member(pid string) string { return e.token(pid, auth.RolePartnerMember) }
func (e *env) program() string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "pm", Roles: []auth.Role{auth.RoleProgramManager}, TTL: time.Hour, Now: e.now()})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// response is an answer and the DynamoDB calls it took, in all and by operation.
type response struct {
	apitest.Answer
	Calls int64
	Ops   map[string]int64
}

type header map[string]string

// do sends one request through the whole handler and holds the response to
// openapi.yaml: an undocumented status, header or body shape fails the test.
func (e *env) do(method, path, token string, body any, h header) response {
	e.t.Helper()
	return e.check(e.send(method, path, token, body, h))
}

// sent is a request as sent, with its body, and what it got.
type sent struct {
	req  *http.Request
	body []byte
	resp response
}

// send runs one request through the whole handler and checks nothing, so
// that it may run on any goroutine; do and check hold it to the contract.
func (e *env) send(method, path, token string, body any, h header) sent {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b) // the tests' maps and structs always encode
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range h {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	ctx, calls := store.WithCalls(context.Background())
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req.WithContext(ctx))
	return sent{req: req, body: raw, resp: response{Answer: apitest.Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, Calls: calls.Load(), Ops: calls.ByOperation()}}
}

// check holds what send got to openapi.yaml: an undocumented status,
// header or body shape fails the test, and so does an accepted request the
// contract's request schema refuses. On the test's goroutine only.
func (e *env) check(s sent) response {
	e.t.Helper()
	req, resp := s.req, s.resp
	if resp.Status >= 500 {
		e.t.Logf("logs:\n%s", e.logs.String())
	}
	apitest.CheckContract(e.t, req, resp.Answer)
	if req.Header.Get("Authorization") != "" && !strings.HasPrefix(req.URL.Path, "/v1/health") && resp.Header.Get("Cache-Control") != "no-store" {
		e.t.Fatalf("%s %s → %d: an authenticated answer without Cache-Control: no-store", req.Method, req.URL.Path, resp.Status)
	}
	if resp.Status < 300 {
		if err := openapi.ValidateRequest(req, s.body); err != nil {
			e.t.Fatalf("%s %s was accepted but breaks openapi.yaml's request schema: %v", req.Method, req.URL, err)
		}
	}
	return resp
}
