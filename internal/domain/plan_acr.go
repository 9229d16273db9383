package domain

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// netAdds prices R-PCS-2 for k eligible customers added (see choose): each
// is 10 points, after negative net adds are made up (they earn 0, not
// less). Its action also claims the usage growth points the customers' ACR
// gives (customerGrowth), since choose prices growth from there.
func (pl *planner) netAdds(m MetricScore, in *NetAddsInputs, k int) metricLevels {
	if k == 0 {
		return metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}}}
	}
	level := min(max(in.NetAdds+k, 0)*netAddPoints, netAddsMax)
	o := levelOption{levelCost: levelCost{points: level, cost: k * CostEligibleCustomer, actions: 1}}
	o.build = func() []Action {
		gained := level - m.Points
		g := pl.customerGrowth(k)
		var gains []string
		if gained > 0 {
			gains = append(gains, fmt.Sprintf("%d points of net customer adds", gained))
		}
		if n := g.unlocked + g.lifted; n > 0 {
			gains = append(gains, fmt.Sprintf("%d %s of usage growth", n, plural(n, "point", "points")))
		}
		now := len(in.EligibleCustomers)
		months := fmt.Sprintf("%s or in %s", in.LastMonth, in.PreviousMonth)
		if g.lifted > 0 {
			// Only ACR in AsOf is growth's numerator (R-PCS-6).
			months = in.LastMonth.String()
		}
		desc := fmt.Sprintf("Add %d eligible %s for %s: %s with at least %s of qualifying ACR in %s, "+
			"under a CSP, DPOR or PAL association (PAL not for government subscriptions)",
			k, plural(k, "customer", "customers"), strings.Join(gains, " and "),
			plural(k, "a customer tenant (new, or an existing one below the bar)", "customer tenants (new, or existing ones below the bar), each"),
			FormatUSD(eligibleCustomerMinACR), months)
		if in.NetAdds < 0 {
			desc += fmt.Sprintf("; net adds are %d now (%d eligible customers against %d in %s)", in.NetAdds, now, len(in.EligibleCustomersLastYear), in.SameMonthLastYear)
		}
		if gained == 0 && level == netAddsMax {
			desc += fmt.Sprintf("; net customer adds are already at their maximum of %d", netAddsMax)
		}
		if g.unlocked > 0 {
			desc += fmt.Sprintf("; %s %s..%s to the %s of qualifying ACR that usage growth needs to score at all, which unlocks its %d %s",
				plural(k, "it also brings", "they also bring"), g.in.Window.From, g.in.Window.To, FormatUSD(growthMinTrailingACR),
				g.unlocked, plural(g.unlocked, "point", "points"))
		}
		target := fmt.Sprintf("%d eligible customers in %s..%s, against %d in %s..%s",
			now+k, in.PreviousMonth, in.LastMonth,
			len(in.EligibleCustomersLastYear), in.MonthBeforeThatLastYear, in.SameMonthLastYear)
		if g.lifted > 0 {
			desc += fmt.Sprintf("; counted as exactly %s of new qualifying ACR%s in %s (an existing customer adds only the ACR it gains), %s qualifying ACR in %s from %s to %s, %d %% over %s's %s, for %d more %s of usage growth",
				FormatUSD(eligibleCustomerMinACR), plural(k, "", " each"), in.LastMonth, plural(k, "it raises", "they raise"), in.LastMonth, FormatUSD(g.in.QualifyingACR), FormatUSD(g.cur),
				g.percent, g.in.SameMonthLastYear, FormatUSD(g.in.QualifyingACRLastYear), g.lifted, plural(g.lifted, "point", "points"))
			target += fmt.Sprintf(", each new one with %s of qualifying ACR in %s", FormatUSD(eligibleCustomerMinACR), in.LastMonth)
		}
		return []Action{{Kind: ActionAddEligibleCustomers, Metric: m.Metric, Count: k, Candidates: pl.belowBar(),
			Target: target, Points: gained + g.unlocked + g.lifted, Cost: k * CostEligibleCustomer, Description: desc + "."}}
	}
	return metricLevels{current: m.Points, options: []levelOption{o}}
}

// customerEffect is what k added eligible customers do to usage growth, each
// counted as exactly USD 1,000 of new qualifying ACR in AsOf: unlocked is the
// points the trailing-12-months bar withholds now (R-PCS-6), lifted the
// points their ACR adds to the growth percentage; cur and percent are
// AsOf's qualifying ACR and growth with them.
type customerEffect struct {
	in               *GrowthInputs
	cur              Cents
	percent          int64
	unlocked, lifted int
}

