package domain_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/partnerready/partnerready/internal/domain"
)

// staff is n people with one certification each, ids prefix1..prefixN.
func staff(prefix, cert string, n int) []domain.Individual {
	out := make([]domain.Individual, n)
	for i := range n {
		out[i] = person(fmt.Sprint(prefix, i+1), cert)
	}
	return out
}

// partner is dataAI's consumption and customers with the given people.
func partner(netAdds, growthPct, services int, people ...[]domain.Individual) domain.ScoreInput {
	in := dataAI(netAdds, 0, growthPct, services)
	in.Individuals = slices.Concat(people...)
	return in
}

func differenceOf(t *testing.T, sim domain.Simulation, a domain.Area) domain.AreaDifference {
	t.Helper()
	for _, d := range sim.Differences {
		if d.Area == a {
			return d
		}
	}
	t.Fatalf("no difference for %s", a)
	return domain.AreaDifference{}
}

func deltas(d domain.AreaDifference) map[domain.Metric]int {
	out := map[domain.Metric]int{}
	for _, m := range d.Metrics {
		out[m.Metric] = m.Delta
	}
	return out
}

// Two Azure Administrator Associates meet step 1 of Infrastructure's
// intermediate certifications and unlock the people already in step 2;
// Data & AI still lacks its step 2 (R-PCS-4).
func TestSimulate_TwoAdministratorsUnlockIntermediate(t *testing.T) {
	in := partner(1, 5, 1, staff("n", network, 3))
	sim, errs := domain.Simulate(rules, in, domain.Scenario{AddIndividuals: []domain.Individual{person("new1", admin), person("new2", admin)}})
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	if sim.AsOf != asOf || len(sim.Areas) != 3 || len(sim.Differences) != 3 {
		t.Fatalf("as of %s, %d areas, %d differences", sim.AsOf, len(sim.Areas), len(sim.Differences))
	}
	infra := differenceOf(t, sim, domain.AreaInfrastructure)
	want := map[domain.Metric]int{domain.MetricNetCustomerAdds: 0, domain.MetricIntermediateCertifications: 12,
		domain.MetricAdvancedCertifications: 0, domain.MetricUsageGrowth: 0, domain.MetricDeployments: 0}
	if got := deltas(infra); !reflect.DeepEqual(got, want) {
		t.Errorf("infrastructure deltas %v, want %v", got, want)
	}
	if infra.Total != (domain.Change{Before: 17, After: 29, Delta: 12}) || infra.Attained != (domain.AttainedChange{}) {
		t.Errorf("infrastructure total %+v attained %+v", infra.Total, infra.Attained)
	}
	for _, m := range infra.Metrics {
		if m.Metric == domain.MetricIntermediateCertifications && (m.Before != 0 || m.After != 12) {
			t.Errorf("intermediate %+v, want 0 → 12", m)
		}
	}
	if d := differenceOf(t, sim, domain.AreaDataAI); d.Total.Delta != 0 || deltas(d)[domain.MetricIntermediateCertifications] != 0 {
		t.Errorf("Data & AI moved without Azure Solutions Architect Experts: %+v", d)
	}
	// The areas are the scores of the scenario's data, not the partner's.
	after, _ := domain.Scenario{AddIndividuals: []domain.Individual{person("new1", admin), person("new2", admin)}}.Apply(in)
	if !reflect.DeepEqual(sim.Areas, domain.Score(rules, after)) {
		t.Error("Areas are not the score with the scenario applied")
	}

	b, err := json.Marshal(sim)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`"asOf":"2026-10","asOfComplete":true,"areas":[{"area":"data-ai"`,
		`{"area":"infrastructure","total":{"before":17,"after":29,"delta":12},"attained":{"before":false,"after":false},"metrics":[{"metric":"net_customer_adds","before":10,"after":10,"delta":0},{"metric":"intermediate_certifications","before":0,"after":12,"delta":12}`,
	} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s in\n%s", s, b)
		}
	}
}

// R-PCS-4: a person added again with a certification replaces them whole.
func TestSimulate_ReplacePersonWithHypotheticalCertification(t *testing.T) {
	in := partner(0, 0, 0, staff("a", admin, 2), staff("x", architect, 2), []domain.Individual{person("p1", analyst)})
	// a1 keeps Azure Administrator Associate and gains Data Analyst Associate:
	// a person counts in several steps, once per step.
	sim, errs := domain.Simulate(rules, in, domain.Scenario{AddIndividuals: []domain.Individual{person("a1", admin, analyst)}})
	if errs != nil {
		t.Fatal(errs)
	}
	if d := deltas(differenceOf(t, sim, domain.AreaDataAI)); d[domain.MetricIntermediateCertifications] != 4 {
		t.Errorf("deltas %v, want +4 intermediate", d)
	}
	// Replacing a1 without the administrator certification breaks step 1.
	sim, _ = domain.Simulate(rules, in, domain.Scenario{AddIndividuals: []domain.Individual{person("a1", analyst)}})
	if d := differenceOf(t, sim, domain.AreaDataAI); deltas(d)[domain.MetricIntermediateCertifications] != -4 {
		t.Errorf("replacement is not whole: %+v", d.Metrics)
	}
}

