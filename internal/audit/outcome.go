package audit

import (
	"fmt"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
)

// failedDays is how long a No Pass shows "Audit Failed" before the status
// resets to "Not Enrolled" and the partner may apply again.
const failedDays = 7

// Conclude is the program's step 11, at instant at: it tells the partner
// the Final Report's result. The audit ends passed or failed; a No Pass is
// entered here, so its week of "Audit Failed" starts now.
//
// R-AUD-6: a Pass records a pass of each module audited, dated by the Final
// Report and on the audit's checklist version, each satisfying the audit
// requirement for two years (domain.ManualValidationValidUntil); Module A
// satisfied by an earlier pass earns no new one. A No Pass fails the audit.
func Conclude(a Audit, by Actor, at time.Time) (Audit, error) {
	if err := a.expect("the result's notice to the partner", StatusFinalReportIssued); err != nil {
		return Audit{}, err
	}
	day := domain.DateOf(at)
	if err := notBefore("the result's notice to the partner", day, "the Final Report", a.FinalReportOn); err != nil {
		return Audit{}, err
	}
	b := a.clone()
	b.ConcludedOn, b.EndedAt = day, at.UTC()
	if a.Result != ResultPass {
		b.Status = StatusFailed
		from, _ := ReapplyFrom(b)
		b.log(at, by, "audit.failed", fmt.Sprintf("No Pass: the status shows Audit Failed until %s, then Not Enrolled; a new application is possible from %s", from.AddDays(-1), from))
		return b, nil
	}
	b.Status = StatusPassed
	version := a.ChecklistName
	if version == "" {
		version = a.ChecklistVersion
	}
	until := domain.ManualValidationValidUntil(a.FinalReportOn)
	for _, m := range a.Modules {
		b.Passes = append(b.Passes, Pass{
			Module: m, SpecializationID: a.SpecializationID, AuditID: a.ID,
			PassedOn: a.FinalReportOn, Version: version, ValidUntil: until,
		})
	}
	b.log(at, by, "audit.passed", fmt.Sprintf("Pass: %s passed on checklist %s, satisfying the audit requirement until %s", a.Modules, version, until))
	return b, nil
}

// ReapplyFrom is the first day a partner whose audit failed may apply for
// the specialization again: one week after the No Pass, when "Audit
// Failed" resets to "Not Enrolled" (R-AUD-6). The week counts in calendar
// days from the UTC day the audit failed. ok is false for an audit that
// has not failed.
func ReapplyFrom(a Audit) (from domain.Date, ok bool) {
	if a.Status != StatusFailed || a.EndedAt.IsZero() {
		return domain.Date{}, false
	}
	return domain.DateOf(a.EndedAt).AddDays(failedDays), true
}

// EnrollmentStatus is what an audit's outcome shows on the specialization
// (DESIGN's enrollment status).
type EnrollmentStatus string

const (
	EnrollmentAuditFailed EnrollmentStatus = "audit_failed"
	EnrollmentNotEnrolled EnrollmentStatus = "not_enrolled"
)

// EnrollmentAfterFailure is the status a failed audit leaves on the
// specialization as of asOf: audit_failed for the week after the No Pass,
// then not_enrolled (R-AUD-6). ok is false for an audit that has not failed:
// whether a pass enrolls the partner also depends on its other requirements
// (R-SPEC-5), which are not the audit's.
func EnrollmentAfterFailure(a Audit, asOf time.Time) (EnrollmentStatus, bool) {
	from, ok := ReapplyFrom(a)
	switch {
	case !ok:
		return "", false
	case domain.DateOf(asOf).Before(from):
		return EnrollmentAuditFailed, true
	}
	return EnrollmentNotEnrolled, true
}

// ApplicationAllowed says why the partner may not apply, at instant at, for
// an audit of specializationID given its audits (all of them, or those of
// the specialization), or nil when it may: not while an audit of it is open
// (CodeOpenAudit), nor in the week of "Audit Failed" after one failed
// (CodeAuditFailed). Readiness (R-AUD-3) is checked beside it.
func ApplicationAllowed(audits []Audit, specializationID string, at time.Time) error {
	today := domain.DateOf(at)
	var last *Audit // the failure whose week ends last
	var lastFrom domain.Date
	for i, a := range audits {
		if a.SpecializationID != specializationID {
			continue
		}
		if a.Status.Open() {
			return refuse(CodeOpenAudit, fmt.Sprintf("audit %s of %s is open (%s): withdraw it, or wait for its result, before applying again", a.ID, specializationID, a.Status))
		}
		if from, ok := ReapplyFrom(a); ok && today.Before(from) && (last == nil || from.After(lastFrom)) {
			last, lastFrom = &audits[i], from
		}
	}
	if last == nil {
		return nil
	}
	return refuse(CodeAuditFailed, fmt.Sprintf("audit %s of %s failed on %s (No Pass): the status shows Audit Failed until %s, and a new application is possible from %s",
		last.ID, specializationID, domain.DateOf(last.EndedAt), lastFrom.AddDays(-1), lastFrom))
}
