package domain

// Metric is one line of an area's score (R-PCS-8).
type Metric string

const (
	MetricNetCustomerAdds            Metric = "net_customer_adds"
	MetricIntermediateCertifications Metric = "intermediate_certifications"
	MetricAdvancedCertifications     Metric = "advanced_certifications"
	MetricUsageGrowth                Metric = "usage_growth"
	MetricDeployments                Metric = "deployments"
)

// SkillingStep is one step of a skilling metric. A prerequisite step uses
// MinPeople; the scoring step uses PointsPerPerson and MaxPoints (R-PCS-4).
type SkillingStep struct {
	Certifications                        []string
	MinPeople, PointsPerPerson, MaxPoints int
}

// SkillingRule is one skilling metric of an area: points come only from
// Scoring, and only once every prerequisite step is met (R-PCS-4, R-PCS-5).
type SkillingRule struct {
	Metric        Metric
	Prerequisites []SkillingStep
	Scoring       SkillingStep
}

// AreaRules is an area's name and skilling metrics. The performance and
// customer-success metrics are the same for the three Azure areas (seed 003:
// "des exigences et des seuils courants"), so they are code, not data.
type AreaRules struct {
	Area     Area
	Name     string
	Skilling []SkillingRule
}

// ScoringRules is the versioned, data-driven part of the score: which
// certifications count where (catalog.LoadScoringRules builds it). Rules are
// read-only once built; scores share their slices.
type ScoringRules struct {
	Version string
	Areas   []AreaRules
	// CountsUntil is the last day a retired certification still earns
	// points, the catalogue's countsUntil (R-PCS-10); ok is false for one
	// that counts without an end. Nil means every certification counts.
	// CountsOn asks it.
	CountsUntil func(certID string) (until Date, ok bool)
	// RetiresOn is the day Microsoft retires a certification, after which
	// nobody can earn it (the catalogue's retiresOn); ok is false while it is
	// current. The score does not ask it (CountsUntil decides points);
	// readiness does (ReadinessInputFor). Nil: no certification retires.
	RetiresOn func(certID string) (day Date, ok bool)
	// Name is a certification's display name for the "missing" lines, so they
	// read like the rulebook; nil or "" falls back to the id.
	Name func(certID string) string
	// Level is a certification's catalogue level ("associate", "expert",
	// "specialty", "github", …), which PlanArea's cost model prices; nil
	// or "" is priced as an associate.
	Level func(certID string) string
}

// ScoreInput is everything a score is computed from.
type ScoreInput struct {
	// AsOf is the "last month" of the rules (R-PCS-9: a score is always as of a month).
	AsOf Month
	// Today is the day the data is read, on the caller's clock (UTC): it
	// decides whether AsOf is complete (CompletenessOf), which every answer
	// built from this input says. Zero: AsOf is taken as complete.
	Today       Date
	Individuals []Individual
	// Customers gives each tenant's association. The API keeps only a
	// customer's current association, not its history, so the current one is
	// applied to every month, M−13 included: a tenant that moved from PAL to
	// CSP counts as CSP last year too. A partner that drops a customer loses
	// its past consumption from the score, which is what Partner Center's
	// own recomputation does when an association is removed.
	Customers []Customer
	// Usage must hold at least ScoreWindow(AsOf); a month absent from it
	// counts as no consumption, and months outside it are ignored.
	Usage Usage
}

// AreaScore is one area's score. It is the API's response body as is.
type AreaScore struct {
	Area Area   `json:"area"`
	Name string `json:"name"`
	AsOf Month  `json:"asOf"`
	Completeness
	Total    int           `json:"total"`
	Attained bool          `json:"attained"`
	Metrics  []MetricScore `json:"metrics"`
}

// MetricScore is one metric's points and why: Inputs is the metric's own
// *…Inputs struct (what was counted), Missing what it takes to reach Max,
// [] (never null) at the maximum.
type MetricScore struct {
	Metric  Metric   `json:"metric"`
	Points  int      `json:"points"`
	Max     int      `json:"max"`
	Inputs  any      `json:"inputs"`
	Missing []string `json:"missing"`
}

// attainTotal is the designation's bar (R-PCS-1); each metric must
// also have at least one point.
const attainTotal = 70

// Score scores every area of Areas, in that order. The net adds, usage growth
// and deployments metrics are computed once for the three areas, and a
// step's people once for every step with the same certifications, so the
// results share Inputs and slices: treat them as read-only.
func Score(rules ScoringRules, in ScoreInput) []AreaScore {
	common := scoreCommon(in)
	areaRules := make([]*AreaRules, len(Areas))
	for i, a := range Areas {
		areaRules[i] = rules.area(a)
	}
	skills := scoreSkilling(rules, in, areaRules)
	out := make([]AreaScore, len(Areas))
	for i, a := range Areas {
		out[i] = assemble(a, areaRules[i], in, common, skills[i])
	}
	return out
}

// ScoreArea scores one area. An area the rules do not define is scored on the
// common metrics only and is never attained: without its skilling lists the
// score is incomplete, and a designation must not be claimed on it.
func ScoreArea(rules ScoringRules, in ScoreInput, a Area) AreaScore {
	ar := rules.area(a)
	skills := scoreSkilling(rules, in, []*AreaRules{ar})
	return assemble(a, ar, in, scoreCommon(in), skills[0])
}

// CountsOn reports whether a certification still earns points on day d.
//
// R-PCS-10: a retired certification earns points up to and including its
// CountsUntil (the catalogue's countsUntil), and not after it.
func (r ScoringRules) CountsOn(certID string, d Date) bool {
	if r.CountsUntil == nil {
		return true
	}
	until, ok := r.CountsUntil(certID)
	return !ok || !d.After(until)
}

func (r ScoringRules) area(a Area) *AreaRules {
	for i := range r.Areas {
		if r.Areas[i].Area == a {
			return &r.Areas[i]
		}
	}
	return nil
}

// assemble orders the metrics as R-PCS-8 lists them (performance,
// skilling, customer success) and applies R-PCS-1.
func assemble(a Area, ar *AreaRules, in ScoreInput, c commonScores, skills []MetricScore) AreaScore {
	s := AreaScore{Area: a, Name: string(a), AsOf: in.AsOf, Completeness: CompletenessOf(in.AsOf, in.Today)}
	if ar != nil {
		s.Name = ar.Name
	}
	// R-PCS-8: performance (net customer adds), then the area's skilling
	// metrics, then customer success (usage growth, deployments).
	s.Metrics = make([]MetricScore, 0, 3+len(skills))
	s.Metrics = append(s.Metrics, c.netAdds)
	s.Metrics = append(s.Metrics, skills...)
	s.Metrics = append(s.Metrics, c.growth, c.deployments)
	everyMetric := ar != nil
	for _, m := range s.Metrics {
		s.Total += m.Points
		if m.Points < 1 {
			everyMetric = false
		}
	}
	// R-PCS-1: 70 points AND at least one point in each metric.
	s.Attained = s.Total >= attainTotal && everyMetric
	return s
}