func (pl *planner) customerGrowth(k int) customerEffect {
	var e customerEffect
	now := 0
	for _, m := range pl.score.Metrics {
		if in, ok := m.Inputs.(*GrowthInputs); ok {
			e.in, now = in, m.Points
		}
	}
	if e.in == nil {
		return e
	}
	added := Cents(k) * eligibleCustomerMinACR
	base := e.in.QualifyingACRLastYear
	e.cur = e.in.QualifyingACR + added
	if base > 0 {
		e.percent = growthHundredths(e.cur, base) / 100
	}
	barMet := growthPoints(e.in.QualifyingACR, base, max(e.in.Trailing12MonthsACR, growthMinTrailingACR))
	e.unlocked = barMet - now
	e.lifted = growthPoints(e.cur, base, e.in.Trailing12MonthsACR+added) - barMet
	return e
}

// growthPoints is scoreGrowth's points for a qualifying ACR in AsOf, its base
// month and the trailing 12 months (R-PCS-6).
func growthPoints(cur, base, trailing Cents) int {
	if base <= 0 || trailing < growthMinTrailingACR {
		return 0
	}
	if h := growthHundredths(cur, base); h > 0 {
		return int(min(h/100, growthMax))
	}
	return 0
}

// belowBar lists existing customers with an eligible association whose
// qualifying ACR in AsOf or AsOf−1 is above zero but under USD 1,000: the
// customers an account manager would grow first. Closest first.
func (pl *planner) belowBar() []string {
	elig := eligibleTenants(pl.in.Customers)
	best := map[string]Cents{}
	for _, month := range []Month{pl.in.AsOf, pl.in.AsOf.AddMonths(-1)} {
		sum := map[string]Cents{}
		for _, row := range pl.in.Usage.Months[month] {
			if _, ok := slices.BinarySearch(elig, row.TenantID); !ok {
				continue
			}
			for _, ln := range row.Lines {
				if ln.Offer.Eligible() { // R-PCS-3
					sum[row.TenantID] += ln.ACR
				}
			}
		}
		for t, v := range sum {
			best[t] = max(best[t], v)
		}
	}
	var ids []string
	for t, v := range best {
		if v > 0 && v < eligibleCustomerMinACR {
			ids = append(ids, t)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(best[b], best[a]), strings.Compare(a, b)) })
	return ids[:min(len(ids), maxCandidates)]
}

// growth prices R-PCS-6 in percentage points of growth over the base month,
// which only AsOf's ACR can still change: the base month (AsOf−12) is taken
// as loaded (see PlanArea). It starts from the level that choose's k added
// customers already give
// (customerGrowth: their USD 1,000 each in AsOf is in the numerator and in
// the trailing 12 months), which their action claims; grow_usage prices
// the rest from the ACR they bring.
func (pl *planner) growth(m MetricScore, in *GrowthInputs, k int) metricLevels {
	l := metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}}}
	base := in.QualifyingACRLastYear
	if base <= 0 {
		l.blocked = pl.noGrowthBase(m, in)
		l.stuck = l.blocked.Reason
		return l
	}
	added := Cents(k) * eligibleCustomerMinACR
	cur, trailing := in.QualifyingACR+added, in.Trailing12MonthsACR+added
	from := growthPoints(cur, base, trailing)
	l.options[0].points = from
	if trailing < growthMinTrailingACR {
		// No customer has USD 1,000 in AsOf or AsOf−1 (both inside the 12
		// months), so net adds has no point and no plan with k = 0 attains
		// (R-PCS-1): there is nothing to price.
		return l
	}
	for level := from + 1; level <= growthMax; level++ {
		// The smallest ACR with level % growth (as in scoreGrowth's
		// missing line, without overflowing base×level).
		need := base + base/100*Cents(level) + (base%100*Cents(level)+99)/100
		pp := int(ceilMulDiv(need-cur, 100, base))
		o := levelOption{levelCost: levelCost{points: level, cost: pp * CostGrowthPercentPoint, actions: 1}}
		o.build = func() []Action {
			now := FormatUSD(cur)
			if added > 0 {
				now = fmt.Sprintf("%s (%s now and the %s the new eligible %s)", now, FormatUSD(in.QualifyingACR), FormatUSD(added),
					plural(k, "customer brings", "customers bring"))
			}
			return []Action{{Kind: ActionGrowUsage, Metric: m.Metric, Count: pp,
				Target: fmt.Sprintf("qualifying ACR in %s of at least %s (+%d %% over %s)", in.LastMonth, FormatUSD(need), level, in.SameMonthLastYear),
				Points: level - from, Cost: pp * CostGrowthPercentPoint,
				Description: fmt.Sprintf("Grow qualifying ACR in %s from %s to at least %s, %d percentage %s more growth over %s's %s, for %d %s of usage growth.",
					in.LastMonth, now, FormatUSD(need), pp, plural(pp, "point", "points"), in.SameMonthLastYear, FormatUSD(base),
					level-from, plural(level-from, "point", "points"))}}
		}
		l.options = append(l.options, o)
	}
	return l
}

