package domain_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

// checkPlan holds every plan to its own arithmetic and to R-PCS-1.
func checkPlan(t *testing.T, in domain.ScoreInput, p domain.Plan) {
	t.Helper()
	s := domain.ScoreArea(rules, in, p.Area)
	if p.Total != s.Total || p.Attained != s.Attained || p.AsOf != in.AsOf {
		t.Errorf("plan says total %d attained %v, score says %d %v", p.Total, p.Attained, s.Total, s.Attained)
	}
	if p.Actions == nil || p.Blocked == nil || !reflect.DeepEqual(p.CostModel, domain.CostModel()) {
		t.Errorf("actions %v, blocked %v, cost model %v", p.Actions, p.Blocked, p.CostModel)
	}
	// A plan was found, whole or partial (Reachable's doc): a partial one
	// counts on each blocked metric for at least the point R-PCS-1 asks.
	assumed, planned := 0, p.Reachable
	for _, b := range p.Blocked {
		assumed += b.AssumedPoints
		planned = planned || b.AssumedPoints > 0
		if b.Reason == "" || (b.AssumedPoints < 1 && assumed > 0) {
			t.Errorf("blocked %+v", b)
		}
	}
	if p.Reachable == (len(p.Blocked) > 0) && p.Reachable {
		t.Errorf("reachable with blocked metrics %+v", p.Blocked)
	}
	if !p.Reachable && p.Note == "" {
		t.Errorf("unreachable plan without a note")
	}
	if !planned {
		if len(p.Actions) != 0 {
			t.Errorf("unreachable plan with %d actions, note %q", len(p.Actions), p.Note)
		}
		return
	}
	cost, points := 0, 0
	gate := map[domain.Metric]int{} // the last step seen per metric
	for i, a := range p.Actions {
		cost += a.Cost
		points += a.Points
		if a.Cost <= 0 || a.Count <= 0 || a.Description == "" || a.Points < 0 {
			t.Errorf("action %d: %+v", i, a)
		}
		if (a.Kind == domain.ActionCertifyPeople) != (a.Step > 0 && len(a.Certifications) > 0) {
			t.Errorf("action %d: step %d, certifications %v", i, a.Step, a.Certifications)
		}
		if a.Step > 0 && a.Step < gate[a.Metric] {
			t.Errorf("action %d: step %d of %s comes after step %d (R-PCS-4)", i, a.Step, a.Metric, gate[a.Metric])
		}
		gate[a.Metric] = a.Step
		if len(a.Candidates) > 10 {
			t.Errorf("action %d: %d candidates", i, len(a.Candidates))
		}
	}
	if cost != p.Cost {
		t.Errorf("cost %d, actions sum to %d", p.Cost, cost)
	}
	if p.Total+points != p.ProjectedTotal || (!p.Attained && p.ProjectedTotal+assumed < 70) {
		t.Errorf("projected %d (and %d assumed), actions give %d + %d", p.ProjectedTotal, assumed, p.Total, points)
	}
}

// planScenario carries a plan out in a scenario: new people with the first
// certification offered, new customers with USD 1,000 in M (the plan counts
// that ACR towards usage growth), extra ACR in M on Virtual Machines (no
// deployment) up to grow_usage's target, new services with USD 1 in M−2.
func planScenario(t *testing.T, in domain.ScoreInput, p domain.Plan) domain.Scenario {
	t.Helper()
	var s domain.Scenario
	anchor := ""
	for _, c := range in.Customers {
		if c.Association != domain.AssociationPAL || !c.Government {
			anchor = c.TenantID
			break
		}
	}
	if anchor == "" {
		anchor = tenant(799)
		s.AddCustomers = append(s.AddCustomers, customers(domain.AssociationCSPTier1, 799)...)
	}
	gi := metricOf(t, domain.ScoreArea(rules, in, p.Area), domain.MetricUsageGrowth).Inputs.(*domain.GrowthInputs)
	var added domain.Cents // the new customers' ACR in M
	for _, a := range p.Actions {
		if a.Kind == domain.ActionAddEligibleCustomers {
			added += domain.Cents(a.Count) * usd("1000")
		}
	}
	for i, a := range p.Actions {
		switch a.Kind {
		case domain.ActionCertifyPeople:
			for k := range a.Count {
				s.AddIndividuals = append(s.AddIndividuals, person(fmt.Sprintf("plan-%d-%d", i, k), a.Certifications[0]))
			}
		case domain.ActionAddEligibleCustomers:
			for k := range a.Count {
				n := 700 + 10*i + k
				s.AddCustomers = append(s.AddCustomers, customers(domain.AssociationCSPTier1, n)...)
				s.AddConsumption = append(s.AddConsumption, rec(n, 0, "Virtual Machines", domain.OfferCSP, "1000"))
			}
		case domain.ActionGrowUsage:
			// grow_usage's points start from the growth the new customers
			// give, the bar met (they or net adds' point bring USD 1,000).
			base := gi.QualifyingACRLastYear
			from := domain.Cents(0)
			if cur := gi.QualifyingACR + added; cur > base {
				from = min((cur-base)*100/base, 20)
			}
			level := from + domain.Cents(a.Points)
			need := base + (base*level+99)/100
			r := domain.ConsumptionRecord{TenantID: anchor, Month: asOf, ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute",
				Offer: domain.OfferSponsorship, ACR: need - gi.QualifyingACR - added}
			s.AddConsumption = append(s.AddConsumption, r)
			if !strings.Contains(a.Target, "of at least "+usdText(need)) {
				t.Errorf("target %q does not name %s", a.Target, usdText(need))
			}
		case domain.ActionDeployServices:
			for k := range a.Count {
				s.AddConsumption = append(s.AddConsumption, domain.ConsumptionRecord{TenantID: anchor, Month: asOf.AddMonths(-2),
					ServiceLevel2: fmt.Sprintf("Plan Service %d-%d", i, k), ServiceGroup: "Group", Offer: domain.OfferPAYG, ACR: usd("1")})
			}
		default:
			t.Fatalf("unknown action kind %q", a.Kind)
		}
	}
	return s
}

