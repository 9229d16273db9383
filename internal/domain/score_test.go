package domain_test

// The score tests build rules from the real catalogue, so they live outside
// package domain (which must not import catalog).

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
)

var (
	rules = catalog.MustScoringRules(catalog.MustCertifications())
	asOf  = domain.MustMonth("2026-10")
)

const (
	admin     = "azure-administrator-associate"
	architect = "azure-solutions-architect-expert"
	analyst   = "data-analyst-associate"             // Data & AI step 3
	network   = "azure-network-engineer-associate"   // Infrastructure intermediate step 2
	avd       = "azure-virtual-desktop-specialty"    // Infrastructure advanced step 2
	ppdev     = "power-platform-developer-associate" // Digital & App Innovation intermediate step 2
	devops    = "azure-devops-engineer-expert"       // Digital & App Innovation advanced step 2
	stackHub  = "azure-stack-hub-operator-associate"
)

func tenant(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

func usd(lit string) domain.Cents {
	c, err := domain.ParseUSD(lit)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", lit, err))
	}
	return c
}

// rec is one record of tenant n, monthsBack months before asOf.
func rec(n, monthsBack int, service string, offer domain.Offer, amount string) domain.ConsumptionRecord {
	return domain.ConsumptionRecord{TenantID: tenant(n), Month: asOf.AddMonths(-monthsBack),
		ServiceLevel2: service, ServiceGroup: "Group", Offer: offer, ACR: usd(amount)}
}

func customers(assoc domain.Association, ns ...int) []domain.Customer {
	out := make([]domain.Customer, len(ns))
	for i, n := range ns {
		out[i] = domain.Customer{TenantID: tenant(n), Name: fmt.Sprint("Customer ", n), Association: assoc}
	}
	return out
}

// person holds each certification since 2022, without expiry.
func person(id string, certs ...string) domain.Individual {
	p := domain.Individual{ID: id, DisplayName: id}
	for _, c := range certs {
		p.Certifications = append(p.Certifications, domain.HeldCertification{ID: c, EarnedOn: domain.MustDate("2022-01-15")})
	}
	return p
}

func metricOf(t *testing.T, s domain.AreaScore, m domain.Metric) domain.MetricScore {
	t.Helper()
	for _, ms := range s.Metrics {
		if ms.Metric == m {
			return ms
		}
	}
	t.Fatalf("%s has no %s metric", s.Area, m)
	return domain.MetricScore{}
}

func common(t *testing.T, in domain.ScoreInput, m domain.Metric) domain.MetricScore {
	t.Helper()
	return metricOf(t, domain.ScoreArea(rules, in, domain.AreaDataAI), m)
}

func wantMissing(t *testing.T, m domain.MetricScore, parts ...string) {
	t.Helper()
	all := strings.Join(m.Missing, "\n")
	for _, p := range parts {
		if !strings.Contains(all, p) {
			t.Errorf("%s missing %q does not mention %q", m.Metric, m.Missing, p)
		}
	}
}

// dataAI builds a partner whose Data & AI score is 10·netAdds (net adds) +
// 4·people (intermediate) + growthPct (usage growth) + 2·services (deployments).
// Tenant 0 is the base, on Virtual Machines so that it adds no deployment.
func dataAI(netAdds, people, growthPct, services int) domain.ScoreInput {
	base := domain.Cents(100_000_00)
	recs := []domain.ConsumptionRecord{
		{TenantID: tenant(0), Month: asOf.AddMonths(-12), ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferPAYG, ACR: base},
		{TenantID: tenant(0), Month: asOf, ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferPAYG, ACR: base * domain.Cents(100+growthPct) / 100},
	}
	ids := []int{0}
	for i := 1; i <= netAdds; i++ {
		// M−1 is in neither growth month: these only add customers.
		recs = append(recs, rec(i, 1, "Virtual Machines", domain.OfferCSP, "1000"))
		ids = append(ids, i)
	}
	for i := range services {
		recs = append(recs, rec(0, 2, fmt.Sprint("Service ", i), domain.OfferPAYG, "1"))
	}
	ind := []domain.Individual{person("a1", admin), person("a2", admin), person("x1", architect), person("x2", architect)}
	for i := range people {
		ind = append(ind, person(fmt.Sprint("p", i), analyst))
	}
	return domain.ScoreInput{AsOf: asOf, Individuals: ind, Customers: customers(domain.AssociationCSPTier1, ids...), Usage: domain.NewUsage(recs)}
}

// R-PCS-1: 70 points and at least one point in every metric.
func TestAttainment(t *testing.T) {
	tests := []struct {
		name                              string
		netAdds, people, growth, services int
		wantTotal                         int
		wantAttained                      bool
	}{
		{"69 points, every metric scored", 3, 5, 15, 2, 69, false},
		{"70 points, every metric scored", 3, 5, 16, 2, 70, true},
		{"80 points with zero usage growth", 3, 10, 0, 5, 80, false},
		{"70 points with zero net adds", 0, 10, 20, 5, 70, false},
		{"100 points", 3, 10, 20, 5, 100, true},
		{"a single point in a metric is enough", 3, 10, 1, 5, 81, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := domain.ScoreArea(rules, dataAI(tt.netAdds, tt.people, tt.growth, tt.services), domain.AreaDataAI)
			var pts []string
			for _, m := range s.Metrics {
				pts = append(pts, fmt.Sprintf("%s=%d", m.Metric, m.Points))
			}
			if s.Total != tt.wantTotal || s.Attained != tt.wantAttained {
				t.Errorf("total %d attained %v, want %d %v (%s)", s.Total, s.Attained, tt.wantTotal, tt.wantAttained, strings.Join(pts, " "))
			}
		})
	}
}

