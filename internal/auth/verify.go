package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// Config says which tokens a Verifier accepts.
type Config struct {
	Issuer   string
	Audience string
	Leeway   time.Duration    // default 30s when zero
	Now      func() time.Time // optional, for tests
}

const defaultLeeway = 30 * time.Second

// maxTokenLen bounds the work an unauthenticated caller can make us do before
// any signature is checked; real tokens here are well under 2 KiB.
const maxTokenLen = 8 << 10

// validMethods is the whole point of WithValidMethods: the token's own alg
// header must never choose HMAC (key confusion) or none.
var validMethods = []string{jwt.SigningMethodES256.Alg(), jwt.SigningMethodRS256.Alg()}

// Verifier checks bearer tokens. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	parser *jwt.Parser
	// keys takes the request's context so that a JWKS refresh triggered by an
	// unknown kid is cancelled with the request rather than outliving it.
	keys  func(context.Context) jwt.Keyfunc
	cache tokenCache
}

// NewVerifier takes a jwt.Keyfunc (from keyfunc's JWKS, or a static set in
// tests and locally). It panics if cfg has no Issuer or Audience or keys is
// nil: jwt skips the iss and aud checks when they are empty, so such a
// Verifier would accept tokens meant for other services.
func NewVerifier(cfg Config, keys jwt.Keyfunc) *Verifier {
	if keys == nil {
		panic("auth: NewVerifier with nil keys")
	}
	return newVerifier(cfg, func(context.Context) jwt.Keyfunc { return keys })
}

func newVerifier(cfg Config, keys func(context.Context) jwt.Keyfunc) *Verifier {
	if err := cfg.check(); err != nil {
		panic("auth: " + err.Error())
	}
	if cfg.Leeway <= 0 {
		cfg.Leeway = defaultLeeway
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(validMethods),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
	}
	if cfg.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(cfg.Now))
	}
	return &Verifier{cfg: cfg, parser: jwt.NewParser(opts...), keys: keys}
}

func (c Config) check() error {
	if c.Issuer == "" || c.Audience == "" {
		return errors.New("config needs both Issuer and Audience")
	}
	return nil
}

// JWKS fetching limits. keyfunc v3.8.2 bounds an unknown-kid refresh (the
// rate-limiter wait and the HTTP fetch together) only by RateLimitWaitMax,
// whose default of one minute would let a token with a made-up kid hold a
// request for that long.
const (
	jwksHTTPTimeout     = 10 * time.Second
	jwksRefreshInterval = time.Hour
	jwksUnknownKIDEvery = time.Minute
	jwksUnknownKIDWait  = 5 * time.Second
)

// ErrKeysUnavailable: the issuer's signing keys could not be fetched, so a
// token can be judged neither way; the API answers 503, not 401.
var ErrKeysUnavailable = errors.New("the issuer's signing keys are unavailable")

// CheckJWKS refuses a configuration NewJWKSVerifier would: without issuer or
// audience, or with a JWKS URL that is not https (loopback aside). It does no
// I/O, so a function checks it at init, before building anything.
func CheckJWKS(cfg Config, jwksURL string) error {
	if err := cfg.check(); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if err := checkJWKSURL(jwksURL); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// NewJWKSVerifier verifies with the keys of a JWKS URL, fetched by keyfunc v3:
// refreshed in the background every hour, and on an unknown kid at most once
// a minute. It returns at once: the first fetch runs in the background (a
// Lambda's init does no network I/O) and the first verification waits for
// it. A first fetch that fails or yields no key is logged, and verifications
// fail with ErrKeysUnavailable until a refresh brings keys. ctx ends the
// background work. The URL must be https unless it points at a loopback address.
func NewJWKSVerifier(ctx context.Context, cfg Config, jwksURL string, log *slog.Logger) (*Verifier, error) {
	if err := CheckJWKS(cfg, jwksURL); err != nil {
		return nil, err
	}
	ks := &remoteKeys{ready: make(chan struct{})}
	go ks.load(ctx, jwksURL, log)
	return newVerifier(cfg, ks.keyfunc), nil
}

// remoteKeys is a JWKS being fetched, then kept fresh by keyfunc.
type remoteKeys struct {
	ready chan struct{} // closed once the first fetch has ended
	kf    keyfunc.Keyfunc
}

func (ks *remoteKeys) load(ctx context.Context, url string, log *slog.Logger) {
	defer close(ks.ready)
	// A failed first fetch leaves an empty set, which an unknown kid
	// refreshes: the verifier recovers when the issuer does.
	tolerant := true
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{url}, keyfunc.Override{
		Client:                    &http.Client{Timeout: jwksHTTPTimeout},
		HTTPTimeout:               jwksHTTPTimeout,
		NoErrorReturnFirstHTTPReq: &tolerant,
		RateLimitWaitMax:          jwksUnknownKIDWait,
		RefreshInterval:           jwksRefreshInterval,
		RefreshUnknownKID:         rate.NewLimiter(rate.Every(jwksUnknownKIDEvery), 1),
	})
	if err != nil {
		log.ErrorContext(ctx, "JWKS", "url", url, "error", err.Error())
		return
	}
	ks.kf = kf
	if err := requireKeys(ctx, kf); err != nil {
		log.ErrorContext(ctx, "JWKS: no signing keys yet; tokens are refused with 503 until a refresh brings some", "url", url, "error", err.Error())
	}
}

// jwksFirstWait bounds how long a request waits for the first fetch: the
// fetch itself may take jwksHTTPTimeout, as long as a function may run, and
// a caller is better served by a 503 it can retry than by a timeout.
const jwksFirstWait = 3 * time.Second

