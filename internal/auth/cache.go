package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// A verified token is remembered for a few minutes, so that a client's burst
// of requests pays for one signature check (an ES256 verify is most of the
// per-request overhead, more so on a small Lambda). The price: a key removed
// from the JWKS keeps its already-seen tokens valid for at most cacheFor.
const (
	cacheFor     = 5 * time.Minute
	cacheEntries = 10_000
)

type cachedPrincipal struct {
	p     Principal
	until time.Time
}

type tokenCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedPrincipal
}

func (c *tokenCache) get(raw string, now time.Time) (Principal, bool) {
	k := sha256.Sum256([]byte(raw))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || !now.Before(e.until) {
		delete(c.entries, k)
		return Principal{}, false
	}
	return e.p, true
}

// put remembers p until the token expires or cacheFor passes, whichever is
// first. When full it starts over: simple, bounded, and a miss only costs a verify.
func (c *tokenCache) put(raw string, p Principal, exp, now time.Time) {
	until := now.Add(cacheFor)
	if exp.Before(until) {
		until = exp
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= cacheEntries {
		c.entries = make(map[[sha256.Size]byte]cachedPrincipal)
	}
	c.entries[sha256.Sum256([]byte(raw))] = cachedPrincipal{p: p, until: until}
}
