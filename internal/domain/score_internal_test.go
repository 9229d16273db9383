package domain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Offer codes must never disagree with Offer.Eligible, whatever offer is
// added to either list later (R-PCS-3), and code every offer of Offers.
func TestOfferCodes(t *testing.T) {
	if len(Offers) >= int(NoOffer) {
		t.Fatalf("%d offers do not fit a code", len(Offers))
	}
	for _, o := range append(Offers, "", "X", "TRIALS", "support") {
		c := CodeOf(o)
		if got, want := c.Eligible(), c.Offer().Eligible(); got != want {
			t.Errorf("CodeOf(%q).Eligible() = %v, Eligible = %v", o, got, want)
		}
		if known := slices.Contains(Offers, o); known && c.Offer() != o || !known && c != NoOffer {
			t.Errorf("CodeOf(%q) = %d, its offer %q", o, c, c.Offer())
		}
	}
	if !NoOffer.Eligible() || !Offer("").Eligible() {
		t.Error("an offer the API does not list is eligible (Offer.Eligible)")
	}
}

// R-PCS-6: growth in hundredths of a percent, truncated toward zero, exact in integers.
func TestGrowthHundredths(t *testing.T) {
	for _, tt := range []struct {
		cur, base Cents
		want      int64
	}{
		{119_990_00, 100_000_00, 1999},
		{120_000_00, 100_000_00, 2000},
		{100_000_00, 100_000_00, 0},
		{0, 100, -10000},
		{90, 100, -1000},
		{1, 3, -6666}, // truncated toward zero
		{MaxCents * 1000, 1, math.MaxInt64},
		{MaxCents * 1000, MaxCents*1000 - 1, 0},
	} {
		if got := growthHundredths(tt.cur, tt.base); got != tt.want {
			t.Errorf("growthHundredths(%d, %d) = %d, want %d", tt.cur, tt.base, got, tt.want)
		}
	}
}

// TestSortIDs holds sortIDs to slices.Sort's order on the shapes it is
// tuned for and on the edge cases of its integer keys.
func TestSortIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	guids := make([]string, 3000)
	for i := range guids {
		guids[i] = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32()&0xff, rng.IntN(16), rng.IntN(4096), rng.IntN(4096), rng.Uint64()&(1<<48-1))
	}
	people := make([]string, 2000)
	for i := range people {
		people[i] = fmt.Sprintf("mcp-%07d", rng.IntN(1500)) // duplicates too
	}
	for _, ids := range [][]string{
		guids, people,
		{"ab", "abc", "ab\x00", "a", "", "abd", "abc", "ab\x00\x00"},
		{"same-prefix-1", "same-prefix-10", "same-prefix-2", "same-prefix-"},
		{"b", "a"},
		{"x"},
		nil,
	} {
		want := slices.Clone(ids)
		slices.Sort(want)
		got := slices.Clone(ids)
		sortIDs(got)
		if !slices.Equal(got, want) {
			t.Errorf("sortIDs differs from slices.Sort on %d ids starting %q", len(ids), ids[:min(len(ids), 3)])
		}
	}
}