func (ks *remoteKeys) keyfunc(ctx context.Context) jwt.Keyfunc {
	wait := time.NewTimer(jwksFirstWait)
	defer wait.Stop()
	select {
	case <-ks.ready:
	case <-ctx.Done():
		return func(*jwt.Token) (any, error) { return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, ctx.Err()) }
	case <-wait.C:
		return func(*jwt.Token) (any, error) {
			return nil, fmt.Errorf("%w: the first fetch is still running", ErrKeysUnavailable)
		}
	}
	if ks.kf == nil {
		return func(*jwt.Token) (any, error) { return nil, ErrKeysUnavailable }
	}
	find := ks.kf.KeyfuncCtx(ctx)
	return func(t *jwt.Token) (any, error) {
		key, err := find(t)
		if err != nil && requireKeys(ctx, ks.kf) != nil {
			return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
		}
		return key, err
	}
}

// NewStaticJWKSVerifier uses a JWKS JSON document held in memory (the local
// dev server).
func NewStaticJWKSVerifier(cfg Config, jwks []byte) (*Verifier, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	kf, err := keyfunc.NewJWKSetJSON(jwks)
	if err != nil {
		return nil, fmt.Errorf("auth: parse JWKS: %w", err)
	}
	if err := requireKeys(context.Background(), kf); err != nil {
		return nil, err
	}
	return newVerifier(cfg, kf.KeyfuncCtx), nil
}

func requireKeys(ctx context.Context, kf keyfunc.Keyfunc) error {
	keys, err := kf.Storage().KeyReadAll(ctx)
	if err != nil {
		return fmt.Errorf("auth: read JWKS: %w", err)
	}
	if len(keys) == 0 {
		return errors.New("auth: JWKS has no usable keys")
	}
	return nil
}

// checkJWKSURL refuses plain http off the local machine: whoever can alter
// the JWKS response can mint any token.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("JWKS URL: %w", err)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return errors.New("JWKS URL must use https unless it is on loopback")
	default:
		return errors.New("JWKS URL must be an http(s) URL")
	}
}

type claims struct {
	jwt.RegisteredClaims
	Roles     []string `json:"roles,omitempty"`
	PartnerID string   `json:"partner_id,omitempty"`
	AuditFirm string   `json:"audit_firm,omitempty"`
}

// Verify checks the raw token (without "Bearer ") and returns its Principal.
// Every failure wraps ErrInvalidToken, and its message is safe to show to the
// caller: it never quotes the token or anything taken from it.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, invalid("empty token", nil)
	}
	if len(raw) > maxTokenLen {
		return Principal{}, invalid("token too long", nil)
	}
	now := time.Now()
	if v.cfg.Now != nil {
		now = v.cfg.Now()
	}
	if p, ok := v.cache.get(raw, now); ok {
		return p, nil
	}
	if reason := checkShape(raw); reason != "" {
		return Principal{}, invalid(reason, nil)
	}
	var c claims
	tok, err := v.parser.ParseWithClaims(raw, &c, v.keys(ctx))
	if err != nil {
		return Principal{}, invalid(v.reason(tok, &c, err), err)
	}

	p := Principal{Subject: c.Subject, PartnerID: c.PartnerID, AuditFirm: c.AuditFirm}
	for _, s := range c.Roles {
		if r := Role(s); r.known() && !p.Has(r) {
			p.Roles = append(p.Roles, r)
		}
	}
	if err := p.validate(); err != nil {
		return Principal{}, err
	}
	if !slices.ContainsFunc(p.Roles, Role.partner) {
		p.PartnerID = ""
	}
	if !p.Has(RoleAuditor) {
		p.AuditFirm = ""
	}
	v.cache.put(raw, p, c.ExpiresAt.Time, now)
	return p, nil
}

// checkShape refuses what jwt would let through: a header with crit (RFC 7515
// §4.1.11: a token naming an extension the verifier does not understand must
// be rejected, and this one understands none), and time claims that are not
// JSON numbers (RFC 7519 §2: NumericDate; jwt also reads "exp":"1700000000").
// It returns the reason, or "" when the shape is fine; the signature and the
// rest are jwt's to check.
func checkShape(raw string) string {
	head, rest, ok := strings.Cut(raw, ".")
	payload, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return "malformed token"
	}
	var h map[string]json.RawMessage
	if b, err := base64.RawURLEncoding.DecodeString(head); err != nil || json.Unmarshal(b, &h) != nil {
		return "malformed token"
	}
	if _, crit := h["crit"]; crit {
		return "critical header extensions are not supported"
	}
	var times struct {
		Exp json.RawMessage `json:"exp"`
		Nbf json.RawMessage `json:"nbf"`
		Iat json.RawMessage `json:"iat"`
	}
	if b, err := base64.RawURLEncoding.DecodeString(payload); err != nil || json.Unmarshal(b, &times) != nil {
		return "malformed token"
	}
	for name, v := range map[string]json.RawMessage{"exp": times.Exp, "nbf": times.Nbf, "iat": times.Iat} {
		if len(v) > 0 && (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
			return name + " must be a number"
		}
	}
	return ""
}

// reason maps a jwt error to a fixed phrase: jwt's and keyfunc's own messages
// can quote header values such as kid and alg.
func (v *Verifier) reason(tok *jwt.Token, c *claims, err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed token"
	case tok == nil || tok.Method == nil:
		return "unsupported signing algorithm"
	case !slices.Contains(validMethods, tok.Method.Alg()):
		return "signing algorithm not allowed"
	case errors.Is(err, ErrKeysUnavailable):
		return "the issuer's signing keys are unavailable"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "no matching signing key"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad signature"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token is expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "token is not valid yet"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "token issued in the future"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case c.ExpiresAt == nil:
			return "missing exp"
		case c.Issuer == "":
			return "missing iss"
		default:
			return "missing aud"
		}
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	default:
		return "invalid claims"
	}
}
