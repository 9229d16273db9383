package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The local server's issuer and audience. Production config never uses them.
const (
	DevIssuer   = "partnerready-local"
	DevAudience = "partnerready"
)

// DevKeyFile is the name of the dev key under the directory given to
// LoadOrCreateDevKey.
const DevKeyFile = "dev-es256.pem"

// DevKey is the local ES256 (P-256) signing key. Its kid is the RFC 7638
// thumbprint, so the kid changes whenever the key does and a token signed by
// an old key fails on "no matching key" rather than on a signature.
type DevKey struct {
	priv *ecdsa.PrivateKey
	kid  string
	jwks []byte
}

// NewDevKey makes an in-memory key, for tests.
func NewDevKey() (*DevKey, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("auth: generate dev key: %w", err)
	}
	return newDevKey(priv)
}

// LoadOrCreateDevKey loads dir/dev-es256.pem, creating it (PKCS#8 PEM, mode
// 0600, dir 0700) when missing. The local server and scripts/devtoken both
// call it and may start at the same moment; the file is published with a
// hard link, which fails rather than overwrites, so whichever loses the race
// loads the winner's key and both sign and verify with the same one.
func LoadOrCreateDevKey(dir string) (*DevKey, error) {
	path := filepath.Join(dir, DevKeyFile)
	k, err := loadDevKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: create dev key dir: %w", err)
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("auth: generate dev key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("auth: encode dev key: %w", err)
	}
	published, err := publishOnce(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		return nil, fmt.Errorf("auth: write dev key: %w", err)
	}
	if !published {
		return loadDevKey(path)
	}
	return newDevKey(priv)
}

// LoadOrCreateDevSecret is a random secret kept in dir/file, made on first
// use as the dev key is (published once, so that two servers starting
// together share it): the local server's stand-in for a stack secret.
func LoadOrCreateDevSecret(dir, file string) (string, error) {
	path := filepath.Join(dir, file)
	for range 2 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b), nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("auth: create dev key dir: %w", err)
		}
		secret := rand.Text()
		published, err := publishOnce(path, []byte(secret))
		if err != nil {
			return "", fmt.Errorf("auth: write %s: %w", file, err)
		}
		if published {
			return secret, nil
		}
		// Another process published first: read its secret.
	}
	return "", fmt.Errorf("auth: %s is empty", path)
}

// publishOnce writes data to a temp file beside path and moves it into place
// unless path already exists, so a reader never sees a half-written key.
// It reports false when another process got there first.
func publishOnce(path string, data []byte) (bool, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dev-es256-*.tmp") // created 0600
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	err = os.Link(tmp.Name(), path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, nil
	}
	// Some file systems have no hard links; rename is still atomic, only a
	// simultaneous creator's key may be replaced.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, err
	}
	return true, nil
}

func loadDevKey(path string) (*DevKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("auth: read dev key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("auth: %s is not a PKCS#8 PEM private key", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auth: parse dev key %s: %w", path, err)
	}
	priv, ok := key.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, fmt.Errorf("auth: %s is not a P-256 ECDSA key", path)
	}
	return newDevKey(priv)
}

type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

func newDevKey(priv *ecdsa.PrivateKey) (*DevKey, error) {
	point, err := priv.PublicKey.Bytes() // 0x04 || X || Y, each 32 bytes
	if err != nil || len(point) != 65 {
		return nil, errors.New("auth: dev key has an invalid public key")
	}
	x := base64.RawURLEncoding.EncodeToString(point[1:33])
	y := base64.RawURLEncoding.EncodeToString(point[33:])
	// RFC 7638: required members only, in lexicographic order, no spaces.
	sum := sha256.Sum256(fmt.Appendf(nil, `{"crv":"P-256","kty":"EC","x":%q,"y":%q}`, x, y))
	kid := base64.RawURLEncoding.EncodeToString(sum[:])
	jwks, err := json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{[]jwk{{Kty: "EC", Crv: "P-256", X: x, Y: y, Kid: kid, Alg: "ES256", Use: "sig"}}})
	if err != nil {
		return nil, err
	}
	return &DevKey{priv: priv, kid: kid, jwks: jwks}, nil
}

// KeyID is the kid put in every token's header and in the JWKS.
func (k *DevKey) KeyID() string { return k.kid }

// JWKS is the public key as a JWK Set:
// {"keys":[{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}]}.
func (k *DevKey) JWKS() []byte { return append([]byte(nil), k.jwks...) }

// TokenSpec describes a dev token.
type TokenSpec struct {
	Subject   string
	Roles     []Role
	PartnerID string
	AuditFirm string
	TTL       time.Duration
	Issuer    string    // default DevIssuer
	Audience  string    // default DevAudience
	Now       time.Time // default time.Now()
}

// Validate refuses specs the Verifier would reject (unknown role, partner
// role without partner_id, ...), so a dev token either works or fails before
// it is handed out.
func (spec TokenSpec) Validate() error {
	if spec.TTL <= 0 {
		return errors.New("auth: token TTL must be positive")
	}
	if len(spec.Roles) == 0 {
		return errors.New("auth: token needs at least one role")
	}
	for _, r := range spec.Roles {
		if !r.known() {
			return fmt.Errorf("auth: unknown role %q (want one of %v)", r, knownRoles)
		}
	}
	p := Principal{Subject: spec.Subject, Roles: spec.Roles, PartnerID: spec.PartnerID, AuditFirm: spec.AuditFirm}
	if err := p.validate(); err != nil {
		var te *tokenError
		if errors.As(err, &te) {
			return errors.New("auth: " + te.reason)
		}
		return err
	}
	return nil
}

// Sign makes an ES256 token with the kid header and the claims sub, roles,
// partner_id and audit_firm (omitted when empty), iss, aud, iat and exp,
// after spec.Validate.
func (k *DevKey) Sign(spec TokenSpec) (string, error) {
	if err := spec.Validate(); err != nil {
		return "", err
	}
	if spec.Issuer == "" {
		spec.Issuer = DevIssuer
	}
	if spec.Audience == "" {
		spec.Audience = DevAudience
	}
	if spec.Now.IsZero() {
		spec.Now = time.Now()
	}
	roles := make([]string, len(spec.Roles))
	for i, r := range spec.Roles {
		roles[i] = string(r)
	}
	return k.sign(&claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    spec.Issuer,
			Subject:   spec.Subject,
			Audience:  jwt.ClaimStrings{spec.Audience},
			IssuedAt:  jwt.NewNumericDate(spec.Now),
			ExpiresAt: jwt.NewNumericDate(spec.Now.Add(spec.TTL)),
		},
		Roles:     roles,
		PartnerID: spec.PartnerID,
		AuditFirm: spec.AuditFirm,
	})
}

// sign skips Sign's checks so tests can build the tokens an attacker would.
// SignClaims signs claims exactly as given, unchecked: for tests of what the
// verifier and the API refuse (Sign mints only tokens the verifier accepts).
func (k *DevKey) SignClaims(c jwt.Claims) (string, error) { return k.sign(c) }

func (k *DevKey) sign(c jwt.Claims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	t.Header["kid"] = k.kid
	s, err := t.SignedString(k.priv)
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return s, nil
}
