package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Designation is a Solutions Partner designation a specialization can be
// aligned with (DOMAIN R-SPEC-1). The three Azure ones are spelled like the
// score engine's areas so that a computed score can be fed in unchanged.
type Designation string

const (
	DesignationDataAI               Designation = "data-ai"
	DesignationInfrastructure       Designation = "infrastructure"
	DesignationDigitalAppInnovation Designation = "digital-app-innovation"
	DesignationBusinessApplications Designation = "business-applications"
	DesignationModernWork           Designation = "modern-work"
	DesignationSecurity             Designation = "security"
)

// Designations lists every designation a specialization may be aligned with.
var Designations = []Designation{
	DesignationDataAI, DesignationInfrastructure, DesignationDigitalAppInnovation,
	DesignationBusinessApplications, DesignationModernWork, DesignationSecurity,
}

// Valid reports whether d is one of Designations.
func (d Designation) Valid() bool { return slices.Contains(Designations, d) }

// Title is the designation's program name, for readiness explanations.
func (d Designation) Title() string {
	switch d {
	case DesignationDataAI:
		return "Data & AI (Azure)"
	case DesignationInfrastructure:
		return "Infrastructure (Azure)"
	case DesignationDigitalAppInnovation:
		return "Digital & App Innovation (Azure)"
	case DesignationBusinessApplications:
		return "Business Applications"
	case DesignationModernWork:
		return "Modern Work"
	case DesignationSecurity:
		return "Security"
	}
	return string(d)
}

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
	Designations []Designation `json:"designations"`
	ValidFrom    *Date         `json:"validFrom,omitempty"`
	SupersededOn *Date         `json:"supersededOn,omitempty"`
	SupersededBy string        `json:"supersededBy,omitempty"`
	// Grandfathered: active enrollees were moved to SupersededBy (R-SPEC-3).
	Grandfathered     bool                       `json:"grandfathered,omitempty"`
	ManualValidation  ManualValidation           `json:"manualValidation"`
	RequirementsKnown RequirementsKnown          `json:"requirementsKnown"`
	Requirements      SpecializationRequirements `json:"requirements"`
}

// SupersededAsOf reports whether the specialization had been replaced by the
// end of month m: from then on it can no longer be earned.
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

// ReadinessInput is the partner's data as of a month.
type ReadinessInput struct {
	AsOf Month
	// Designations attained as of AsOf; a designation absent from the map is
	// unknown (not computed: Business Applications, Modern Work, Security).
	Designations map[Designation]bool
	Individuals  []Individual
	Customers    []Customer
	Usage        Usage // at least AsOf-(Months-1)..AsOf; a month absent is no consumption
}

// ReadinessStatus is the overall answer.
//
//   - ready: every requirement is met (only possible where there is no manual
//     validation, Business Applications, which then enrol automatically).
//   - ready_for_audit / ready_for_customer_reference: every telemetry
//     requirement is met and only the manual validation remains; the partner
//     admin may now apply (R-AUD-3, seed 002). This API does not yet record
//     audit passes, so an Azure specialization never reaches "ready" here.
//   - not_ready: at least one requirement is known to be unmet.
//   - unknown: nothing is known to be unmet, but some telemetry requirement
//     cannot be decided (designation not computed, requirements not in the
//     catalogue).
//   - superseded: replaced by SupersededBy as of AsOf; it can no longer be
//     earned, whatever the requirements say (R-SPEC-3).
//   - not_yet_available: AsOf ends before ValidFrom.
type ReadinessStatus string

const (
	ReadinessReady                     ReadinessStatus = "ready"
	ReadinessReadyForAudit             ReadinessStatus = "ready_for_audit"
	ReadinessReadyForCustomerReference ReadinessStatus = "ready_for_customer_reference"
	ReadinessNotReady                  ReadinessStatus = "not_ready"
	ReadinessUnknown                   ReadinessStatus = "unknown"
	ReadinessSuperseded                ReadinessStatus = "superseded"
	ReadinessNotYetAvailable           ReadinessStatus = "not_yet_available"
)

