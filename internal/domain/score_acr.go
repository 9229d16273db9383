package domain

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

// The performance and customer-success metrics are the same for the three
// Azure areas (seed 003), so their thresholds are code rather than catalogue data.
const (
	eligibleCustomerMinACR Cents = 1_000_00 // R-PCS-2
	netAddPoints                 = 10       // R-PCS-2
	netAddsMax                   = 30
	growthMax                    = 20       // R-PCS-6
	growthMinTrailingACR   Cents = 1_000_00 // R-PCS-6
	deploymentPoints             = 2        // R-PCS-7
	deploymentsMax               = 10
	// scanMonths is M−13 .. M: net adds need M−12 and M−13, nothing needs older.
	scanMonths = 14
)

// excludedDeploymentServices never count as deployments (R-PCS-3, R-PCS-7);
// their ACR still counts for net adds and usage growth.
var excludedDeploymentServices = []string{"Virtual Machines", "Virtual Machines Licenses"}

// NetAddsInputs explains net_customer_adds (R-PCS-2).
type NetAddsInputs struct {
	LastMonth                 Month              `json:"lastMonth"`
	PreviousMonth             Month              `json:"previousMonth"`
	SameMonthLastYear         Month              `json:"sameMonthLastYear"`
	MonthBeforeThatLastYear   Month              `json:"monthBeforeThatLastYear"`
	EligibleCustomers         []EligibleCustomer `json:"eligibleCustomers"`
	EligibleCustomersLastYear []EligibleCustomer `json:"eligibleCustomersLastYear"`
	// NetAdds may be negative; the points are then 0.
	NetAdds int `json:"netAdds"`
}

// EligibleCustomer is a tenant that reached the USD 1,000 bar in either month;
// ACR holds the qualifying ACR of both months, earlier first, so a reader can
// see which month qualified it.
type EligibleCustomer struct {
	TenantID string             `json:"tenantId"`
	ACR      []CustomerMonthACR `json:"acr"`
}

// CustomerMonthACR is one customer's qualifying ACR in one month.
type CustomerMonthACR struct {
	Month  Month `json:"month"`
	ACRUSD Cents `json:"acrUsd"`
}

// MonthRange is an inclusive span of months.
type MonthRange struct {
	From Month `json:"from"`
	To   Month `json:"to"`
}

// GrowthInputs explains usage_growth (R-PCS-6).
type GrowthInputs struct {
	LastMonth             Month `json:"lastMonth"`
	SameMonthLastYear     Month `json:"sameMonthLastYear"`
	QualifyingACR         Cents `json:"qualifyingAcrUsd"`
	QualifyingACRLastYear Cents `json:"qualifyingAcrUsdLastYear"`
	Trailing12MonthsACR   Cents `json:"trailing12MonthsAcrUsd"`
	// GrowthPercent is truncated to two decimals, computed in integers so that
	// its whole part is exactly the points (before the cap); null when the
	// base month has no qualifying ACR.
	GrowthPercent *float64   `json:"growthPercent"`
	Window        MonthRange `json:"window"`
}

// DeploymentsInputs explains deployments (R-PCS-7).
type DeploymentsInputs struct {
	From     Month     `json:"from"`
	To       Month     `json:"to"`
	Services []Service `json:"services"`
	// Excluded always lists the services that never count, present or not,
	// so a partner sees why its VM consumption earns nothing here.
	Excluded []string `json:"excluded"`
}

type commonScores struct {
	netAdds, growth, deployments MetricScore
}

// The four months net adds compare, as slots of usageScan.tenantACR.
const (
	slotLast       = iota // M
	slotPrevious          // M−1
	slotLastYear          // M−12
	slotBeforeThat        // M−13
	slots
)

// usageScan is one pass over M−13 .. M of the qualifying consumption.
type usageScan struct {
	totals [scanMonths]Cents // index k is month M−k
	// elig is the eligible customers' tenant ids, sorted; tenantACR[slot][j]
	// is the qualifying ACR of elig[j] in that slot's month. Indexing by
	// customer rather than listing (tenant, ACR) pairs keeps net adds free
	// of string comparisons and of per-month allocations.
	elig       []string
	tenantACR  [slots][]Cents
	serviceACR []Cents // qualifying ACR per service index over M−11 .. M
}

func scoreCommon(in ScoreInput) commonScores {
	scan := scanUsage(in)
	return commonScores{
		netAdds:     scoreNetAdds(in.AsOf, scan),
		growth:      scoreGrowth(in.AsOf, scan),
		deployments: scoreDeployments(in.AsOf, in.Usage, scan),
	}
}