// usdText writes cents as the plan's text does ("USD 101,000", "USD 12.50").
func usdText(c domain.Cents) string {
	whole := fmt.Sprint(int64(c / 100))
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if c%100 != 0 {
		fmt.Fprintf(&b, ".%02d", int64(c%100))
	}
	return "USD " + b.String()
}

// unblockGrowth loads, after everything else is done, the base month usage
// growth lacks, sized so that growth earns exactly points: customers
// registered for it alone, each below the USD 1,000 of an eligible customer
// (so net adds do not move) and with nothing in M−11..M (so neither
// deployments nor the trailing 12 months do). It stands for the partner
// loading a month it had not.
func unblockGrowth(t *testing.T, in domain.ScoreInput, points int) domain.ScoreInput {
	t.Helper()
	g := metricOf(t, domain.ScoreArea(rules, in, domain.AreaDataAI), domain.MetricUsageGrowth).Inputs.(*domain.GrowthInputs)
	if g.QualifyingACRLastYear != 0 {
		t.Fatalf("growth already has a base of %s", g.QualifyingACRLastYear)
	}
	base := g.QualifyingACR * 100 / domain.Cents(100+points) // growth of points %, not points+1
	var s domain.Scenario
	for n := 0; base > 0; n++ {
		chunk := min(base, usd("999"))
		s.AddCustomers = append(s.AddCustomers, customers(domain.AssociationCSPTier1, 900+n)...)
		s.AddConsumption = append(s.AddConsumption, domain.ConsumptionRecord{TenantID: tenant(900 + n), Month: asOf.AddMonths(-12),
			ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferCSP, ACR: chunk})
		base -= chunk
	}
	out, errs := s.Apply(in)
	if errs != nil {
		t.Fatalf("unblock scenario: %v", errs)
	}
	if got := metricOf(t, domain.ScoreArea(rules, out, domain.AreaDataAI), domain.MetricUsageGrowth).Points; got != points {
		t.Fatalf("the loaded base gives %d points of growth, want %d", got, points)
	}
	return out
}

// assumedGrowth is what a partial plan counts on from usage growth.
func assumedGrowth(t *testing.T, p domain.Plan) int {
	t.Helper()
	for _, b := range p.Blocked {
		if b.Metric != domain.MetricUsageGrowth {
			t.Fatalf("blocked %s: only usage growth can be unblocked here", b.Metric)
		}
		return b.AssumedPoints
	}
	return 0
}

// carryOut applies the plan (and, for a partial plan, loads the base month
// usage growth lacks, for exactly its assumed points) and checks the
// designation is attained with at least the projected total.
func carryOut(t *testing.T, in domain.ScoreInput, p domain.Plan) {
	t.Helper()
	after, errs := planScenario(t, in, p).Apply(in)
	if errs != nil {
		t.Fatalf("plan scenario: %v", errs)
	}
	assumed := assumedGrowth(t, p)
	if assumed > 0 {
		after = unblockGrowth(t, after, assumed)
	}
	s := domain.ScoreArea(rules, after, p.Area)
	if !s.Attained || s.Total < p.ProjectedTotal+assumed {
		var pts []string
		for _, m := range s.Metrics {
			pts = append(pts, fmt.Sprintf("%s=%d", m.Metric, m.Points))
		}
		t.Errorf("after the plan: total %d (projected %d) attained %v: %s", s.Total, p.ProjectedTotal, s.Attained, strings.Join(pts, " "))
	}
}

// R-PCS-1: an attained designation needs no action.
func TestPlan_AttainedIsEmpty(t *testing.T) {
	in := dataAI(3, 10, 20, 5)
	p := domain.PlanArea(rules, in, domain.AreaDataAI)
	checkPlan(t, in, p)
	if !p.Attained || !p.Reachable || len(p.Actions) != 0 || p.Cost != 0 || p.ProjectedTotal != 100 || p.Note != "" {
		t.Errorf("attained partner's plan %+v", p)
	}
	b, _ := json.Marshal(p)
	if !strings.Contains(string(b), `"actions":[]`) || !strings.Contains(string(b), `"costModel":{"add_eligible_customers":10,`) || strings.Contains(string(b), "note") {
		t.Errorf("JSON %s", b)
	}
}

// noBase is in without its consumption in M−12: the base month of usage
// growth never loaded.
func noBase(in domain.ScoreInput) domain.ScoreInput {
	var keep []domain.ConsumptionRecord
	for _, r := range in.Usage.Records() {
		if r.Month != asOf.AddMonths(-12) {
			keep = append(keep, r)
		}
	}
	in.Usage = domain.NewUsage(keep)
	return in
}