// RequirementKind names one line of a readiness answer.
type RequirementKind string

const (
	RequirementDesignation      RequirementKind = "designation"
	RequirementPerformance      RequirementKind = "performance"
	RequirementKnowledge        RequirementKind = "knowledge"
	RequirementAudit            RequirementKind = "audit"
	RequirementManualValidation RequirementKind = "manual_validation"
)

// SpecializationStatus is the readiness answer (the API's response body).
type SpecializationStatus struct {
	ID                string                 `json:"id"`
	Name              string                 `json:"name"`
	Category          SpecializationCategory `json:"category"`
	AsOf              Month                  `json:"asOf"`
	Status            ReadinessStatus        `json:"status"`
	RequirementsKnown RequirementsKnown      `json:"requirementsKnown"`
	Superseded        bool                   `json:"superseded"`
	SupersededBy      string                 `json:"supersededBy,omitempty"`
	Requirements      []RequirementStatus    `json:"requirements"`
}

// RequirementStatus is one requirement: Met is nil when it cannot be decided.
type RequirementStatus struct {
	Kind      RequirementKind `json:"kind"`
	Met       *bool           `json:"met"`
	Detail    string          `json:"detail"`
	Shortfall string          `json:"shortfall,omitempty"`
	// Inputs is one of DesignationInputs, PerformanceInputs, KnowledgeInputs.
	Inputs any `json:"inputs,omitempty"`
}

// DesignationInputs: what the designation line was decided on.
type DesignationInputs struct {
	Aligned  []Designation `json:"aligned"`
	Attained []Designation `json:"attained"`
	Unknown  []Designation `json:"unknown"`
}

// PerformanceInputs: the ACR counted and the ACR left out, and why, so a
// partner can see which association or offer to fix.
type PerformanceInputs struct {
	Months          []Month               `json:"months"`
	TotalUSD        Cents                 `json:"totalUsd"`
	AverageUSD      Cents                 `json:"averageUsd"`
	Customers       int                   `json:"customers"`
	NeededTotalUSD  Cents                 `json:"neededTotalUsd"`
	NeededCustomers int                   `json:"neededCustomers"`
	ByMonth         []PerformanceMonth    `json:"byMonth"`
	ByCustomer      []PerformanceCustomer `json:"byCustomer"`
	ExcludedUSD     PerformanceExcluded   `json:"excludedUsd"`
}

// PerformanceMonth is the counted ACR of one month.
type PerformanceMonth struct {
	Month Month `json:"month"`
	USD   Cents `json:"usd"`
}

// PerformanceCustomer is the counted ACR of one customer over the window.
type PerformanceCustomer struct {
	TenantID string `json:"tenantId"`
	USD      Cents  `json:"usd"`
}

// PerformanceExcluded is in-scope ACR (the right service groups) that did not count.
type PerformanceExcluded struct {
	UnknownCustomer      Cents `json:"unknownCustomer"`
	IneligibleOffer      Cents `json:"ineligibleOffer"`
	AssociationNotListed Cents `json:"associationNotListed"`
	GovernmentViaPAL     Cents `json:"governmentViaPal"`
}

// KnowledgeInputs: who holds which listed certification at the end of AsOf.
type KnowledgeInputs struct {
	People  []string            `json:"people"`
	Holders map[string][]string `json:"holders"`
}