// eligibleAssociation reports whether a customer's consumption can qualify.
// Affiliation does not matter here: it only disqualifies audit evidence
// (R-AUD-7).
//
// R-PCS-3: the eligible associations are CSP tier 1 and tier 2, DPOR and PAL,
// and government (Fairfax) subscriptions never qualify through PAL.
func eligibleAssociation(c Customer) bool {
	switch c.Association {
	case AssociationCSPTier1, AssociationCSPTier2, AssociationDPOR:
		return true
	case AssociationPAL:
		// Government (Fairfax) subscriptions are not eligible via PAL (seed 001).
		return !c.Government
	}
	return false
}

// eligibleTenants is the sorted, de-duplicated ids of the customers whose
// consumption qualifies, so that each month's tenants (also sorted, see
// Usage) are matched by a merge walk rather than hashing 36-character ids.
// A consumption tenant that is not a registered customer never qualifies.
// Both sides carry the canonical lower-case id (NormalizeTenantID).
func eligibleTenants(customers []Customer) []string {
	ids := make([]string, 0, len(customers))
	for _, c := range customers {
		if eligibleAssociation(c) {
			ids = append(ids, c.TenantID)
		}
	}
	sortIDs(ids)
	// A tenant listed twice qualifies if any of its entries does.
	return slices.Compact(ids)
}

func scanUsage(in ScoreInput) *usageScan {
	s := &usageScan{serviceACR: make([]Cents, len(in.Usage.Services))}
	elig := eligibleTenants(in.Customers)
	s.elig = elig
	if len(elig) == 0 {
		return s
	}
	perSlot := make([]Cents, slots*len(elig))
	for slot := range slots {
		s.tenantACR[slot] = perSlot[slot*len(elig) : (slot+1)*len(elig)]
	}
	svc := s.serviceACR
	keys := make([]uint64, len(elig))
	for j, id := range elig {
		keys[j] = prefixKey(id)
	}
	for k := range scanMonths {
		rows := in.Usage.Months[in.AsOf.AddMonths(-k)]
		var acr []Cents
		switch k {
		case 0:
			acr = s.tenantACR[slotLast]
		case 1:
			acr = s.tenantACR[slotPrevious]
		case 12:
			acr = s.tenantACR[slotLastYear]
		case 13:
			acr = s.tenantACR[slotBeforeThat]
		}
		inWindow := k < 12
		var total Cents
		for i, j := 0, 0; i < len(rows); i++ {
			// The common case is that t is the next eligible customer (a
			// customer consumes every month), which one comparison confirms.
			// Else t is the one just counted, listed twice in the month (both
			// rows add), or further on, where integers find its place
			// wherever the ids' first bytes differ, and strings elsewhere.
			t, at := rows[i].TenantID, j
			switch {
			case j < len(elig) && t == elig[j]:
				j++
			case j > 0 && t == elig[j-1]:
				at = j - 1
			default:
				kt := prefixKey(t)
				for j < len(elig) && (keys[j] < kt || keys[j] == kt && elig[j] < t) {
					j++
				}
				if j == len(elig) || elig[j] != t {
					continue
				}
				at = j
				j++
			}
			var sum Cents
			if inWindow {
				for _, l := range rows[i].Lines {
					if l.Offer.Eligible() { // R-PCS-3
						sum += l.ACR
						if uint(l.Service) < uint(len(svc)) {
							svc[l.Service] += l.ACR
						}
					}
				}
			} else {
				for _, l := range rows[i].Lines {
					if l.Offer.Eligible() {
						sum += l.ACR
					}
				}
			}
			total += sum
			if acr != nil {
				acr[at] += sum
			}
		}
		s.totals[k] = total
	}
	return s
}

// prefixKey is a string's first 8 bytes as a big-endian integer, zero
// padded: where two keys differ, they order their strings as the strings
// order, so a merge of sorted ids compares integers and compares strings
// only on a tie.
func prefixKey(s string) uint64 {
	if len(s) < 8 {
		return shortKey(s)
	}
	return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
		uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
}