// R-PCS-2: eligible customers (USD 1,000 in either month) now against last year.
func TestNetAdds(t *testing.T) {
	const svc = "Azure SQL Database"
	tests := []struct {
		name      string
		recs      []domain.ConsumptionRecord
		wantNow   int
		wantLast  int
		wantPts   int
		wantNet   int
		wantExtra string
	}{
		{"USD 1,000 in the last month alone", []domain.ConsumptionRecord{rec(1, 0, svc, domain.OfferPAYG, "1000")}, 1, 0, 10, 1, ""},
		{"USD 1,000 in the month before alone", []domain.ConsumptionRecord{rec(1, 1, svc, domain.OfferPAYG, "1000")}, 1, 0, 10, 1, ""},
		{"USD 999.99 is short", []domain.ConsumptionRecord{rec(1, 0, svc, domain.OfferPAYG, "999.99")}, 0, 0, 0, 0, ""},
		{"services of one month add up", []domain.ConsumptionRecord{rec(1, 0, svc, domain.OfferPAYG, "600"), rec(1, 0, "Azure Storage", domain.OfferPAYG, "400")}, 1, 0, 10, 1, ""},
		{"the two months do not add up", []domain.ConsumptionRecord{rec(1, 0, svc, domain.OfferPAYG, "600"), rec(1, 1, svc, domain.OfferPAYG, "600")}, 0, 0, 0, 0, ""},
		{"last year's months are M−12 and M−13", []domain.ConsumptionRecord{
			rec(1, 0, svc, domain.OfferPAYG, "1000"), rec(2, 0, svc, domain.OfferPAYG, "1000"), rec(3, 0, svc, domain.OfferPAYG, "1000"),
			rec(4, 12, svc, domain.OfferPAYG, "1000"), rec(5, 13, svc, domain.OfferPAYG, "1000"),
			rec(6, 14, svc, domain.OfferPAYG, "5000"), rec(7, 11, svc, domain.OfferPAYG, "5000"), // neither counts
		}, 3, 2, 10, 1, ""},
		{"negative net adds earn 0", []domain.ConsumptionRecord{
			rec(1, 0, svc, domain.OfferPAYG, "1000"),
			rec(1, 12, svc, domain.OfferPAYG, "1000"), rec(2, 12, svc, domain.OfferPAYG, "1000"), rec(3, 13, svc, domain.OfferPAYG, "1000"),
		}, 1, 3, 0, -2, "5 more eligible customers (USD 1,000 qualifying ACR in 2026-10 or 2026-09) for 30 more points: net adds are -2 (1 eligible now, 3 in 2025-10)"},
		{"capped at 30", []domain.ConsumptionRecord{
			rec(1, 0, svc, domain.OfferPAYG, "1000"), rec(2, 0, svc, domain.OfferPAYG, "1000"), rec(3, 0, svc, domain.OfferPAYG, "1000"),
			rec(4, 0, svc, domain.OfferPAYG, "1000"), rec(5, 1, svc, domain.OfferPAYG, "1000"),
		}, 5, 0, 30, 5, ""},
		{"two net adds: one more for the last 10 points", []domain.ConsumptionRecord{
			rec(1, 0, svc, domain.OfferPAYG, "1000"), rec(2, 1, svc, domain.OfferPAYG, "2500"),
		}, 2, 0, 20, 2, "1 more eligible customer (USD 1,000 qualifying ACR in 2026-10 or 2026-09) for 10 more points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationDPOR, 1, 2, 3, 4, 5, 6, 7), Usage: domain.NewUsage(tt.recs)}
			m := common(t, in, domain.MetricNetCustomerAdds)
			got := m.Inputs.(*domain.NetAddsInputs)
			if len(got.EligibleCustomers) != tt.wantNow || len(got.EligibleCustomersLastYear) != tt.wantLast || got.NetAdds != tt.wantNet || m.Points != tt.wantPts {
				t.Errorf("eligible %d / last year %d, net %d, points %d; want %d / %d, %d, %d",
					len(got.EligibleCustomers), len(got.EligibleCustomersLastYear), got.NetAdds, m.Points, tt.wantNow, tt.wantLast, tt.wantNet, tt.wantPts)
			}
			if m.Max != 30 {
				t.Errorf("max %d", m.Max)
			}
			if (m.Points < 30) != (len(m.Missing) > 0) {
				t.Errorf("points %d with missing %q", m.Points, m.Missing)
			}
			if tt.wantExtra != "" && !slices.Contains(m.Missing, tt.wantExtra) {
				t.Errorf("missing %q, want the line %q", m.Missing, tt.wantExtra)
			}
		})
	}

	t.Run("inputs name the months and each month's ACR", func(t *testing.T) {
		in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationCSPTier2, 1, 2),
			Usage: domain.NewUsage([]domain.ConsumptionRecord{rec(2, 1, svc, domain.OfferPAYG, "1500.25"), rec(2, 0, svc, domain.OfferPAYG, "10"), rec(1, 0, svc, domain.OfferPAYG, "1000")})}
		got := common(t, in, domain.MetricNetCustomerAdds).Inputs.(*domain.NetAddsInputs)
		if got.LastMonth.String() != "2026-10" || got.PreviousMonth.String() != "2026-09" ||
			got.SameMonthLastYear.String() != "2025-10" || got.MonthBeforeThatLastYear.String() != "2025-09" {
			t.Errorf("months %s %s %s %s", got.LastMonth, got.PreviousMonth, got.SameMonthLastYear, got.MonthBeforeThatLastYear)
		}
		want := []domain.EligibleCustomer{
			{TenantID: tenant(1), ACR: []domain.CustomerMonthACR{{Month: asOf.AddMonths(-1), ACRUSD: 0}, {Month: asOf, ACRUSD: usd("1000")}}},
			{TenantID: tenant(2), ACR: []domain.CustomerMonthACR{{Month: asOf.AddMonths(-1), ACRUSD: usd("1500.25")}, {Month: asOf, ACRUSD: usd("10")}}},
		}
		if !reflect.DeepEqual(got.EligibleCustomers, want) {
			t.Errorf("eligible customers %+v, want %+v", got.EligibleCustomers, want)
		}
		if got.EligibleCustomersLastYear == nil {
			t.Error("an empty list must be [], not null")
		}
	})
}

