package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
	"github.com/partnerready/partnerready/internal/standing"
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
		out.Risks = append(out.Risks, "the next renewal ("+e.Anniversary.String()+") needs an audit pass valid on it, its Final Report by "+e.WindowCloses.String()+
			": an audit takes up to 30 days from its approval, so apply well before")
	}
	return out
}

// getSpecializationStatus answers the readiness as of ?asOf and the
// enrollment as of today (standing.Reader.Read): 2 calls.
func (a *Scoring) getSpecializationStatus(w http.ResponseWriter, r *http.Request) error {
	s, ok := a.specs.Lookup(r.PathValue("specId"))
	if !ok {
		return notFound("The specialization " + r.PathValue("specId") + " (GET /v1/catalog/specializations lists them)")
	}
	asOf, err := a.asOf(r)
	if err != nil {
		return err
	}
	st, err := standing.Reader{Store: a.store, Specs: a.specs, Rules: a.rules}.Read(r.Context(), r.PathValue("partnerId"), s, asOf, domain.DateOf(a.now()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, specializationOutput{SpecializationStatus: st.Readiness, Enrollment: enrollmentView(st.Enrollment, st.Readiness)})
}
