package domain

import (
	"cmp"
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

// The scan's merge of each month's tenants with the eligible customers
// counts what a plain lookup counts: tenants that are not customers or not
// eligible, a tenant listed twice in a month (both rows add), ids sharing
// long prefixes or not, in any mix (R-PCS-2, R-PCS-3, R-PCS-6, R-PCS-7).
func TestScanUsageMatchesLookup(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	asOf := MustMonth("2026-10")
	for round := range 200 {
		id := func(n int) string {
			if round%2 == 0 {
				return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) // one long common prefix
			}
			return fmt.Sprintf("%08x-0000-4000-8000-%012d", n*2654435761%(1<<32), n)
		}
		in := ScoreInput{AsOf: asOf, Usage: Usage{Months: map[Month][]TenantUsage{}}}
		for s := range 3 {
			in.Usage.Services = append(in.Usage.Services, Service{Name: fmt.Sprint("S", s)})
		}
		eligible := map[string]bool{}
		for n := range rng.IntN(12) {
			c := Customer{TenantID: id(n), Association: Associations[rng.IntN(len(Associations))], Government: rng.IntN(4) == 0}
			in.Customers = append(in.Customers, c)
			eligible[c.TenantID] = eligible[c.TenantID] || eligibleAssociation(c)
		}
		for k := range scanMonths {
			var rows []TenantUsage
			for n := range 14 {
				for range rng.IntN(3) { // absent, once or twice
					row := TenantUsage{TenantID: id(n)}
					for range rng.IntN(3) {
						row.Lines = append(row.Lines, UsageLine{ACR: Cents(rng.IntN(1000)), Service: int32(rng.IntN(3)), Offer: OfferCode(rng.IntN(len(Offers)))})
					}
					rows = append(rows, row)
				}
			}
			slices.SortStableFunc(rows, func(a, b TenantUsage) int { return cmp.Compare(a.TenantID, b.TenantID) })
			in.Usage.Months[asOf.AddMonths(-k)] = rows
		}
		s := scanUsage(in)
		var totals [scanMonths]Cents
		svc := make([]Cents, 3)
		byTenant := map[int]map[string]Cents{}
		for k := range scanMonths {
			byTenant[k] = map[string]Cents{}
			for _, row := range in.Usage.Months[asOf.AddMonths(-k)] {
				for _, l := range row.Lines {
					if eligible[row.TenantID] && l.Offer.Offer().Eligible() {
						totals[k] += l.ACR
						byTenant[k][row.TenantID] += l.ACR
						if k < 12 {
							svc[l.Service] += l.ACR
						}
					}
				}
			}
		}
		if s.totals != totals || !slices.Equal(s.serviceACR, svc) {
			t.Fatalf("round %d: totals %v services %v, want %v %v", round, s.totals, s.serviceACR, totals, svc)
		}
		for slot, k := range []int{0, 1, 12, 13} {
			for j, tid := range s.elig {
				if got, want := s.tenantACR[slot][j], byTenant[k][tid]; got != want {
					t.Fatalf("round %d: %s in M-%d: %v, want %v", round, tid, k, got, want)
				}
			}
		}
	}
}
