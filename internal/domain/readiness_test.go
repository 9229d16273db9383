package domain

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

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

// specReadyInput meets every telemetry requirement of specAIML exactly:
// USD 2,000 a month from three customers, three people, both certifications.
func specReadyInput() ReadinessInput {
	return ReadinessInput{
		AsOf:         specAsOf,
		Designations: map[Area]bool{AreaDataAI: true, AreaInfrastructure: false, AreaDigitalAppInnovation: false},
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
		des   map[Area]bool
		met   string
		state ReadinessStatus
	}{
		{"data-ai", map[Area]bool{AreaDataAI: true, AreaDigitalAppInnovation: false}, "true", ReadinessReadyForAudit},
		{"digital-app-innovation", map[Area]bool{AreaDataAI: false, AreaDigitalAppInnovation: true}, "true", ReadinessReadyForAudit},
		{"infrastructure is not aligned", map[Area]bool{AreaDataAI: false, AreaDigitalAppInnovation: false, AreaInfrastructure: true}, "false", ReadinessNotReady},
		{"one unknown, none attained", map[Area]bool{AreaDataAI: false}, "null", ReadinessUnknown},
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
		Designations:     []Area{AreaBusinessApplications, AreaDataAI},
		ManualValidation: ManualValidationNone, RequirementsKnown: RequirementsPartial,
	}
	in := specReadyInput()
	in.Designations = map[Area]bool{AreaDataAI: false}
	st := Readiness(bi, in)
	r := specReq(t, st, RequirementDesignation)
	if r.Met != nil || st.Status != ReadinessUnknown {
		t.Fatalf("met %s status %s", specMet(r), st.Status)
	}
	if !strings.Contains(r.Detail, "Business Applications not computed") {
		t.Errorf("detail %q", r.Detail)
	}
	if got := r.Inputs.(DesignationInputs); len(got.Unknown) != 1 || got.Unknown[0] != AreaBusinessApplications {
		t.Errorf("inputs %+v", got)
	}
	// Performance and knowledge are not in the catalogue: null, never guessed.
	for _, k := range []RequirementKind{RequirementPerformance, RequirementKnowledge} {
		if r := specReq(t, st, k); r.Met != nil {
			t.Errorf("%s met %s", k, specMet(r))
		}
	}
	// Data & AI attained satisfies the designation; the partial requirements keep it unknown.
	in.Designations[AreaDataAI] = true
	st = Readiness(bi, in)
	if r := specReq(t, st, RequirementDesignation); specMet(r) != "true" || st.Status != ReadinessUnknown {
		t.Errorf("with Data & AI: met %s status %s", specMet(r), st.Status)
	}
	if len(st.Requirements) != 3 {
		t.Errorf("Business Applications have no manual validation (seed 002): %+v", st.Requirements)
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
