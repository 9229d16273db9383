package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// SpecializationCategory groups specializations for benefit caps (R-SPEC-4)
// and decides how they are manually validated (seed 002).
type SpecializationCategory string

const (
	CategoryAzure                SpecializationCategory = "azure"
	CategoryBusinessApplications SpecializationCategory = "business-applications"
	CategoryModernWork           SpecializationCategory = "modern-work"
	CategorySecurity             SpecializationCategory = "security"
)

// SpecializationCategories lists every category, in seed 002's order.
var SpecializationCategories = []SpecializationCategory{CategoryAzure, CategoryBusinessApplications, CategoryModernWork, CategorySecurity}

// Valid reports whether c is one of SpecializationCategories.
func (c SpecializationCategory) Valid() bool { return slices.Contains(SpecializationCategories, c) }

// ManualValidation is what a partner must pass beyond telemetry (seed 002):
// Azure specializations an audit, Modern Work and Security a customer
// reference, Business Applications nothing (enrolled automatically).
type ManualValidation string

const (
	ManualValidationAudit             ManualValidation = "audit"
	ManualValidationCustomerReference ManualValidation = "customer_reference"
	ManualValidationNone              ManualValidation = "none"
)

// ManualValidationFor is the kind seed 002 gives each category.
func ManualValidationFor(c SpecializationCategory) ManualValidation {
	switch c {
	case CategoryAzure:
		return ManualValidationAudit
	case CategoryModernWork, CategorySecurity:
		return ManualValidationCustomerReference
	}
	return ManualValidationNone
}

// RequirementsKnown says whether the catalogue holds every requirement of a
// specialization or only some: the seeds detail AI and Machine Learning alone,
// and a readiness answer must not claim "ready" on requirements it never saw.
type RequirementsKnown string

const (
	RequirementsFull    RequirementsKnown = "full"
	RequirementsPartial RequirementsKnown = "partial"
)

// Specialization is one catalogue entry. Entries are versioned and may be
// superseded (R-SPEC-3), so they carry dates, not just a name.
type Specialization struct {
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Category SpecializationCategory `json:"category"`
	// Formerly is a previous name, so a partner searching by it finds the entry.
	Formerly string `json:"formerly,omitempty"`
	// Designations are the aligned designations; any one suffices (R-SPEC-1).
	Designations []Area `json:"designations"`
	ValidFrom    *Date  `json:"validFrom,omitempty"`
	SupersededOn *Date  `json:"supersededOn,omitempty"`
	SupersededBy string `json:"supersededBy,omitempty"`
	// Grandfathered: active enrollees were moved to SupersededBy (R-SPEC-3).
	Grandfathered     bool                       `json:"grandfathered,omitempty"`
	ManualValidation  ManualValidation           `json:"manualValidation"`
	RequirementsKnown RequirementsKnown          `json:"requirementsKnown"`
	Requirements      SpecializationRequirements `json:"requirements"`
}

// SupersededAsOf reports whether the specialization had been replaced by the
// end of month m.
//
// R-SPEC-3: a specialization replaced by its successor (SupersededBy, on
// SupersededOn) can no longer be earned from that day on.
func (s Specialization) SupersededAsOf(m Month) bool {
	return s.SupersededOn != nil && !s.SupersededOn.After(m.LastDay())
}

// SpecializationRequirements holds what the catalogue knows; a nil part is
// unknown when RequirementsKnown is partial.
type SpecializationRequirements struct {
	Performance *PerformanceRequirement `json:"performance,omitempty"`
	Knowledge   *KnowledgeRequirement   `json:"knowledge,omitempty"`
	Audit       *AuditRequirement       `json:"audit,omitempty"`
}

// PerformanceRequirement is a monthly average ACR over the last Months months
// from at least MinCustomers customers (R-SPEC-2).
type PerformanceRequirement struct {
	// Label names the ACR in explanations ("AI ACR").
	Label         string
	ServiceGroups []string
	// MonthlyAverage is compared exactly: total over the window ≥ MonthlyAverage × Months.
	MonthlyAverage Cents
	Months         int
	MinCustomers   int
	Associations   []Association
	// GovernmentViaPAL: whether government (Fairfax) subscriptions count via PAL;
	// seed 001 says they do not.
	GovernmentViaPAL bool
}

// performanceRequirementJSON is the wire form: money is a JSON number of USD
// read exactly (ParseUSD), never through float64.
type performanceRequirementJSON struct {
	Label             string        `json:"label,omitempty"`
	ServiceGroups     []string      `json:"serviceGroups"`
	MonthlyAverageUSD json.Number   `json:"monthlyAverageUsd"`
	Months            int           `json:"months"`
	MinCustomers      int           `json:"minCustomers"`
	Associations      []Association `json:"associations"`
	GovernmentViaPAL  bool          `json:"governmentViaPAL"`
}

func (p PerformanceRequirement) MarshalJSON() ([]byte, error) {
	return json.Marshal(performanceRequirementJSON{
		Label: p.Label, ServiceGroups: p.ServiceGroups, MonthlyAverageUSD: json.Number(p.MonthlyAverage.String()),
		Months: p.Months, MinCustomers: p.MinCustomers, Associations: p.Associations, GovernmentViaPAL: p.GovernmentViaPAL,
	})
}

// UnmarshalJSON rejects unknown fields itself: a custom unmarshaler does not
// inherit the outer decoder's DisallowUnknownFields.
func (p *PerformanceRequirement) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w performanceRequirementJSON
	if err := dec.Decode(&w); err != nil {
		return err
	}
	avg, err := ParseUSD(w.MonthlyAverageUSD.String())
	if err != nil {
		return fmt.Errorf("monthlyAverageUsd %s", err)
	}
	*p = PerformanceRequirement{
		Label: w.Label, ServiceGroups: w.ServiceGroups, MonthlyAverage: avg,
		Months: w.Months, MinCustomers: w.MinCustomers, Associations: w.Associations, GovernmentViaPAL: w.GovernmentViaPAL,
	}
	return nil
}

// KnowledgeRequirement: at least MinPeople people holding any of
// Certifications, and with EachCertificationHeld every one of them held by
// someone (R-SPEC-2).
type KnowledgeRequirement struct {
	MinPeople             int      `json:"minPeople"`
	Certifications        []string `json:"certifications"`
	EachCertificationHeld bool     `json:"eachCertificationHeld"`
}

// AuditRequirement is the third-party audit (R-AUD-1). Fields the seeds do not
// give stay empty rather than guessed.
type AuditRequirement struct {
	Modules []string `json:"modules,omitempty"`
	// ChecklistVersion is set only when it is final (a superseded checklist);
	// otherwise the version live on the audit date applies (R-AUD-4).
	ChecklistVersion string   `json:"checklistVersion,omitempty"`
	ModuleAControls  []string `json:"moduleAControls,omitempty"`
	ModuleBControls  []string `json:"moduleBControls,omitempty"`
}
