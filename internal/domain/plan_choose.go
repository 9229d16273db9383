package domain

import (
	"fmt"
	"slices"
)

type planner struct {
	rules ScoringRules
	in    ScoreInput
	ar    *AreaRules
	score AreaScore
	// people is every person once, in id order; inMetric counts, per
	// skilling metric, the steps each person is counted in.
	people   []candidate
	inMetric map[Metric]map[string]int
}

// levels prices metric m with k eligible customers added (see choose);
// only net adds and usage growth depend on k.
func (pl *planner) levels(m MetricScore, k int) metricLevels {
	switch in := m.Inputs.(type) {
	case *NetAddsInputs:
		return pl.netAdds(m, in, k)
	case *SkillingInputs:
		for i := range pl.ar.Skilling {
			if pl.ar.Skilling[i].Metric == m.Metric {
				return blockedWhenStuck(m, pl.skilling(m, &pl.ar.Skilling[i], in),
					"so the catalogue needs their successor certifications")
			}
		}
	case *GrowthInputs:
		return pl.growth(m, in, k)
	case *DeploymentsInputs:
		return pl.deployments(m, in)
	}
	return blockedWhenStuck(m, metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}},
		stuck: fmt.Sprintf("%s has no known lever", metricName(m.Metric))}, "")
}

// blockedWhenStuck marks a metric whose levels, which do not depend on the
// customers added, stop short of a point: no action can unblock it.
func blockedWhenStuck(m MetricScore, l metricLevels, remedy string) metricLevels {
	if l.stuck == "" || l.options[len(l.options)-1].points >= 1 {
		return l
	}
	reason := fmt.Sprintf("%s cannot earn a point: %s", metricName(m.Metric), l.stuck)
	if remedy != "" {
		reason += ", " + remedy
	}
	l.blocked = &BlockedMetric{Metric: m.Metric, Reason: reason}
	return l
}

// choose runs chooseLevels once per number k of eligible customers added,
// net adds fixed at what k customers give and usage growth priced from the
// level their ACR in AsOf already reaches, and keeps the cheapest (then
// fewer actions, more points, fewer customers). It returns the levels of the
// chosen k, or, when nothing attains, those of the k that fills net adds,
// whose tops are the most every metric can reach (for the note).
//
// A blocked metric (metricLevels.blocked) is priced as free levels from 1 to
// its maximum that the plan assumes rather than buys (levelCost.assumed):
// the order puts fewer assumed points before any cost, so the plan counts
// on the least it must, 1 point per blocked metric (R-PCS-1) whenever the
// other metrics can make up the rest, and is the cheapest plan for that.
//
// k is bounded: k customers cost at least k × CostEligibleCustomer, so no k
// beyond the best cost found can win, unless the best still assumes more
// than the 1 point per blocked metric that cannot be avoided and a k up to
// the one that fills net adds could bring net adds points that assume less;
// and past the k that fills net adds, more customers only make growth
// cheaper, never reachable where it was not (with one customer the USD 1,000
// bar is met and growth can be bought up to its maximum), so with no plan
// found by then there is none.
func (pl *planner) choose() ([]metricLevels, []int, bool) {
	ms := pl.score.Metrics
	kNet := 0
	for _, m := range ms {
		if in, ok := m.Inputs.(*NetAddsInputs); ok {
			kNet = max(0, netAddsMax/netAddPoints-in.NetAdds)
		}
	}
	levels := make([]metricLevels, len(ms))
	unavoidable := 0 // assumed points no plan can do without: 1 per blocked metric
	for i, m := range ms {
		levels[i] = pl.levels(m, 0)
		if levels[i].blocked != nil {
			unavoidable++
		}
	}
	var (
		best       []metricLevels
		bestChoice []int
		bestTotal  levelCost
		found      bool
		note       []metricLevels
	)
	for k := 0; ; k++ {
		if (found && k*CostEligibleCustomer > bestTotal.cost && (bestTotal.assumed <= unavoidable || k > kNet)) || (!found && k > kNet) {
			break
		}
		ls := levels
		if k > 0 {
			ls = slices.Clone(levels)
			for i, m := range ms {
				switch m.Inputs.(type) {
				case *NetAddsInputs, *GrowthInputs:
					ls[i] = pl.levels(m, k)
				}
			}
		}
		if k == kNet {
			note = ls
		}
		ls = assumeBlocked(ls, ms)
		costs := make([][]levelCost, len(ls))
		for i, l := range ls {
			for _, o := range l.options {
				costs[i] = append(costs[i], o.levelCost)
			}
		}
		if c, total, ok := chooseLevels(costs, attainTotal); ok && (!found || total.better(bestTotal)) {
			best, bestChoice, bestTotal, found = ls, c, total, true
		}
	}
	if !found {
		return note, nil, false
	}
	return best, bestChoice, true
}