func TestSimulate_RemoveUnknownIndividualNamesTheField(t *testing.T) {
	in := partner(1, 5, 1, staff("a", admin, 2))
	sim, errs := domain.Simulate(rules, in, domain.Scenario{RemoveIndividuals: []string{"a1", "a1", "ghost"}})
	want := []domain.ScenarioError{
		{Field: "removeIndividuals[1]", Message: "repeats removeIndividuals[0]"},
		{Field: "removeIndividuals[2]", Message: `the partner has no individual "ghost"`},
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors %+v, want %+v", errs, want)
	}
	if sim.Areas != nil || sim.Differences != nil {
		t.Error("a bad scenario must not be scored")
	}
}

// Removing last month's record lowers growth and drops the service it was the
// only consumption of (R-PCS-6, R-PCS-7).
func TestSimulate_RemoveConsumptionLowersGrowth(t *testing.T) {
	in := dataAI(1, 4, 10, 0)
	in.Usage = domain.NewUsage(append(in.Usage.Records(), rec(0, 0, "Azure SQL Database", domain.OfferPAYG, "5000")))
	before := domain.ScoreArea(rules, in, domain.AreaDataAI)
	if g := metricOf(t, before, domain.MetricUsageGrowth).Points; g != 15 {
		t.Fatalf("fixture growth %d, want 15", g)
	}
	sim, errs := domain.Simulate(rules, in, domain.Scenario{RemoveConsumption: []domain.ConsumptionRecord{
		{TenantID: strings.ToUpper(tenant(0)), Month: asOf, ServiceLevel2: "Azure SQL Database", Offer: domain.OfferPAYG}, // ACR ignored, case too
	}})
	if errs != nil {
		t.Fatal(errs)
	}
	d := deltas(differenceOf(t, sim, domain.AreaDataAI))
	if d[domain.MetricUsageGrowth] != -5 || d[domain.MetricDeployments] != -2 || d[domain.MetricNetCustomerAdds] != 0 {
		t.Errorf("deltas %v, want growth −5, deployments −2", d)
	}

	_, errs = domain.Scenario{RemoveConsumption: []domain.ConsumptionRecord{
		{TenantID: tenant(0), Month: asOf, ServiceLevel2: "Azure SQL Database", Offer: domain.OfferCSP},      // other offer
		{TenantID: tenant(0), Month: asOf.AddMonths(-3), ServiceLevel2: "Azure SQL Database", Offer: "PAYG"}, // other month
	}}.Apply(in)
	if len(errs) != 2 || errs[0].Field != "removeConsumption[0]" || errs[1].Field != "removeConsumption[1]" {
		t.Errorf("records that do not exist: %+v", errs)
	}
}

func TestSimulate_AddConsumptionUpserts(t *testing.T) {
	in := dataAI(0, 0, 10, 0) // tenant 0: USD 110,000 on Virtual Machines, PAYG, in M
	r := rec(0, 0, "Virtual Machines", domain.OfferPAYG, "120000")
	r.ServiceGroup = "Compute"
	out, errs := domain.Scenario{AddConsumption: []domain.ConsumptionRecord{r}}.Apply(in)
	if errs != nil {
		t.Fatal(errs)
	}
	// Replaced, as the ingest API does, not added to (which would be 130 %).
	if g := metricOf(t, domain.ScoreArea(rules, out, domain.AreaDataAI), domain.MetricUsageGrowth); g.Points != 20 ||
		g.Inputs.(*domain.GrowthInputs).QualifyingACR != usd("120000") {
		t.Errorf("growth %d on %s", g.Points, g.Inputs.(*domain.GrowthInputs).QualifyingACR)
	}
}