// noGrowthBase explains a zero base month (R-PCS-6): growth from nothing
// scores 0, and no action in AsOf gives the base month ACR, so the metric is
// blocked for this AsOf. What unblocks it: consumption for the base month if
// the API holds none for it (it may never have been loaded: the API takes
// consumption for any month from EarliestMonth on), a later AsOf whose base
// month has qualifying ACR in the data held, or an association to register.
func (pl *planner) noGrowthBase(m MetricScore, in *GrowthInputs) *BlockedMetric {
	b := &BlockedMetric{Metric: m.Metric}
	line := fmt.Sprintf("usage growth cannot earn a point: there is no qualifying ACR in %s (the same month last year) to grow from", in.SameMonthLastYear)
	if base := in.SameMonthLastYear; len(pl.in.Usage.Months[base]) == 0 && !base.Before(EarliestMonth) {
		b.LoadConsumptionFor = &base
		line += fmt.Sprintf("; the API holds no consumption at all for %s: load consumption for %s (M−12), the base of usage growth, if the partner's customers consumed Azure then, and ask for the plan again (loading it may also change net customer adds, which count last year's eligible customers)",
			base, base)
	}
	scan := scanUsage(pl.in)
	// The first month after AsOf whose base month had qualifying ACR is
	// 12 months after the earliest such month of the window.
	first := -1
	for k := 11; k >= 0; k-- {
		if scan.totals[k] > 0 {
			first = k
			break
		}
	}
	if first >= 0 {
		at := in.LastMonth.AddMonths(12 - first)
		b.FirstAsOf = &at
		line += fmt.Sprintf("; on the data held it can first score as of %s, 12 months after the qualifying ACR of %s: ask for asOf %s then", at, in.LastMonth.AddMonths(-first), at)
	} else {
		line += fmt.Sprintf("; there is no qualifying ACR in %s..%s either: the partner needs consumption from an eligible customer (CSP, DPOR or PAL association, eligible offer), and usage growth can first score 12 months after the first month with some",
			in.Window.From, in.Window.To)
	}
	// The association, unlike the past, can change: it applies to every
	// month (ScoreInput.Customers), so a consumer not yet registered as an
	// eligible customer could still give growth its base.
	elig := eligibleTenants(pl.in.Customers)
	var other Cents
	for _, row := range pl.in.Usage.Months[in.SameMonthLastYear] {
		if _, ok := slices.BinarySearch(elig, row.TenantID); ok {
			continue
		}
		for _, ln := range row.Lines {
			if ln.Offer.Eligible() {
				other += ln.ACR
			}
		}
	}
	if other > 0 {
		line += fmt.Sprintf("; %s of consumption in %s is from tenants that are not eligible customers: if the partner holds a CSP, DPOR or PAL (non-government) association with them, registering it gives usage growth its base",
			FormatUSD(other), in.SameMonthLastYear)
	}
	b.Reason = line
	return b
}

// ceilMulDiv is ⌈a×m/d⌉ for a ≥ 0, m ≥ 0, d > 0, through 128 bits.
func ceilMulDiv(a Cents, m int64, d Cents) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(m))
	if hi >= uint64(d) {
		return 1<<63 - 1
	}
	q, r := bits.Div64(hi, lo, uint64(d))
	if r > 0 {
		q++
	}
	return int64(min(q, 1<<63-1))
}

// deployments prices R-PCS-7: 2 points per service more, up to 10. A
// service counts with any ACR above zero, so it is priced as a small
// deployment that brings no ACR usage growth would notice (see PlanArea).
func (pl *planner) deployments(m MetricScore, in *DeploymentsInputs) metricLevels {
	l := metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}}}
	have := len(in.Services)
	for k := 1; (have+k-1)*deploymentPoints < deploymentsMax; k++ {
		level := min((have+k)*deploymentPoints, deploymentsMax)
		o := levelOption{levelCost: levelCost{points: level, cost: k * CostDeployService, actions: 1}}
		o.build = func() []Action {
			return []Action{{Kind: ActionDeployServices, Metric: m.Metric, Count: k,
				Target: fmt.Sprintf("%d Azure services with qualifying ACR in %s..%s (%d now)", have+k, in.From, in.To, have),
				Points: level - m.Points, Cost: k * CostDeployService,
				Description: fmt.Sprintf("Deploy %d more Azure %s (service level 2, not %s) with qualifying ACR at customers in %s..%s for %d points of deployments; "+
					"any ACR above zero counts, and the plan assumes %s no material ACR, so it counts none towards usage growth.",
					k, plural(k, "service", "services"), strings.Join(excludedDeploymentServices, " or "), in.From, in.To, level-m.Points,
					plural(k, "it brings", "they bring"))}}
		}
		l.options = append(l.options, o)
	}
	return l
}