// R-PCS-3: associations, offers and the government-via-PAL rule.
func TestEligibilityFilters(t *testing.T) {
	cust := func(assoc domain.Association, gov, affiliated bool) []domain.Customer {
		return []domain.Customer{{TenantID: tenant(1), Association: assoc, Government: gov, Affiliated: affiliated}}
	}
	csp := cust(domain.AssociationCSPTier1, false, false)
	tests := []struct {
		name      string
		customers []domain.Customer
		offer     domain.Offer
		tenant    int
		counts    bool
	}{
		{"PAYG", csp, domain.OfferPAYG, 1, true},
		{"Enterprise", csp, domain.OfferEnterprise, 1, true},
		{"CSP offer", csp, domain.OfferCSP, 1, true},
		{"MCA", csp, domain.OfferMCA, 1, true},
		{"Sponsorship", csp, domain.OfferSponsorship, 1, true},
		{"Support offer", csp, domain.OfferSupport, 1, false},
		{"Internal offer", csp, domain.OfferInternal, 1, false},
		{"Benefit offer", csp, domain.OfferBenefit, 1, false},
		{"Trial offer", csp, domain.OfferTrial, 1, false},
		{"CSP tier 2", cust(domain.AssociationCSPTier2, false, false), domain.OfferPAYG, 1, true},
		{"DPOR", cust(domain.AssociationDPOR, false, false), domain.OfferPAYG, 1, true},
		{"PAL", cust(domain.AssociationPAL, false, false), domain.OfferPAYG, 1, true},
		{"PAL, government", cust(domain.AssociationPAL, true, false), domain.OfferPAYG, 1, false},
		{"CSP, government", cust(domain.AssociationCSPTier1, true, false), domain.OfferPAYG, 1, true},
		{"DPOR, government", cust(domain.AssociationDPOR, true, false), domain.OfferPAYG, 1, true},
		{"affiliated does not matter for the score", cust(domain.AssociationCSPTier1, false, true), domain.OfferPAYG, 1, true},
		{"unknown association", cust("RESELLER", false, false), domain.OfferPAYG, 1, false},
		{"tenant that is not a customer", csp, domain.OfferPAYG, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := []domain.ConsumptionRecord{
				rec(tt.tenant, 0, "Azure SQL Database", tt.offer, "1000"),
				rec(tt.tenant, 12, "Azure SQL Database", tt.offer, "1000"),
			}
			in := domain.ScoreInput{AsOf: asOf, Customers: tt.customers, Usage: domain.NewUsage(recs)}
			s := domain.ScoreArea(rules, in, domain.AreaDataAI)
			growth := metricOf(t, s, domain.MetricUsageGrowth).Inputs.(*domain.GrowthInputs)
			adds := metricOf(t, s, domain.MetricNetCustomerAdds).Inputs.(*domain.NetAddsInputs)
			deps := metricOf(t, s, domain.MetricDeployments).Inputs.(*domain.DeploymentsInputs)
			want := domain.Cents(0)
			wantN := 0
			if tt.counts {
				want, wantN = usd("1000"), 1
			}
			if growth.QualifyingACR != want || growth.QualifyingACRLastYear != want || growth.Trailing12MonthsACR != want {
				t.Errorf("qualifying ACR %s / %s / %s, want %s", growth.QualifyingACR, growth.QualifyingACRLastYear, growth.Trailing12MonthsACR, want)
			}
			if len(adds.EligibleCustomers) != wantN || len(adds.EligibleCustomersLastYear) != wantN {
				t.Errorf("eligible customers %d / %d, want %d", len(adds.EligibleCustomers), len(adds.EligibleCustomersLastYear), wantN)
			}
			if len(deps.Services) != wantN {
				t.Errorf("deployed services %v, want %d", deps.Services, wantN)
			}
		})
	}
}

// skilling scores one skilling metric of one area for these people.
func skilling(t *testing.T, area domain.Area, metric domain.Metric, people ...domain.Individual) domain.MetricScore {
	t.Helper()
	return metricOf(t, domain.ScoreArea(rules, domain.ScoreInput{AsOf: asOf, Individuals: people}, area), metric)
}