func TestSimulate_AddConsumptionForUnknownTenant(t *testing.T) {
	in := dataAI(1, 0, 5, 0)
	bad := rec(77, 0, "Azure Functions", domain.OfferPAYG, "10")
	_, errs := domain.Simulate(rules, in, domain.Scenario{AddConsumption: []domain.ConsumptionRecord{rec(1, 0, "Azure Functions", domain.OfferPAYG, "10"), bad}})
	want := []domain.ScenarioError{{Field: "addConsumption[1].tenantId", Message: "is not a customer of the partner (real or in addCustomers)"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors %+v, want %+v", errs, want)
	}
	// A customer added by the same scenario may consume …
	added := domain.Scenario{AddCustomers: customers(domain.AssociationCSPTier1, 77), AddConsumption: []domain.ConsumptionRecord{bad}}
	sim, errs := domain.Simulate(rules, in, added)
	if errs != nil || deltas(differenceOf(t, sim, domain.AreaDataAI))[domain.MetricDeployments] != 2 {
		t.Errorf("added customer's consumption: %v %+v", errs, sim.Differences)
	}
	// … a customer removed by it may not.
	_, errs = domain.Scenario{RemoveCustomers: []string{tenant(1)}, AddConsumption: []domain.ConsumptionRecord{rec(1, 0, "Azure Functions", domain.OfferPAYG, "10")}}.Apply(in)
	if len(errs) != 1 || errs[0].Field != "addConsumption[0].tenantId" {
		t.Errorf("removed customer's consumption: %+v", errs)
	}
}

// A removed customer's consumption stays in the data but no longer
// qualifies (R-PCS-3).
func TestSimulate_RemoveCustomer(t *testing.T) {
	in := dataAI(2, 0, 10, 0)
	sim, errs := domain.Simulate(rules, in, domain.Scenario{RemoveCustomers: []string{tenant(2)}})
	if errs != nil {
		t.Fatal(errs)
	}
	if d := deltas(differenceOf(t, sim, domain.AreaDataAI)); d[domain.MetricNetCustomerAdds] != -10 || d[domain.MetricUsageGrowth] != 0 {
		t.Errorf("deltas %v", d)
	}
	// Changing the association to PAL on a government subscription disqualifies it too.
	gov := domain.Customer{TenantID: tenant(1), Association: domain.AssociationPAL, Government: true}
	sim, _ = domain.Simulate(rules, in, domain.Scenario{AddCustomers: []domain.Customer{gov}})
	if d := deltas(differenceOf(t, sim, domain.AreaDataAI)); d[domain.MetricNetCustomerAdds] != -10 {
		t.Errorf("government via PAL: deltas %v", d)
	}
}

func TestScenario_Validation(t *testing.T) {
	in := dataAI(1, 2, 5, 1)
	expired := domain.MustDate("2020-01-01")
	huge := rec(1, 0, "S", domain.OfferPAYG, "1")
	huge.ACR = domain.MaxCents + 1
	tests := []struct {
		name   string
		s      domain.Scenario
		fields []string
	}{
		{"bad individual id", domain.Scenario{AddIndividuals: []domain.Individual{{ID: "a b"}}}, []string{"addIndividuals[0].individualId"}},
		{"individual added twice", domain.Scenario{AddIndividuals: []domain.Individual{person("n"), person("n")}}, []string{"addIndividuals[1].individualId"}},
		{"certification without id, expiring before earned", domain.Scenario{AddIndividuals: []domain.Individual{{ID: "n", Certifications: []domain.HeldCertification{
			{ID: admin}, {EarnedOn: domain.MustDate("2022-01-01"), ExpiresOn: &expired}}}}},
			[]string{"addIndividuals[0].certifications[1].id", "addIndividuals[0].certifications[1].expiresOn"}},
		{"customer tenant not a GUID", domain.Scenario{AddCustomers: []domain.Customer{{TenantID: "contoso", Association: domain.AssociationDPOR}}}, []string{"addCustomers[0].tenantId"}},
		{"unknown association", domain.Scenario{AddCustomers: []domain.Customer{{TenantID: tenant(9), Association: "RESELLER"}}}, []string{"addCustomers[0].association"}},
		{"customer added twice, case aside", domain.Scenario{AddCustomers: []domain.Customer{{TenantID: tenant(9), Association: domain.AssociationDPOR},
			{TenantID: strings.ToUpper(tenant(9)), Association: domain.AssociationDPOR}}}, []string{"addCustomers[1].tenantId"}},
		{"remove a customer that is not one", domain.Scenario{RemoveCustomers: []string{tenant(9), "x"}}, []string{"removeCustomers[0]", "removeCustomers[1]"}},
		{"consumption fields", domain.Scenario{AddConsumption: []domain.ConsumptionRecord{{TenantID: tenant(1), ACR: -1, Offer: "GIFT"}}},
			[]string{"addConsumption[0].month", "addConsumption[0].serviceLevel2", "addConsumption[0].serviceGroup", "addConsumption[0].offer", "addConsumption[0].acrUsd"}},
		{"consumption too large", domain.Scenario{AddConsumption: []domain.ConsumptionRecord{huge}}, []string{"addConsumption[0].acrUsd"}},
		{"same key twice", domain.Scenario{AddConsumption: []domain.ConsumptionRecord{rec(1, 0, "S", domain.OfferPAYG, "1"), rec(1, 0, "S", domain.OfferPAYG, "2")}},
			[]string{"addConsumption[1]"}},
		{"remove a record twice", domain.Scenario{RemoveConsumption: []domain.ConsumptionRecord{rec(1, 1, "Virtual Machines", domain.OfferCSP, "0"), rec(1, 1, "Virtual Machines", domain.OfferCSP, "0")}},
			[]string{"removeConsumption[1]"}},
		{"remove consumption of a bad tenant id", domain.Scenario{RemoveConsumption: []domain.ConsumptionRecord{{TenantID: "nope"}}}, []string{"removeConsumption[0].tenantId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Apply returns in itself on error, so out == in proves nothing:
			// both are held to a copy taken before (all or nothing).
			snapshot := deepCopy(in)
			out, errs := tt.s.Apply(in)
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
				if e.Message == "" || e.Error() != e.Field+": "+e.Message {
					t.Errorf("error %+v", e)
				}
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("fields %q, want %q (%+v)", fields, tt.fields, errs)
			}
			if !reflect.DeepEqual(in, snapshot) || !reflect.DeepEqual(out, snapshot) {
				t.Error("a bad scenario changed something")
			}
		})
	}
}

