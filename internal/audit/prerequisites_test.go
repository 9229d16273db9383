package audit_test

import (
	"reflect"
	"testing"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
)

// R-AUD-3: a requirement known to be unmet refuses the application, with
// its shortfall; one that cannot be decided is left to the program; the
// audit's own line is neither.
func TestPrerequisites(t *testing.T) {
	yes, no := true, false
	st := domain.SpecializationStatus{Requirements: []domain.RequirementStatus{
		{Kind: domain.RequirementDesignation, Met: &yes, Detail: "Data & AI attained"},
		{Kind: domain.RequirementPerformance, Met: &no, Detail: "USD 1,500 of AI consumption", Shortfall: "needs USD 2,000"},
		{Kind: domain.RequirementKnowledge, Met: nil, Detail: "not in the catalogue"},
		{Kind: domain.RequirementAudit, Met: nil, Detail: "apply once every other requirement is met"},
	}}
	unmet, unverified := audit.Prerequisites(st)
	if want := []audit.Prerequisite{{"performance", "USD 1,500 of AI consumption; needs USD 2,000"}}; !reflect.DeepEqual(unmet, want) {
		t.Errorf("unmet %+v, want %+v", unmet, want)
	}
	if want := []audit.Prerequisite{{"knowledge", "not in the catalogue"}}; !reflect.DeepEqual(unverified, want) {
		t.Errorf("unverified %+v, want %+v", unverified, want)
	}
	st.Requirements = st.Requirements[:1]
	if unmet, unverified := audit.Prerequisites(st); unmet != nil || len(unverified) != 0 {
		t.Errorf("all met: %v %v", unmet, unverified)
	}
}
