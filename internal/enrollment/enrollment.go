// Package enrollment works out a partner's enrollment in a specialization
// from what happened, as pure Go: the audit passes that award it, the
// telemetry requirements month by month, and the enrollment calendar
// (R-SPEC-5 to R-SPEC-7). Nothing is remembered: the same passes and
// telemetry give the same enrollment on any day, and a day later only what
// that day changed.
package enrollment

import (
	"fmt"
	"slices"

	"github.com/partnerready/partnerready/internal/domain"
)

// Status is the enrollment's state as of a day (DESIGN's names).
type Status string

const (
	StatusEnrolled    Status = "enrolled"
	StatusAuditFailed Status = "audit_failed" // the week after a No Pass (R-AUD-6), when not enrolled
	StatusNotEnrolled Status = "not_enrolled"
)

// Renewal is what the next renewal needs (R-SPEC-7).
type Renewal string

const (
	RenewalTelemetry         Renewal = "telemetry"
	RenewalTelemetryAndAudit Renewal = "telemetry_and_audit"
)

// Award is an audit pass that awards the specialization: the day the
// program told the partner (the enrollment's first day) and the day of the
// Final Report, from which the pass's two years run (R-AUD-6).
type Award struct {
	SpecializationID string
	AuditID          string
	AwardedOn        domain.Date
	PassedOn         domain.Date
}

// ValidUntil is the last day the pass satisfies the audit requirement.
func (a Award) ValidUntil() domain.Date { return domain.ManualValidationValidUntil(a.PassedOn) }

// Failure is an audit of the specialization that ended in a No Pass, and
// the first day a new application is taken (audit.ReapplyFrom: the week
// of "Audit Failed" is the audit's rule, R-AUD-6).
type Failure struct {
	AuditID     string
	FailedOn    domain.Date
	ReapplyFrom domain.Date
}

// Telemetry reports whether the specialization's telemetry requirements
// (designation, performance, knowledge) were met as of month m; known is
// false when they cannot be decided (the catalogue lacks one, or the
// month's data is not held).
type Telemetry func(m domain.Month) (met, known bool)

// Input is what an enrollment is worked out from. Awards may be of the
// specialization or of one it replaced whose enrollments carried over
// (R-SPEC-3): those count when awarded before CarriedOn.
type Input struct {
	SpecializationID string
	CarriedFrom      []string
	CarriedOn        domain.Date
	Awards           []Award
	Failures         []Failure
	Telemetry        Telemetry
	Today            domain.Date
}

// Event is one line of an enrollment's history.
type Event struct {
	On     domain.Date
	Kind   string // enrolled, renewed, lapsed
	Detail string
}

// Enrollment is the answer as of Input.Today. The term fields describe the
// current term of an enrollment in force, and are zero otherwise.
type Enrollment struct {
	Status       Status
	EnrolledOn   domain.Date // the first day of the enrollment in force (its renewals keep it)
	Anniversary  domain.Date // the next anniversary
	ValidUntil   domain.Date // the term stands until then (R-SPEC-5)
	WindowOpens  domain.Date // the renewal window of that anniversary (R-SPEC-6)
	WindowCloses domain.Date
	Year         int     // which anniversary comes next: 1 for the first
	NextRenewal  Renewal // what that anniversary needs (R-SPEC-7)
	// AuditValidUntil is the last day the latest pass satisfies the audit
	// requirement; zero when there is none.
	AuditValidUntil domain.Date
	// ReapplyFrom is, while the status is audit_failed, the first day a new
	// application is taken.
	ReapplyFrom domain.Date
	History     []Event
}