// With no qualifying ACR in M−12 usage growth cannot score, and no action in
// M gives it a base, so the designation is not reachable on the data held;
// the plan says which month to load or which later asOf to ask for, and
// plans the other metrics (R-PCS-6, R-PCS-1).
func TestPlan_NoGrowthBase(t *testing.T) {
	blocked := func(t *testing.T, p domain.Plan) domain.BlockedMetric {
		t.Helper()
		if p.Reachable || p.Attained || len(p.Blocked) != 1 || p.Blocked[0].Metric != domain.MetricUsageGrowth {
			t.Fatalf("plan %+v", p)
		}
		return p.Blocked[0]
	}
	t.Run("a partner with nothing", func(t *testing.T) {
		in := domain.ScoreInput{AsOf: asOf}
		p := domain.PlanArea(rules, in, domain.AreaDataAI)
		checkPlan(t, in, p)
		b := blocked(t, p)
		if b.LoadConsumptionFor == nil || b.LoadConsumptionFor.String() != "2025-10" || b.FirstAsOf != nil || b.AssumedPoints != 1 {
			t.Errorf("blocked %+v", b)
		}
		for _, want := range []string{"Data & AI cannot be attained as of 2026-10 on the data held: usage growth cannot earn a point:",
			"no qualifying ACR in 2025-10", "load consumption for 2025-10 (M−12), the base of usage growth", "no qualifying ACR in 2025-11..2026-10 either",
			"first score 12 months after", "with them the designation is attained once usage growth earns 1 point (R-PCS-1)."} {
			if !strings.Contains(p.Note, want) {
				t.Errorf("note %q lacks %q", p.Note, want)
			}
		}
		if strings.Contains(p.Note, "past month") {
			t.Errorf("note %q: the API takes consumption for past months", p.Note)
		}
		// Every other metric is planned, to 70 (69 would do, but no mix of
		// 10s, 4s and 2s from nothing lands there for less): 2 customers,
		// both prerequisite steps and 10 people, 5 services.
		want := []string{"certify_people×2", "certify_people×2", "deploy_services×5", "add_eligible_customers×2", "certify_people×10"}
		if got := kinds(p); !slices.Equal(got, want) || p.ProjectedTotal != 70 {
			t.Errorf("partial plan %q projected %d, want %q and 70", got, p.ProjectedTotal, want)
		}
		carryOut(t, in, p)
	})
	t.Run("consumption that started within the year", func(t *testing.T) {
		in := noBase(dataAI(3, 10, 0, 5))
		in.Usage = domain.NewUsage(append(in.Usage.Records(), rec(0, 8, "Virtual Machines", domain.OfferPAYG, "10"), rec(0, 5, "Virtual Machines", domain.OfferPAYG, "10")))
		p := domain.PlanArea(rules, in, domain.AreaDataAI)
		checkPlan(t, in, p)
		b := blocked(t, p)
		if b.FirstAsOf == nil || b.FirstAsOf.String() != "2027-02" || b.LoadConsumptionFor == nil || b.LoadConsumptionFor.String() != "2025-10" {
			t.Errorf("blocked %+v", b)
		}
		if !strings.Contains(p.Note, "load consumption for 2025-10 (M−12)") ||
			!strings.Contains(p.Note, "on the data held it can first score as of 2027-02, 12 months after the qualifying ACR of 2026-02: ask for asOf 2027-02 then") ||
			!strings.Contains(p.Note, "The other metrics need no action: the designation is attained once usage growth earns 1 point") {
			t.Errorf("note %q", p.Note)
		}
		// 80 points without growth: nothing to do but unblock it.
		if len(p.Actions) != 0 || p.Cost != 0 || p.ProjectedTotal != 80 {
			t.Errorf("actions %q cost %d projected %d", kinds(p), p.Cost, p.ProjectedTotal)
		}
		carryOut(t, in, p)
	})
	t.Run("a base month loaded with no qualifying ACR", func(t *testing.T) {
		// Consumption in M−12 under an ineligible offer only: the month was
		// loaded, so there is nothing to load, only a later asOf.
		in := noBase(dataAI(3, 10, 0, 5))
		in.Usage = domain.NewUsage(append(in.Usage.Records(), rec(0, 12, "Virtual Machines", domain.OfferTrial, "500")))
		b := blocked(t, domain.PlanArea(rules, in, domain.AreaDataAI))
		// dataAI's services consume in M−2, the earliest month with qualifying ACR.
		if b.LoadConsumptionFor != nil || b.FirstAsOf == nil || b.FirstAsOf.String() != "2027-08" {
			t.Errorf("blocked %+v", b)
		}
	})
	t.Run("a base month the API cannot hold", func(t *testing.T) {
		// As of 2015-06, M−12 is 2014-06, before the first month held.
		in := domain.ScoreInput{AsOf: domain.MustMonth("2015-06")}
		if b := blocked(t, domain.PlanArea(rules, in, domain.AreaDataAI)); b.LoadConsumptionFor != nil || strings.Contains(b.Reason, "load consumption") {
			t.Errorf("blocked %+v", b)
		}
	})
	t.Run("consumption of tenants that are not eligible customers", func(t *testing.T) {
		in := domain.ScoreInput{AsOf: asOf, Customers: []domain.Customer{{TenantID: tenant(1), Association: domain.AssociationPAL, Government: true}},
			Usage: domain.NewUsage([]domain.ConsumptionRecord{rec(1, 12, "Azure SQL Database", domain.OfferPAYG, "2500"), rec(2, 12, "Azure SQL Database", domain.OfferPAYG, "500")})}
		p := domain.PlanArea(rules, in, domain.AreaInfrastructure)
		checkPlan(t, in, p)
		if b := blocked(t, p); b.LoadConsumptionFor != nil || !strings.Contains(p.Note, "USD 3,000 of consumption in 2025-10 is from tenants that are not eligible customers") {
			t.Errorf("blocked %+v note %q", b, p.Note)
		}
	})
	t.Run("rules without the area", func(t *testing.T) {
		p := domain.PlanArea(domain.ScoringRules{Version: "v"}, dataAI(3, 10, 20, 5), domain.AreaDataAI)
		if p.Reachable || p.Attained || !strings.Contains(p.Note, "do not define the skilling steps") || len(p.Blocked) != 0 {
			t.Errorf("plan %+v", p)
		}
	})
}