// deepCopy copies everything Apply could write through.
func deepCopy(in domain.ScoreInput) domain.ScoreInput {
	out := in
	out.Individuals = slices.Clone(in.Individuals)
	for i := range out.Individuals {
		out.Individuals[i].Certifications = slices.Clone(in.Individuals[i].Certifications)
	}
	out.Customers = slices.Clone(in.Customers)
	out.Usage.Services = slices.Clone(in.Usage.Services)
	out.Usage.Months = map[domain.Month][]domain.TenantUsage{}
	for m, rows := range in.Usage.Months {
		rows = slices.Clone(rows)
		for i := range rows {
			rows[i].Lines = slices.Clone(rows[i].Lines)
		}
		out.Usage.Months[m] = rows
	}
	return out
}

// withSpare gives a slice spare capacity filled with a sentinel, so that an
// append into the caller's backing array shows.
func withSpare[T any](s []T, sentinel T) []T {
	out := make([]T, len(s), len(s)+4)
	copy(out, s)
	full := out[:cap(out)]
	for i := len(s); i < len(full); i++ {
		full[i] = sentinel
	}
	return out
}

func TestScenario_ApplyDoesNotMutate(t *testing.T) {
	in := dataAI(2, 1, 10, 2)
	in.Individuals = withSpare(in.Individuals, person("sentinel"))
	in.Customers = withSpare(in.Customers, domain.Customer{TenantID: "sentinel"})
	in.Usage.Services = withSpare(in.Usage.Services, domain.Service{Name: "sentinel"})
	for m, rows := range in.Usage.Months {
		for i := range rows {
			rows[i].Lines = withSpare(rows[i].Lines, domain.UsageLine{ACR: -1})
		}
		in.Usage.Months[m] = withSpare(rows, domain.TenantUsage{TenantID: "sentinel"})
	}
	snapshot := deepCopy(in)

	newTenant := "ABCDEF01-0000-4000-8000-000000000050" // upper case: normalized
	s := domain.Scenario{
		AddIndividuals:    []domain.Individual{person("a1", admin, network), person("z9", avd)},
		RemoveIndividuals: []string{"x1"},
		AddCustomers:      []domain.Customer{{TenantID: tenant(2), Association: domain.AssociationDPOR}, {TenantID: newTenant, Association: domain.AssociationCSPTier2}},
		RemoveCustomers:   []string{tenant(1)},
		AddConsumption: []domain.ConsumptionRecord{
			{TenantID: tenant(0), Month: asOf, ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferPAYG, ACR: usd("1")},
			{TenantID: newTenant, Month: asOf, ServiceLevel2: "Azure Functions", ServiceGroup: "Compute", Offer: domain.OfferCSP, ACR: usd("2000")},
			{TenantID: tenant(2), Month: asOf.AddMonths(-1), ServiceLevel2: "Virtual Machines", ServiceGroup: "Compute", Offer: domain.OfferCSP, ACR: usd("5")},
		},
		RemoveConsumption: []domain.ConsumptionRecord{{TenantID: tenant(0), Month: asOf.AddMonths(-12), ServiceLevel2: "Virtual Machines", Offer: domain.OfferPAYG}},
	}
	out, errs := s.Apply(in)
	if errs != nil {
		t.Fatal(errs)
	}
	if !reflect.DeepEqual(in, snapshot) {
		t.Fatal("Apply changed its input")
	}
	spare := func(name string, n int, ok bool) {
		if !ok {
			t.Errorf("Apply wrote into the spare capacity of the input's %s (%d)", name, n)
		}
	}
	spare("individuals", 0, in.Individuals[:cap(in.Individuals)][len(in.Individuals)].ID == "sentinel")
	spare("customers", 0, in.Customers[:cap(in.Customers)][len(in.Customers)].TenantID == "sentinel")
	spare("services", 0, in.Usage.Services[:cap(in.Usage.Services)][len(in.Usage.Services)].Name == "sentinel")
	for _, rows := range in.Usage.Months {
		spare("month", 0, rows[:cap(rows)][len(rows)].TenantID == "sentinel")
		for i, r := range rows {
			spare("lines", i, r.Lines[:cap(r.Lines)][len(r.Lines)].ACR == -1)
		}
	}

	var ids []string
	for _, p := range out.Individuals {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"a1", "a2", "p0", "x2", "z9"}) {
		t.Errorf("individuals %q", ids)
	}
	assoc := map[string]domain.Association{}
	for _, c := range out.Customers {
		assoc[c.TenantID] = c.Association
	}
	if !reflect.DeepEqual(assoc, map[string]domain.Association{tenant(0): domain.AssociationCSPTier1, tenant(2): domain.AssociationDPOR, strings.ToLower(newTenant): domain.AssociationCSPTier2}) {
		t.Errorf("customers %v", assoc)
	}
	got := map[string]domain.Cents{}
	for _, r := range out.Usage.Records() {
		got[r.Key()] += r.ACR
	}
	key := func(tid string, back int, svc string, o domain.Offer) string {
		return domain.ConsumptionRecord{TenantID: tid, Month: asOf.AddMonths(-back), ServiceLevel2: svc, Offer: o}.Key()
	}
	want := map[string]domain.Cents{
		key(tenant(0), 0, "Virtual Machines", domain.OfferPAYG):                usd("1"),
		key(strings.ToLower(newTenant), 0, "Azure Functions", domain.OfferCSP): usd("2000"),
		key(tenant(1), 1, "Virtual Machines", domain.OfferCSP):                 usd("1000"), // the customer goes, its data stays
		key(tenant(2), 1, "Virtual Machines", domain.OfferCSP):                 usd("5"),
		key(tenant(0), 2, "Service 0", domain.OfferPAYG):                       usd("1"),
		key(tenant(0), 2, "Service 1", domain.OfferPAYG):                       usd("1"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records\n%v\nwant\n%v", got, want)
	}
	// Tenants stay in id order: the score merges them with the customers.
	for m, rows := range out.Usage.Months {
		if !slices.IsSortedFunc(rows, func(a, b domain.TenantUsage) int { return strings.Compare(a.TenantID, b.TenantID) }) {
			t.Errorf("%s: tenants out of order", m)
		}
	}
	if _, ok := out.Usage.Months[asOf.AddMonths(-12)]; ok {
		t.Error("an emptied month stays")
	}
}

// An empty scenario copies nothing: Apply shares what it does not change
// with its input (the store's data is large and read-only).
func TestScenario_EmptySharesInput(t *testing.T) {
	in := dataAI(1, 1, 1, 1)
	out, errs := domain.Scenario{}.Apply(in)
	if errs != nil || !reflect.DeepEqual(out, in) {
		t.Errorf("empty scenario: %v", errs)
	}
	if unsafe.SliceData(out.Individuals) != unsafe.SliceData(in.Individuals) || unsafe.SliceData(out.Customers) != unsafe.SliceData(in.Customers) ||
		unsafe.SliceData(out.Usage.Services) != unsafe.SliceData(in.Usage.Services) ||
		reflect.ValueOf(out.Usage.Months).UnsafePointer() != reflect.ValueOf(in.Usage.Months).UnsafePointer() {
		t.Error("an empty scenario copied its input")
	}
	sim, _ := domain.Simulate(rules, in, domain.Scenario{})
	for _, d := range sim.Differences {
		if d.Total.Delta != 0 || len(d.Metrics) == 0 {
			t.Errorf("%s: %+v", d.Area, d)
		}
	}
}