// Compute works the enrollment out as of in.Today. An enrollment renews at
// each anniversary whose window saw its telemetry requirements met, and at
// an even anniversary only with an audit pass still valid on it (a pass is
// valid two years, so every other renewal needs a new one: R-SPEC-7);
// otherwise it lapses when its window closes (R-SPEC-5, R-SPEC-6).
func Compute(in Input) Enrollment {
	awards := in.awards()
	var e Enrollment
	for _, a := range awards {
		if a.PassedOn.After(in.Today) {
			continue
		}
		if until := a.ValidUntil(); until.After(e.AuditValidUntil) {
			e.AuditValidUntil = until
		}
	}
	lapsed := domain.Date{} // the last day of the last enrollment that lapsed
	for i := 0; i < len(awards); i++ {
		a := awards[i]
		if a.AwardedOn.After(in.Today) {
			break
		}
		if !lapsed.IsZero() && !a.AwardedOn.After(lapsed) {
			continue // awarded during a term that then lapsed: it was that term's
		}
		start := a.AwardedOn
		if a.SpecializationID != in.SpecializationID {
			e.History = append(e.History, Event{On: start, Kind: "enrolled", Detail: fmt.Sprintf("enrolled in %s by audit %s; carried over to %s on %s (R-SPEC-3)", a.SpecializationID, a.AuditID, in.SpecializationID, in.CarriedOn)})
		} else {
			e.History = append(e.History, Event{On: start, Kind: "enrolled", Detail: "enrolled by the pass of audit " + a.AuditID})
		}
		for year := 1; ; year++ {
			opens, anniversary, until := domain.RenewalWindow(start, year)
			if !in.Today.After(until) {
				// The window may already have seen the renewal: it renews
				// as soon as it is met (R-SPEC-7), judged on the months
				// complete by today.
				if why, ok := in.renewed(awards, year, opens, anniversary, until, in.Today); ok {
					e.History = append(e.History, Event{On: anniversary, Kind: "renewed", Detail: why})
					continue
				}
				e.Status, e.EnrolledOn, e.Anniversary, e.ValidUntil = StatusEnrolled, start, anniversary, until
				e.WindowOpens, e.WindowCloses, e.Year = opens, until, year
				e.NextRenewal = RenewalTelemetry
				if domain.NeedsManualValidation(year) {
					e.NextRenewal = RenewalTelemetryAndAudit
				}
				return e
			}
			why, ok := in.renewed(awards, year, opens, anniversary, until, until.AddDays(1))
			if !ok {
				e.History = append(e.History, Event{On: until.AddDays(1), Kind: "lapsed", Detail: why})
				lapsed = until
				break
			}
			e.History = append(e.History, Event{On: anniversary, Kind: "renewed", Detail: why})
		}
	}
	e.Status = StatusNotEnrolled
	for _, f := range in.Failures {
		if !in.Today.Before(f.FailedOn) && in.Today.Before(f.ReapplyFrom) && f.ReapplyFrom.After(e.ReapplyFrom) {
			e.Status, e.ReapplyFrom = StatusAuditFailed, f.ReapplyFrom
		}
	}
	return e
}

// awards are the passes that count, in the order they were awarded.
func (in Input) awards() []Award {
	var out []Award
	for _, a := range in.Awards {
		switch {
		case a.SpecializationID == in.SpecializationID:
		case slices.Contains(in.CarriedFrom, a.SpecializationID) && a.AwardedOn.Before(in.CarriedOn):
		default:
			continue
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(x, y Award) int { return x.AwardedOn.Compare(y.AwardedOn) })
	return out
}

// renewed says whether the year-th anniversary renewed the enrollment, and
// why or why not in words, as of the day by: its telemetry is judged on
// each month that ends within the window (R-SPEC-6: the requirements are
// met within it) and before by, and only passes made before by count.
func (in Input) renewed(awards []Award, year int, opens, anniversary, until, by domain.Date) (string, bool) {
	met, unknown := domain.Month{}, false
	for m := opens.Month(); !m.LastDay().After(until) && m.LastDay().Before(by); m = m.AddMonths(1) {
		if m.LastDay().Before(opens) || in.Telemetry == nil {
			continue
		}
		ok, known := in.Telemetry(m)
		if !known {
			unknown = true
			continue
		}
		if ok {
			met = m
			break
		}
	}
	nth := domain.Ordinal(year)
	if met == (domain.Month{}) {
		if unknown {
			return fmt.Sprintf("the %s anniversary (%s) did not renew: its telemetry requirements could not be shown met in the window %s to %s", nth, anniversary, opens, until), false
		}
		return fmt.Sprintf("the %s anniversary (%s) did not renew: its telemetry requirements were not met in the window %s to %s", nth, anniversary, opens, until), false
	}
	if !domain.NeedsManualValidation(year) {
		return fmt.Sprintf("renewed on telemetry at the %s anniversary: requirements met as of %s (R-SPEC-7)", nth, met), true
	}
	for _, a := range awards {
		if !a.PassedOn.After(until) && a.PassedOn.Before(by) && !a.ValidUntil().Before(anniversary) {
			return fmt.Sprintf("renewed at the %s anniversary: requirements met as of %s, and the pass of audit %s valid until %s", nth, met, a.AuditID, a.ValidUntil()), true
		}
	}
	return fmt.Sprintf("the %s anniversary (%s) did not renew: an even anniversary needs an audit pass valid on it, and none was (R-SPEC-7)", nth, anniversary), false
}