// A step whose every certification stopped counting blocks its metric
// until the catalogue lists successors; the other metrics are still
// planned, and the blocked one is counted on for the 1 point every metric
// needs (R-PCS-10, R-PCS-4, R-PCS-1).
func TestPlan_StepWithNothingThatCounts(t *testing.T) {
	retired := rules
	retired.CountsUntil = func(id string) (domain.Date, bool) {
		if id == network || id == "windows-server-hybrid-administrator-associate" {
			return domain.MustDate("2025-12-31"), true
		}
		return rules.CountsUntil(id)
	}
	in := partner(3, 20, 5, staff("a", admin, 2), staff("n", network, 5), staff("x", architect, 2), staff("v", avd, 3))
	p := domain.PlanArea(retired, in, domain.AreaInfrastructure)
	if p.Reachable || len(p.Blocked) != 1 || p.Blocked[0].Metric != domain.MetricIntermediateCertifications || p.Blocked[0].AssumedPoints != 1 ||
		!strings.Contains(p.Blocked[0].Reason, "intermediate certifications cannot earn a point: no certification of step 2 of Infrastructure intermediate certifications counts in 2026-10, so the catalogue needs their successor certifications") {
		t.Fatalf("plan %+v", p)
	}
	// 72 points without it: advanced (12) needs no action to reach 69.
	if len(p.Actions) != 0 || p.ProjectedTotal != 72 {
		t.Errorf("actions %q projected %d", kinds(p), p.ProjectedTotal)
	}
	if p.Blocked[0].LoadConsumptionFor != nil || p.Blocked[0].FirstAsOf != nil {
		t.Errorf("no data or month unblocks the catalogue: %+v", p.Blocked[0])
	}

	// Both skilling metrics blocked and net adds at 0: net adds, growth and
	// deployments reach 60 at most, so the plan counts on 10 points from the
	// two, the fewest it can, and buys the 3 customers that fill net adds
	// though fewer would cost less.
	retired.CountsUntil = func(id string) (domain.Date, bool) {
		switch id {
		case network, "windows-server-hybrid-administrator-associate", avd, "azure-for-sap-workloads-specialty":
			return domain.MustDate("2025-12-31"), true
		}
		return rules.CountsUntil(id)
	}
	in = partner(0, 20, 5, staff("a", admin, 2), staff("x", architect, 2))
	p = domain.PlanArea(retired, in, domain.AreaInfrastructure)
	assumed := 0
	for _, b := range p.Blocked {
		assumed += b.AssumedPoints
		if b.AssumedPoints < 1 {
			t.Errorf("blocked %+v", b)
		}
	}
	if p.Reachable || len(p.Blocked) != 2 || assumed != 10 || !slices.Equal(kinds(p), []string{"add_eligible_customers×3"}) ||
		!strings.Contains(p.Note, "once intermediate certifications and advanced certifications earn 10 points between them, at least 1 each (R-PCS-1).") {
		t.Errorf("actions %q, blocked %+v, note %q", kinds(p), p.Blocked, p.Note)
	}
}

// A partner with only a growth base: every metric needs an action, and
// Data & AI's prerequisites come before its points (R-PCS-4).
func TestPlan_FromAlmostNothing(t *testing.T) {
	in := partner(0, 0, 0)
	for _, a := range domain.Areas {
		t.Run(string(a), func(t *testing.T) {
			p := domain.PlanArea(rules, in, a)
			checkPlan(t, in, p)
			if !p.Reachable || p.Note != "" || p.ProjectedTotal < 70 {
				t.Fatalf("plan %+v", p)
			}
			carryOut(t, in, p)
		})
	}
	p := domain.PlanArea(rules, in, domain.AreaDataAI)
	var got []string
	for _, a := range p.Actions {
		got = append(got, fmt.Sprintf("%s/%d×%d=%d@%d", a.Metric, a.Step, a.Count, a.Points, a.Cost))
	}
	// Cheapest first: the administrators (6), 4 services (8), the
	// architects (experts, 10), then 2 customers (20), whose USD 2,000 in M
	// is also 2 % of growth on USD 100,000 (R-PCS-6): 22 points for 20,
	// where 1 customer, 9 points of growth and a fifth service cost 21 for
	// the same 70. The 10 people of step 3 (30) last, after both
	// prerequisites (R-PCS-4) that together unlock nothing yet.
	want := []string{"intermediate_certifications/1×2=0@6", "deployments/0×4=8@8", "intermediate_certifications/2×2=0@10",
		"net_customer_adds/0×2=22@20", "intermediate_certifications/3×10=40@30"}
	if !slices.Equal(got, want) || p.Cost != 74 {
		t.Errorf("Data & AI actions %q cost %d, want %q and 74", got, p.Cost, want)
	}
	if !slices.Equal(p.Actions[0].Certifications, []string{admin}) || !slices.Equal(p.Actions[2].Certifications, []string{architect}) {
		t.Errorf("prerequisite certifications %v, %v", p.Actions[0].Certifications, p.Actions[2].Certifications)
	}
}

