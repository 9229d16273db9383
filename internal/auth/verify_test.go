package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func devConfig() Config {
	return Config{Issuer: DevIssuer, Audience: DevAudience, Now: func() time.Time { return testNow }}
}

func newTestKey(t *testing.T) *DevKey {
	t.Helper()
	k, err := NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newTestVerifier(t *testing.T, jwks []byte) *Verifier {
	t.Helper()
	v, err := NewStaticJWKSVerifier(devConfig(), jwks)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// validClaims is a token the dev verifier accepts; attacks start from it and
// change one thing.
func validClaims() *claims {
	return &claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    DevIssuer,
			Subject:   "user-1",
			Audience:  jwt.ClaimStrings{DevAudience},
			IssuedAt:  jwt.NewNumericDate(testNow.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour)),
		},
		Roles:     []string{string(RolePartnerAdmin)},
		PartnerID: "1234567",
	}
}

func mustSign(t *testing.T, k *DevKey, c jwt.Claims) string {
	t.Helper()
	s, err := k.sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rejects asserts the token is refused with ErrInvalidToken and a message
// that contains want and does not echo the token.
func rejects(t *testing.T, v *Verifier, raw, want string) error {
	t.Helper()
	p, err := v.Verify(context.Background(), raw)
	if err == nil {
		t.Fatalf("token accepted as %+v, want rejection (%s)", p, want)
	}
	if !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("error %v does not wrap ErrInvalidToken", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to mention %q", err, want)
	}
	if len(raw) > 8 && strings.Contains(err.Error(), raw) {
		t.Errorf("error %q echoes the token", err)
	}
	if !reflectZero(p) {
		t.Errorf("rejected token still returned principal %+v", p)
	}
	return err
}

func reflectZero(p Principal) bool {
	return p.Subject == "" && p.Roles == nil && p.PartnerID == "" && p.AuditFirm == ""
}

func accepts(t *testing.T, v *Verifier, raw string) Principal {
	t.Helper()
	p, err := v.Verify(context.Background(), raw)
	if err != nil {
		t.Fatalf("valid token rejected: %v", err)
	}
	return p
}

func TestVerifyAcceptsDevToken(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	tok, err := k.Sign(TokenSpec{Subject: "alice", Roles: []Role{RolePartnerAdmin}, PartnerID: "1234567", TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	p := accepts(t, v, tok)
	want := Principal{Subject: "alice", Roles: []Role{RolePartnerAdmin}, PartnerID: "1234567"}
	if p.Subject != want.Subject || !slices.Equal(p.Roles, want.Roles) || p.PartnerID != want.PartnerID || p.AuditFirm != "" {
		t.Fatalf("principal %+v, want %+v", p, want)
	}
	if !p.Has(RolePartnerAdmin) || p.Has(RoleAuditor) || !p.HasAny(RoleAuditor, RolePartnerAdmin) || p.HasAny() {
		t.Fatalf("Has/HasAny wrong for %+v", p)
	}
}

func TestVerifyRejectsAlgNone(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())

	tok := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims())
	tok.Header["kid"] = k.KeyID()
	raw, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	rejects(t, v, raw, "signing algorithm not allowed")

	// The hand-made variant: a real ES256 token with its header swapped for
	// alg none and the signature stripped.
	good := mustSign(t, k, validClaims())
	parts := strings.Split(good, ".")
	for _, alg := range []string{"none", "None", "NONE"} {
		hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","kid":"` + k.KeyID() + `"}`))
		rejects(t, v, hdr+"."+parts[1]+".", "invalid token")
		rejects(t, v, hdr+"."+parts[1]+"."+parts[2], "invalid token")
	}
}

func TestVerifyRejectsHMACKeyConfusion(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())

	pkix, err := x509.MarshalPKIXPublicKey(&k.priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	point, err := k.priv.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string][]byte{
		"PEM":  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}),
		"DER":  pkix,
		"raw":  point,
		"JWKS": k.JWKS(),
	}
	for name, secret := range secrets {
		for _, m := range []jwt.SigningMethod{jwt.SigningMethodHS256, jwt.SigningMethodHS384, jwt.SigningMethodHS512} {
			tok := jwt.NewWithClaims(m, validClaims())
			tok.Header["kid"] = k.KeyID()
			raw, err := tok.SignedString(secret)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(name+"/"+m.Alg(), func(t *testing.T) {
				rejects(t, v, raw, "signing algorithm not allowed")
			})
		}
	}
}

