package domain

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// specAIML is AI and Machine Learning as seed 001 states it (R-SPEC-2).
func specAIML() Specialization {
	return Specialization{
		ID: "ai-and-machine-learning-in-microsoft-azure", Name: "AI and Machine Learning in Microsoft Azure",
		Category: CategoryAzure, Designations: []Designation{DesignationDataAI, DesignationDigitalAppInnovation},
		ManualValidation: ManualValidationAudit, RequirementsKnown: RequirementsFull,
		Requirements: SpecializationRequirements{
			Performance: &PerformanceRequirement{
				Label: "AI ACR", ServiceGroups: []string{"AI + Machine Learning"}, MonthlyAverage: 2000_00, Months: 3, MinCustomers: 3,
				Associations: []Association{AssociationDPOR, AssociationPAL, AssociationCSPTier1, AssociationCSPTier2},
			},
			Knowledge: &KnowledgeRequirement{MinPeople: 3, Certifications: []string{"azure-data-scientist-associate", "azure-ai-engineer-associate"}, EachCertificationHeld: true},
			Audit:     &AuditRequirement{Modules: []string{"A", "B"}},
		},
	}
}

func specTenant(i int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012d", i) }

var specAsOf = MustMonth("2026-10")

// specAIRecords gives each tenant the same AI ACR in each month of the window.
func specAIRecords(perMonth map[string]Cents) []ConsumptionRecord {
	var rs []ConsumptionRecord
	for _, m := range []string{"2026-08", "2026-09", "2026-10"} {
		for t, acr := range perMonth {
			rs = append(rs, ConsumptionRecord{TenantID: t, Month: MustMonth(m), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: OfferPAYG, ACR: acr})
		}
	}
	return rs
}

func specCustomers(n int, a Association) []Customer {
	cs := make([]Customer, n)
	for i := range cs {
		cs[i] = Customer{TenantID: specTenant(i + 1), Name: fmt.Sprint("customer ", i+1), Association: a}
	}
	return cs
}

func specPerson(id string, certs ...string) Individual {
	exp := MustDate("2027-01-01")
	ind := Individual{ID: id, DisplayName: id}
	for _, c := range certs {
		ind.Certifications = append(ind.Certifications, HeldCertification{ID: c, EarnedOn: MustDate("2025-01-01"), ExpiresOn: &exp})
	}
	return ind
}

const (
	specDS = "azure-data-scientist-associate"
	specAI = "azure-ai-engineer-associate"
)

// specReadyInput meets every telemetry requirement of specAIML exactly:
// USD 2,000 a month from three customers, three people, both certifications.
func specReadyInput() ReadinessInput {
	return ReadinessInput{
		AsOf:         specAsOf,
		Designations: map[Designation]bool{DesignationDataAI: true, DesignationInfrastructure: false, DesignationDigitalAppInnovation: false},
		Individuals:  []Individual{specPerson("ana", specDS), specPerson("ben", specAI), specPerson("chen", specDS, specAI)},
		Customers:    specCustomers(3, AssociationCSPTier1),
		Usage:        NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})),
	}
}

func specReq(t *testing.T, st SpecializationStatus, k RequirementKind) RequirementStatus {
	t.Helper()
	for _, r := range st.Requirements {
		if r.Kind == k {
			return r
		}
	}
	t.Fatalf("no %s requirement in %+v", k, st.Requirements)
	return RequirementStatus{}
}

func specMet(r RequirementStatus) string {
	if r.Met == nil {
		return "null"
	}
	return fmt.Sprint(*r.Met)
}

// R-SPEC-1: any one aligned designation suffices.
func TestReadiness_DesignationEitherAligned(t *testing.T) {
	for _, tc := range []struct {
		name  string
		des   map[Designation]bool
		met   string
		state ReadinessStatus
	}{
		{"data-ai", map[Designation]bool{DesignationDataAI: true, DesignationDigitalAppInnovation: false}, "true", ReadinessReadyForAudit},
		{"digital-app-innovation", map[Designation]bool{DesignationDataAI: false, DesignationDigitalAppInnovation: true}, "true", ReadinessReadyForAudit},
		{"infrastructure is not aligned", map[Designation]bool{DesignationDataAI: false, DesignationDigitalAppInnovation: false, DesignationInfrastructure: true}, "false", ReadinessNotReady},
		{"one unknown, none attained", map[Designation]bool{DesignationDataAI: false}, "null", ReadinessUnknown},
		{"nothing known", nil, "null", ReadinessUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Designations = tc.des
			st := Readiness(specAIML(), in)
			r := specReq(t, st, RequirementDesignation)
			if specMet(r) != tc.met || st.Status != tc.state {
				t.Errorf("met %s status %s, want %s %s: %s", specMet(r), st.Status, tc.met, tc.state, r.Detail)
			}
			if tc.met == "false" && !strings.Contains(r.Shortfall, "Data & AI (Azure) or Digital & App Innovation (Azure)") {
				t.Errorf("shortfall %q", r.Shortfall)
			}
		})
	}
}