// Every worked example of R-PCS-4 in RULES.md (seed 003), each "0 until …,
// then 8" as two rows.
func TestSkilling_WorkedExamples(t *testing.T) {
	P := person
	type example struct {
		name   string
		area   domain.Area
		metric domain.Metric
		people []domain.Individual
		want   int
	}
	dai := func(name string, want int, people ...domain.Individual) example {
		return example{name, domain.AreaDataAI, domain.MetricIntermediateCertifications, people, want}
	}
	var tests = []example{
		dai("A,B step 1; C,D step 2; E,F,G step 3", 12,
			P("A", admin), P("B", admin), P("C", architect), P("D", architect), P("E", analyst), P("F", analyst), P("G", analyst)),
		dai("A,B all three steps", 8,
			P("A", admin, architect, analyst), P("B", admin, architect, analyst)),
		dai("A,B steps 1 and 3: no one in step 2", 0,
			P("A", admin, analyst), P("B", admin, analyst)),
		dai("A,B steps 1 and 3, then two others do step 2", 8,
			P("A", admin, analyst), P("B", admin, analyst), P("C", architect), P("D", architect)),
		dai("A step 1; B,C steps 2 and 3", 0,
			P("A", admin), P("B", architect, analyst), P("C", architect, analyst)),
		dai("A step 1; B,C steps 2 and 3, then D (not A) does step 1", 8,
			P("A", admin), P("B", architect, analyst), P("C", architect, analyst), P("D", admin)),
	}
	// The same three examples for the intermediate and advanced metrics of
	// Digital & App Innovation and Infrastructure.
	for _, c := range []struct {
		area         domain.Area
		metric       domain.Metric
		step1, step2 string
	}{
		{domain.AreaDigitalAppInnovation, domain.MetricIntermediateCertifications, admin, ppdev},
		{domain.AreaDigitalAppInnovation, domain.MetricAdvancedCertifications, architect, devops},
		{domain.AreaInfrastructure, domain.MetricIntermediateCertifications, admin, network},
		{domain.AreaInfrastructure, domain.MetricAdvancedCertifications, architect, avd},
	} {
		ex := func(name string, want int, people ...domain.Individual) example {
			return example{fmt.Sprintf("%s %s: %s", c.area, c.metric, name), c.area, c.metric, people, want}
		}
		tests = append(tests,
			ex("A,B step 1; C,D step 2", 8, P("A", c.step1), P("B", c.step1), P("C", c.step2), P("D", c.step2)),
			ex("A,B both steps", 8, P("A", c.step1, c.step2), P("B", c.step1, c.step2)),
			ex("A step 1; B,C step 2", 0, P("A", c.step1), P("B", c.step2), P("C", c.step2)),
			ex("A step 1; B,C step 2, then D does step 1", 8, P("A", c.step1), P("B", c.step2), P("C", c.step2), P("D", c.step1)),
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := skilling(t, tt.area, tt.metric, tt.people...)
			if m.Points != tt.want {
				t.Errorf("points %d, want %d (%+v)", m.Points, tt.want, m.Inputs)
			}
		})
	}
}

// R-PCS-4: a person counts once per step, in as many steps as they qualify for.
func TestSkilling_Counting(t *testing.T) {
	t.Run("a person in step 1 and step 3 counts in both", func(t *testing.T) {
		m := skilling(t, domain.AreaDataAI, domain.MetricIntermediateCertifications,
			person("A", admin, analyst), person("B", admin, analyst), person("C", architect), person("D", architect))
		steps := m.Inputs.(*domain.SkillingInputs).Steps
		if m.Points != 8 || !slices.Equal(steps[0].People, []string{"A", "B"}) || !slices.Equal(steps[2].People, []string{"A", "B"}) {
			t.Errorf("points %d, steps %+v", m.Points, steps)
		}
	})
	t.Run("once per step however many certifications", func(t *testing.T) {
		m := skilling(t, domain.AreaDataAI, domain.MetricIntermediateCertifications,
			person("A", admin), person("B", admin), person("C", architect), person("D", architect),
			person("E", analyst, "fabric-data-engineer-associate", "sql-ai-developer-associate"))
		if m.Points != 4 {
			t.Errorf("points %d, want 4", m.Points)
		}
	})
	t.Run("entries sharing an id are one person", func(t *testing.T) {
		m := skilling(t, domain.AreaInfrastructure, domain.MetricIntermediateCertifications,
			person("A", admin), person("A", admin), person("B", network))
		steps := m.Inputs.(*domain.SkillingInputs).Steps
		if m.Points != 0 || !slices.Equal(steps[0].People, []string{"A"}) {
			t.Errorf("points %d, step 1 people %v", m.Points, steps[0].People)
		}
	})
	t.Run("capped at the step's maximum", func(t *testing.T) {
		people := []domain.Individual{person("A", admin), person("B", admin), person("C", architect), person("D", architect)}
		for i := range 11 {
			people = append(people, person(fmt.Sprint("P", i), analyst, network))
		}
		if m := skilling(t, domain.AreaDataAI, domain.MetricIntermediateCertifications, people...); m.Points != 40 || m.Max != 40 || len(m.Missing) != 0 {
			t.Errorf("Data & AI %d/%d missing %q, want 40/40 and nothing", m.Points, m.Max, m.Missing)
		}
		if m := skilling(t, domain.AreaInfrastructure, domain.MetricIntermediateCertifications, people...); m.Points != 20 || m.Max != 20 {
			t.Errorf("Infrastructure %d/%d, want 20/20", m.Points, m.Max)
		}
	})
	t.Run("people sorted, inputs per step", func(t *testing.T) {
		m := skilling(t, domain.AreaInfrastructure, domain.MetricIntermediateCertifications,
			person("zed", admin, network), person("amy", admin), person("kim", stackHub, network))
		want := []domain.StepInputs{
			{Step: 1, Role: "prerequisite", Certifications: []string{admin}, MinPeople: 2, People: []string{"amy", "zed"}, Met: true},
			{Step: 2, Role: "points", Certifications: []string{network, "windows-server-hybrid-administrator-associate", stackHub},
				People: []string{"kim", "zed"}, Met: true, PointsPerPerson: 4, MaxPoints: 20},
		}
		if got := m.Inputs.(*domain.SkillingInputs).Steps; !reflect.DeepEqual(got, want) {
			t.Errorf("steps\n%+v\nwant\n%+v", got, want)
		}
		if m.Points != 8 || !slices.Equal(m.Missing, []string{"step 2 needs 3 more people with any of Azure Network Engineer Associate, Windows Server Hybrid Administrator Associate, Azure Stack Hub Operator Associate for 12 more points"}) {
			t.Errorf("points %d missing %q", m.Points, m.Missing)
		}
	})
	t.Run("missing names the step, the certification and the count", func(t *testing.T) {
		m := skilling(t, domain.AreaDataAI, domain.MetricIntermediateCertifications,
			person("A", admin), person("B", analyst))
		want := []string{
			"step 1 needs 2 people with Azure Administrator Associate; 1 has it",
			"step 2 needs 2 people with Azure Solutions Architect Expert; 0 have it",
			"step 3 earns 4 points per person with any of Azure Database Administrator Associate, Azure AI Engineer Associate, " +
				"Azure Data Scientist Associate, Data Analyst Associate, Azure Cosmos DB Developer Specialty, Fabric Analytics Engineer Associate, " +
				"Fabric Data Engineer Associate, SQL AI Developer Associate, Azure AI Apps and Agents Developer Associate, " +
				"Machine Learning Operations Engineer Associate, Azure Databricks Data Engineer Associate, up to 40, " +
				"once steps 1 and 2 are met; 1 has one now (4 points), 9 more people for 40",
		}
		if !slices.Equal(m.Missing, want) {
			t.Errorf("missing\n%q\nwant\n%q", m.Missing, want)
		}
	})
}