// Readiness decides whether a partner meets a specialization's requirements
// as of in.AsOf and explains each one.
func Readiness(s Specialization, in ReadinessInput) SpecializationStatus {
	out := SpecializationStatus{
		ID: s.ID, Name: s.Name, Category: s.Category, AsOf: in.AsOf,
		RequirementsKnown: s.RequirementsKnown,
	}
	if s.SupersededAsOf(in.AsOf) {
		out.Superseded = true
		out.SupersededBy = s.SupersededBy
	}

	reqs := []RequirementStatus{specDesignation(s, in)}
	if p := s.Requirements.Performance; p != nil {
		reqs = append(reqs, specPerformance(*p, in))
	} else {
		reqs = append(reqs, specNotInCatalogue(RequirementPerformance, "performance"))
	}
	if k := s.Requirements.Knowledge; k != nil {
		reqs = append(reqs, specKnowledge(*k, in))
	} else {
		reqs = append(reqs, specNotInCatalogue(RequirementKnowledge, "knowledge (certification)"))
	}

	telemetryMet, anyFalse, anyNull := true, false, false
	for _, r := range reqs {
		switch {
		case r.Met == nil:
			anyNull, telemetryMet = true, false
		case !*r.Met:
			anyFalse, telemetryMet = true, false
		}
	}

	switch s.ManualValidation {
	case ManualValidationAudit:
		reqs = append(reqs, specAudit(s.Requirements.Audit, telemetryMet))
	case ManualValidationCustomerReference:
		reqs = append(reqs, specCustomerReference(telemetryMet))
	}
	out.Requirements = reqs

	switch {
	case out.Superseded:
		out.Status = ReadinessSuperseded
	case s.ValidFrom != nil && in.AsOf.LastDay().Before(*s.ValidFrom):
		out.Status = ReadinessNotYetAvailable
	case anyFalse:
		out.Status = ReadinessNotReady
	case anyNull:
		out.Status = ReadinessUnknown
	case s.ManualValidation == ManualValidationAudit:
		out.Status = ReadinessReadyForAudit
	case s.ManualValidation == ManualValidationCustomerReference:
		out.Status = ReadinessReadyForCustomerReference
	default:
		out.Status = ReadinessReady
	}
	return out
}

// specDesignation: any one aligned designation suffices (R-SPEC-1). Unmet
// only when every aligned designation is known not to be attained.
func specDesignation(s Specialization, in ReadinessInput) RequirementStatus {
	inputs := DesignationInputs{Aligned: slices.Clone(s.Designations), Attained: []Designation{}, Unknown: []Designation{}}
	for _, d := range s.Designations {
		attained, known := in.Designations[d]
		switch {
		case !known:
			inputs.Unknown = append(inputs.Unknown, d)
		case attained:
			inputs.Attained = append(inputs.Attained, d)
		}
	}
	needs := "needs an active Solutions Partner for " + specTitles(s.Designations, " or ")
	r := RequirementStatus{Kind: RequirementDesignation, Inputs: inputs}
	switch {
	case len(inputs.Attained) > 0:
		r.Met = specBool(true)
		r.Detail = fmt.Sprintf("Solutions Partner for %s attained as of %s; %s", specTitles(inputs.Attained, " and "), in.AsOf, needs)
	case len(inputs.Unknown) > 0:
		r.Detail = fmt.Sprintf("%s not computed by this API as of %s; %s", specTitles(inputs.Unknown, " and "), in.AsOf, needs)
	default:
		r.Met = specBool(false)
		r.Detail = fmt.Sprintf("no aligned designation attained as of %s; %s", in.AsOf, needs)
		r.Shortfall = "attain Solutions Partner for " + specTitles(s.Designations, " or ")
	}
	return r
}