// R-SPEC-1: a designation this API does not compute is unknown, never unmet.
func TestReadiness_BusinessApplicationsDesignationUnknown(t *testing.T) {
	bi := Specialization{
		ID: "business-intelligence", Name: "Business Intelligence", Category: CategoryBusinessApplications,
		Designations:     []Designation{DesignationBusinessApplications, DesignationDataAI},
		ManualValidation: ManualValidationNone, RequirementsKnown: RequirementsPartial,
	}
	in := specReadyInput()
	in.Designations = map[Designation]bool{DesignationDataAI: false}
	st := Readiness(bi, in)
	r := specReq(t, st, RequirementDesignation)
	if r.Met != nil || st.Status != ReadinessUnknown {
		t.Fatalf("met %s status %s", specMet(r), st.Status)
	}
	if !strings.Contains(r.Detail, "Business Applications not computed") {
		t.Errorf("detail %q", r.Detail)
	}
	if got := r.Inputs.(DesignationInputs); len(got.Unknown) != 1 || got.Unknown[0] != DesignationBusinessApplications {
		t.Errorf("inputs %+v", got)
	}
	// Performance and knowledge are not in the catalogue: null, never guessed.
	for _, k := range []RequirementKind{RequirementPerformance, RequirementKnowledge} {
		if r := specReq(t, st, k); r.Met != nil {
			t.Errorf("%s met %s", k, specMet(r))
		}
	}
	// Data & AI attained satisfies the designation; the partial requirements keep it unknown.
	in.Designations[DesignationDataAI] = true
	st = Readiness(bi, in)
	if r := specReq(t, st, RequirementDesignation); specMet(r) != "true" || st.Status != ReadinessUnknown {
		t.Errorf("with Data & AI: met %s status %s", specMet(r), st.Status)
	}
	if len(st.Requirements) != 3 {
		t.Errorf("Business Applications have no manual validation (seed 002): %+v", st.Requirements)
	}
}

// R-SPEC-2: USD 2,000 a month on average over three months, from three or more customers.
func TestReadiness_PerformanceThreshold(t *testing.T) {
	for _, tc := range []struct {
		name      string
		perMonth  map[string]Cents
		met       bool
		detail    string
		shortfall string
	}{
		{"exactly USD 2,000 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00}, true,
			"AI ACR average USD 2,000 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers", ""},
		{"USD 1,999.99 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 399_99}, false,
			"AI ACR average USD 1,999.99 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers",
			"USD 0.03 more AI ACR over 2026-08..2026-10 (USD 0.01 a month on average)"},
		{"USD 1,840 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 440_00, specTenant(3): 400_00}, false,
			"AI ACR average USD 1,840 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers",
			"USD 480 more AI ACR over 2026-08..2026-10 (USD 160 a month on average)"},
		{"USD 2,000 from 2", map[string]Cents{specTenant(1): 1600_00, specTenant(2): 400_00}, false,
			"AI ACR average USD 2,000 over 2026-08..2026-10 from 2 customers; needs USD 2,000 from 3 or more customers",
			"1 more customer with AI ACR in the window"},
		{"USD 3,000 from 4", map[string]Cents{specTenant(1): 1600_00, specTenant(2): 400_00, specTenant(3): 500_00, specTenant(4): 500_00}, true,
			"AI ACR average USD 3,000 over 2026-08..2026-10 from 4 customers; needs USD 2,000 from 3 or more customers", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Customers = specCustomers(4, AssociationDPOR)
			in.Usage = NewUsage(specAIRecords(tc.perMonth))
			r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
			if r.Met == nil || *r.Met != tc.met || r.Detail != tc.detail || r.Shortfall != tc.shortfall {
				t.Errorf("met %s\n detail    %q\n want      %q\n shortfall %q\n want      %q", specMet(r), r.Detail, tc.detail, r.Shortfall, tc.shortfall)
			}
		})
	}
}

