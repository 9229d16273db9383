package domain

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Action kinds of a Plan, one per lever a partner has on a metric.
const (
	ActionCertifyPeople        = "certify_people"         // skilling (R-PCS-4, R-PCS-5)
	ActionAddEligibleCustomers = "add_eligible_customers" // net customer adds (R-PCS-2)
	ActionGrowUsage            = "grow_usage"             // usage growth (R-PCS-6)
	ActionDeployServices       = "deploy_services"        // deployments (R-PCS-7)
)

// The plan's cost model, in effort units. It is a judgement, not program
// data: the program publishes points, not what they take. The units only
// rank actions against each other.
//
//   - Certifying a person in an associate, specialty or GitHub certification
//     is one exam after some weeks of study: 3.
//   - An expert certification is a harder exam that Microsoft gates behind
//     an associate one (Azure Solutions Architect Expert needs Azure
//     Administrator Associate): 5.
//   - One more eligible customer is a sale, or a customer grown to USD 1,000
//     of ACR in a month: the most expensive unit, 10, so that one customer
//     (10 points) costs as much as 10 points of growth.
//   - One percentage point of year-on-year usage growth across the whole base
//     is incremental consumption work: 1.
//   - One more Azure service with ACR at a customer is a small deployment,
//     cheaper than a customer but dearer than a point of growth: 2.
const (
	CostCertifyPerson      = 3
	CostCertifyExpert      = 5
	CostEligibleCustomer   = 10
	CostGrowthPercentPoint = 1
	CostDeployService      = 2
)

// levelExpert is catalog.LevelExpert, which domain cannot import.
const levelExpert = "expert"

// maxCandidates bounds Action.Candidates: a hint, not a roster.
const maxCandidates = 10

// Plan is the smallest set of concrete actions that attains an area's
// designation (R-PCS-1), cheapest first.
type Plan struct {
	Area Area  `json:"area"`
	AsOf Month `json:"asOf"`
	Completeness
	Attained bool `json:"attained"`
	Total    int  `json:"total"`
	// ProjectedTotal adds the actions' points to Total: the score once every
	// action is done as its description says (an added eligible customer
	// brings USD 1,000 of new qualifying ACR in AsOf, which usage growth
	// counts too; a deployed service brings no material ACR).
	ProjectedTotal int            `json:"projectedTotal"`
	Cost           int            `json:"cost"`      // effort units, the sum of the actions'
	Actions        []Action       `json:"actions"`   // [] when attained; cheapest-first order
	CostModel      map[string]int `json:"costModel"` // the unit cost of each action kind, so a client can see why
	// Reachable is whether the actions attain the designation as of AsOf on
	// the data the API holds. It is false when a metric is blocked, that is
	// no action in AsOf can give it the point R-PCS-1 asks of it, even when
	// what blocks it is only missing data (a base month never loaded): the
	// API cannot know what that data holds, nor what the metric will earn
	// once it is there, so it does not promise the designation on it.
	// Blocked then says what unblocks each metric, and Actions are the
	// partial plan: the cheapest actions on the metrics that can still move
	// that attain the designation once each blocked metric earns its
	// AssumedPoints (the fewest possible: 1 each when the rest can make up
	// 69). With no such plan at all, Actions is empty. Note explains, for a
	// human, whenever Reachable is false.
	Reachable bool            `json:"reachable"`
	Blocked   []BlockedMetric `json:"blocked"` // [] when no metric is blocked
	Note      string          `json:"note,omitempty"`
}

// BlockedMetric is a metric no action in AsOf can give a point (see
// Plan.Reachable) and what would unblock it: consumption to load for a
// month the API holds none of, a later AsOf at which it can score on the
// data held, or else (Reason) the catalogue or data the partner must fix.
type BlockedMetric struct {
	Metric             Metric `json:"metric"`
	Reason             string `json:"reason"`
	LoadConsumptionFor *Month `json:"loadConsumptionFor,omitempty"`
	FirstAsOf          *Month `json:"firstAsOf,omitempty"`
	// AssumedPoints is what the partial plan counts on from the metric once
	// it is unblocked, 0 when there is no plan. With several blocked metrics
	// only their sum matters, and this is one of the equal ways to split it.
	AssumedPoints int `json:"assumedPoints"`
}

