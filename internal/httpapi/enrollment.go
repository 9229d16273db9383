package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
)

// specializationOutput is GET …/specializations/{specId}: the readiness,
// and the enrollment as of today.
type specializationOutput struct {
	domain.SpecializationStatus
	Enrollment enrollmentOutput `json:"enrollment"`
}

type windowOutput struct {
	Opens  domain.Date `json:"opens"`
	Closes domain.Date `json:"closes"`
}

type enrollmentEventOutput struct {
	On     domain.Date `json:"on"`
	Kind   string      `json:"kind"`
	Detail string      `json:"detail"`
}

// enrollmentOutput is DESIGN's enrollment, with its history and risks.
type enrollmentOutput struct {
	Status          enrollment.Status       `json:"status"`
	EnrolledOn      *domain.Date            `json:"enrolledOn"`
	ValidUntil      *domain.Date            `json:"validUntil"`
	Anniversary     *domain.Date            `json:"anniversary"`
	RenewalWindow   *windowOutput           `json:"renewalWindow"`
	NextRenewal     *enrollment.Renewal     `json:"nextRenewal"`
	AuditValidUntil *domain.Date            `json:"auditValidUntil"`
	ReapplyFrom     *domain.Date            `json:"reapplyFrom,omitempty"`
	Risks           []string                `json:"risks"`
	History         []enrollmentEventOutput `json:"history"`
}

func enrollmentView(e enrollment.Enrollment, st domain.SpecializationStatus) enrollmentOutput {
	out := enrollmentOutput{Status: e.Status, AuditValidUntil: datePtr(e.AuditValidUntil), ReapplyFrom: datePtr(e.ReapplyFrom),
		Risks: []string{}, History: make([]enrollmentEventOutput, len(e.History))}
	for i, h := range e.History {
		out.History[i] = enrollmentEventOutput{On: h.On, Kind: h.Kind, Detail: h.Detail}
	}
	if e.Status != enrollment.StatusEnrolled {
		return out
	}
	out.EnrolledOn, out.ValidUntil, out.Anniversary = datePtr(e.EnrolledOn), datePtr(e.ValidUntil), datePtr(e.Anniversary)
	out.RenewalWindow = &windowOutput{Opens: e.WindowOpens, Closes: e.WindowCloses}
	out.NextRenewal = &e.NextRenewal
	// The designation computed from this month's data is the one the
	// renewal will need (R-SPEC-1); not attaining it puts the renewal at risk.
	for _, req := range st.Requirements {
		if req.Kind == domain.RequirementDesignation && req.Met != nil && !*req.Met {
			out.Risks = append(out.Risks, "the aligned designation is not attained as of "+st.AsOf.String()+": "+req.Detail+
				"; the enrollment stands until "+e.ValidUntil.String()+", and losing the designation in Partner Center loses the specialization")
		}
	}
	if e.NextRenewal == enrollment.RenewalTelemetryAndAudit && e.AuditValidUntil.Before(e.Anniversary) {
		out.Risks = append(out.Risks, "the next renewal ("+e.Anniversary.String()+") needs an audit pass valid on it: apply for the audit before "+e.WindowCloses.String())
	}
	return out
}

// getSpecializationStatus answers the readiness as of ?asOf and the
// enrollment as of today, worked out from the partner's audits (1 Query)
// and its data from the first renewal window on, read with the readiness's
// own months in the same BatchGetItem: 2 calls.
func (a *Scoring) getSpecializationStatus(w http.ResponseWriter, r *http.Request) error {
	s, ok := a.specs.Lookup(r.PathValue("specId"))
	if !ok {
		return notFound("The specialization " + r.PathValue("specId") + " (GET /v1/catalog/specializations lists them)")
	}
	asOf, err := a.asOf(r)
	if err != nil {
		return err
	}
	pid, today := r.PathValue("partnerId"), domain.DateOf(a.now())
	audits, err := a.store.PartnerAudits(r.Context(), pid)
	if err != nil {
		return err
	}
	in := enrollment.Input{SpecializationID: s.ID, Today: today}
	for _, p := range a.specs.All() {
		if p.SupersededBy == s.ID && p.Grandfathered && p.SupersededOn != nil {
			in.CarriedFrom, in.CarriedOn = append(in.CarriedFrom, p.ID), *p.SupersededOn
		}
	}
	for _, x := range audits {
		switch {
		case x.Status == audit.StatusPassed:
			in.Awards = append(in.Awards, enrollment.Award{SpecializationID: x.SpecializationID, AuditID: x.ID, AwardedOn: x.ConcludedOn, PassedOn: x.FinalReportOn})
		case x.Status == audit.StatusFailed && x.SpecializationID == s.ID:
			in.Failures = append(in.Failures, enrollment.Failure{AuditID: x.ID, FailedOn: domain.DateOf(x.EndedAt)})
		}
	}
	// The months to read: asOf's score window, and from the first award's
	// first renewal window to the last complete month, within one batch.
	window := domain.ScoreWindow(asOf)
	from, to := window.From, window.To
	if first := firstAward(in); !first.IsZero() {
		opens, _, _ := domain.RenewalWindow(first, 1)
		if f := domain.ScoreWindow(opens.Month()).From; f.Before(from) {
			from = f
		}
		if last := domain.MonthOf(a.now()).AddMonths(-1); last.After(to) {
			to = last
		}
	}
	if span := to.AddMonths(-(maxEnrollmentMonths - 1)); from.Before(span) {
		from = span // a renewal window older than that is judged unknown
	}
	d, err := a.store.LoadScoringData(r.Context(), pid, from, to)
	if err != nil {
		return err
	}
	readinessAt := func(m domain.Month) domain.SpecializationStatus {
		return domain.Readiness(s, domain.ReadinessInputFor(a.rules, domain.ScoreInput{AsOf: m, Today: today, Individuals: d.Individuals, Customers: d.Customers, Usage: d.Usage}))
	}
	in.Telemetry = func(m domain.Month) (bool, bool) {
		if domain.ScoreWindow(m).From.Before(from) || m.After(to) {
			return false, false
		}
		return telemetryMet(readinessAt(m))
	}
	st := readinessAt(asOf)
	return writeJSON(w, http.StatusOK, specializationOutput{SpecializationStatus: st, Enrollment: enrollmentView(enrollment.Compute(in), st)})
}

// maxEnrollmentMonths is how many months one BatchGetItem reads with the
// partner's rosters (store.LoadScoringData): eight years of renewals.
const maxEnrollmentMonths = 97

func firstAward(in enrollment.Input) domain.Date {
	var first domain.Date
	for _, a := range in.Awards {
		if first.IsZero() || a.AwardedOn.Before(first) {
			first = a.AwardedOn
		}
	}
	return first
}

// telemetryMet reads a readiness answer as a renewal does: met when no
// requirement is known unmet and the aligned designation is attained;
// unknown when the designation cannot be decided. Requirements the
// catalogue lacks are the program's to check, as for an application
// (audit.Prerequisites).
func telemetryMet(st domain.SpecializationStatus) (met, known bool) {
	unmet, _ := audit.Prerequisites(st)
	for _, req := range st.Requirements {
		if req.Kind == domain.RequirementDesignation {
			if req.Met == nil {
				return false, false
			}
			return *req.Met && len(unmet) == 0, true
		}
	}
	return false, false
}