// specPerformance: ACR of the listed service groups, eligible offers only
// (R-PCS-3), from customers under the listed associations, government
// subscriptions never via PAL unless the requirement allows it (R-SPEC-2).
// The average is total / Months, truncated to the cent for display; met
// compares the exact total against MonthlyAverage × Months, so a displayed
// average below the bar always means unmet.
func specPerformance(p PerformanceRequirement, in ReadinessInput) RequirementStatus {
	label := p.Label
	if label == "" {
		label = "ACR"
	}
	months := max(p.Months, 1)
	window := make([]Month, months)
	for i := range window {
		window[i] = in.AsOf.AddMonths(i - (months - 1))
	}

	// A tenant listed twice counts if any of its entries does, as in the
	// score (eligibleTenants, R-PCS-3): the outcome must not hang on the
	// order of the list. One that never counts is put down to the reason
	// nearest to counting.
	customers := make(map[string]specCustomerStatus, len(in.Customers))
	for _, c := range in.Customers {
		st := specAssociationNotListed
		switch {
		case !slices.Contains(p.Associations, c.Association):
		case c.Government && c.Association == AssociationPAL && !p.GovernmentViaPAL:
			st = specGovernmentViaPAL
		default:
			st = specCounts
		}
		if cur, seen := customers[c.TenantID]; !seen || st > cur {
			customers[c.TenantID] = st
		}
	}
	// Service groups come from partners' exports, whose case and spacing
	// vary; R-SPEC-2 names the group, not a spelling of it.
	inGroup := make([]bool, len(in.Usage.Services))
	for i, svc := range in.Usage.Services {
		inGroup[i] = slices.ContainsFunc(p.ServiceGroups, func(g string) bool {
			return strings.EqualFold(strings.TrimSpace(g), strings.TrimSpace(svc.Group))
		})
	}

	var total, unknownCustomer, ineligibleOffer, notListed, govPAL Cents
	byTenant := map[string]Cents{}
	byMonth := make([]PerformanceMonth, 0, months)
	for _, m := range window {
		var month Cents
		for _, tu := range in.Usage.Months[m] {
			c, known := customers[tu.TenantID]
			for _, l := range tu.Lines {
				if l.Service < 0 || l.Service >= len(inGroup) || !inGroup[l.Service] {
					continue
				}
				switch {
				case !known:
					unknownCustomer += l.ACR
				case !l.Offer.Eligible():
					ineligibleOffer += l.ACR
				case c == specAssociationNotListed:
					notListed += l.ACR
				case c == specGovernmentViaPAL:
					govPAL += l.ACR
				default:
					month += l.ACR
					byTenant[tu.TenantID] += l.ACR
				}
			}
		}
		total += month
		byMonth = append(byMonth, PerformanceMonth{Month: m, USD: month})
	}

	tenants := make([]PerformanceCustomer, 0, len(byTenant))
	for t, acr := range byTenant {
		if acr > 0 {
			tenants = append(tenants, PerformanceCustomer{TenantID: t, USD: acr})
		}
	}
	slices.SortFunc(tenants, func(a, b PerformanceCustomer) int { return strings.Compare(a.TenantID, b.TenantID) })

	average := total / Cents(months)
	needed := p.MonthlyAverage * Cents(months)
	span := window[0].String()
	if months > 1 {
		span += ".." + window[months-1].String()
	}
	r := RequirementStatus{
		Kind: RequirementPerformance,
		Detail: fmt.Sprintf("%s average USD %s over %s from %s; needs USD %s from %d or more customers",
			label, specUSD(average), span, specCount(len(tenants), "customer", "customers"), specUSD(p.MonthlyAverage), p.MinCustomers),
		Inputs: PerformanceInputs{
			Months: window, TotalUSD: total, AverageUSD: average,
			Customers: len(tenants), ByMonth: byMonth, ByCustomer: tenants,
			ExcludedUSD: PerformanceExcluded{
				UnknownCustomer: unknownCustomer, IneligibleOffer: ineligibleOffer,
				AssociationNotListed: notListed, GovernmentViaPAL: govPAL,
			},
			NeededTotalUSD: needed, NeededCustomers: p.MinCustomers,
		},
	}
	var short []string
	if total < needed {
		gap := needed - total
		short = append(short, fmt.Sprintf("USD %s more %s over %s (USD %s a month on average)",
			specUSD(gap), label, span, specUSD((gap+Cents(months)-1)/Cents(months))))
	}
	if len(tenants) < p.MinCustomers {
		n := p.MinCustomers - len(tenants)
		short = append(short, fmt.Sprintf("%s with %s in the window", specCount(n, "more customer", "more customers"), label))
	}
	r.Met = specBool(len(short) == 0)
	r.Shortfall = strings.Join(short, "; ")
	return r
}

// specCustomerStatus is whether a customer's ACR counts for a performance
// requirement, ordered from the furthest from counting to counting.
type specCustomerStatus uint8

const (
	specAssociationNotListed specCustomerStatus = iota
	specGovernmentViaPAL
	specCounts
)

