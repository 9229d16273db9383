package audit

import "github.com/partnerready/partnerready/internal/domain"

// Prerequisite is one requirement of a specialization other than its
// audit, as readiness decided it, in words.
type Prerequisite struct {
	Requirement string // designation, performance, knowledge
	Detail      string
}

// Prerequisites sorts the requirements of a readiness answer other than
// the audit itself: unmet ones, known not to be met, refuse an application;
// unverified ones, which the partner's data and the catalogue cannot decide,
// are the program's to validate before it approves (R-AUD-5, step 3).
//
// R-AUD-3: a partner applies for the audit only once every other
// requirement of the specialization is met.
func Prerequisites(st domain.SpecializationStatus) (unmet, unverified []Prerequisite) {
	unverified = []Prerequisite{}
	for _, req := range st.Requirements {
		if req.Kind == domain.RequirementAudit {
			continue
		}
		switch {
		case req.Met == nil:
			unverified = append(unverified, Prerequisite{Requirement: string(req.Kind), Detail: req.Detail})
		case !*req.Met:
			d := req.Detail
			if req.Shortfall != "" {
				d += "; " + req.Shortfall
			}
			unmet = append(unmet, Prerequisite{Requirement: string(req.Kind), Detail: d})
		}
	}
	return unmet, unverified
}
