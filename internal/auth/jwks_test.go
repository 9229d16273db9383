package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer serves whatever JWKS it currently holds and counts fetches.
type jwksServer struct {
	mu     sync.Mutex
	body   []byte
	status int
	hits   atomic.Int32
	*httptest.Server
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	s := &jwksServer{body: body, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		w.Write(s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = body
}

func TestJWKSVerifier(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // stops keyfunc's refresh goroutine

	k1 := newTestKey(t)
	srv := newJWKSServer(t, k1.JWKS())
	v, err := NewJWKSVerifier(ctx, devConfig(), srv.URL+"/.well-known/jwks.json", slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	accepts(t, v, mustSign(t, k1, validClaims()))
	if n := srv.hits.Load(); n != 1 {
		t.Fatalf("%d fetches for the first token, want 1", n)
	}
	rejects(t, v, mustSign(t, newTestKey(t), validClaims()), "invalid token") // unknown kid: uses the one refresh allowed
	if n := srv.hits.Load(); n != 2 {
		t.Fatalf("%d fetches after an unknown kid, want 2", n)
	}

	// Another unknown kid within the rate limit fails at once, without a
	// fetch and without holding the request.
	start := time.Now()
	rejects(t, v, mustSign(t, newTestKey(t), validClaims()), "no matching signing key")
	if d := time.Since(start); d > time.Second {
		t.Errorf("rate-limited unknown kid took %v", d)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Fatalf("%d fetches after a rate-limited unknown kid, want 2", n)
	}

	// Attacks behave as with a static set.
	attacker := newTestKey(t)
	attacker.kid = k1.kid
	rejects(t, v, mustSign(t, attacker, validClaims()), "bad signature")
	c := validClaims()
	c.Issuer = "https://evil.example"
	rejects(t, v, mustSign(t, k1, c), "wrong issuer")
}

func TestJWKSVerifierPicksUpRotatedKey(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	k1, k2 := newTestKey(t), newTestKey(t)
	srv := newJWKSServer(t, k1.JWKS())
	v, err := NewJWKSVerifier(ctx, devConfig(), srv.URL, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	accepts(t, v, mustSign(t, k1, validClaims()))
	srv.set(k2.JWKS())
	accepts(t, v, mustSign(t, k2, validClaims()))
	// The refresh replaced the set, so the retired key no longer verifies.
	rejects(t, v, mustSign(t, k1, validClaims()), "no matching signing key")
}

// The first fetch runs in the background: construction never waits on the
// network, the first verification does. A JWKS that cannot be fetched, or
// holds no key, makes tokens unjudgeable (ErrKeysUnavailable, a 503), not
// invalid; a refresh that brings keys ends it. Bad configuration still fails
// at once.
func TestJWKSVerifierStartsInTheBackground(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	k := newTestKey(t)

	slow := newJWKSServer(t, k.JWKS())
	release := make(chan struct{})
	slow.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.Write(k.JWKS())
	})
	start := time.Now()
	v, err := NewJWKSVerifier(ctx, devConfig(), slow.URL, slog.Default())
	if err != nil || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("construction waited on the fetch: %v, %v", time.Since(start), err)
	}
	go func() { time.Sleep(50 * time.Millisecond); close(release) }()
	accepts(t, v, mustSign(t, k, validClaims()))

	down := newJWKSServer(t, []byte(`oops`))
	down.status = http.StatusInternalServerError
	empty := newJWKSServer(t, []byte(`{"keys":[]}`))
	for name, srv := range map[string]*jwksServer{"answering 500": down, "with no key": empty} {
		v, err := NewJWKSVerifier(ctx, devConfig(), srv.URL, slog.Default())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := rejects(t, v, mustSign(t, k, validClaims()), "signing keys are unavailable"); !errors.Is(err, ErrKeysUnavailable) {
			t.Fatalf("%s: %v is not ErrKeysUnavailable", name, err)
		}
	}
	// A JWKS endpoint that never answers: the first request waits a bounded
	// time, then gets ErrKeysUnavailable (a 503 it can retry), not a timeout.
	hung := make(chan struct{})
	stuck := newJWKSServer(t, nil)
	t.Cleanup(func() { close(hung) }) // before the server's Close, which waits for its handlers
	stuck.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hung })
	v, err = NewJWKSVerifier(ctx, devConfig(), stuck.URL, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := rejects(t, v, mustSign(t, k, validClaims()), "signing keys are unavailable"); !errors.Is(err, ErrKeysUnavailable) {
		t.Fatalf("a hung JWKS: %v", err)
	}
	if d := time.Since(start); d < jwksFirstWait || d > jwksFirstWait+time.Second {
		t.Fatalf("waited %v for a hung JWKS, want about %v", d, jwksFirstWait)
	}
	for _, u := range []string{"http://idp.example.com/jwks", "ftp://127.0.0.1/jwks", "::"} {
		if _, err := NewJWKSVerifier(ctx, devConfig(), u, slog.Default()); err == nil {
			t.Errorf("JWKS URL %q accepted", u)
		}
	}
	if _, err := NewJWKSVerifier(ctx, Config{Issuer: DevIssuer}, slow.URL, slog.Default()); err == nil {
		t.Error("config without audience accepted")
	}
}
