package domain

import (
	"cmp"
	"fmt"
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
