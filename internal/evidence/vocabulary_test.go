package evidence_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/evidence"
)

// The lists of kinds, scenarios and statuses: each value valid, no other,
// and each kind found as its own bit.
func TestVocabulary(t *testing.T) {
	for _, k := range evidence.Kinds {
		if !k.Valid() {
			t.Errorf("kind %s", k)
		}
	}
	for _, s := range evidence.Scenarios {
		if !s.Valid() {
			t.Errorf("scenario %s", s)
		}
	}
	for _, s := range evidence.Statuses {
		if !s.Valid() {
			t.Errorf("status %s", s)
		}
	}
	if evidence.Kind("sow ").Valid() || evidence.Scenario("oracle").Valid() || evidence.Status("available ").Valid() {
		t.Error("a value outside the lists is valid")
	}
	if len(evidence.Kinds) > 32 {
		t.Error("more kinds than a kind set holds")
	}
	// No two kinds share a length and a first letter, which is how kinds are
	// looked up.
	type slot struct {
		n     int
		first byte
	}
	seen := map[slot]evidence.Kind{}
	for _, k := range evidence.Kinds {
		if o, dup := seen[slot{len(k), k[0]}]; dup {
			t.Errorf("kinds %s and %s share a length and a first letter", k, o)
		}
		seen[slot{len(k), k[0]}] = k
	}
	for _, k := range []evidence.Kind{"", "Sow", "sox", "s", "\xff", evidence.Kind(strings.Repeat("a", 40))} {
		if k.Valid() {
			t.Errorf("kind %q is valid", k)
		}
	}
	// Each kind is its own bit, in Kinds' order: a control with every kind
	// accepts each, and one with none of them accepts none.
	all := evidence.Control{Kinds: evidence.Kinds}
	for i, k := range evidence.Kinds {
		if !all.Accepts(k) || slices.Index(evidence.Kinds, k) != i {
			t.Errorf("kind %s", k)
		}
	}
}