func shortKey(s string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

// eligibleCustomers keeps the tenants with USD 1,000 in either month alone
// (R-PCS-2): the two months are not added together.
func eligibleCustomers(elig []string, later, earlier []Cents, mLater, mEarlier Month) []EligibleCustomer {
	n := 0
	for j := range later {
		if later[j] >= eligibleCustomerMinACR || earlier[j] >= eligibleCustomerMinACR {
			n++
		}
	}
	out := make([]EligibleCustomer, 0, n)
	// One backing array for every customer's two months: a thousand tiny
	// slices would cost more than the counting itself.
	acr := make([]CustomerMonthACR, 2*n)
	for j := range later {
		if later[j] >= eligibleCustomerMinACR || earlier[j] >= eligibleCustomerMinACR {
			k := 2 * len(out)
			acr[k], acr[k+1] = CustomerMonthACR{mEarlier, earlier[j]}, CustomerMonthACR{mLater, later[j]}
			out = append(out, EligibleCustomer{TenantID: elig[j], ACR: acr[k : k+2 : k+2]})
		}
	}
	return out
}

// scoreNetAdds scores net customer adds.
//
// R-PCS-2: 10 points per eligible customer in M (USD 1,000 in M or M−1)
// more than in M−12 (USD 1,000 in M−12 or M−13), at most 30; fewer earn 0.
func scoreNetAdds(asOf Month, s *usageScan) MetricScore {
	in := &NetAddsInputs{
		LastMonth:               asOf,
		PreviousMonth:           asOf.AddMonths(-1),
		SameMonthLastYear:       asOf.AddMonths(-12),
		MonthBeforeThatLastYear: asOf.AddMonths(-13),
	}
	in.EligibleCustomers = eligibleCustomers(s.elig, s.tenantACR[slotLast], s.tenantACR[slotPrevious], in.LastMonth, in.PreviousMonth)
	in.EligibleCustomersLastYear = eligibleCustomers(s.elig, s.tenantACR[slotLastYear], s.tenantACR[slotBeforeThat], in.SameMonthLastYear, in.MonthBeforeThatLastYear)
	in.NetAdds = len(in.EligibleCustomers) - len(in.EligibleCustomersLastYear)
	// Negative net adds earn 0 (R-PCS-2).
	points := min(max(in.NetAdds, 0)*netAddPoints, netAddsMax)
	m := MetricScore{Metric: MetricNetCustomerAdds, Points: points, Max: netAddsMax, Inputs: in, Missing: []string{}}
	if points < netAddsMax {
		more := (netAddsMax + netAddPoints - 1) / netAddPoints // adds that reach the cap
		more -= in.NetAdds
		line := fmt.Sprintf("%d more eligible %s (%s qualifying ACR in %s or %s) for %s",
			more, plural(more, "customer", "customers"), FormatUSD(eligibleCustomerMinACR), in.LastMonth, in.PreviousMonth, morePoints(netAddsMax-points))
		if in.NetAdds < 0 {
			line += fmt.Sprintf(": net adds are %d (%d eligible now, %d in %s)",
				in.NetAdds, len(in.EligibleCustomers), len(in.EligibleCustomersLastYear), in.SameMonthLastYear)
		}
		m.Missing = append(m.Missing, line)
	}
	return m
}

// scoreGrowth scores usage growth over the whole qualifying base: the USD
// 1,000 customer bar of net adds does not apply here.
//
// R-PCS-6: 1 point per whole percent of growth of M's qualifying ACR over
// M−12's, at most 20, once M−11..M total USD 1,000; no growth earns 0.
//
// A base month (M−12) with no qualifying ACR gives 0 points and a null
// GrowthPercent: growth from nothing is undefined, and counting it as
// infinite would hand the full 20 points to any partner that merely started
// a year ago, which the metric (growth of existing usage) does not reward.
func scoreGrowth(asOf Month, s *usageScan) MetricScore {
	in := &GrowthInputs{
		LastMonth:             asOf,
		SameMonthLastYear:     asOf.AddMonths(-12),
		QualifyingACR:         s.totals[0],
		QualifyingACRLastYear: s.totals[12],
		Window:                MonthRange{From: asOf.AddMonths(-11), To: asOf},
	}
	for k := range 12 {
		in.Trailing12MonthsACR += s.totals[k]
	}
	m := MetricScore{Metric: MetricUsageGrowth, Max: growthMax, Inputs: in, Missing: []string{}}
	cur, base := in.QualifyingACR, in.QualifyingACRLastYear
	enough := in.Trailing12MonthsACR >= growthMinTrailingACR
	if !enough {
		m.Missing = append(m.Missing, fmt.Sprintf("%s of qualifying ACR over %s..%s before usage growth scores at all; %s so far",
			FormatUSD(growthMinTrailingACR), in.Window.From, in.Window.To, FormatUSD(in.Trailing12MonthsACR)))
	}
	if base <= 0 {
		m.Missing = append(m.Missing, fmt.Sprintf("usage growth cannot be computed without qualifying ACR in %s (same month last year) to grow from",
			in.SameMonthLastYear))
		return m
	}
	h := growthHundredths(cur, base)
	pct := float64(h) / 100
	in.GrowthPercent = &pct
	points := 0
	if h > 0 {
		points = int(min(h/100, growthMax)) // 1 point per whole 1 %
	}
	if enough {
		m.Points = points
	}
	if points < growthMax {
		// The smallest ACR with 20 % growth (cur*100 ≥ base*120), written so
		// that base*120 cannot overflow.
		target := base + base/100*growthMax + (base%100*growthMax+99)/100
		m.Missing = append(m.Missing, fmt.Sprintf("%s more qualifying ACR in %s (%s in all, %d %% over %s's %s) for %s",
			FormatUSD(target-cur), in.LastMonth, FormatUSD(target), growthMax, in.SameMonthLastYear, FormatUSD(base), morePoints(growthMax-m.Points)))
	}
	return m
}

// growthHundredths is (cur−base)×10000/base truncated toward zero, computed
// in integers because 19.99 % must give 19 points and a float could land on
// 19.989… or 20.000…1. The product goes through 128 bits: a base's cents
// times 10⁴ can pass int64.
func growthHundredths(cur, base Cents) int64 {
	diff := cur - base
	neg := diff < 0
	if neg {
		diff = -diff
	}
	hi, lo := bits.Mul64(uint64(diff), 10_000)
	q := uint64(math.MaxInt64)
	if hi < uint64(base) {
		q, _ = bits.Div64(hi, lo, uint64(base))
		q = min(q, math.MaxInt64)
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

// scoreDeployments scores deployments.
//
// R-PCS-7: 2 points per distinct Azure service with qualifying ACR over
// M−11..M, at most 10; Virtual Machines and their licences never count.
func scoreDeployments(asOf Month, u Usage, s *usageScan) MetricScore {
	in := &DeploymentsInputs{From: asOf.AddMonths(-11), To: asOf, Services: []Service{}, Excluded: excludedDeploymentServices}
	// The rule counts unique services, and Usage keys a service by its
	// spelling and group: "Azure SQL", "azure sql " and the same name under
	// two groups are one Azure service. Names are compared as
	// excludedDeployment compares them; the stable sort keeps the spelling
	// seen first in the usage data for display.
	type keyed struct {
		key string
		svc Service
	}
	var found []keyed
	for i, acr := range s.serviceACR {
		if acr > 0 && !excludedDeployment(u.Services[i].Name) {
			found = append(found, keyed{foldKey(u.Services[i].Name), u.Services[i]})
		}
	}
	slices.SortStableFunc(found, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	found = slices.CompactFunc(found, func(a, b keyed) bool { return a.key == b.key })
	for _, f := range found {
		in.Services = append(in.Services, f.svc)
	}
	n := len(in.Services)
	points := min(n*deploymentPoints, deploymentsMax)
	m := MetricScore{Metric: MetricDeployments, Points: points, Max: deploymentsMax, Inputs: in, Missing: []string{}}
	if points < deploymentsMax {
		more := (deploymentsMax - points + deploymentPoints - 1) / deploymentPoints
		m.Missing = append(m.Missing, fmt.Sprintf("%d more Azure %s (service level 2, not %s) with qualifying ACR in %s..%s for %s",
			more, plural(more, "service", "services"), strings.Join(excludedDeploymentServices, " or "), in.From, in.To, morePoints(deploymentsMax-points)))
	}
	return m
}

// foldKey is a name trimmed and case-folded so that two names have the same
// key exactly when strings.EqualFold matches them trimmed: each rune becomes
// the smallest of its case-folding orbit (unicode.SimpleFold), the
// comparison EqualFold makes rune by rune.
func foldKey(name string) string {
	return strings.Map(func(r rune) rune {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		return low
	}, strings.TrimSpace(name))
}

// excludedDeployment matches the VM services whatever case the partner's
// data used: service names come from partners' exports, not a fixed list.
func excludedDeployment(name string) bool {
	name = strings.TrimSpace(name)
	for _, x := range excludedDeploymentServices {
		if strings.EqualFold(name, x) {
			return true
		}
	}
	return false
}

func morePoints(n int) string { return fmt.Sprintf("%d more %s", n, plural(n, "point", "points")) }