// R-PCS-5: two Solutions Architect Experts first, then 4 points a person up to 20; none for Data & AI.
func TestSkilling_Advanced(t *testing.T) {
	s := domain.ScoreArea(rules, domain.ScoreInput{AsOf: asOf, Individuals: []domain.Individual{person("A", architect, devops, avd)}}, domain.AreaDataAI)
	for _, m := range s.Metrics {
		if m.Metric == domain.MetricAdvancedCertifications {
			t.Error("Data & AI has an advanced certifications metric")
		}
	}
	for _, area := range []domain.Area{domain.AreaInfrastructure, domain.AreaDigitalAppInnovation} {
		cert := map[domain.Area]string{domain.AreaInfrastructure: avd, domain.AreaDigitalAppInnovation: devops}[area]
		one := []domain.Individual{person("X1", architect), person("C", cert), person("D", cert), person("E", cert)}
		if m := skilling(t, area, domain.MetricAdvancedCertifications, one...); m.Points != 0 {
			t.Errorf("%s with one Solutions Architect Expert: %d points, want 0", area, m.Points)
		} else {
			wantMissing(t, m, "step 1 needs 2 people with Azure Solutions Architect Expert; 1 has it")
		}
		two := append(one, person("X2", architect))
		if m := skilling(t, area, domain.MetricAdvancedCertifications, two...); m.Points != 12 {
			t.Errorf("%s with two Solutions Architect Experts and 3 people: %d points, want 12", area, m.Points)
		}
		for i := range 6 {
			two = append(two, person(fmt.Sprint("F", i), cert))
		}
		if m := skilling(t, area, domain.MetricAdvancedCertifications, two...); m.Points != 20 {
			t.Errorf("%s capped: %d points, want 20", area, m.Points)
		}
	}
}