// The average uses the whole window: a month outside it, or a month with no
// data, changes nothing but the total it contributes (R-SPEC-2).
func TestReadiness_PerformanceWindow(t *testing.T) {
	in := specReadyInput()
	rs := specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})
	rs = append(rs, ConsumptionRecord{TenantID: specTenant(1), Month: MustMonth("2026-07"), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: OfferPAYG, ACR: 9000_00})
	rs = append(rs, ConsumptionRecord{TenantID: specTenant(1), Month: MustMonth("2026-11"), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: OfferPAYG, ACR: 9000_00})
	in.Usage = NewUsage(rs)
	r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	p := r.Inputs.(PerformanceInputs)
	if p.TotalUSD != 6000_00 || p.AverageUSD != 2000_00 || len(p.Months) != 3 || p.Months[0] != MustMonth("2026-08") {
		t.Errorf("inputs %+v", p)
	}
	// Only two of the three months have data: the average still divides by three.
	in.Usage = NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})[3:])
	r = specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	if p := r.Inputs.(PerformanceInputs); p.AverageUSD != 1333_33 || specMet(r) != "false" {
		t.Errorf("two months of data: average %s met %s", p.AverageUSD, specMet(r))
	}
}

// R-SPEC-2: ACR left out, by reason: unknown customer, offer, association, government via PAL.
func TestReadiness_PerformanceExclusions(t *testing.T) {
	// Three qualifying customers at exactly the bar; every exclusion below adds
	// ACR that must not count, from a fourth tenant so the customer count would
	// show it too.
	base := map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 399_99}
	line := func(tenant int, group string, offer Offer) ConsumptionRecord {
		return ConsumptionRecord{TenantID: specTenant(tenant), Month: specAsOf, ServiceLevel2: "svc " + group, ServiceGroup: group, Offer: offer, ACR: 5000_00}
	}
	for _, tc := range []struct {
		name     string
		customer Customer
		record   ConsumptionRecord
		excluded func(PerformanceExcluded) Cents
	}{
		{"government via PAL", Customer{TenantID: specTenant(4), Association: AssociationPAL, Government: true}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.GovernmentViaPAL }},
		{"ineligible offer", Customer{TenantID: specTenant(4), Association: AssociationCSPTier2}, line(4, "AI + Machine Learning", OfferTrial),
			func(e PerformanceExcluded) Cents { return e.IneligibleOffer }},
		{"unknown customer", Customer{TenantID: specTenant(9), Association: AssociationDPOR}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.UnknownCustomer }},
		{"association not listed", Customer{TenantID: specTenant(4), Association: "RESELLER"}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.AssociationNotListed }},
		{"non-AI service", Customer{TenantID: specTenant(4), Association: AssociationDPOR}, line(4, "Compute", OfferPAYG),
			func(PerformanceExcluded) Cents { return 5000_00 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Customers = append(specCustomers(3, AssociationDPOR), tc.customer)
			in.Usage = NewUsage(append(specAIRecords(base), tc.record))
			r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
			p := r.Inputs.(PerformanceInputs)
			if specMet(r) != "false" || p.TotalUSD != 5999_97 || p.Customers != 3 {
				t.Errorf("met %s total %s customers %d: %s", specMet(r), p.TotalUSD, p.Customers, r.Detail)
			}
			if got := tc.excluded(p.ExcludedUSD); got != 5000_00 {
				t.Errorf("excluded %+v", p.ExcludedUSD)
			}
		})
	}
	// Government customers count through other associations, and non-government through PAL.
	in := specReadyInput()
	in.Customers = []Customer{
		{TenantID: specTenant(1), Association: AssociationCSPTier1, Government: true},
		{TenantID: specTenant(2), Association: AssociationPAL},
		{TenantID: specTenant(3), Association: AssociationDPOR, Government: true},
	}
	in.Usage = NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00}))
	if r := specReq(t, Readiness(specAIML(), in), RequirementPerformance); specMet(r) != "true" {
		t.Errorf("government via CSP/DPOR and PAL non-government: %s %s", specMet(r), r.Detail)
	}
}

// Service groups come from partners' exports: "ai + machine learning" is the
// catalogue's "AI + Machine Learning" (R-SPEC-2).
func TestReadiness_PerformanceServiceGroupIgnoresCase(t *testing.T) {
	in := specReadyInput()
	rs := specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})
	for i := range rs {
		rs[i].ServiceGroup = "ai + machine learning"
	}
	in.Usage = NewUsage(rs)
	r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	if p := r.Inputs.(PerformanceInputs); specMet(r) != "true" || p.TotalUSD != 6000_00 || p.Customers != 3 {
		t.Errorf("met %s: %s", specMet(r), r.Detail)
	}
}

