package domain

import (
	"fmt"
	"slices"
	"strings"
)

// ReadinessInput is the partner's data as of a month. ReadinessInputFor
// builds it from what a score reads.
type ReadinessInput struct {
	AsOf Month
	// Today is ScoreInput.Today: whether AsOf is complete (CompletenessOf).
	Today Date
	// Designations attained as of AsOf; a designation absent from the map is
	// unknown (not computed: Business Applications, Modern Work, Security).
	Designations map[Area]bool
	Individuals  []Individual
	Customers    []Customer
	Usage        Usage // at least AsOf-(Months-1)..AsOf; a month absent is no consumption
	// RetiresOn is the day Microsoft retires a certification (the
	// catalogue's retiresOn); ok is false while it is current. Nil: no
	// certification retires. A certification has retired as of AsOf when
	// that day is on or before AsOf's last day: nobody can earn it by then.
	RetiresOn func(certID string) (day Date, ok bool)
}

// retiredBy reports whether a certification had retired by day d, and when.
func (in ReadinessInput) retiredBy(certID string, d Date) (Date, bool) {
	if in.RetiresOn == nil {
		return Date{}, false
	}
	day, ok := in.RetiresOn(certID)
	return day, ok && !d.Before(day)
}

// ReadinessInputFor is the readiness input of the data a score reads: the
// designations are the Azure areas scored as of in.AsOf (R-SPEC-1, attained
// by R-PCS-1), the other designations stay unknown, the people, customers
// and consumption are the score's own, so a readiness never disagrees with
// the scores of the same data, and the retirement dates are the rules'.
func ReadinessInputFor(rules ScoringRules, in ScoreInput) ReadinessInput {
	attained := make(map[Area]bool, len(Areas))
	for _, s := range Score(rules, in) {
		attained[s.Area] = s.Attained
	}
	return ReadinessInput{AsOf: in.AsOf, Today: in.Today, Designations: attained, Individuals: in.Individuals, Customers: in.Customers, Usage: in.Usage,
		RetiresOn: rules.RetiresOn}
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
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Category SpecializationCategory `json:"category"`
	AsOf     Month                  `json:"asOf"`
	Completeness
	Status            ReadinessStatus     `json:"status"`
	RequirementsKnown RequirementsKnown   `json:"requirementsKnown"`
	Superseded        bool                `json:"superseded"`
	SupersededBy      string              `json:"supersededBy,omitempty"`
	Requirements      []RequirementStatus `json:"requirements"`
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
	Aligned  []Area `json:"aligned"`
	Attained []Area `json:"attained"`
	Unknown  []Area `json:"unknown"`
}

// Readiness decides whether a partner meets a specialization's requirements
// as of in.AsOf and explains each one.
func Readiness(s Specialization, in ReadinessInput) SpecializationStatus {
	out := SpecializationStatus{
		ID: s.ID, Name: s.Name, Category: s.Category, AsOf: in.AsOf, Completeness: CompletenessOf(in.AsOf, in.Today),
		RequirementsKnown: s.RequirementsKnown,
	}
	if s.SupersededAsOf(in.AsOf) {
		out.Superseded = true
		out.SupersededBy = s.SupersededBy
	}

	reqs := []RequirementStatus{specDesignation(s, in)}
	// R-SPEC-2: the performance and knowledge requirements the catalogue
	// holds, each decided on the score's own data; one it lacks is unknown.
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

// specDesignation decides the designation requirement: met when an aligned
// designation is attained, unmet only when every aligned designation is
// known not to be attained.
//
// R-SPEC-1: a specialization needs an active designation aligned with it,
// and any one of its aligned designations suffices.
func specDesignation(s Specialization, in ReadinessInput) RequirementStatus {
	inputs := DesignationInputs{Aligned: slices.Clone(s.Designations), Attained: []Area{}, Unknown: []Area{}}
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

func specTitles(ds []Area, sep string) string {
	t := make([]string, len(ds))
	for i, d := range ds {
		t[i] = d.Title()
	}
	return strings.Join(t, sep)
}

func specBool(b bool) *bool { return &b }