// R-PCS-6: 1 point per whole percent of growth over M−12, with the USD 1,000 bar over 12 months.
func TestUsageGrowth(t *testing.T) {
	const svc = "Azure Cosmos DB"
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name        string
		recs        []domain.ConsumptionRecord
		wantPoints  int
		wantPercent *float64
		wantMissing []string
	}{
		{"19.99 % floors to 19", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "100000"), rec(1, 0, svc, domain.OfferPAYG, "119990")}, 19, f(19.99),
			[]string{"USD 10 more qualifying ACR in 2026-10 (USD 120,000 in all, 20 % over 2025-10's USD 100,000) for 1 more point"}},
		{"20 % is the maximum", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "100000"), rec(1, 0, svc, domain.OfferPAYG, "120000")}, 20, f(20), nil},
		{"35 % is capped", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "1000"), rec(1, 0, svc, domain.OfferPAYG, "1350")}, 20, f(35), nil},
		{"0.99 % earns nothing", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "100000"), rec(1, 0, svc, domain.OfferPAYG, "100990")}, 0, f(0.99), nil},
		{"no growth", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "5000"), rec(1, 0, svc, domain.OfferPAYG, "5000")}, 0, f(0), nil},
		{"negative growth", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "5000"), rec(1, 0, svc, domain.OfferPAYG, "4500")}, 0, f(-10),
			[]string{"USD 1,500 more qualifying ACR in 2026-10 (USD 6,000 in all, 20 % over 2025-10's USD 5,000) for 20 more points"}},
		{"zero base month", []domain.ConsumptionRecord{rec(1, 11, svc, domain.OfferPAYG, "5000"), rec(1, 0, svc, domain.OfferPAYG, "5000")}, 0, nil,
			[]string{"usage growth cannot be computed without qualifying ACR in 2025-10 (same month last year) to grow from"}},
		{"trailing 12 months under USD 1,000", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "100"), rec(1, 0, svc, domain.OfferPAYG, "999.99")}, 0, f(899.99),
			[]string{"USD 1,000 of qualifying ACR over 2025-11..2026-10 before usage growth scores at all; USD 999.99 so far"}},
		{"trailing 12 months of exactly USD 1,000", []domain.ConsumptionRecord{rec(1, 12, svc, domain.OfferPAYG, "100"), rec(1, 0, svc, domain.OfferPAYG, "400"), rec(1, 11, svc, domain.OfferPAYG, "600")}, 20, f(300), nil},
		{"the whole base counts, not only eligible customers", []domain.ConsumptionRecord{
			rec(1, 12, svc, domain.OfferPAYG, "500"), rec(2, 12, svc, domain.OfferPAYG, "300"),
			rec(1, 0, svc, domain.OfferPAYG, "550"), rec(2, 0, svc, domain.OfferPAYG, "330"), rec(3, 5, svc, domain.OfferPAYG, "700"),
		}, 10, f(10), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationPAL, 1, 2, 3), Usage: domain.NewUsage(tt.recs)}
			m := common(t, in, domain.MetricUsageGrowth)
			got := m.Inputs.(*domain.GrowthInputs)
			if m.Points != tt.wantPoints || m.Max != 20 {
				t.Errorf("points %d/%d, want %d/20", m.Points, m.Max, tt.wantPoints)
			}
			if (got.GrowthPercent == nil) != (tt.wantPercent == nil) || (got.GrowthPercent != nil && *got.GrowthPercent != *tt.wantPercent) {
				t.Errorf("growth %v, want %v", deref(got.GrowthPercent), deref(tt.wantPercent))
			}
			for _, w := range tt.wantMissing {
				if !slices.Contains(m.Missing, w) {
					t.Errorf("missing %q, want the line %q", m.Missing, w)
				}
			}
			if (m.Points < 20) != (len(m.Missing) > 0) {
				t.Errorf("points %d with missing %q", m.Points, m.Missing)
			}
			if got.Window.From.String() != "2025-11" || got.Window.To.String() != "2026-10" || got.SameMonthLastYear.String() != "2025-10" {
				t.Errorf("window %+v, base month %s", got.Window, got.SameMonthLastYear)
			}
		})
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// R-PCS-7: 2 points per service with ACR over M−11..M, VMs and ineligible offers left out.
func TestDeployments(t *testing.T) {
	recs := []domain.ConsumptionRecord{
		rec(1, 0, "Azure Kubernetes Service", domain.OfferPAYG, "10"),
		rec(1, 11, "Azure Functions", domain.OfferPAYG, "0.01"), // first month of the window
		rec(2, 3, "Azure Kubernetes Service", domain.OfferPAYG, "10"),
		rec(1, 0, "Virtual Machines", domain.OfferPAYG, "5000"),
		rec(1, 0, "virtual machines licenses", domain.OfferPAYG, "5000"), // excluded whatever the case
		rec(1, 12, "Azure Synapse Analytics", domain.OfferPAYG, "5000"),  // before the window
		rec(1, 0, "Azure OpenAI", domain.OfferTrial, "5000"),             // ineligible offer
		rec(1, 0, "Azure Monitor", domain.OfferPAYG, "0"),                // no ACR
		rec(9, 0, "Azure Batch", domain.OfferPAYG, "5000"),               // not a customer
	}
	in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationCSPTier1, 1, 2), Usage: domain.NewUsage(recs)}
	m := common(t, in, domain.MetricDeployments)
	got := m.Inputs.(*domain.DeploymentsInputs)
	var names []string
	for _, s := range got.Services {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"Azure Functions", "Azure Kubernetes Service"}) || m.Points != 4 || m.Max != 10 {
		t.Errorf("services %q points %d/%d, want Azure Functions, Azure Kubernetes Service and 4/10", names, m.Points, m.Max)
	}
	if !slices.Equal(got.Excluded, []string{"Virtual Machines", "Virtual Machines Licenses"}) {
		t.Errorf("excluded %q", got.Excluded)
	}
	if got.From.String() != "2025-11" || got.To.String() != "2026-10" {
		t.Errorf("window %s..%s", got.From, got.To)
	}
	want := "3 more Azure services (service level 2, not Virtual Machines or Virtual Machines Licenses) with qualifying ACR in 2025-11..2026-10 for 6 more points"
	if !slices.Equal(m.Missing, []string{want}) {
		t.Errorf("missing %q, want %q", m.Missing, want)
	}

	for i := range 6 {
		recs = append(recs, rec(2, i, fmt.Sprint("Service ", i), domain.OfferCSP, "1"))
	}
	in.Usage = domain.NewUsage(recs)
	if m := common(t, in, domain.MetricDeployments); m.Points != 10 || len(m.Missing) != 0 || len(m.Inputs.(*domain.DeploymentsInputs).Services) != 8 {
		t.Errorf("8 services: %d points, missing %q; want the cap of 10", m.Points, m.Missing)
	}
}

// Partners' exports spell one service in several cases and with stray
// spaces, and it is still one service, 2 points, shown as first spelt (R-PCS-7).
func TestDeployments_UniqueServiceIgnoresCaseAndSpaces(t *testing.T) {
	recs := []domain.ConsumptionRecord{
		rec(1, 0, "Azure SQL", domain.OfferPAYG, "10"),
		rec(2, 1, "azure sql", domain.OfferPAYG, "10"),
		rec(1, 2, " AZURE SQL ", domain.OfferPAYG, "10"),
		rec(2, 3, "Azure Functions", domain.OfferPAYG, "10"),
	}
	in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationCSPTier1, 1, 2), Usage: domain.NewUsage(recs)}
	m := common(t, in, domain.MetricDeployments)
	var names []string
	for _, s := range m.Inputs.(*domain.DeploymentsInputs).Services {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"Azure Functions", "Azure SQL"}) || m.Points != 4 {
		t.Errorf("services %q, %d points; want Azure Functions, Azure SQL and 4", names, m.Points)
	}
}