// R-PCS-4: the one missing step-1 person unlocks the points already in step 2.
func TestPlan_OneAdministratorMissing(t *testing.T) {
	in := partner(3, 20, 5, staff("a", admin, 1), staff("n", network, 5), staff("x", architect, 2), staff("v", avd, 5))
	s := domain.ScoreArea(rules, in, domain.AreaInfrastructure)
	if s.Total != 80 || s.Attained {
		t.Fatalf("fixture: total %d attained %v", s.Total, s.Attained)
	}
	p := domain.PlanArea(rules, in, domain.AreaInfrastructure)
	checkPlan(t, in, p)
	want := domain.Action{
		Kind: domain.ActionCertifyPeople, Metric: domain.MetricIntermediateCertifications, Count: 1,
		Certifications: []string{admin}, Step: 1,
		// Counted in step 2 of the same metric first, then elsewhere in the area.
		Candidates: []string{"n1", "n2", "n3", "n4", "n5", "v1", "v2", "v3", "v4", "v5"},
		Points:     20, Cost: 3,
		Description: "Certify 1 more person in Azure Administrator Associate: step 1 of Infrastructure intermediate certifications needs 2 and 1 has it; " +
			"with every step before 2 met, the 5 people already in step 2 earn 20 points.",
	}
	if len(p.Actions) != 1 || !reflect.DeepEqual(p.Actions[0], want) {
		t.Errorf("actions\n%+v\nwant\n%+v", p.Actions, want)
	}
	if p.Cost != 3 || p.ProjectedTotal != 100 || !p.Reachable {
		t.Errorf("cost %d projected %d reachable %v", p.Cost, p.ProjectedTotal, p.Reachable)
	}
	carryOut(t, in, p)
}

// Every person not yet in a step is a candidate for it, not only those
// counted elsewhere in the area: p4 holds nothing that counts, only Azure Data
// Scientist Associate, a step-3 certification that stopped counting on
// 2026-06-01, and comes after the people counted in the metric's other steps
// and before q1, who holds nothing of the area (R-PCS-4, R-PCS-10).
func TestPlan_CandidatesIncludeEveryoneNotInTheStep(t *testing.T) {
	in := partner(3, 0, 5, staff("a", admin, 2), staff("x", architect, 2), staff("p", analyst, 3),
		[]domain.Individual{person("p4", "azure-data-scientist-associate"), {ID: "q1", DisplayName: "q1"}})
	p := domain.PlanArea(rules, in, domain.AreaDataAI)
	checkPlan(t, in, p)
	var step3 *domain.Action
	for i, a := range p.Actions {
		if a.Kind == domain.ActionCertifyPeople && a.Step == 3 {
			step3 = &p.Actions[i]
		}
	}
	if step3 == nil {
		t.Fatalf("no step-3 action in %q", kinds(p))
	}
	if want := []string{"a1", "a2", "x1", "x2", "p4", "q1"}; !slices.Equal(step3.Candidates, want) {
		t.Errorf("step-3 candidates %q, want %q", step3.Candidates, want)
	}
	carryOut(t, in, p)
}

func kinds(p domain.Plan) []string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, fmt.Sprintf("%s×%d", a.Kind, a.Count))
	}
	return out
}

// The DP spends on the cheapest points, yet never leaves a metric at 0 (R-PCS-1).
func TestPlan_PrefersCheaperMetrics(t *testing.T) {
	tests := []struct {
		name                         string
		netAdds, people, growth, svc int
		wantKinds                    []string
		wantCost                     int
	}{
		// 66 points, deployments at 0: two services (cost 4) beat one
		// service and one person (5) or a customer (12).
		{"deployments over net adds", 1, 9, 20, 0, []string{"deploy_services×2"}, 4},
		// 64 points, net adds at 0: the dearest metric must still get its point.
		{"every metric gets a point", 0, 10, 20, 2, []string{"add_eligible_customers×1"}, 10},
		// 69 points: one point of growth (1) beats a service (2) or a person (3).
		{"one percentage point", 3, 8, 3, 2, []string{"grow_usage×1"}, 1},
		// 20 points: 2 customers (20 for 20 points of net adds and, with
		// their USD 2,000 in M, 2 of growth), 5 people (15, the cheapest
		// points at 3 for 4) and 4 services (8).
		{"everything short", 0, 5, 0, 0, []string{"deploy_services×4", "certify_people×5", "add_eligible_customers×2"}, 43},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := dataAI(tt.netAdds, tt.people, tt.growth, tt.svc)
			p := domain.PlanArea(rules, in, domain.AreaDataAI)
			checkPlan(t, in, p)
			if tt.wantKinds != nil && !slices.Equal(kinds(p), tt.wantKinds) {
				t.Errorf("actions %q, want %q", kinds(p), tt.wantKinds)
			}
			if p.Cost != tt.wantCost {
				t.Errorf("cost %d, want %d (%q)", p.Cost, tt.wantCost, kinds(p))
			}
			carryOut(t, in, p)
		})
	}
}

