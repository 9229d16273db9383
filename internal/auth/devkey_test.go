package auth

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoadOrCreateDevKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".local")
	k1, err := LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DevKeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode %v, want 0600", mode)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mode := di.Mode().Perm(); mode&0o077 != 0 {
		t.Errorf("key dir mode %v, want 0700", mode)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(before, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Errorf("key file is not PKCS#8 PEM:\n%s", before)
	}

	k2, err := LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1.KeyID() != k2.KeyID() || !k1.priv.Equal(k2.priv) {
		t.Fatal("reload gave a different key")
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("reload rewrote the key file")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only the key (temp files left?)", len(entries))
	}

	// A token from the reloaded key verifies against the first key's JWKS:
	// that is devtoken against a running server.
	v := newTestVerifier(t, k1.JWKS())
	tok, err := k2.Sign(TokenSpec{Subject: "dev-user", Roles: []Role{RolePartnerAdmin}, PartnerID: "1234567", TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	accepts(t, v, tok)
}

func TestLoadOrCreateDevKeyConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".local")
	const n = 8
	kids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := LoadOrCreateDevKey(dir)
			errs[i] = err
			if err == nil {
				kids[i] = k.KeyID()
			}
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if kids[i] != kids[0] {
			t.Fatalf("concurrent creators got different keys: %v", kids)
		}
	}
}

func TestLoadOrCreateDevKeyRejectsBadFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, DevKeyFile), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateDevKey(dir); err == nil {
		t.Fatal("garbage key file accepted")
	}
}

func TestDevKeyJWKS(t *testing.T) {
	k := newTestKey(t)
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(k.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 {
		t.Fatalf("%d keys, want 1", len(set.Keys))
	}
	key := set.Keys[0]
	for field, want := range map[string]string{"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": k.KeyID()} {
		if key[field] != want {
			t.Errorf("%s = %q, want %q", field, key[field], want)
		}
	}
	if len(key["x"]) != 43 || len(key["y"]) != 43 || len(k.KeyID()) != 43 {
		t.Errorf("x, y and kid should be 32 bytes base64url: %v", key)
	}
	if _, ok := key["d"]; ok {
		t.Fatal("JWKS leaks the private key")
	}
	if k.KeyID() == newTestKey(t).KeyID() {
		t.Fatal("two keys share a kid")
	}
}

func TestSignRefusesTokensTheServerWouldReject(t *testing.T) {
	k := newTestKey(t)
	ok := TokenSpec{Subject: "u", Roles: []Role{RolePartnerMember}, PartnerID: "42", TTL: time.Hour}
	if _, err := k.Sign(ok); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(*TokenSpec){
		"no role":            func(s *TokenSpec) { s.Roles = nil },
		"unknown role":       func(s *TokenSpec) { s.Roles = []Role{"root"} },
		"no partner":         func(s *TokenSpec) { s.PartnerID = "" },
		"bad partner":        func(s *TokenSpec) { s.PartnerID = "abc" },
		"auditor no firm":    func(s *TokenSpec) { s.Roles = []Role{RoleAuditor} },
		"no subject":         func(s *TokenSpec) { s.Subject = "" },
		"zero ttl":           func(s *TokenSpec) { s.TTL = 0 },
		"negative ttl":       func(s *TokenSpec) { s.TTL = -time.Hour },
		"control in subject": func(s *TokenSpec) { s.Subject = "a\x00b" },
	}
	for name, mutate := range cases {
		spec := ok
		mutate(&spec)
		if _, err := k.Sign(spec); err == nil {
			t.Errorf("%s: signed", name)
		} else if strings.Contains(err.Error(), "invalid token") {
			t.Errorf("%s: error %q reads like a verification failure", name, err)
		}
	}
}

// The local server's stand-in for a stack secret is made once and kept:
// servers that start together, or one restarted, share it.
func TestLoadOrCreateDevSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested")
	secrets := make([]string, 8)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() {
			s, err := LoadOrCreateDevSecret(dir, "endpoint-key")
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	for _, s := range secrets {
		if s == "" || s != secrets[0] {
			t.Fatalf("secrets %q", secrets)
		}
	}
	if again, err := LoadOrCreateDevSecret(dir, "endpoint-key"); err != nil || again != secrets[0] {
		t.Fatalf("read again: %q, %v", again, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "endpoint-key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file: %v, %v", fi, err)
	}
}
