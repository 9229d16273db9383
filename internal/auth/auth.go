// Package auth verifies JWT bearer tokens and turns their claims into a
// Principal. It also holds the local dev signing key, which only the local
// server and scripts/devtoken load: production takes its issuer and JWKS from
// config, so a dev token can never verify there.
package auth

import (
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role is a role claim the API knows. Anything else in a token's roles is
// dropped, so authorization code only ever sees these values.
type Role string

const (
	RolePartnerAdmin   Role = "partner_admin"
	RolePartnerMember  Role = "partner_member"
	RoleAuditor        Role = "auditor"
	RoleProgramManager Role = "program_manager"
)

var knownRoles = []Role{RolePartnerAdmin, RolePartnerMember, RoleAuditor, RoleProgramManager}

func (r Role) known() bool { return slices.Contains(knownRoles, r) }

func (r Role) partner() bool { return r == RolePartnerAdmin || r == RolePartnerMember }

// Principal is who a verified token says is calling. Built only from verified
// claims.
type Principal struct {
	Subject string
	// Roles holds only known roles, without duplicates.
	Roles []Role
	// PartnerID is the partner_id claim; empty unless a partner role is held,
	// so code that keys tenants on it cannot be fooled by a stray claim on,
	// say, a program manager's token.
	PartnerID string
	// AuditFirm is the audit_firm claim; empty unless RoleAuditor is held.
	AuditFirm string
}

// Has reports whether p holds r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// HasAny reports whether p holds at least one of rs.
func (p Principal) HasAny(rs ...Role) bool {
	return slices.ContainsFunc(rs, p.Has)
}

// ErrInvalidToken is wrapped by every verification failure.
var ErrInvalidToken = errors.New("invalid token")

// tokenError keeps a reason that is safe to return to the caller apart from
// the underlying cause, whose text (from jwt or keyfunc) may quote the token's
// header, e.g. its kid. Both are reachable through errors.Is.
type tokenError struct {
	reason string
	cause  error
}

func (e *tokenError) Error() string { return ErrInvalidToken.Error() + ": " + e.reason }

func (e *tokenError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrInvalidToken}
	}
	return []error{ErrInvalidToken, e.cause}
}

func invalid(reason string, cause error) error { return &tokenError{reason: reason, cause: cause} }

const (
	maxSubjectLen   = 255
	maxAuditFirmLen = 128
	maxPartnerIDLen = 12
)

// validate holds the claim rules that both Verify and Sign enforce, so the dev
// tool cannot mint a token the server would refuse.
func (p Principal) validate() error {
	if p.Subject == "" {
		return invalid("missing sub", nil)
	}
	// sub and audit_firm end up in logs and stored records.
	if !printable(p.Subject, maxSubjectLen) {
		return invalid("sub is too long or has control characters", nil)
	}
	if p.PartnerID != "" && !validPartnerID(p.PartnerID) {
		return invalid("partner_id must be 1-12 digits", nil)
	}
	if p.AuditFirm != "" && !printable(p.AuditFirm, maxAuditFirmLen) {
		return invalid("audit_firm is too long or has control characters", nil)
	}
	if p.HasAny(RolePartnerAdmin, RolePartnerMember) && p.PartnerID == "" {
		return invalid("partner role requires partner_id", nil)
	}
	if p.Has(RoleAuditor) && p.AuditFirm == "" {
		return invalid("auditor role requires audit_firm", nil)
	}
	return nil
}

func validPartnerID(s string) bool {
	if len(s) == 0 || len(s) > maxPartnerIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string, maxLen int) bool {
	if len(s) > maxLen || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// BearerToken extracts the token from an Authorization header value
// ("Bearer <t>", scheme case-insensitive). ok is false when the header is
// absent, uses another scheme, or the credentials are not a single RFC 7235
// token68 (so "Bearer a b" or "Bearer a,b" are refused, not truncated).
func BearerToken(header string) (string, bool) {
	scheme, rest, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok := strings.TrimLeft(rest, " ")
	if !isToken68(tok) {
		return "", false
	}
	return tok, true
}

func isToken68(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}
