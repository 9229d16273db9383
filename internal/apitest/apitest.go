// Package apitest holds what the API's test suites share, whichever layer
// answers (the handlers, the Lambda adapter, the local server): the contract
// check every answer goes through, the check that an answer is an RFC 9457
// problem, and a log writer safe for concurrent requests.
package apitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/partnerready/partnerready/openapi"
)

// Answer is one HTTP answer as a suite saw it.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// CheckContract holds an answer to openapi.yaml: its status documented for
// the operation, its headers and body in their schemas, an X-Request-Id.
// Only paths and methods outside the API may be unknown to the spec, and
// they get a 404 or 405.
func CheckContract(t testing.TB, req *http.Request, a Answer) {
	t.Helper()
	if a.Header.Get("X-Request-Id") == "" {
		t.Fatalf("%s %s: no X-Request-Id", req.Method, req.URL)
	}
	err := openapi.ValidateResponse(req, a.Status, a.Header, a.Body)
	switch {
	case errors.Is(err, openapi.ErrNoOperation):
		if a.Status != http.StatusNotFound && a.Status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s is not in openapi.yaml but answered %d", req.Method, req.URL.Path, a.Status)
		}
	case err != nil:
		t.Fatalf("%s %s → %d breaks openapi.yaml: %v\nheaders: %v\nbody: %s", req.Method, req.URL, a.Status, err, a.Header, a.Body)
	}
}

// Object is the body as a JSON object.
func (a Answer) Object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, a.Body)
	}
	return m
}

// Problem checks that the answer is an RFC 9457 problem of that status, with
// every member the API promises, and returns its errors as field → message.
func (a Answer) Problem(t testing.TB, status int) map[string]string {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Body)
	}
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q for a %d", ct, status)
	}
	m := a.Object(t)
	for _, k := range []string{"type", "title", "detail", "requestId"} {
		if s, _ := m[k].(string); s == "" {
			t.Fatalf("problem without %s: %s", k, a.Body)
		}
	}
	if m["requestId"] != a.Header.Get("X-Request-Id") {
		t.Fatalf("problem requestId %v, header %q", m["requestId"], a.Header.Get("X-Request-Id"))
	}
	if got, _ := m["status"].(float64); int(got) != status {
		t.Fatalf("problem status %v, want %d", m["status"], status)
	}
	fields := map[string]string{}
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		fe := e.(map[string]any)
		fields[fe["field"].(string)] = fe["message"].(string)
	}
	return fields
}

// Log is a buffer that concurrent requests may log to.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