// The costs are the catalogue's levels: experts 5, the rest 3, and a step's
// cheapest certifications are the ones offered; retired ones never are (R-PCS-10).
func TestPlan_CertificationLevelsAndRetirement(t *testing.T) {
	in := partner(3, 20, 5, staff("a", admin, 2), staff("x", architect, 2))
	p := domain.PlanArea(rules, in, domain.AreaDigitalAppInnovation)
	checkPlan(t, in, p)
	for _, a := range p.Actions {
		switch a.Metric {
		case domain.MetricAdvancedCertifications:
			// DevOps Engineer Expert and Power Platform Solution Architect Expert cost more.
			if !slices.Equal(a.Certifications, []string{"github-actions", "github-administration", "github-advanced-security", "github-copilot"}) || a.Cost != 3*a.Count {
				t.Errorf("advanced: %v at %d", a.Certifications, a.Cost)
			}
		case domain.MetricIntermediateCertifications:
			// Azure Developer Associate retired on 2026-07-31.
			if slices.Contains(a.Certifications, "azure-developer-associate") || !slices.Contains(a.Certifications, ppdev) {
				t.Errorf("intermediate: %v", a.Certifications)
			}
		}
	}
	if !strings.Contains(p.Actions[0].Description, "GitHub Actions") && !strings.Contains(p.Actions[0].Description, "Power Platform Developer Associate") {
		t.Errorf("descriptions use catalogue names: %q", p.Actions[0].Description)
	}

	dai := domain.PlanArea(rules, partner(3, 20, 5, staff("a", admin, 2)), domain.AreaDataAI)
	if a := dai.Actions[0]; a.Step != 2 || a.Count != 2 || a.Cost != 10 || !slices.Equal(a.Certifications, []string{architect}) || !slices.Equal(a.Candidates, []string{"a1", "a2"}) {
		t.Errorf("Data & AI step 2: %+v", a)
	}
	for _, a := range dai.Actions {
		if a.Step == 3 && (slices.Contains(a.Certifications, "azure-data-scientist-associate") || slices.Contains(a.Certifications, "azure-ai-engineer-associate")) {
			t.Errorf("retired certifications offered: %v", a.Certifications)
		}
	}
}

// R-PCS-6: grow_usage's targets are the smallest ACR in M for each point.
func TestPlan_GrowthTargets(t *testing.T) {
	t.Run("one point", func(t *testing.T) {
		in := dataAI(3, 10, 0, 5)
		p := domain.PlanArea(rules, in, domain.AreaDataAI)
		checkPlan(t, in, p)
		want := domain.Action{Kind: domain.ActionGrowUsage, Metric: domain.MetricUsageGrowth, Count: 1, Points: 1, Cost: 1,
			Target:      "qualifying ACR in 2026-10 of at least USD 101,000 (+1 % over 2025-10)",
			Description: "Grow qualifying ACR in 2026-10 from USD 100,000 to at least USD 101,000, 1 percentage point more growth over 2025-10's USD 100,000, for 1 point of usage growth."}
		if len(p.Actions) != 1 || !reflect.DeepEqual(p.Actions[0], want) {
			t.Errorf("actions %+v", p.Actions)
		}
		carryOut(t, in, p)
	})
	t.Run("negative growth is made up first", func(t *testing.T) {
		in := dataAI(3, 10, -10, 5)
		p := domain.PlanArea(rules, in, domain.AreaDataAI)
		checkPlan(t, in, p)
		if len(p.Actions) != 1 || p.Actions[0].Count != 11 || p.Actions[0].Points != 1 || p.Actions[0].Cost != 11 ||
			p.Actions[0].Target != "qualifying ACR in 2026-10 of at least USD 101,000 (+1 % over 2025-10)" {
			t.Errorf("actions %+v", p.Actions)
		}
		carryOut(t, in, p)
	})
	// R-PCS-2 and R-PCS-6: a point of net adds needs a customer with USD
	// 1,000 in M or M−1, inside the 12 months, so the customer the plan must
	// add also lifts the bar and unlocks the growth already there.
	t.Run("the USD 1,000 over 12 months comes with the customers", func(t *testing.T) {
		in := partner(0, 0, 5, staff("a", admin, 2), staff("x", architect, 2), staff("p", analyst, 10))
		in, _ = domain.Scenario{AddConsumption: []domain.ConsumptionRecord{
			{TenantID: tenant(0), Month: asOf.AddMonths(-12), ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferPAYG, ACR: usd("100")},
			{TenantID: tenant(0), Month: asOf, ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferPAYG, ACR: usd("135")},
		}}.Apply(in)
		s := domain.ScoreArea(rules, in, domain.AreaDataAI)
		if g := metricOf(t, s, domain.MetricUsageGrowth); g.Points != 0 || g.Inputs.(*domain.GrowthInputs).Trailing12MonthsACR >= usd("1000") || s.Total != 50 {
			t.Fatalf("fixture: growth %d, total %d", g.Points, s.Total)
		}
		p := domain.PlanArea(rules, in, domain.AreaDataAI)
		checkPlan(t, in, p)
		if len(p.Actions) != 1 || p.Actions[0].Kind != domain.ActionAddEligibleCustomers || p.Actions[0].Points != 30 || p.Cost != 10 ||
			!strings.Contains(p.Actions[0].Description, "; it also brings 2025-11..2026-10 to the USD 1,000 of qualifying ACR that usage growth needs to score at all, which unlocks its 20 points.") {
			t.Errorf("actions %+v", p.Actions)
		}
		carryOut(t, in, p)
	})
}

// smallBase is dataAI with a USD 5,000 base in M−12 and no growth: one new
// customer's USD 1,000 in M is 20 % of growth (R-PCS-6).
func smallBase(netAdds, people, services int) domain.ScoreInput {
	in := dataAI(netAdds, people, 0, services)
	vm := func(back int) domain.ConsumptionRecord {
		return domain.ConsumptionRecord{TenantID: tenant(0), Month: asOf.AddMonths(-back), ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute",
			Offer: domain.OfferPAYG, ACR: usd("5000")}
	}
	in, errs := domain.Scenario{AddConsumption: []domain.ConsumptionRecord{vm(12), vm(0)}}.Apply(in)
	if errs != nil {
		panic(fmt.Sprint(errs))
	}
	return in
}