// A tenant listed twice among the customers counts if any entry qualifies,
// as the score counts it (R-PCS-3), whichever entry comes last (R-SPEC-2).
func TestReadiness_PerformanceTenantListedTwice(t *testing.T) {
	gov := Customer{TenantID: specTenant(1), Association: AssociationPAL, Government: true}
	csp := Customer{TenantID: specTenant(1), Association: AssociationCSPTier1}
	other := Customer{TenantID: specTenant(1), Association: "RESELLER"}
	for _, order := range [][]Customer{{gov, csp}, {csp, gov}} {
		in := specReadyInput()
		in.Customers = append(specCustomers(3, AssociationCSPTier1)[1:], order...)
		r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
		p := r.Inputs.(PerformanceInputs)
		if specMet(r) != "true" || p.TotalUSD != 6000_00 || p.ExcludedUSD != (PerformanceExcluded{}) {
			t.Errorf("%v then %v: met %s, %+v", order[0].Association, order[1].Association, specMet(r), p.ExcludedUSD)
		}
		if got := eligibleTenants(in.Customers); len(got) != 3 {
			t.Errorf("the score counts %d tenants", len(got))
		}
	}
	// Neither entry counts: the ACR is put down to government via PAL, the
	// reason nearest to counting, whichever comes last.
	for _, order := range [][]Customer{{gov, other}, {other, gov}} {
		in := specReadyInput()
		in.Customers = append(specCustomers(3, AssociationCSPTier1)[1:], order...)
		p := specReq(t, Readiness(specAIML(), in), RequirementPerformance).Inputs.(PerformanceInputs)
		if p.ExcludedUSD != (PerformanceExcluded{GovernmentViaPAL: 3000_00}) {
			t.Errorf("excluded %+v", p.ExcludedUSD)
		}
	}
}

// R-SPEC-2: three people, each listed certification held by at least one.
func TestReadiness_Knowledge(t *testing.T) {
	for _, tc := range []struct {
		name      string
		people    []Individual
		met       bool
		shortfall string
	}{
		{"three people, both held", []Individual{specPerson("a", specDS), specPerson("b", specAI), specPerson("c", specDS)}, true, ""},
		{"three people, one certification unheld", []Individual{specPerson("a", specDS), specPerson("b", specDS), specPerson("c", specDS)}, false,
			"nobody holds azure-ai-engineer-associate"},
		{"two people hold both", []Individual{specPerson("a", specDS, specAI), specPerson("b", specDS, specAI)}, false,
			"1 more person holding azure-data-scientist-associate or azure-ai-engineer-associate"},
		{"unlisted certifications do not count", []Individual{specPerson("a", specDS), specPerson("b", specAI), specPerson("c", "azure-solutions-architect-expert")}, false,
			"1 more person holding azure-data-scientist-associate or azure-ai-engineer-associate"},
		{"nobody", nil, false,
			"3 more people holding azure-data-scientist-associate or azure-ai-engineer-associate; nobody holds azure-data-scientist-associate or azure-ai-engineer-associate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Individuals = tc.people
			r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge)
			if specMet(r) != fmt.Sprint(tc.met) || r.Shortfall != tc.shortfall {
				t.Errorf("met %s shortfall %q, want %v %q (%s)", specMet(r), r.Shortfall, tc.met, tc.shortfall, r.Detail)
			}
		})
	}

	in := specReadyInput()
	r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge)
	want := "3 people holding azure-data-scientist-associate or azure-ai-engineer-associate at the end of 2026-10 (azure-data-scientist-associate: 2, azure-ai-engineer-associate: 2); needs 3 or more people and each listed certification held by at least 1"
	if r.Detail != want {
		t.Errorf("detail %q\nwant   %q", r.Detail, want)
	}
	if k := r.Inputs.(KnowledgeInputs); strings.Join(k.People, ",") != "ana,ben,chen" || strings.Join(k.Holders[specAI], ",") != "ben,chen" {
		t.Errorf("inputs %+v", k)
	}
}