// Action is one thing for the partner to do. Candidates, at most 10, are
// existing people not yet in the step, who could take the certification
// (ranked by candidates: those counted in another step of the area first) or,
// for add_eligible_customers, existing customers below the USD 1,000 bar
// (the closest first).
type Action struct {
	Kind           string   `json:"kind"`
	Metric         Metric   `json:"metric"`
	Count          int      `json:"count"`                    // people, customers, percentage points, services
	Certifications []string `json:"certifications,omitempty"` // any one of these (catalogue ids), for certify_people
	Step           int      `json:"step,omitempty"`
	Candidates     []string `json:"candidates,omitempty"`
	Target         string   `json:"target,omitempty"`
	Points         int      `json:"points"` // points this action adds
	Cost           int      `json:"cost"`
	Description    string   `json:"description"`
}

// CostModel is Plan.CostModel: the unit cost of each action kind, a
// certification priced by its catalogue level.
func CostModel() map[string]int {
	return map[string]int{
		ActionCertifyPeople + ".associate": CostCertifyPerson,
		ActionCertifyPeople + ".specialty": CostCertifyPerson,
		ActionCertifyPeople + ".github":    CostCertifyPerson,
		ActionCertifyPeople + ".expert":    CostCertifyExpert,
		ActionAddEligibleCustomers:         CostEligibleCustomer,
		ActionGrowUsage:                    CostGrowthPercentPoint,
		ActionDeployServices:               CostDeployService,
	}
}

// PlanArea answers "what is the cheapest way to 70?" for one area.
//
// For each metric it prices every points level reachable from the current
// one, then a small dynamic programme picks one level per metric that
// minimises the total cost subject to R-PCS-1 (≥ 70 points, ≥ 1 in every
// metric), ties going to fewer actions, then to more points.
//
// The metrics are not independent: an eligible customer the plan adds
// brings USD 1,000 of qualifying ACR (R-PCS-2), and in AsOf that ACR is also
// usage growth's numerator and part of its trailing 12 months (R-PCS-6). So
// the programme runs once per number k of customers added, with usage growth
// priced from the level those k customers already give, and the cheapest k
// wins (see choose). Each added customer is counted as exactly USD 1,000 of
// new qualifying ACR in AsOf, and its action says so where growth counts on
// it. The other levers are independent under the plan's own assumptions:
// within an area no certification is in two steps (catalog.ParseScoringRules
// rejects it), a deployed service needs ACR above zero and is assumed to
// bring none worth counting for growth, and growing usage is consumption
// across the existing base, not a way to qualify customers (that is
// add_eligible_customers, priced as a sale). No action lowers another metric.
//
// Actions are listed cheapest first, except that an action earning skilling
// points never precedes the prerequisite steps it waits for (R-PCS-4).
//
// The plan is stated against AsOf's data: the customers, ACR and services
// it asks for are those of AsOf (AsOf−1 too for a customer when usage
// growth does not count on its ACR). The months a score compares AsOf with
// (AsOf−12, AsOf−13) are taken as loaded: an action never changes them, and
// when one holds no consumption at all, the metric it blocks says to load it
// (see Plan.Reachable).
func PlanArea(rules ScoringRules, in ScoreInput, a Area) Plan {
	s := ScoreArea(rules, in, a)
	p := Plan{Area: a, AsOf: in.AsOf, Completeness: s.Completeness, Attained: s.Attained, Total: s.Total, ProjectedTotal: s.Total,
		Actions: []Action{}, CostModel: CostModel(), Reachable: true, Blocked: []BlockedMetric{}}
	if s.Attained {
		return p
	}
	ar := rules.area(a)
	if ar == nil {
		// ScoreArea never attains an area without rules; neither can a plan.
		p.Reachable = false
		p.Note = fmt.Sprintf("The scoring rules %q do not define the skilling steps of %s, so its designation cannot be assessed or planned.", rules.Version, a)
		return p
	}
	pl := &planner{rules: rules, in: in, ar: ar, score: s}
	pl.indexPeople()
	levels, choice, ok := pl.choose()
	for i, l := range levels {
		if l.blocked == nil {
			continue
		}
		b := *l.blocked
		if ok {
			b.AssumedPoints = l.options[choice[i]].points
		}
		p.Blocked = append(p.Blocked, b)
	}
	p.Reachable = ok && len(p.Blocked) == 0
	if !ok {
		p.Note = unreachableNote(ar.Name, in.AsOf, s, levels)
		return p
	}

	type keyed struct {
		Action
		key, metric int
	}
	var list []keyed
	for i, l := range levels {
		if l.blocked != nil {
			continue // its assumed points are no action's
		}
		o := l.options[choice[i]]
		p.ProjectedTotal += o.points - l.current
		p.Cost += o.cost
		if o.build == nil {
			continue
		}
		// An action that earns points comes after the prerequisites it
		// needs (R-PCS-4: no points before every prerequisite step is
		// met), so its place in the order is the dearest of them.
		gate := 0
		for _, act := range o.build() {
			k := max(act.Cost, gate)
			gate = k
			list = append(list, keyed{act, k, i})
		}
	}
	slices.SortStableFunc(list, func(x, y keyed) int {
		return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.metric, y.metric), cmp.Compare(x.Step, y.Step))
	})
	for _, k := range list {
		p.Actions = append(p.Actions, k.Action)
	}
	if !p.Reachable {
		p.Note = blockedNote(ar.Name, in.AsOf, p.Blocked, len(p.Actions) > 0)
	}
	return p
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