// The customer that net adds needs brings USD 1,000 of qualifying ACR in M,
// which is also 20 % of growth on a USD 5,000 base. At 50 points (skilling
// 40, deployments 10) that one customer attains (80), where pricing the
// metrics apart bought it and 10 points of growth (cost 20, projected 70).
// R-PCS-2 and R-PCS-6: one customer is both.
func TestPlan_CustomerACRAlsoGrowsUsage(t *testing.T) {
	in := smallBase(0, 10, 5)
	s := domain.ScoreArea(rules, in, domain.AreaDataAI)
	if s.Total != 50 || metricOf(t, s, domain.MetricUsageGrowth).Points != 0 {
		t.Fatalf("fixture: total %d", s.Total)
	}
	p := domain.PlanArea(rules, in, domain.AreaDataAI)
	checkPlan(t, in, p)
	if !slices.Equal(kinds(p), []string{"add_eligible_customers×1"}) || p.Cost != 10 || p.ProjectedTotal != 80 {
		t.Fatalf("actions %q cost %d projected %d, want one customer, 10 and 80", kinds(p), p.Cost, p.ProjectedTotal)
	}
	a := p.Actions[0]
	// Tenant 0, the base, is an eligible customer in both years.
	if a.Points != 30 || a.Target != "2 eligible customers in 2026-09..2026-10, against 1 in 2025-09..2025-10, each new one with USD 1,000 of qualifying ACR in 2026-10" {
		t.Errorf("points %d target %q", a.Points, a.Target)
	}
	for _, want := range []string{
		"Add 1 eligible customer for 10 points of net customer adds and 20 points of usage growth: ",
		"with at least USD 1,000 of qualifying ACR in 2026-10, under",
		"; counted as exactly USD 1,000 of new qualifying ACR in 2026-10 (an existing customer adds only the ACR it gains), it raises qualifying ACR in 2026-10 from USD 5,000 to USD 6,000, 20 % over 2025-10's USD 5,000, for 20 more points of usage growth.",
	} {
		if !strings.Contains(a.Description, want) {
			t.Errorf("description %q lacks %q", a.Description, want)
		}
	}
	carryOut(t, in, p)
}

// Growth priced after the customers: at 60 points with net adds at 0 and a
// USD 50,000 base, the customer the plan must add brings 2 % of growth, so
// 8 percentage points more reach 70 (cost 18), and grow_usage's target is
// the total ACR in M counted from the USD 51,000 the customer leaves (R-PCS-6).
func TestPlan_GrowthAfterTheCustomers(t *testing.T) {
	in := smallBase(0, 10, 5)
	vm := func(back int) domain.ConsumptionRecord {
		return domain.ConsumptionRecord{TenantID: tenant(0), Month: asOf.AddMonths(-back), ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute",
			Offer: domain.OfferPAYG, ACR: usd("50000")}
	}
	in, _ = domain.Scenario{AddConsumption: []domain.ConsumptionRecord{vm(12), vm(0)}}.Apply(in)
	p := domain.PlanArea(rules, in, domain.AreaDataAI)
	checkPlan(t, in, p)
	if !slices.Equal(kinds(p), []string{"grow_usage×8", "add_eligible_customers×1"}) || p.Cost != 18 || p.ProjectedTotal != 70 {
		t.Fatalf("actions %q cost %d projected %d", kinds(p), p.Cost, p.ProjectedTotal)
	}
	grow, customer := p.Actions[0], p.Actions[1]
	if customer.Points != 12 || grow.Points != 8 || grow.Target != "qualifying ACR in 2026-10 of at least USD 55,000 (+10 % over 2025-10)" ||
		!strings.HasPrefix(grow.Description, "Grow qualifying ACR in 2026-10 from USD 51,000 (USD 50,000 now and the USD 1,000 the new eligible customer brings) to at least USD 55,000, 8 percentage points") {
		t.Errorf("customer %+v\ngrow %+v", customer, grow)
	}
	carryOut(t, in, p)
}

// The DP against a brute force that carries out every cheaper combination
// of the same actions in a scenario and scores it with the real engine: none
// may attain. The added customers' USD 1,000 is in M, where it also raises
// usage growth, so a plan that priced net adds and growth apart would be
// beaten; growth goes on Virtual Machines and services in M−2, which touch no
// other metric, as the plan assumes (R-PCS-1, R-PCS-6).
func TestPlan_IsCheapest(t *testing.T) {
	tests := []struct {
		name string
		area domain.Area
		in   domain.ScoreInput
	}{
		{"Data & AI, prerequisites met", domain.AreaDataAI, dataAI(1, 3, 5, 1)},
		{"Data & AI, fewer actions would cost more", domain.AreaDataAI, dataAI(0, 5, 0, 0)},
		{"Data & AI, one administrator and no architect", domain.AreaDataAI, partner(1, 10, 2, staff("a", admin, 1), staff("p", analyst, 4))},
		{"Infrastructure, a little of everything", domain.AreaInfrastructure, partner(1, 3, 1, staff("a", admin, 1), staff("n", network, 2), staff("v", avd, 1))},
		{"Digital & App Innovation, skilling only", domain.AreaDigitalAppInnovation, partner(2, 12, 3, staff("a", admin, 2), staff("d", ppdev, 2), staff("x", architect, 1))},
		// A USD 5,000 base: a customer's USD 1,000 in M is 20 % of growth.
		{"Data & AI, a customer is also growth", domain.AreaDataAI, smallBase(0, 10, 5)},
		// Net adds at their maximum and 18 points short: a customer bought
		// for growth alone (10 for 20 points) beats 18 points of growth.
		{"Data & AI, customers for growth alone", domain.AreaDataAI, smallBase(3, 5, 1)},
		// No base month for usage growth: the partial plan is the cheapest
		// that attains once the base is loaded and growth earns 1 point.
		{"Data & AI, growth blocked", domain.AreaDataAI, noBase(dataAI(1, 3, 0, 1))},
		{"Data & AI, growth blocked, net adds short", domain.AreaDataAI, noBase(dataAI(0, 8, 0, 3))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := domain.PlanArea(rules, tt.in, tt.area)
			checkPlan(t, tt.in, p)
			assumed := assumedGrowth(t, p)
			if p.Reachable == (assumed > 0) || p.Attained || len(p.Actions) == 0 {
				t.Fatalf("fixture: %+v", p)
			}
			carryOut(t, tt.in, p)
			levers := bruteLevers(t, tt.in, tt.area)
			tried := 0
			var walk func(i, cost int, s domain.Scenario)
			walk = func(i, cost int, s domain.Scenario) {
				if cost >= p.Cost {
					return
				}
				if i == len(levers) {
					tried++
					after, errs := s.Apply(tt.in)
					if errs != nil {
						t.Fatalf("brute force scenario: %v", errs)
					}
					if assumed > 0 {
						after = unblockGrowth(t, after, assumed)
					}
					if sc := domain.ScoreArea(rules, after, tt.area); sc.Attained {
						t.Fatalf("cost %d attains (total %d) but the plan costs %d: %q", cost, sc.Total, p.Cost, kinds(p))
					}
					return
				}
				for _, c := range levers[i] {
					next := s
					next.AddIndividuals = slices.Concat(s.AddIndividuals, c.people)
					next.AddCustomers = slices.Concat(s.AddCustomers, c.customers)
					next.AddConsumption = slices.Concat(s.AddConsumption, c.consumption)
					walk(i+1, cost+c.cost, next)
				}
			}
			walk(0, 0, domain.Scenario{})
			if tried == 0 {
				t.Error("nothing cheaper was tried")
			}
			t.Logf("plan cost %d (%q); %d cheaper combinations fail", p.Cost, kinds(p), tried)
		})
	}
}

