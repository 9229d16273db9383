package blob_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/blob"
)

func TestEvidenceKeyRoundTrips(t *testing.T) {
	for _, c := range []struct{ partner, evidence string }{
		{"1234567", "0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f"}, // UUIDv7
		{"1", "01J9ZQ3K8V5T2N4M6P7R8S9T0W"},                 // ULID
		{"123456789012", strings.Repeat("a", 64)},
	} {
		k, err := blob.EvidenceKey(c.partner, c.evidence)
		if err != nil {
			t.Fatalf("EvidenceKey(%q, %q): %v", c.partner, c.evidence, err)
		}
		if want := "evidence/" + c.partner + "/" + c.evidence; k != want {
			t.Errorf("EvidenceKey = %q, want %q", k, want)
		}
		p, e, err := blob.ParseEvidenceKey(k)
		if err != nil || p != c.partner || e != c.evidence {
			t.Errorf("ParseEvidenceKey(%q) = %q, %q, %v", k, p, e, err)
		}
	}
}

// Keys are built from the verified partner id and the server's own id, so
// anything that could move a key elsewhere is refused.
func TestEvidenceKeyRefusesWhatTheServerNeverMakes(t *testing.T) {
	for _, c := range []struct{ partner, evidence string }{
		{"", "abc"}, {"acme", "abc"}, {"1234567890123", "abc"}, {"12 34", "abc"},
		{"1234567", ""}, {"1234567", strings.Repeat("a", 65)}, {"1234567", "../1"},
		{"1234567", "a/b"}, {"1234567", "a b"}, {"1234567", "a+b"}, {"1234567", "a%2Fb"},
		{"1234567", "a.pdf"}, {"1234567", "é"},
	} {
		if k, err := blob.EvidenceKey(c.partner, c.evidence); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("EvidenceKey(%q, %q) = %q, %v; want ErrInvalid", c.partner, c.evidence, k, err)
		}
	}
	for _, k := range []string{
		"", "evidence/", "evidence/1234567", "evidence/1234567/", "evidence//abc",
		"Evidence/1234567/abc", "/evidence/1234567/abc", "evidence/1234567/abc/def",
		"evidence/1234567/../7654321/abc", "other/1234567/abc", "evidence/acme/abc",
	} {
		if p, e, err := blob.ParseEvidenceKey(k); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("ParseEvidenceKey(%q) = %q, %q, %v; want ErrInvalid", k, p, e, err)
		}
	}
}