// Held means earned by the end of AsOf and expiring no earlier than its last
// day. A certification the catalogue retired (both of these did in 2026) still
// counts while the person's certificate is valid: seed 001 asks who "passed" (R-SPEC-2).
func TestReadiness_KnowledgeDates(t *testing.T) {
	d := func(s string) *Date { x := MustDate(s); return &x }
	cert := func(id, earned string, expires *Date) HeldCertification {
		return HeldCertification{ID: id, EarnedOn: MustDate(earned), ExpiresOn: expires}
	}
	for _, tc := range []struct {
		name string
		c    HeldCertification
		met  bool
	}{
		{"earned on the last day", cert(specAI, "2026-10-31", nil), true},
		{"earned the day after", cert(specAI, "2026-11-01", nil), false},
		{"expires on the last day", cert(specAI, "2025-10-31", d("2026-10-31")), true},
		{"expired the day before", cert(specAI, "2025-10-30", d("2026-10-30")), false},
		{"retired certification, certificate valid", cert(specAI, "2026-03-01", d("2027-03-01")), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Individuals = []Individual{specPerson("a", specDS), specPerson("b", specDS), {ID: "c", Certifications: []HeldCertification{tc.c}}}
			if r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge); specMet(r) != fmt.Sprint(tc.met) {
				t.Errorf("met %s: %s", specMet(r), r.Detail)
			}
		})
	}
}

// The audit is never known passed here, so a partner meeting every telemetry
// requirement is ready to apply for it (R-SPEC-2, R-AUD-3).
func TestReadiness_AuditReadyToApply(t *testing.T) {
	st := Readiness(specAIML(), specReadyInput())
	if st.Status != ReadinessReadyForAudit {
		t.Fatalf("status %s: %+v", st.Status, st.Requirements)
	}
	a := specReq(t, st, RequirementAudit)
	if a.Met != nil || !strings.Contains(a.Detail, "Module A and Module B") || !strings.Contains(a.Detail, "may apply for it now (R-AUD-3)") {
		t.Errorf("audit %s %q", specMet(a), a.Detail)
	}
	in := specReadyInput()
	in.Individuals = in.Individuals[:2]
	st = Readiness(specAIML(), in)
	a = specReq(t, st, RequirementAudit)
	if st.Status != ReadinessNotReady || a.Met != nil || !strings.Contains(a.Detail, "apply once every other requirement is met (R-AUD-3)") {
		t.Errorf("status %s audit %q", st.Status, a.Detail)
	}
}

func TestReadiness_StatusWithoutAudit(t *testing.T) {
	full := specAIML()
	full.Requirements.Audit = nil
	full.Category, full.ManualValidation = CategoryBusinessApplications, ManualValidationNone
	if st := Readiness(full, specReadyInput()); st.Status != ReadinessReady || len(st.Requirements) != 3 {
		t.Errorf("no manual validation: %s %+v", st.Status, st.Requirements)
	}
	full.Category, full.ManualValidation = CategorySecurity, ManualValidationCustomerReference
	st := Readiness(full, specReadyInput())
	if st.Status != ReadinessReadyForCustomerReference || specReq(t, st, RequirementManualValidation).Met != nil {
		t.Errorf("customer reference: %s %+v", st.Status, st.Requirements)
	}
}

// R-SPEC-3: a superseded specialization can no longer be earned; its successor only from validFrom.
func TestReadiness_Superseded(t *testing.T) {
	old := specAIML()
	old.ID, old.Name = "linux-and-open-source-database-migration-to-microsoft-azure", "Linux and Open-Source Database Migration to Microsoft Azure"
	old.SupersededOn, old.SupersededBy, old.Grandfathered = new(MustDate("2023-01-09")), "infra-and-database-migration-to-microsoft-azure", true

	st := Readiness(old, specReadyInput())
	if !st.Superseded || st.SupersededBy != "infra-and-database-migration-to-microsoft-azure" || st.Status != ReadinessSuperseded {
		t.Errorf("as of 2026-10: %+v", st)
	}
	in := specReadyInput()
	in.AsOf = MustMonth("2022-12")
	if st := Readiness(old, in); st.Superseded || st.SupersededBy != "" || st.Status == ReadinessSuperseded {
		t.Errorf("as of 2022-12 it was still offered: %+v", st)
	}
	in.AsOf = MustMonth("2023-01")
	if st := Readiness(old, in); !st.Superseded {
		t.Errorf("superseded on 2023-01-09, so by the end of 2023-01: %+v", st)
	}

	successor := specAIML()
	successor.ValidFrom = new(MustDate("2023-01-09"))
	in.AsOf = MustMonth("2022-12")
	if st := Readiness(successor, in); st.Status != ReadinessNotYetAvailable {
		t.Errorf("before validFrom: %s", st.Status)
	}
	in.AsOf = MustMonth("2023-01")
	if st := Readiness(successor, in); st.Status == ReadinessNotYetAvailable {
		t.Errorf("from validFrom's month: %s", st.Status)
	}
}