// The tests above would pass on key type alone (jwt's HMAC wants []byte, the
// EC key is not). These give jwt a []byte, as a naive keyfunc or a JWKS that
// carries a symmetric key would, so only WithValidMethods stands in the way.
func TestVerifyRejectsHMACWhenKeyIsBytes(t *testing.T) {
	k := newTestKey(t)
	pkix, err := x509.MarshalPKIXPublicKey(&k.priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})
	naive := NewVerifier(devConfig(), func(*jwt.Token) (any, error) { return pubPEM, nil })
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims())
	raw, err := tok.SignedString(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	rejects(t, naive, raw, "signing algorithm not allowed")

	secret := []byte("a-shared-secret-that-is-32-bytes")
	var set struct {
		Keys []any `json:"keys"`
	}
	if err := json.Unmarshal(k.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	set.Keys = append(set.Keys, map[string]string{
		"kty": "oct", "kid": "hmac", "alg": "HS256", "k": base64.RawURLEncoding.EncodeToString(secret),
	})
	jwks, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, jwks)
	tok = jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims())
	tok.Header["kid"] = "hmac"
	if raw, err = tok.SignedString(secret); err != nil {
		t.Fatal(err)
	}
	rejects(t, v, raw, "signing algorithm not allowed")
	delete(tok.Header, "kid") // keyfunc then offers every key in the set
	if raw, err = tok.SignedString(secret); err != nil {
		t.Fatal(err)
	}
	rejects(t, v, raw, "signing algorithm not allowed")
}

func TestVerifyRejectsOtherKeyWithSameKID(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	attacker := newTestKey(t)
	attacker.kid = k.kid
	rejects(t, v, mustSign(t, attacker, validClaims()), "bad signature")

	// Without a kid keyfunc tries every key in the set; none must match.
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, validClaims())
	raw, err := tok.SignedString(attacker.priv)
	if err != nil {
		t.Fatal(err)
	}
	rejects(t, v, raw, "bad signature")
}

func TestVerifyRejectsUnknownKIDWithoutEchoingIt(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	k.kid = "<script>alert('kid')</script>"
	err := rejects(t, v, mustSign(t, k, validClaims()), "no matching signing key")
	if strings.Contains(err.Error(), "script") {
		t.Fatalf("error %q echoes the kid", err)
	}
}

func TestVerifyRejectsWrongIssuerAndAudience(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	spec := TokenSpec{Subject: "u", Roles: []Role{RoleProgramManager}, TTL: time.Hour, Now: testNow}

	bad := spec
	bad.Issuer = "https://evil.example"
	tok, err := k.Sign(bad)
	if err != nil {
		t.Fatal(err)
	}
	rejects(t, v, tok, "wrong issuer")

	bad = spec
	bad.Audience = "some-other-api"
	if tok, err = k.Sign(bad); err != nil {
		t.Fatal(err)
	}
	rejects(t, v, tok, "wrong audience")

	c := validClaims()
	c.Issuer = ""
	rejects(t, v, mustSign(t, k, c), "missing iss")
	c = validClaims()
	c.Audience = nil
	rejects(t, v, mustSign(t, k, c), "missing aud")

	// An audience list is fine as long as ours is in it.
	c = validClaims()
	c.Audience = jwt.ClaimStrings{"other", DevAudience}
	accepts(t, v, mustSign(t, k, c))
}

func TestVerifyExpiryAndLeeway(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())

	c := validClaims()
	c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-29 * time.Second))
	accepts(t, v, mustSign(t, k, c))

	c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-31 * time.Second))
	err := rejects(t, v, mustSign(t, k, c), "expired")
	if !errors.Is(err, jwt.ErrTokenExpired) {
		t.Errorf("error %v does not wrap jwt.ErrTokenExpired", err)
	}

	// A custom leeway replaces the default.
	strict, err := NewStaticJWKSVerifier(Config{Issuer: DevIssuer, Audience: DevAudience, Leeway: time.Second, Now: func() time.Time { return testNow }}, k.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-5 * time.Second))
	rejects(t, strict, mustSign(t, k, c), "expired")

	c = validClaims()
	c.NotBefore = jwt.NewNumericDate(testNow.Add(time.Minute))
	rejects(t, v, mustSign(t, k, c), "not valid yet")

	c = validClaims()
	c.IssuedAt = jwt.NewNumericDate(testNow.Add(time.Hour))
	rejects(t, v, mustSign(t, k, c), "issued in the future")
}

func TestVerifyRequiresExp(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	c := validClaims()
	c.ExpiresAt = nil
	rejects(t, v, mustSign(t, k, c), "missing exp")
}

func TestVerifyRequiresSub(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	c := validClaims()
	c.Subject = ""
	rejects(t, v, mustSign(t, k, c), "missing sub")

	c.Subject = "line\nbreak"
	rejects(t, v, mustSign(t, k, c), "sub")
}

