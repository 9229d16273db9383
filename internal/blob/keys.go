package blob

import (
	"fmt"
	"strings"

	"github.com/partnerready/partnerready/internal/domain"
)

// evidencePrefix holds every evidence object. The server builds the whole key
// from the verified partner id and its own evidence id, so a client can never
// write beside another partner's files or outside the prefix the bucket's
// ObjectCreated notification (and a malware scan) watches.
const evidencePrefix = "evidence/"

// maxEvidenceIDLen leaves room for a UUID (36) or a ULID (26) and nothing
// that would make a key long enough to need care.
const maxEvidenceIDLen = 64

// EvidenceKey is the object key of one evidence file:
// evidence/<partnerId>/<evidenceId>.
func EvidenceKey(partnerID, evidenceID string) (string, error) {
	if !domain.ValidPartnerID(partnerID) {
		return "", fmt.Errorf("%w: partner id %q is not 1 to 12 digits", ErrInvalid, partnerID)
	}
	if !validEvidenceID(evidenceID) {
		return "", fmt.Errorf("%w: evidence id %q is not 1 to %d letters, digits or '-'", ErrInvalid, evidenceID, maxEvidenceIDLen)
	}
	return evidencePrefix + partnerID + "/" + evidenceID, nil
}

// ParseEvidenceKey is EvidenceKey backwards, for a key as S3 stores it (an
// event's key must be URL-decoded first, as Notified does). Any other
// key, including one with extra segments, is refused.
func ParseEvidenceKey(key string) (partnerID, evidenceID string, err error) {
	rest, ok := strings.CutPrefix(key, evidencePrefix)
	if !ok {
		return "", "", fmt.Errorf("%w: key %q is not under %s", ErrInvalid, key, evidencePrefix)
	}
	partnerID, evidenceID, ok = strings.Cut(rest, "/")
	if !ok || !domain.ValidPartnerID(partnerID) || !validEvidenceID(evidenceID) {
		return "", "", fmt.Errorf("%w: key %q is not %s<partnerId>/<evidenceId>", ErrInvalid, key, evidencePrefix)
	}
	return partnerID, evidenceID, nil
}

// validEvidenceID accepts the server's ids (UUIDv7 or ULID) and only
// characters that need no escaping in a URL path or an event's key.
func validEvidenceID(s string) bool {
	if len(s) == 0 || len(s) > maxEvidenceIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}
