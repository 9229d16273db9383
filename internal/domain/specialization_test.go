package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// specAIML is AI and Machine Learning as seed 001 states it (R-SPEC-2).
func specAIML() Specialization {
	return Specialization{
		ID: "ai-and-machine-learning-in-microsoft-azure", Name: "AI and Machine Learning in Microsoft Azure",
		Category: CategoryAzure, Designations: []Area{AreaDataAI, AreaDigitalAppInnovation},
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

const (
	specDS = "azure-data-scientist-associate"
	specAI = "azure-ai-engineer-associate"
)

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
		"unknown designation":         func(s *Specialization) { s.Designations = []Area{"azure"} },
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