type leverChoice struct {
	cost        int
	people      []domain.Individual
	customers   []domain.Customer
	consumption []domain.ConsumptionRecord
}

// bruteLevers lists, per lever, every amount worth trying with its cost in
// the plan's cost model. Its own pricing of certifications is the
// catalogue's level, looked up here rather than taken from the plan.
func bruteLevers(t *testing.T, in domain.ScoreInput, area domain.Area) [][]leverChoice {
	t.Helper()
	last := in.AsOf.LastDay()
	cheapest := func(certs []string) (string, int) {
		best, cost := "", 1<<30
		for _, c := range certs {
			if !rules.CountsOn(c, last) {
				continue
			}
			k := domain.CostCertifyPerson
			if rules.Level(c) == "expert" {
				k = domain.CostCertifyExpert
			}
			if k < cost {
				best, cost = c, k
			}
		}
		return best, cost
	}
	s := domain.ScoreArea(rules, in, area)
	var levers [][]leverChoice

	var customersLever []leverChoice
	for n := range 4 {
		c := leverChoice{cost: n * domain.CostEligibleCustomer}
		for k := range n {
			c.customers = append(c.customers, customers(domain.AssociationCSPTier1, 600+k)...)
			c.consumption = append(c.consumption, rec(600+k, 0, "Virtual Machines", domain.OfferCSP, "1000"))
		}
		customersLever = append(customersLever, c)
	}
	levers = append(levers, customersLever)

	var ar domain.AreaRules
	for _, a := range rules.Areas {
		if a.Area == area {
			ar = a
		}
	}
	for mi, r := range ar.Skilling {
		steps := metricOf(t, s, r.Metric).Inputs.(*domain.SkillingInputs).Steps
		fill := leverChoice{}
		for si, st := range r.Prerequisites {
			cert, cost := cheapest(st.Certifications)
			for k := len(steps[si].People); k < st.MinPeople; k++ {
				fill.people = append(fill.people, person(fmt.Sprintf("fill-%d-%d-%d", mi, si, k), cert))
				fill.cost += cost
			}
		}
		cert, cost := cheapest(r.Scoring.Certifications)
		var lever []leverChoice
		for _, f := range []leverChoice{{}, fill} {
			if f.cost == 0 && len(lever) > 0 {
				break // prerequisites already met: no fill to try
			}
			for k := 0; k <= r.Scoring.MaxPoints/r.Scoring.PointsPerPerson; k++ {
				c := leverChoice{cost: f.cost + k*cost, people: slices.Clone(f.people)}
				for j := range k {
					c.people = append(c.people, person(fmt.Sprintf("more-%d-%d", mi, j), cert))
				}
				lever = append(lever, c)
			}
		}
		levers = append(levers, lever)
	}

	g := metricOf(t, s, domain.MetricUsageGrowth).Inputs.(*domain.GrowthInputs)
	var growth []leverChoice
	for pp := 0; pp <= 40 && (pp == 0 || g.QualifyingACRLastYear > 0); pp++ { // no growth to buy on no base
		// pp percentage points of the base, rounded down: never more than
		// the plan pays for.
		growth = append(growth, leverChoice{cost: pp * domain.CostGrowthPercentPoint, consumption: []domain.ConsumptionRecord{{
			TenantID: tenant(0), Month: asOf, ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferSponsorship,
			ACR: g.QualifyingACRLastYear * domain.Cents(pp) / 100}}})
	}
	levers = append(levers, growth)

	var deploy []leverChoice
	for n := range 6 {
		c := leverChoice{cost: n * domain.CostDeployService}
		for k := range n {
			c.consumption = append(c.consumption, rec(0, 2, fmt.Sprint("Brute Service ", k), domain.OfferPAYG, "1"))
		}
		deploy = append(deploy, c)
	}
	return append(levers, deploy)
}