func TestVerifyPartnerAndAuditorClaims(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())

	for _, role := range []Role{RolePartnerAdmin, RolePartnerMember} {
		c := validClaims()
		c.Roles = []string{string(role)}
		c.PartnerID = ""
		rejects(t, v, mustSign(t, k, c), "partner role requires partner_id")
	}

	for _, id := range []string{"12a4", "1234567890123", " 123", "123 ", "-1", "+1", "1.5", "١٢٣", "0x1F", "%31"} {
		c := validClaims()
		c.PartnerID = id
		t.Run(id, func(t *testing.T) { rejects(t, v, mustSign(t, k, c), "partner_id must be 1-12 digits") })
		// The format rule holds even when no role needs the claim.
		c.Roles = []string{string(RoleProgramManager)}
		rejects(t, v, mustSign(t, k, c), "partner_id must be 1-12 digits")
	}
	for _, id := range []string{"0", "000000000001", "999999999999"} {
		c := validClaims()
		c.PartnerID = id
		if p := accepts(t, v, mustSign(t, k, c)); p.PartnerID != id {
			t.Errorf("PartnerID %q, want %q", p.PartnerID, id)
		}
	}

	// partner_id as a JSON number is not the string the API keys tenants on.
	raw := mustSign(t, k, jwt.MapClaims{
		"iss": DevIssuer, "aud": DevAudience, "sub": "u", "exp": testNow.Add(time.Hour).Unix(),
		"roles": []string{"partner_admin"}, "partner_id": 1234567,
	})
	rejects(t, v, raw, "malformed")

	c := validClaims()
	c.Roles = []string{string(RoleAuditor)}
	c.PartnerID = ""
	rejects(t, v, mustSign(t, k, c), "auditor role requires audit_firm")
	c.AuditFirm = "Contoso Audit LLP"
	if p := accepts(t, v, mustSign(t, k, c)); p.AuditFirm != "Contoso Audit LLP" || !p.Has(RoleAuditor) {
		t.Fatalf("auditor principal %+v", p)
	}

	// Tenant claims only survive alongside the role they belong to.
	c = validClaims()
	c.Roles = []string{string(RoleProgramManager)}
	c.AuditFirm = "Contoso Audit LLP"
	p := accepts(t, v, mustSign(t, k, c))
	if p.PartnerID != "" || p.AuditFirm != "" {
		t.Fatalf("program manager kept tenant claims: %+v", p)
	}
}

func TestVerifyDropsUnknownRoles(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	c := validClaims()
	c.Roles = []string{"superuser", "partner_admin", "PARTNER_ADMIN", "program_manager", "partner_admin", ""}
	p := accepts(t, v, mustSign(t, k, c))
	if want := []Role{RolePartnerAdmin, RoleProgramManager}; !slices.Equal(p.Roles, want) {
		t.Fatalf("roles %v, want %v", p.Roles, want)
	}

	// With only unknown roles the token is still a signed-in caller, with no
	// role, so its partner_id cannot be used.
	c.Roles = []string{"admin", "root"}
	p = accepts(t, v, mustSign(t, k, c))
	if len(p.Roles) != 0 || p.PartnerID != "" {
		t.Fatalf("principal %+v, want no roles and no partner", p)
	}

	// roles must be an array; a bare string is a malformed token.
	raw := mustSign(t, k, jwt.MapClaims{
		"iss": DevIssuer, "aud": DevAudience, "sub": "u", "exp": testNow.Add(time.Hour).Unix(),
		"roles": "program_manager",
	})
	rejects(t, v, raw, "malformed")
}

func TestVerifyRejectsGarbage(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	good := mustSign(t, k, validClaims())
	parts := strings.Split(good, ".")
	cases := map[string]string{
		"empty":            "",
		"word":             "hello",
		"two parts":        parts[0] + "." + parts[1],
		"four parts":       good + ".x",
		"dots":             "..",
		"truncated":        good[:len(good)-10],
		"no signature":     parts[0] + "." + parts[1] + ".",
		"bad base64":       parts[0] + ".!!!." + parts[2],
		"not json":         base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + parts[1] + "." + parts[2],
		"swapped payload":  parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin"}`)) + "." + parts[2],
		"unknown alg":      base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"XX999"}`)) + "." + parts[1] + "." + parts[2],
		"no alg":           base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"x"}`)) + "." + parts[1] + "." + parts[2],
		"bearer prefix":    "Bearer " + good,
		"oversized":        good + strings.Repeat("A", maxTokenLen),
		"signature padded": good + "==",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) { rejects(t, v, raw, "invalid token") })
	}
}

