package local_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/apitest"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
	"github.com/partnerready/partnerready/internal/local"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

// startLocal serves local.New's handler on a test server, with its dev key
// in keyDir: embedded minidyn and gofakes3, or the DynamoDB at
// $TEST_DYNAMODB_ENDPOINT (moto) on a table of its own.
const partnerID = "1234567"

func startLocal(t *testing.T, keyDir string) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	cfg := local.Config{Addr: "", TableName: "t", Bucket: "b", KeyDir: keyDir}
	if ep := os.Getenv(storetest.EndpointEnv); ep != "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		cfg.DynamoDBEndpoint, cfg.TableName = ep, "partnerready-local-test-"+hex.EncodeToString(b[:])
		t.Cleanup(func() {
			_ = store.DeleteTable(context.Background(), store.NewClient(storetest.LocalConfig(), ep), cfg.TableName)
		})
	}
	local, err := local.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(local.Close)
	if local.DynamoDB == "" || local.S3 == "" || local.Handler == nil {
		t.Fatalf("local not wired: %+v", local)
	}
	srv := httptest.NewServer(local.Handler)
	t.Cleanup(srv.Close)
	return srv
}

// callLocal sends one request; answers of the API (paths under /v1) are held
// to openapi.yaml.
func callLocal(t *testing.T, srv *httptest.Server, method, path, token, body string) localResult {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := localResult{apitest.Answer{Status: resp.StatusCode, Header: resp.Header, Body: b}}
	if strings.HasPrefix(path, "/v1/") {
		apitest.CheckContract(t, req, r.Answer)
	}
	return r
}

type localResult struct{ apitest.Answer }

func (r localResult) want(t *testing.T, status int) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r.Object(t)
}

func TestLocalHealthAndJWKS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)

	if m := callLocal(t, srv, http.MethodGet, "/v1/health", "", "").want(t, http.StatusOK); m["status"] == nil {
		t.Errorf("health %v", m)
	}

	r := callLocal(t, srv, http.MethodGet, local.JWKSPath, "", "")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("JWKS: %d %q %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(r.Body, &set); err != nil {
		t.Fatalf("JWKS is not JSON: %v", err)
	}
	if len(set.Keys) != 1 {
		t.Fatalf("JWKS has %d keys, want 1: %s", len(set.Keys), r.Body)
	}
	k := set.Keys[0]
	if k["kty"] != "EC" || k["crv"] != "P-256" || k["alg"] != "ES256" || k["use"] != "sig" || k["x"] == nil || k["y"] == nil {
		t.Errorf("JWK %v", k)
	}
	if _, private := k["d"]; private {
		t.Fatal("the JWKS publishes the private key")
	}

	// The key the server made is the one on disk, where scripts/devtoken reads it.
	fi, err := os.Stat(filepath.Join(dir, auth.DevKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("dev key mode %v, want 0600", fi.Mode().Perm())
	}
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k["kid"] != key.KeyID() {
		t.Errorf("JWKS kid %v, dev key kid %s", k["kid"], key.KeyID())
	}
}

func TestLocalDevKeyTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(k *auth.DevKey) string {
		t.Helper()
		tok, err := k.Sign(auth.TokenSpec{Subject: "dev", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: partnerID, TTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tok := sign(key)
	const profile = `{"name":"Contoso Ltd","country":"FR","locations":[{"id":"7654321","country":"FR"}]}`

	put := callLocal(t, srv, http.MethodPut, "/v1/partners/"+partnerID, tok, profile)
	put.want(t, http.StatusCreated)
	if put.Header.Get("ETag") != `"1"` {
		t.Errorf("PUT ETag %q", put.Header.Get("ETag"))
	}
	get := callLocal(t, srv, http.MethodGet, "/v1/partners/"+partnerID, tok, "")
	if m := get.want(t, http.StatusOK); m["name"] != "Contoso Ltd" || get.Header.Get("ETag") != `"1"` {
		t.Errorf("GET %s (ETag %q)", get.Body, get.Header.Get("ETag"))
	}

	other, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{sign(other), ""} {
		r := callLocal(t, srv, http.MethodGet, "/v1/partners/"+partnerID, bad, "")
		if m := r.want(t, http.StatusUnauthorized); m["type"] != "urn:partnerready:problem:unauthorized" {
			t.Errorf("401 body %s", r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("401 content type %q", ct)
		}
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
		}
	}

	// A restarted server keeps the key: tokens made before still work.
	again := startLocal(t, dir)
	callLocal(t, again, http.MethodGet, "/v1/health", "", "").want(t, http.StatusOK)
	callLocal(t, again, http.MethodPut, "/v1/partners/"+partnerID, tok, profile).want(t, http.StatusCreated)
}

// adminToken is a partner_admin token of partnerID signed with the dev key in dir.
func adminToken(t *testing.T, dir string) string {
	t.Helper()
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := key.Sign(auth.TokenSpec{Subject: "dev", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: partnerID, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Paths with ".", ".." or "//" segments are the API's 404 in problem+json,
// never a redirect that replays the method on another resource.
func TestLocalUncleanPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)
	tok := adminToken(t, dir)
	for _, p := range []string{"/v1/partners/" + partnerID + "/customers/..", "/v1/partners/" + partnerID + "/./individuals", "//v1/health", "/v1/partners//" + partnerID, "/.well-known/../v1/health"} {
		r := callLocal(t, srv, http.MethodPut, p, tok, `{"name":"x","country":"FR"}`)
		if r.Status != http.StatusNotFound || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("PUT %s: %d %q %s", p, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	}
}

// A body over the limit is read to its end (up to a bound) before the 413,
// so that a client that writes its whole body before reading the answer
// gets the 413 rather than a connection reset.
func TestLocalTooLargeIsDrained(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)
	tok := adminToken(t, dir)
	bearer := "Authorization: Bearer " + tok + "\r\n"
	for _, c := range []struct {
		name    string
		header  string
		size    int
		chunked bool
		status  int
	}{
		{"declared length", bearer + "Content-Length: %d\r\n", 2 << 20, false, http.StatusRequestEntityTooLarge},
		{"three times the limit", bearer + "Content-Length: %d\r\n", 3 << 20, false, http.StatusRequestEntityTooLarge},
		{"chunked", bearer + "Transfer-Encoding: chunked\r\n", 2 << 20, true, http.StatusRequestEntityTooLarge},
		{"no token, so the body is never read", "Content-Length: %d\r\n", 2 << 20, false, http.StatusUnauthorized},
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		head := "PUT /v1/partners/" + partnerID + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		if c.chunked {
			head += c.header
		} else {
			head += fmt.Sprintf(c.header, c.size)
		}
		body := bytes.Repeat([]byte("a"), c.size)
		if c.chunked {
			body = append(append([]byte(fmt.Sprintf("%x\r\n", c.size)), body...), "\r\n0\r\n\r\n"...)
		}
		_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
		// Written as a slow client does, in pieces over more than a second:
		// longer than net/http waits before it resets a connection whose
		// body it left unread.
		msg := append([]byte(head+"\r\n"), body...)
		for len(msg) > 0 {
			n := min(len(msg), 128<<10)
			if _, err := conn.Write(msg[:n]); err != nil {
				t.Fatalf("%s: writing the body: %v (the server closed before reading it)", c.name, err)
			}
			msg = msg[n:]
			time.Sleep(40 * time.Millisecond)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: reading the answer: %v", c.name, err)
		}
		if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: %d %v", c.name, resp.StatusCode, resp.Header)
		}
		resp.Body.Close()
		conn.Close()
	}
}

// A client that waits for 100 Continue before sending its body gets the
// answer at once when the API needs no body (a 401), instead of waiting for
// a body the server would drain.
func TestLocalExpectContinue(t *testing.T) {
	t.Parallel()
	srv := startLocal(t, t.TempDir())
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	head := "PUT /v1/partners/" + partnerID + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n"
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer without the body: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// The embedded S3 hands every completed upload to the evidence check, as
// the bucket's notification does in AWS: the file as declared makes the
// evidence available without upload-complete; other bytes (the embedded S3
// checks no signature or checksum) reject it, and are never served.
func TestLocalEvidenceUploadsAreChecked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := key.Sign(auth.TokenSpec{Subject: "dev", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: partnerID, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	p := "/v1/partners/" + partnerID
	tenant := "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	callLocal(t, srv, "PUT", p, tok, `{"name":"Contoso","country":"FR"}`).want(t, http.StatusCreated)
	callLocal(t, srv, "PUT", p+"/customers/"+tenant, tok, `{"name":"Fabrikam","association":"CSP_TIER1"}`).want(t, http.StatusCreated)
	file := bytes.Repeat([]byte("a cloud adoption strategy\n"), 400)
	sum := sha256.Sum256(file)
	declare := func() (string, blob.Upload) {
		body := fmt.Sprintf(`{"specializationId":"ai-and-machine-learning-in-microsoft-azure","controls":["A1.1"],"customers":[%q],
			"kind":"strategy_document","projectCompletedOn":"2026-01-10","customerSignedOffOn":"2026-01-20","language":"en",
			"title":"Strategy","fileName":"strategy.txt","contentType":"text/plain","sizeBytes":%d,"sha256":%q}`, tenant, len(file), hex.EncodeToString(sum[:]))
		m := callLocal(t, srv, "POST", p+"/evidence", tok, body).want(t, http.StatusCreated)
		up := m["upload"].(map[string]any)
		u := blob.Upload{Method: up["method"].(string), URL: up["url"].(string), Headers: map[string]string{}}
		for k, v := range up["headers"].(map[string]any) {
			u.Headers[k] = v.(string)
		}
		return m["id"].(string), u
	}
	good, up := declare()
	if code := blobtest.Put(t, up, file); code != http.StatusOK {
		t.Fatalf("PUT: %d", code)
	}
	m := callLocal(t, srv, "GET", p+"/evidence/"+good, tok, "").want(t, http.StatusOK)
	if m["status"] != "available" || m["download"] == nil {
		t.Fatalf("after the upload: %v", m)
	}
	bad, up := declare()
	tampered := bytes.Clone(file)
	tampered[7] = 'X'
	if code := blobtest.Put(t, up, tampered); code != http.StatusOK {
		t.Fatalf("PUT: %d", code)
	}
	m = callLocal(t, srv, "GET", p+"/evidence/"+bad, tok, "").want(t, http.StatusOK)
	if m["status"] != "rejected" || !strings.Contains(m["rejectedReason"].(string), "SHA-256") || m["download"] != nil {
		t.Fatalf("after tampered bytes: %v", m)
	}
}

// The local server, unlike the stack, takes a webhook endpoint on this
// machine: a partner's tool under development receives its pushes.
func TestLocalAcceptsLoopbackEndpoints(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startLocal(t, dir)
	tok := adminToken(t, dir)
	callLocal(t, srv, http.MethodPut, "/v1/partners/"+partnerID, tok, `{"name":"Contoso Ltd","country":"FR"}`).want(t, http.StatusCreated)
	path := "/v1/partners/" + partnerID + "/webhook-endpoints"
	m := callLocal(t, srv, http.MethodPost, path, tok, `{"url":"http://127.0.0.1:9999/hooks"}`).want(t, http.StatusCreated)
	if s, _ := m["secret"].(string); !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("registration: %v", m)
	}
	callLocal(t, srv, http.MethodPost, path, tok, `{"url":"https://10.0.0.1/hooks"}`).want(t, http.StatusUnprocessableEntity)
}
