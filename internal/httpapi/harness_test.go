package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
	"github.com/partnerready/partnerready/openapi"
)

// testNow is the clock of every API test: mid-November 2026.
var testNow = time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC)

// env is one API on a fresh table, and a key to sign callers' tokens with.
type env struct {
	t       testing.TB
	api     *httpapi.API
	handler http.Handler
	key     *auth.DevKey
	store   *store.Store
	logs    *bytes.Buffer
}

func newEnv(t testing.TB) *env {
	t.Helper()
	key, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience, Now: func() time.Time { return testNow }}, key.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.New(t).Store(func() time.Time { return testNow })
	logs := &bytes.Buffer{}
	certs := catalog.MustCertifications()
	api := httpapi.New(httpapi.Deps{
		Store: st, Certifications: certs, ScoringRules: catalog.MustScoringRules(certs), Specializations: catalog.MustSpecializations(), Verifier: verifier,
		Logger: slog.New(slog.NewJSONHandler(&lockedWriter{w: logs}, nil)), Now: func() time.Time { return testNow },
	})
	return &env{t: t, api: api, handler: api.Handler(), key: key, store: st, logs: logs}
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

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// token signs a token for the given roles and partner.
func (e *env) token(partnerID string, roles ...auth.Role) string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "user-" + partnerID, Roles: roles, PartnerID: partnerID, TTL: time.Hour, Now: testNow})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) admin(pid string) string  { return e.token(pid, auth.RolePartnerAdmin) }
func (e *env) member(pid string) string { return e.token(pid, auth.RolePartnerMember) }
func (e *env) program() string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "pm", Roles: []auth.Role{auth.RoleProgramManager}, TTL: time.Hour, Now: testNow})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
	Calls  int64
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// problem checks an RFC 9457 answer and returns its field errors as field→message.
func (r response) problem(t testing.TB, status int) map[string]string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q for a %d", ct, status)
	}
	m := r.json(t)
	for _, k := range []string{"type", "title", "detail", "requestId"} {
		if s, _ := m[k].(string); s == "" {
			t.Fatalf("problem without %s: %s", k, r.Body)
		}
	}
	if int(m["status"].(float64)) != status {
		t.Fatalf("problem status %v", m["status"])
	}
	fields := map[string]string{}
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		fe := e.(map[string]any)
		fields[fe["field"].(string)] = fe["message"].(string)
	}
	return fields
}

type header map[string]string

// do sends one request through the whole handler and holds the response to
// openapi.yaml: an undocumented status, header or body shape fails the test.
func (e *env) do(method, path, token string, body any, h header) response {
	e.t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
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
	resp := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), Calls: calls.Load()}
	if resp.Status >= 500 {
		e.t.Logf("logs:\n%s", e.logs.String())
	}
	checkContract(e.t, req, resp)
	if token != "" && !strings.HasPrefix(path, "/v1/health") && resp.Header.Get("Cache-Control") != "no-store" {
		e.t.Fatalf("%s %s → %d: an authenticated answer without Cache-Control: no-store", method, path, resp.Status)
	}
	if resp.Status < 300 {
		if err := openapi.ValidateRequest(req, raw); err != nil {
			e.t.Fatalf("%s %s was accepted but breaks openapi.yaml's request schema: %v", req.Method, req.URL, err)
		}
	}
	return resp
}

func checkContract(t testing.TB, req *http.Request, resp response) {
	t.Helper()
	if resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("%s %s: no X-Request-Id", req.Method, req.URL)
	}
	err := openapi.ValidateResponse(req, resp.Status, resp.Header, resp.Body)
	if errors.Is(err, openapi.ErrNoOperation) {
		// Only paths and methods outside the API may be unknown to the spec, and they get a 404 or 405.
		if resp.Status != http.StatusNotFound && resp.Status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s is not in openapi.yaml but answered %d", req.Method, req.URL.Path, resp.Status)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s %s → %d breaks openapi.yaml: %v\nbody: %s", req.Method, req.URL, resp.Status, err, resp.Body)
	}
}