// R-PCS-8: each area's metrics, in order, and their maxima summing to 100.
func TestMetricsPerArea(t *testing.T) {
	want := map[domain.Area][]domain.Metric{
		domain.AreaDataAI: {domain.MetricNetCustomerAdds, domain.MetricIntermediateCertifications, domain.MetricUsageGrowth, domain.MetricDeployments},
		domain.AreaInfrastructure: {domain.MetricNetCustomerAdds, domain.MetricIntermediateCertifications, domain.MetricAdvancedCertifications,
			domain.MetricUsageGrowth, domain.MetricDeployments},
		domain.AreaDigitalAppInnovation: {domain.MetricNetCustomerAdds, domain.MetricIntermediateCertifications, domain.MetricAdvancedCertifications,
			domain.MetricUsageGrowth, domain.MetricDeployments},
	}
	wantMax := map[domain.Metric]int{domain.MetricNetCustomerAdds: 30, domain.MetricUsageGrowth: 20, domain.MetricDeployments: 10, domain.MetricAdvancedCertifications: 20}
	scores := domain.Score(rules, domain.ScoreInput{AsOf: asOf})
	if len(scores) != 3 {
		t.Fatalf("%d areas", len(scores))
	}
	for i, s := range scores {
		if s.Area != domain.Areas[i] {
			t.Errorf("area %d is %s, want %s", i, s.Area, domain.Areas[i])
		}
		var got []domain.Metric
		sum := 0
		for _, m := range s.Metrics {
			got = append(got, m.Metric)
			sum += m.Max
			w, ok := wantMax[m.Metric]
			if m.Metric == domain.MetricIntermediateCertifications {
				w, ok = 20, true
				if s.Area == domain.AreaDataAI {
					w = 40
				}
			}
			if ok && m.Max != w {
				t.Errorf("%s %s max %d, want %d", s.Area, m.Metric, m.Max, w)
			}
		}
		if !slices.Equal(got, want[s.Area]) || sum != 100 {
			t.Errorf("%s metrics %v (max %d), want %v (100)", s.Area, got, sum, want[s.Area])
		}
	}
	names := []string{scores[0].Name, scores[1].Name, scores[2].Name}
	if !slices.Equal(names, []string{"Data & AI", "Infrastructure", "Digital & App Innovation"}) {
		t.Errorf("names %q", names)
	}
}

// A score says which month it is as of, and a certification counts when held
// at the end of that month (R-PCS-9).
func TestAsOf_HeldAtEndOfMonth(t *testing.T) {
	held := func(earned string, expires string) domain.Individual {
		h := domain.HeldCertification{ID: network, EarnedOn: domain.MustDate(earned)}
		if expires != "" {
			e := domain.MustDate(expires)
			h.ExpiresOn = &e
		}
		return domain.Individual{ID: "C", Certifications: []domain.HeldCertification{h}}
	}
	tests := []struct {
		name string
		c    domain.Individual
		want int
	}{
		{"earned on the month's last day", held("2026-10-31", ""), 4},
		{"earned the day after", held("2026-11-01", ""), 0},
		{"expires on the month's last day", held("2024-01-01", "2026-10-31"), 4},
		{"expired the day before", held("2024-01-01", "2026-10-30"), 0},
		{"expires later", held("2024-01-01", "2027-10-30"), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := skilling(t, domain.AreaInfrastructure, domain.MetricIntermediateCertifications, person("A", admin), person("B", admin), tt.c)
			if m.Points != tt.want {
				t.Errorf("points %d, want %d", m.Points, tt.want)
			}
		})
	}
	for _, s := range domain.Score(rules, domain.ScoreInput{AsOf: asOf}) {
		if s.AsOf != asOf {
			t.Errorf("%s as of %s, want %s", s.Area, s.AsOf, asOf)
		}
	}
}

// R-PCS-10: a retired certification earns points until its countsUntil, not after.
func TestRetiredCertification(t *testing.T) {
	people := []domain.Individual{person("A", admin), person("B", admin), person("C", stackHub)}
	for _, tt := range []struct {
		asOf string
		want int
	}{
		{"2023-07", 4}, // retirement month
		{"2024-07", 4}, // countsUntil 2024-07-31 is the month's last day
		{"2024-08", 0},
		{"2026-10", 0},
	} {
		in := domain.ScoreInput{AsOf: domain.MustMonth(tt.asOf), Individuals: people}
		m := metricOf(t, domain.ScoreArea(rules, in, domain.AreaInfrastructure), domain.MetricIntermediateCertifications)
		if m.Points != tt.want {
			t.Errorf("Azure Stack Hub Operator as of %s: %d points, want %d", tt.asOf, m.Points, tt.want)
		}
	}
	t.Run("R-PCS-10 the inputs name whose certification stopped counting", func(t *testing.T) {
		expired := domain.MustDate("2024-06-30")
		lapsed := domain.Individual{ID: "E", Certifications: []domain.HeldCertification{{ID: stackHub, EarnedOn: domain.MustDate("2022-01-15"), ExpiresOn: &expired}}}
		// C is listed twice (one person) and also holds a certification that counts.
		roster := []domain.Individual{person("A", admin), person("B", admin), person("C", stackHub), person("C", network, stackHub), lapsed}
		stopped := func(month string) []domain.StoppedCertification {
			in := domain.ScoreInput{AsOf: domain.MustMonth(month), Individuals: roster}
			return metricOf(t, domain.ScoreArea(rules, in, domain.AreaInfrastructure), domain.MetricIntermediateCertifications).Inputs.(*domain.SkillingInputs).StoppedCounting
		}
		if got := stopped("2024-07"); got == nil || len(got) != 0 {
			t.Errorf("as of 2024-07 Azure Stack Hub Operator still counts: %+v", got)
		}
		want := []domain.StoppedCertification{{IndividualID: "C", CertificationID: stackHub, CountedUntil: domain.MustDate("2024-07-31")}}
		if got := stopped("2024-08"); !reflect.DeepEqual(got, want) {
			t.Errorf("as of 2024-08: %+v, want %+v (E's certificate expired, so E holds nothing)", got, want)
		}
		in := domain.ScoreInput{AsOf: domain.MustMonth("2026-06"), Individuals: []domain.Individual{person("D", "azure-data-scientist-associate", analyst)}}
		b, _ := json.Marshal(metricOf(t, domain.ScoreArea(rules, in, domain.AreaDataAI), domain.MetricIntermediateCertifications).Inputs)
		if !strings.Contains(string(b), `"stoppedCounting":[{"individualId":"D","certificationId":"azure-data-scientist-associate","countedUntil":"2026-06-01"}]`) {
			t.Errorf("Data & AI as of 2026-06: %s", b)
		}
	})
	// Counting until a day inside a month does not count for that month:
	// certifications are held at its end (Azure Data Scientist, until 2026-06-01).
	dai := []domain.Individual{person("A", admin), person("B", admin), person("X", architect), person("Y", architect), person("C", "azure-data-scientist-associate")}
	for month, want := range map[string]int{"2026-05": 4, "2026-06": 0} {
		m := metricOf(t, domain.ScoreArea(rules, domain.ScoreInput{AsOf: domain.MustMonth(month), Individuals: dai}, domain.AreaDataAI), domain.MetricIntermediateCertifications)
		if m.Points != want {
			t.Errorf("Azure Data Scientist Associate as of %s: %d points, want %d", month, m.Points, want)
		}
	}
}