type rsaJWK struct {
	Kty string `json:"kty"`
	N   string `json:"n"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// jwksWithRSA returns the dev key's JWKS with an RSA key added.
func jwksWithRSA(t *testing.T, k *DevKey, rk *rsa.PrivateKey, kid string) []byte {
	t.Helper()
	var set struct {
		Keys []any `json:"keys"`
	}
	if err := json.Unmarshal(k.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	set.Keys = append(set.Keys, rsaJWK{
		Kty: "RSA",
		N:   base64.RawURLEncoding.EncodeToString(rk.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(rk.E)).Bytes()),
		Kid: kid, Alg: "RS256", Use: "sig",
	})
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyAcceptsRS256(t *testing.T) {
	k := newTestKey(t)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, jwksWithRSA(t, k, rk, "rsa-1"))

	signRSA := func(m jwt.SigningMethod, kid string) string {
		tok := jwt.NewWithClaims(m, validClaims())
		tok.Header["kid"] = kid
		raw, err := tok.SignedString(rk)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	if p := accepts(t, v, signRSA(jwt.SigningMethodRS256, "rsa-1")); p.PartnerID != "1234567" {
		t.Fatalf("principal %+v", p)
	}
	// The EC key in the same set still works.
	accepts(t, v, mustSign(t, k, validClaims()))

	// Other RSA algorithms stay out even with the right key.
	rejects(t, v, signRSA(jwt.SigningMethodRS512, "rsa-1"), "signing algorithm not allowed")
	rejects(t, v, signRSA(jwt.SigningMethodPS256, "rsa-1"), "signing algorithm not allowed")
	// An RS256 token pointing at the EC key's kid is refused.
	rejects(t, v, signRSA(jwt.SigningMethodRS256, k.KeyID()), "invalid token")
}

func TestConfigNeedsIssuerAndAudience(t *testing.T) {
	k := newTestKey(t)
	for _, cfg := range []Config{{Issuer: DevIssuer}, {Audience: DevAudience}} {
		if _, err := NewStaticJWKSVerifier(cfg, k.JWKS()); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewVerifier(%+v) did not panic", cfg)
				}
			}()
			NewVerifier(cfg, func(*jwt.Token) (any, error) { return nil, nil })
		}()
	}
	for _, jwks := range []string{``, `{}`, `{"keys":[]}`, `not json`} {
		if _, err := NewStaticJWKSVerifier(devConfig(), []byte(jwks)); err == nil {
			t.Errorf("JWKS %q accepted", jwks)
		}
	}
}

func TestNewVerifierWithKeyfunc(t *testing.T) {
	k := newTestKey(t)
	v := NewVerifier(devConfig(), func(*jwt.Token) (any, error) { return &k.priv.PublicKey, nil })
	accepts(t, v, mustSign(t, k, validClaims()))
	rejects(t, v, mustSign(t, newTestKey(t), validClaims()), "bad signature")
}

func TestBearerToken(t *testing.T) {
	cases := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc.def.ghi", "abc.def.ghi", true},
		{"BEARER abc.def.ghi", "abc.def.ghi", true},
		{"Bearer   abc.def-_~+/ghi==", "abc.def-_~+/ghi==", true},
		{"  Bearer abc  ", "abc", true},
		{"", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer    ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearerabc", "", false},
		{"Bearer a b", "", false},
		{"Bearer a,b", "", false},
		{"Bearer a=b", "", false},
		{"Bearer ===", "", false},
		{"Bearer\tabc", "", false},
		{"abc.def.ghi", "", false},
		{"Token abc", "", false},
	}
	for _, c := range cases {
		got, ok := BearerToken(c.header)
		if got != c.want || ok != c.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}

// A token with a crit header names extensions this verifier does not
// implement, so it must be refused (RFC 7515 §4.1.11); time claims must be
// JSON numbers (RFC 7519 §2), although jwt itself reads quoted ones.
func TestVerifyRejectsCritAndQuotedTimes(t *testing.T) {
	k := newTestKey(t)
	v := newTestVerifier(t, k.JWKS())
	signWith := func(header map[string]any, claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
		tok.Header["kid"] = k.kid
		for name, val := range header {
			tok.Header[name] = val
		}
		s, err := tok.SignedString(k.priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": DevIssuer, "aud": DevAudience, "sub": "user-1", "roles": []string{"partner_admin"}, "partner_id": "1",
			"exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Add(-time.Minute).Unix()}
	}
	accepts(t, v, signWith(nil, good()))
	rejects(t, v, signWith(map[string]any{"crit": []string{"exp"}}, good()), "critical header extensions are not supported")
	for _, claim := range []string{"exp", "nbf", "iat"} {
		c := good()
		c[claim] = fmt.Sprint(testNow.Unix())
		rejects(t, v, signWith(nil, c), claim+" must be a number")
	}
}