func TestSpecializationStatusJSON(t *testing.T) {
	b, err := json.Marshal(Readiness(specAIML(), specReadyInput()))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"asOf":"2026-10"`, `"status":"ready_for_audit"`, `"superseded":false`, `"requirementsKnown":"full"`,
		`"kind":"audit","met":null`, `"totalUsd":6000`, `"averageUsd":2000`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s in %s", want, s)
		}
	}
	if strings.Contains(s, "supersededBy") || strings.Contains(s, `"shortfall"`) {
		t.Errorf("empty supersededBy/shortfall must be omitted: %s", s)
	}
	in := specReadyInput()
	in.Usage = NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 399_99}))
	b, _ = json.Marshal(Readiness(specAIML(), in))
	if !strings.Contains(string(b), `"averageUsd":1999.99`) || !strings.Contains(string(b), `"usd":1199.97`) {
		t.Errorf("money must be exact decimals: %s", b)
	}
}

func TestPerformanceRequirementJSON(t *testing.T) {
	var p PerformanceRequirement
	if err := json.Unmarshal([]byte(`{"serviceGroups":["AI + Machine Learning"],"monthlyAverageUsd":2000.5,"months":3,"minCustomers":3,"associations":["PAL"],"governmentViaPAL":false}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.MonthlyAverage != 2000_50 {
		t.Errorf("monthly average %d cents", p.MonthlyAverage)
	}
	b, _ := json.Marshal(p)
	if !strings.Contains(string(b), `"monthlyAverageUsd":2000.5`) {
		t.Errorf("round trip %s", b)
	}
	for _, bad := range []string{
		`{"monthlyAverageUsd":2000.555}`,
		`{"monthlyAverageUsd":-1}`,
		`{"monthlyAverageUsd":2000,"unknown":1}`,
	} {
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestValidateSpecialization(t *testing.T) {
	if err := ValidateSpecialization(specAIML()); err != nil {
		t.Fatalf("seed 001's AI and Machine Learning: %v", err)
	}
	for name, mutate := range map[string]func(*Specialization){
		"no designation":              func(s *Specialization) { s.Designations = nil },
		"unknown designation":         func(s *Specialization) { s.Designations = []Designation{"azure"} },
		"unknown category":            func(s *Specialization) { s.Category = "dynamics" },
		"wrong manual validation":     func(s *Specialization) { s.ManualValidation = ManualValidationCustomerReference },
		"successor without date":      func(s *Specialization) { s.SupersededBy = "other" },
		"grandfathered, no successor": func(s *Specialization) { s.Grandfathered = true },
		"full without knowledge":      func(s *Specialization) { s.Requirements.Knowledge = nil },
		"unknown requirementsKnown":   func(s *Specialization) { s.RequirementsKnown = "some" },
		"module C":                    func(s *Specialization) { s.Requirements.Audit.Modules = []string{"A", "C"} },
		"no association":              func(s *Specialization) { s.Requirements.Performance.Associations = nil },
		"certification listed twice":  func(s *Specialization) { s.Requirements.Knowledge.Certifications = []string{specDS, specDS} },
		"validFrom after supersededOn": func(s *Specialization) {
			s.ValidFrom, s.SupersededOn, s.SupersededBy = new(MustDate("2024-01-01")), new(MustDate("2023-01-09")), "x"
		},
	} {
		s := specAIML()
		mutate(&s)
		if err := ValidateSpecialization(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// R-SPEC-7: audit for Azure, customer reference for Modern Work and Security, none for Business Applications.
func TestManualValidationFor(t *testing.T) {
	want := map[SpecializationCategory]ManualValidation{
		CategoryAzure: ManualValidationAudit, CategoryModernWork: ManualValidationCustomerReference,
		CategorySecurity: ManualValidationCustomerReference, CategoryBusinessApplications: ManualValidationNone,
	}
	for c, mv := range want {
		if got := ManualValidationFor(c); got != mv {
			t.Errorf("%s: %s, want %s", c, got, mv)
		}
	}
}

func TestSpecUSD(t *testing.T) {
	for c, want := range map[Cents]string{0: "0", 5: "0.05", 184000: "1,840", 199999: "1,999.99", 123456789_50: "123,456,789.50", 100000_00: "100,000"} {
		if got := specUSD(c); got != want {
			t.Errorf("%d: %s, want %s", c, got, want)
		}
	}
}
