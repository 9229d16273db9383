package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerifiedTokensAreCachedUntilExpiry(t *testing.T) {
	k := newTestKey(t)
	static := newTestVerifier(t, k.JWKS())
	lookups := 0
	now := testNow
	cfg := devConfig()
	cfg.Now = func() time.Time { return now }
	v := NewVerifier(cfg, func(tok *jwt.Token) (any, error) {
		lookups++
		return static.keys(context.Background())(tok)
	})
	c := validClaims()
	c.ExpiresAt = jwt.NewNumericDate(testNow.Add(2 * time.Minute))
	raw := mustSign(t, k, c)

	for range 3 {
		if _, err := v.Verify(context.Background(), raw); err != nil {
			t.Fatal(err)
		}
	}
	if lookups != 1 {
		t.Fatalf("3 verifications of one token checked the signature %d times, want 1", lookups)
	}
	// Past exp (and the leeway) the cache must not keep it alive.
	now = testNow.Add(2*time.Minute + defaultLeeway + time.Second)
	if _, err := v.Verify(context.Background(), raw); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("expired token accepted from the cache: %v", err)
	}
	// A token that failed is never cached: a tampered copy is checked every time.
	now = testNow
	tampered := raw[:len(raw)-2] + "AA"
	for range 2 {
		if _, err := v.Verify(context.Background(), tampered); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("tampered token accepted: %v", err)
		}
	}
}

func TestTokenCacheIsBounded(t *testing.T) {
	var c tokenCache
	for i := range cacheEntries + 10 {
		c.put(string(rune(i))+"token", Principal{Subject: "s"}, testNow.Add(time.Hour), testNow)
	}
	if n := len(c.entries); n > cacheEntries {
		t.Fatalf("cache holds %d entries, bound %d", n, cacheEntries)
	}
	if _, ok := c.get("x", testNow); ok {
		t.Fatal("unknown token found")
	}
	c.put("y", Principal{Subject: "s"}, testNow.Add(time.Hour), testNow)
	if _, ok := c.get("y", testNow.Add(cacheFor)); ok {
		t.Fatal("entry outlived cacheFor")
	}
}
