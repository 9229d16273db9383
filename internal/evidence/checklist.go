package evidence

import "github.com/partnerready/partnerready/internal/domain"

// Checklist is one version of a specialization's audit checklist: the
// controls live throughout [EffectiveFrom, EffectiveUntil]. The catalogue
// builds it (catalog.Checklists.For); it is read-only to everyone else.
type Checklist struct {
	SpecializationID string
	// Version identifies the content: the day of the newest change the
	// version holds (a control or scenario added), so two dates with the
	// same Version are audited on the same controls.
	Version string
	// Name is the program's own name of the version ("V2.1"), where a seed
	// gives it.
	Name           string
	EffectiveFrom  domain.Date
	EffectiveUntil *domain.Date // nil: live until the catalogue says otherwise
	// SupersededOn and SupersededBy say what replaced the specialization,
	// when something did: its last version ends the day before.
	SupersededOn *domain.Date
	SupersededBy string
	Modules      []Module
}

// Module is one module of a checklist: A (Cloud Foundation) or B (the
// workload).
type Module struct {
	Module string // "A" or "B"
	Name   string
	// Known is false where the seeds do not give the module's controls:
	// Controls is then empty and Note says so, and the checklist can never
	// be satisfied.
	Known bool
	Note  string
	// Version is the module's own version: the day of its newest change,
	// which is what "the same version of Module A" compares.
	Version  string
	Controls []Control
}

// Count is how a control counts its evidence (RULES.md, R-AUD-11).
type Count string

const (
	// CountUniqueCustomers: Min distinct customers, each backed by evidence
	// that counts.
	CountUniqueCustomers Count = "unique_customers"
	// CountEvidenceItems: Min pieces of evidence that count, from one
	// customer or more (B3.2's workloads).
	CountEvidenceItems Count = "evidence_items"
	// CountScenarios: Min distinct scenarios, each backed by a customer of
	// its own (B4.2).
	CountScenarios Count = "scenarios"
	// CountPeople: one piece of Membership evidence, or Min distinct people
	// of the roster each named by evidence of every PersonKinds (B1.1).
	CountPeople Count = "people"
	// CountDemonstrations: Min pieces of evidence of an accepted kind, with
	// no customer and no recency (B4.3, B4.4).
	CountDemonstrations Count = "demonstrations"
)

// Counts lists every way of counting.
var Counts = []Count{CountUniqueCustomers, CountEvidenceItems, CountScenarios, CountPeople, CountDemonstrations}

// CustomerEvidence reports whether the count is of customer evidence, which
// the customer and recency rules of R-AUD-7 apply to.
func (c Count) CustomerEvidence() bool {
	return c == CountUniqueCustomers || c == CountEvidenceItems || c == CountScenarios
}

// Control is one checklist control and its counting rule.
type Control struct {
	ID    string // module letter and the seed's number: "A2.2", "B4.2"
	Title string
	Kinds []Kind // the kinds it accepts
	Count Count
	Min   int
	// Production: only evidence of projects deployed to production counts.
	Production bool
	// CustomerSignOff: only evidence signed off by the customer counts.
	CustomerSignOff bool
	// MinKindsPerProject: a project (a customer, or a customer and a
	// scenario where the control asks for one) counts only when its
	// evidence has this many distinct kinds; 0 means no such rule.
	MinKindsPerProject int
	// Scenarios are the ones the control accepts, each from its day; a
	// control with none asks for no scenario.
	Scenarios []ScenarioRule
	// PersonKinds and Membership are CountPeople's.
	PersonKinds []Kind
	Membership  Kind
}

// ScenarioRule is a scenario a control accepts, from From on (nil: from the
// checklist's first version).
type ScenarioRule struct {
	Scenario Scenario
	From     *domain.Date
}

// Accepts reports whether the control accepts evidence of kind k.
func (c *Control) Accepts(k Kind) bool {
	for _, x := range c.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// AsksScenario reports whether evidence for the control names a scenario.
func (c *Control) AsksScenario() bool { return len(c.Scenarios) > 0 }

// scenario finds s among the control's scenarios.
func (c *Control) scenario(s Scenario) (ScenarioRule, bool) {
	for _, r := range c.Scenarios {
		if r.Scenario == s {
			return r, true
		}
	}
	return ScenarioRule{}, false
}

// liveOn reports whether the scenario is accepted on day d.
func (r ScenarioRule) liveOn(d domain.Date) bool { return r.From == nil || !r.From.After(d) }

// control finds a control of the checklist by id.
func (cl *Checklist) control(id string) (*Control, bool) {
	for i := range cl.Modules {
		m := &cl.Modules[i]
		for j := range m.Controls {
			if m.Controls[j].ID == id {
				return &m.Controls[j], true
			}
		}
	}
	return nil, false
}

// module finds the module a control id belongs to by its letter.
func (cl *Checklist) module(controlID string) (*Module, bool) {
	if controlID == "" {
		return nil, false
	}
	for i := range cl.Modules {
		if cl.Modules[i].Module == controlID[:1] {
			return &cl.Modules[i], true
		}
	}
	return nil, false
}