// assumeBlocked prices each blocked metric as the levels 1 to its maximum,
// assumed rather than bought (see choose); ls is left as it was.
func assumeBlocked(ls []metricLevels, ms []MetricScore) []metricLevels {
	out, cloned := ls, false
	for i, l := range ls {
		if l.blocked == nil {
			continue
		}
		if !cloned {
			out, cloned = slices.Clone(ls), true
		}
		opts := make([]levelOption, 0, ms[i].Max)
		for p := 1; p <= ms[i].Max; p++ {
			opts = append(opts, levelOption{levelCost: levelCost{points: p, assumed: p}})
		}
		out[i].options = opts
	}
	return out
}

// levelCost is what reaching one points level of a metric costs; assumed
// is the points of it a blocked metric is counted on for (see choose).
type levelCost struct {
	points, cost, actions, assumed int
}

// better is the plan's order: fewer assumed points, then cheaper, then
// fewer actions, then more points.
func (a levelCost) better(b levelCost) bool {
	if a.assumed != b.assumed {
		return a.assumed < b.assumed
	}
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	if a.actions != b.actions {
		return a.actions < b.actions
	}
	return a.points > b.points
}

type levelOption struct {
	levelCost
	build func() []Action // nil for a free option
}

// metricLevels is every points level a metric can reach, cheapest first;
// options[0] is free (the current level, or for net adds and usage growth
// what choose's k customers already give). stuck says why it can go no
// higher than its last option; blocked is set when that is no point at all,
// whatever the actions and however many customers are added.
type metricLevels struct {
	current int
	options []levelOption
	stuck   string
	blocked *BlockedMetric
}

// chooseLevels picks one option per metric with at least one point each and
// a total of at least target (R-PCS-1), minimising cost, then actions, then
// maximising points; it also returns the sums of the chosen options. Totals
// are capped at target: what lies beyond it only matters for the last
// tie-break, which the state carries.
func chooseLevels(metrics [][]levelCost, target int) ([]int, levelCost, bool) {
	type state struct {
		sum       levelCost
		ok        bool
		opt, prev int
	}
	n := len(metrics)
	dp := make([][]state, n+1)
	for i := range dp {
		dp[i] = make([]state, target+1)
	}
	dp[0][0].ok = true
	for i, opts := range metrics {
		for t, st := range dp[i] {
			if !st.ok {
				continue
			}
			for j, o := range opts {
				if o.points < 1 { // R-PCS-1: a point in every metric
					continue
				}
				nt := min(t+o.points, target)
				c := state{levelCost{st.sum.points + o.points, st.sum.cost + o.cost, st.sum.actions + o.actions, st.sum.assumed + o.assumed}, true, j, t}
				if cur := dp[i+1][nt]; !cur.ok || c.sum.better(cur.sum) {
					dp[i+1][nt] = c
				}
			}
		}
	}
	if !dp[n][target].ok {
		return nil, levelCost{}, false
	}
	choice := make([]int, n)
	for i, t := n, target; i > 0; i-- {
		choice[i-1] = dp[i][t].opt
		t = dp[i][t].prev
	}
	return choice, dp[n][target].sum, true
}