// specKnowledge counts certificates held at the end of AsOf: earned on or
// before its last day and expiring no earlier than that day, the same test
// the score engine applies to skilling, so a person never counts for a score
// and not for a specialization in the same month.
//
// A certification the catalogue has retired still satisfies a specialization
// while the person's certificate has not expired: seed 001 asks for people
// who "passed" the certifications, and the catalogue's countsUntil governs
// partner capability score points only (R-PCS-10). Applying countsUntil here
// would make AI and Machine Learning unattainable once both of its listed
// certifications retire (2026), which no seed says.
func specKnowledge(k KnowledgeRequirement, in ReadinessInput) RequirementStatus {
	end := in.AsOf.LastDay()
	holders := make(map[string][]string, len(k.Certifications))
	for _, id := range k.Certifications {
		holders[id] = []string{}
	}
	var people []string
	for _, ind := range in.Individuals {
		counted := false
		for _, hc := range ind.Certifications {
			if _, listed := holders[hc.ID]; !listed || !specHeldOn(hc, end) {
				continue
			}
			if !slices.Contains(holders[hc.ID], ind.ID) {
				holders[hc.ID] = append(holders[hc.ID], ind.ID)
			}
			counted = true
		}
		if counted {
			people = append(people, ind.ID)
		}
	}
	slices.Sort(people)
	people = slices.Compact(people)
	if people == nil {
		people = []string{}
	}
	var counts, unheld []string
	for _, id := range k.Certifications {
		slices.Sort(holders[id])
		counts = append(counts, fmt.Sprintf("%s: %d", id, len(holders[id])))
		if len(holders[id]) == 0 {
			unheld = append(unheld, id)
		}
	}
	needs := fmt.Sprintf("needs %d or more people", k.MinPeople)
	if k.EachCertificationHeld {
		needs += " and each listed certification held by at least 1"
	}
	r := RequirementStatus{
		Kind: RequirementKnowledge,
		Detail: fmt.Sprintf("%s holding %s at the end of %s (%s); %s",
			specCount(len(people), "person", "people"), strings.Join(k.Certifications, " or "), in.AsOf, strings.Join(counts, ", "), needs),
		Inputs: KnowledgeInputs{People: people, Holders: holders},
	}
	var short []string
	if n := k.MinPeople - len(people); n > 0 {
		short = append(short, fmt.Sprintf("%s holding %s", specCount(n, "more person", "more people"), strings.Join(k.Certifications, " or ")))
	}
	if k.EachCertificationHeld && len(unheld) > 0 {
		short = append(short, "nobody holds "+strings.Join(unheld, " or "))
	}
	r.Met = specBool(len(short) == 0)
	r.Shortfall = strings.Join(short, "; ")
	return r
}

// specHeldOn: earned by d and still valid on d (expiresOn is its last valid day).
func specHeldOn(hc HeldCertification, d Date) bool {
	return !hc.EarnedOn.After(d) && (hc.ExpiresOn == nil || !hc.ExpiresOn.Before(d))
}

// specAudit: this API does not yet record audit results, so the audit is
// never met here; it is null, not false, because nothing says it failed. The
// detail tells the partner when they may apply (R-AUD-3).
func specAudit(a *AuditRequirement, telemetryMet bool) RequirementStatus {
	what := "audit"
	if a != nil && len(a.Modules) > 0 {
		what = "audit of Module " + strings.Join(a.Modules, " and Module ")
	}
	r := RequirementStatus{Kind: RequirementAudit}
	if telemetryMet {
		r.Detail = what + " not passed yet: every other requirement is met, so the partner admin may apply for it now (R-AUD-3)"
	} else {
		r.Detail = what + " not passed yet: apply once every other requirement is met (R-AUD-3)"
	}
	if a != nil {
		r.Inputs = *a
	}
	return r
}

func specCustomerReference(telemetryMet bool) RequirementStatus {
	r := RequirementStatus{Kind: RequirementManualValidation}
	if telemetryMet {
		r.Detail = "customer reference not approved yet: every other requirement is met, so it may be submitted now (seed 002)"
	} else {
		r.Detail = "customer reference not approved yet: submit one once every other requirement is met (seed 002)"
	}
	return r
}

