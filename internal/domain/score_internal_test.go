package domain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The length fast path must never disagree with Offer.Eligible, whatever
// offer is added to either list later (R-PCS-3).
func TestOfferCounts(t *testing.T) {
	for _, o := range append(Offers, "", "X", "TRIALS", "SUPPORTS", "support", "INTERNAL2", "BENEFITS", "TRIA") {
		if got, want := offerCounts(o), o.Eligible(); got != want {
			t.Errorf("offerCounts(%q) = %v, Eligible = %v", o, got, want)
		}
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