func TestScore_NoData(t *testing.T) {
	for _, r := range []domain.ScoringRules{rules, {}} {
		scores := domain.Score(r, domain.ScoreInput{AsOf: asOf})
		if len(scores) != 3 {
			t.Fatalf("%d areas", len(scores))
		}
		for _, s := range scores {
			if s.Total != 0 || s.Attained {
				t.Errorf("%s: total %d attained %v", s.Area, s.Total, s.Attained)
			}
			for _, m := range s.Metrics {
				if m.Points != 0 || len(m.Missing) == 0 || m.Inputs == nil {
					t.Errorf("%s %s: points %d, missing %q", s.Area, m.Metric, m.Points, m.Missing)
				}
			}
		}
	}
	// Rules that lack an area still score its common metrics, never attained.
	s := domain.ScoreArea(domain.ScoringRules{}, dataAI(3, 10, 20, 5), domain.AreaDataAI)
	if s.Total != 60 || s.Attained || len(s.Metrics) != 3 {
		t.Errorf("without rules: total %d attained %v, %d metrics", s.Total, s.Attained, len(s.Metrics))
	}
}

func TestScore_MatchesScoreArea(t *testing.T) {
	in := dataAI(2, 4, 7, 3)
	in.Individuals = append(in.Individuals, person("n1", network, avd), person("d1", ppdev, devops))
	for i, s := range domain.Score(rules, in) {
		if one := domain.ScoreArea(rules, in, domain.Areas[i]); !reflect.DeepEqual(s, one) {
			t.Errorf("%s: Score and ScoreArea differ\n%+v\n%+v", s.Area, s, one)
		}
	}
}

func TestParseArea(t *testing.T) {
	for _, a := range domain.Areas {
		if got, ok := domain.ParseArea(string(a)); !ok || got != a {
			t.Errorf("ParseArea(%q) = %q, %v", a, got, ok)
		}
	}
	for _, bad := range []string{"", "Data-AI", "security", "data_ai"} {
		if _, ok := domain.ParseArea(bad); ok {
			t.Errorf("ParseArea(%q) accepted", bad)
		}
	}
}

// TestScore_JSON holds the response shape of DESIGN "Score responses": money
// as exact JSON numbers, [] rather than null, null growth on a zero base.
func TestScore_JSON(t *testing.T) {
	in := domain.ScoreInput{AsOf: asOf, Customers: customers(domain.AssociationCSPTier1, 1),
		Usage: domain.NewUsage([]domain.ConsumptionRecord{rec(1, 0, "Azure SQL Database", domain.OfferPAYG, "1000.5")})}
	b, err := json.Marshal(domain.ScoreArea(rules, in, domain.AreaInfrastructure))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"area":"infrastructure","name":"Infrastructure","asOf":"2026-10","asOfComplete":true,"total":12,"attained":false,"metrics":[`,
		`{"metric":"net_customer_adds","points":10,"max":30,"inputs":{"lastMonth":"2026-10","previousMonth":"2026-09","sameMonthLastYear":"2025-10","monthBeforeThatLastYear":"2025-09",` +
			`"eligibleCustomers":[{"tenantId":"` + tenant(1) + `","acr":[{"month":"2026-09","acrUsd":0},{"month":"2026-10","acrUsd":1000.5}]}],"eligibleCustomersLastYear":[],"netAdds":1},"missing":["2 more`,
		`"inputs":{"steps":[{"step":1,"role":"prerequisite","certifications":["azure-administrator-associate"],"minPeople":2,"people":[],"met":false},` +
			`{"step":2,"role":"points","certifications":["azure-network-engineer-associate","windows-server-hybrid-administrator-associate","azure-stack-hub-operator-associate"],"people":[],"met":false,"pointsPerPerson":4,"maxPoints":20}],"stoppedCounting":[]}`,
		`"inputs":{"lastMonth":"2026-10","sameMonthLastYear":"2025-10","qualifyingAcrUsd":1000.5,"qualifyingAcrUsdLastYear":0,"trailing12MonthsAcrUsd":1000.5,"growthPercent":null,"window":{"from":"2025-11","to":"2026-10"}}`,
		`"inputs":{"from":"2025-11","to":"2026-10","services":[{"name":"Azure SQL Database","group":"Group"}],"excluded":["Virtual Machines","Virtual Machines Licenses"]}`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks\n%s\nin\n%s", want, s)
		}
	}

	full := dataAI(3, 10, 20, 5)
	b, _ = json.Marshal(domain.ScoreArea(rules, full, domain.AreaDataAI))
	if strings.Contains(string(b), "null") || strings.Count(string(b), `"missing":[]`) != 4 {
		t.Errorf("a full score must list [] as missing everywhere and no null: %s", b)
	}
}

func TestCentsMarshalJSON(t *testing.T) {
	for c, want := range map[domain.Cents]string{0: "0", 5: "0.05", 100050: "1000.5", 123456789: "1234567.89", -150: "-1.5"} {
		b, err := json.Marshal(c)
		if err != nil || string(b) != want {
			t.Errorf("Marshal(%d) = %s, %v; want %s", c, b, err, want)
		}
	}
}