// unreachableNote explains why no plan attains the designation even with
// every blocked metric at its maximum: the metrics cannot reach 70 points.
func unreachableNote(name string, asOf Month, s AreaScore, levels []metricLevels) string {
	best, blocked := 0, false
	var reasons []string
	for i, l := range levels {
		if l.blocked != nil {
			best += s.Metrics[i].Max
			blocked = true
			reasons = append(reasons, l.blocked.Reason)
			continue
		}
		best += l.options[len(l.options)-1].points
		if l.stuck != "" {
			reasons = append(reasons, l.stuck)
		}
	}
	lead := fmt.Sprintf("at most %d points can be reached", best)
	if blocked {
		lead += ", even with each blocked metric at its maximum"
	}
	return fmt.Sprintf("%s cannot be attained as of %s, whatever else is done: %s.", name, asOf, strings.Join(append([]string{lead}, reasons...), "; "))
}

// blockedNote explains a partial plan: what blocks the metrics that no
// action can move, and what the actions attain once they are unblocked.
func blockedNote(name string, asOf Month, blocked []BlockedMetric, actions bool) string {
	var reasons, once, names []string
	sum := 0
	for _, b := range blocked {
		reasons = append(reasons, b.Reason)
		once = append(once, fmt.Sprintf("%s earns %s", metricName(b.Metric), quantity(b.AssumedPoints, "point", "points")))
		names = append(names, metricName(b.Metric))
		sum += b.AssumedPoints
	}
	until := joinAnd(once)
	if len(blocked) > 1 && sum > len(blocked) {
		// Only the sum matters; AssumedPoints splits it one way of many.
		until = fmt.Sprintf("%s earn %d points between them, at least 1 each", joinAnd(names), sum)
	}
	then := "The actions are the cheapest plan for the other metrics: with them the designation is attained once"
	if !actions {
		then = "The other metrics need no action: the designation is attained once"
	}
	return fmt.Sprintf("%s cannot be attained as of %s on the data held: %s. %s %s (R-PCS-1).",
		name, asOf, strings.Join(reasons, "; "), then, until)
}

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