func specNotInCatalogue(kind RequirementKind, what string) RequirementStatus {
	return RequirementStatus{
		Kind:   kind,
		Detail: what + " requirement not in the catalogue (requirementsKnown partial): check Partner Center",
	}
}

// ValidateSpecialization checks one entry on its own; the catalogue adds the
// checks that need the other entries and the certification catalogue.
func ValidateSpecialization(s Specialization) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		fail("name is empty")
	}
	if !s.Category.Valid() {
		fail("unknown category %q", s.Category)
	} else if want := ManualValidationFor(s.Category); s.ManualValidation != want {
		fail("manualValidation %q, but seed 002 gives %q to category %s", s.ManualValidation, want, s.Category)
	}
	if len(s.Designations) == 0 {
		fail("no aligned designation (R-SPEC-1)")
	}
	for i, d := range s.Designations {
		if !d.Valid() {
			fail("unknown designation %q", d)
		} else if slices.Contains(s.Designations[:i], d) {
			fail("designation %q listed twice", d)
		}
	}
	if (s.SupersededOn == nil) != (s.SupersededBy == "") {
		fail("supersededOn and supersededBy must be given together (R-SPEC-3)")
	}
	if s.SupersededBy == s.ID && s.ID != "" {
		fail("supersededBy names itself")
	}
	if s.Grandfathered && s.SupersededBy == "" {
		fail("grandfathered without a successor")
	}
	if s.ValidFrom != nil && s.SupersededOn != nil && !s.ValidFrom.Before(*s.SupersededOn) {
		fail("validFrom %s is not before supersededOn %s", s.ValidFrom, s.SupersededOn)
	}
	switch s.RequirementsKnown {
	case RequirementsFull:
		if s.Requirements.Performance == nil || s.Requirements.Knowledge == nil {
			fail("requirementsKnown full needs performance and knowledge")
		}
		if s.ManualValidation == ManualValidationAudit && (s.Requirements.Audit == nil || len(s.Requirements.Audit.Modules) == 0) {
			fail("requirementsKnown full needs the audit modules")
		}
	case RequirementsPartial:
	default:
		fail("requirementsKnown %q is neither full nor partial", s.RequirementsKnown)
	}
	if p := s.Requirements.Performance; p != nil {
		if len(p.ServiceGroups) == 0 {
			fail("performance: no service group")
		}
		if p.MonthlyAverage <= 0 || p.Months < 1 || p.MinCustomers < 1 {
			fail("performance: monthlyAverageUsd, months and minCustomers must be positive")
		}
		if len(p.Associations) == 0 {
			fail("performance: no association")
		}
		for _, a := range p.Associations {
			if !slices.Contains(Associations, a) {
				fail("performance: unknown association %q", a)
			}
		}
	}
	if k := s.Requirements.Knowledge; k != nil {
		if k.MinPeople < 1 || len(k.Certifications) == 0 {
			fail("knowledge: minPeople and certifications must not be empty")
		}
		for i, c := range k.Certifications {
			if slices.Contains(k.Certifications[:i], c) {
				fail("knowledge: certification %q listed twice", c)
			}
		}
	}
	if a := s.Requirements.Audit; a != nil {
		if s.ManualValidation != ManualValidationAudit {
			fail("audit requirements on a specialization validated by %q", s.ManualValidation)
		}
		for i, m := range a.Modules {
			if m != "A" && m != "B" {
				fail("audit: unknown module %q (R-AUD-1)", m)
			} else if slices.Contains(a.Modules[:i], m) {
				fail("audit: module %q listed twice", m)
			}
		}
	}
	return errors.Join(errs...)
}

func specTitles(ds []Designation, sep string) string {
	t := make([]string, len(ds))
	for i, d := range ds {
		t[i] = d.Title()
	}
	return strings.Join(t, sep)
}

func specBool(b bool) *bool { return &b }

func specCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// specUSD writes an amount for people: thousands separated, cents only when
// there are any ("1,840", "1,999.99").
func specUSD(c Cents) string {
	s := c.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		b.WriteString("." + frac)
	}
	return sign + b.String()
}