// candidate is what ranks a person for a certification (see candidates).
type candidate struct {
	id     string
	inArea int // the steps of the area the person is counted in
	// lapsed: the person holds, or held, a certification of the area's steps
	// that no longer counts for them at the end of AsOf (expired, or retired
	// past its countsUntil, R-PCS-10).
	lapsed bool
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

func (pl *planner) indexPeople() {
	inArea := map[string]int{}
	pl.inMetric = map[Metric]map[string]int{}
	for _, m := range pl.score.Metrics {
		in, ok := m.Inputs.(*SkillingInputs)
		if !ok {
			continue
		}
		pl.inMetric[m.Metric] = map[string]int{}
		for _, st := range in.Steps {
			for _, id := range st.People {
				inArea[id]++
				pl.inMetric[m.Metric][id]++
			}
		}
	}
	areaCerts := map[string]bool{}
	for _, r := range pl.ar.Skilling {
		for _, st := range append(slices.Clip(r.Prerequisites), r.Scoring) {
			for _, id := range st.Certifications {
				areaCerts[id] = true
			}
		}
	}
	last := pl.in.AsOf.LastDay()
	byID := make(map[string]int, len(pl.in.Individuals))
	for i := range pl.in.Individuals {
		p := &pl.in.Individuals[i]
		k, seen := byID[p.ID]
		if !seen { // entries sharing an id are one person
			k = len(pl.people)
			byID[p.ID] = k
			pl.people = append(pl.people, candidate{id: p.ID, inArea: inArea[p.ID]})
		}
		for h := range p.Certifications {
			c := &p.Certifications[h]
			if areaCerts[c.ID] && !c.EarnedOn.After(last) && !(c.HeldOn(last) && pl.rules.CountsOn(c.ID, last)) {
				pl.people[k].lapsed = true
			}
		}
	}
	slices.SortFunc(pl.people, func(a, b candidate) int { return strings.Compare(a.id, b.id) })
}

// candidates lists up to maxCandidates people not in the step, the likeliest
// to take it first: those counted in the metric's other steps, then
// elsewhere in the area (they hold related certifications, Azure Solutions
// Architect Expert builds on Azure Administrator Associate, and a person may
// count in several steps, R-PCS-4), then those whose certification of the
// area lapsed or stopped counting (R-PCS-10), then everyone else, by id.
func (pl *planner) candidates(m Metric, step []string) []string {
	same := pl.inMetric[m]
	order := func(a, b candidate) int {
		return cmp.Or(cmp.Compare(same[b.id], same[a.id]), cmp.Compare(b.inArea, a.inArea), cmp.Compare(rank(b.lapsed), rank(a.lapsed)), strings.Compare(a.id, b.id))
	}
	// A bounded insertion keeps the roster unsorted: a large partner has
	// thousands of people and the hint needs ten.
	top := make([]candidate, 0, maxCandidates+1)
	for _, c := range pl.people {
		if _, in := slices.BinarySearch(step, c.id); in {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, c, order)
		if i == maxCandidates {
			continue
		}
		top = slices.Insert(top, i, c)
		top = top[:min(len(top), maxCandidates)]
	}
	ids := make([]string, len(top))
	for i, c := range top {
		ids[i] = c.id
	}
	return ids
}

func rank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// certChoice is the cheapest way to put one more person in a step: the
// step's certifications of the cheapest level that still count (R-PCS-10).
type certChoice struct {
	ids  []string
	cost int
}

func (pl *planner) cheapest(certs []string) certChoice {
	last := pl.in.AsOf.LastDay()
	var c certChoice
	for _, id := range certs {
		if !pl.rules.CountsOn(id, last) {
			continue
		}
		cost := CostCertifyPerson
		if pl.rules.Level != nil && pl.rules.Level(id) == levelExpert {
			cost = CostCertifyExpert
		}
		switch {
		case c.ids == nil || cost < c.cost:
			c = certChoice{[]string{id}, cost}
		case cost == c.cost:
			c.ids = append(c.ids, id)
		}
	}
	return c
}

// skilling prices R-PCS-4/R-PCS-5: the unmet prerequisite steps are a fixed
// cost before any point, then each person in the points step adds
// PointsPerPerson up to MaxPoints.
func (pl *planner) skilling(m MetricScore, r *SkillingRule, in *SkillingInputs) metricLevels {
	l := metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}}}
	what := fmt.Sprintf("%s %s", pl.ar.Name, metricName(m.Metric))
	type need struct {
		step, n int
		cert    certChoice
	}
	var needs []need
	fixed := 0
	for s, st := range r.Prerequisites {
		have := len(in.Steps[s].People)
		if have >= st.MinPeople {
			continue
		}
		c := pl.cheapest(st.Certifications)
		if c.ids == nil {
			l.stuck = fmt.Sprintf("no certification of step %d of %s counts in %s", s+1, what, pl.in.AsOf)
			return l
		}
		needs = append(needs, need{s, st.MinPeople - have, c})
		fixed += (st.MinPeople - have) * c.cost
	}
	sc := r.Scoring
	ps := len(r.Prerequisites)
	people := in.Steps[ps].People
	potential := 0
	if sc.PointsPerPerson > 0 {
		potential = min(len(people)*sc.PointsPerPerson, sc.MaxPoints)
	}
	c := pl.cheapest(sc.Certifications)

	option := func(k, level int) levelOption {
		o := levelOption{levelCost: levelCost{points: level, cost: fixed + k*c.cost, actions: len(needs)}}
		if k > 0 {
			o.actions++
		}
		o.build = func() []Action {
			var acts []Action
			for i, nd := range needs {
				a := Action{Kind: ActionCertifyPeople, Metric: m.Metric, Count: nd.n, Certifications: nd.cert.ids, Step: nd.step + 1,
					Candidates: pl.candidates(m.Metric, in.Steps[nd.step].People), Cost: nd.n * nd.cert.cost}
				have := len(in.Steps[nd.step].People)
				a.Description = fmt.Sprintf("Certify %d more %s in %s: step %d of %s needs %d and %d %s",
					nd.n, plural(nd.n, "person", "people"), pl.rules.certPhrase(nd.cert.ids), nd.step+1, what,
					r.Prerequisites[nd.step].MinPeople, have, hasIt(have, len(nd.cert.ids)))
				// The last prerequisite unlocks the points of the people
				// already in the points step (R-PCS-4).
				if i == len(needs)-1 && potential > 0 {
					a.Points = potential
					a.Description += fmt.Sprintf("; with every step before %d met, the %d %s already in step %d %s %d points",
						ps+1, len(people), plural(len(people), "person", "people"), ps+1, plural(len(people), "earns", "earn"), potential)
				}
				a.Description += "."
				acts = append(acts, a)
			}
			if k > 0 {
				pts := level - potential
				acts = append(acts, Action{Kind: ActionCertifyPeople, Metric: m.Metric, Count: k, Certifications: c.ids, Step: ps + 1,
					Candidates: pl.candidates(m.Metric, people), Points: pts, Cost: k * c.cost,
					Description: fmt.Sprintf("Certify %d more %s in %s: step %d of %s earns %d points a person, %d more in all.",
						k, plural(k, "person", "people"), pl.rules.certPhrase(c.ids), ps+1, what, sc.PointsPerPerson, pts)})
			}
			return acts
		}
		return o
	}
	if len(needs) > 0 && potential > 0 {
		l.options = append(l.options, option(0, potential))
	}
	if c.ids == nil || sc.PointsPerPerson <= 0 {
		if potential < sc.MaxPoints {
			l.stuck = fmt.Sprintf("no certification of step %d of %s counts in %s", ps+1, what, pl.in.AsOf)
		}
		return l
	}
	for k := 1; (len(people)+k-1)*sc.PointsPerPerson < sc.MaxPoints; k++ {
		l.options = append(l.options, option(k, min((len(people)+k)*sc.PointsPerPerson, sc.MaxPoints)))
	}
	return l
}

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
			formatUSD(eligibleCustomerMinACR), months)
		if in.NetAdds < 0 {
			desc += fmt.Sprintf("; net adds are %d now (%d eligible customers against %d in %s)", in.NetAdds, now, len(in.EligibleCustomersLastYear), in.SameMonthLastYear)
		}
		if gained == 0 && level == netAddsMax {
			desc += fmt.Sprintf("; net customer adds are already at their maximum of %d", netAddsMax)
		}
		if g.unlocked > 0 {
			desc += fmt.Sprintf("; %s %s..%s to the %s of qualifying ACR that usage growth needs to score at all, which unlocks its %d %s",
				plural(k, "it also brings", "they also bring"), g.in.Window.From, g.in.Window.To, formatUSD(growthMinTrailingACR),
				g.unlocked, plural(g.unlocked, "point", "points"))
		}
		target := fmt.Sprintf("%d eligible customers in %s..%s, against %d in %s..%s",
			now+k, in.PreviousMonth, in.LastMonth,
			len(in.EligibleCustomersLastYear), in.MonthBeforeThatLastYear, in.SameMonthLastYear)
		if g.lifted > 0 {
			desc += fmt.Sprintf("; counted as exactly %s of new qualifying ACR%s in %s (an existing customer adds only the ACR it gains), %s qualifying ACR in %s from %s to %s, %d %% over %s's %s, for %d more %s of usage growth",
				formatUSD(eligibleCustomerMinACR), plural(k, "", " each"), in.LastMonth, plural(k, "it raises", "they raise"), in.LastMonth, formatUSD(g.in.QualifyingACR), formatUSD(g.cur),
				g.percent, g.in.SameMonthLastYear, formatUSD(g.in.QualifyingACRLastYear), g.lifted, plural(g.lifted, "point", "points"))
			target += fmt.Sprintf(", each new one with %s of qualifying ACR in %s", formatUSD(eligibleCustomerMinACR), in.LastMonth)
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
				if offerCounts(ln.Offer) { // R-PCS-3
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
			now := formatUSD(cur)
			if added > 0 {
				now = fmt.Sprintf("%s (%s now and the %s the new eligible %s)", now, formatUSD(in.QualifyingACR), formatUSD(added),
					plural(k, "customer brings", "customers bring"))
			}
			return []Action{{Kind: ActionGrowUsage, Metric: m.Metric, Count: pp,
				Target: fmt.Sprintf("qualifying ACR in %s of at least %s (+%d %% over %s)", in.LastMonth, formatUSD(need), level, in.SameMonthLastYear),
				Points: level - from, Cost: pp * CostGrowthPercentPoint,
				Description: fmt.Sprintf("Grow qualifying ACR in %s from %s to at least %s, %d percentage %s more growth over %s's %s, for %d %s of usage growth.",
					in.LastMonth, now, formatUSD(need), pp, plural(pp, "point", "points"), in.SameMonthLastYear, formatUSD(base),
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
			if offerCounts(ln.Offer) {
				other += ln.ACR
			}
		}
	}
	if other > 0 {
		line += fmt.Sprintf("; %s of consumption in %s is from tenants that are not eligible customers: if the partner holds a CSP, DPOR or PAL (non-government) association with them, registering it gives usage growth its base",
			formatUSD(other), in.SameMonthLastYear)
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

// metricName is how descriptions and notes name a metric.
func metricName(m Metric) string {
	switch m {
	case MetricNetCustomerAdds:
		return "net customer adds"
	case MetricIntermediateCertifications:
		return "intermediate certifications"
	case MetricAdvancedCertifications:
		return "advanced certifications"
	case MetricUsageGrowth:
		return "usage growth"
	case MetricDeployments:
		return "deployments"
	}
	return string(m)
}
