package evidence

import (
	"math/bits"
	"slices"
	"strconv"

	"github.com/partnerready/partnerready/internal/domain"
)

// ChecklistStatus is how far a partner's evidence covers a checklist on an
// audit date: the answer of GET …/specializations/{specId}/checklist, in
// DESIGN's shape. Every list it always has is non-nil, so never null in
// JSON; the lists added beside DESIGN's are left out where empty.
type ChecklistStatus struct {
	SpecializationID string       `json:"specializationId"`
	AuditDate        domain.Date  `json:"auditDate"`
	ChecklistVersion string       `json:"checklistVersion"`
	ChecklistName    string       `json:"checklistName,omitempty"`
	SupersededOn     *domain.Date `json:"supersededOn,omitempty"`
	SupersededBy     string       `json:"supersededBy,omitempty"`
	// Satisfied: every control of every module is satisfied; never while a
	// module's controls are unknown.
	Satisfied bool           `json:"satisfied"`
	Modules   []ModuleStatus `json:"modules"`
}

// ModuleStatus is one module's coverage.
type ModuleStatus struct {
	Module    string          `json:"module"`
	Name      string          `json:"name"`
	Version   string          `json:"version,omitempty"`
	Known     bool            `json:"known"`
	Note      string          `json:"note,omitempty"`
	Satisfied bool            `json:"satisfied"`
	Controls  []ControlStatus `json:"controls"`
}

// ControlStatus is one control's coverage: what counted, what did not and
// why, and each gap in words.
type ControlStatus struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Satisfied bool      `json:"satisfied"`
	Counted   []Counted `json:"counted"`
	// CustomersCounted are the distinct customers of the evidence counted,
	// in the order the evidence first names them (the store's order, so the
	// answer is stable); ScenariosCounted the scenarios counted towards the
	// control's minimum (for B4.2, each with a customer of its own), in the
	// checklist's order; IndividualsCounted the people counted (B1.1), like
	// CustomersCounted.
	CustomersCounted   []string     `json:"customersCounted"`
	ScenariosCounted   []Scenario   `json:"scenariosCounted"`
	IndividualsCounted []string     `json:"individualsCounted"`
	NotCounted         []NotCounted `json:"notCounted"`
	Gaps               []string     `json:"gaps"`
}

// Counted is a piece of evidence that counts for a control, with the
// customers it counts for, and the people where the control counts people
// (B1.1; otherwise the field is left out).
type Counted struct {
	EvidenceID  string   `json:"evidenceId"`
	Customers   []string `json:"customers"`
	Individuals []string `json:"individuals,omitempty"`
	Scenario    Scenario `json:"scenario,omitempty"`
}

// NotCounted is a piece of evidence, or some of its customers or people,
// that does not count for a control, and why. Customers or Individuals
// name whom the reason is about when it is about some of them (and are left
// out otherwise); evidence counted for its other customers is then also in
// Counted.
type NotCounted struct {
	EvidenceID  string   `json:"evidenceId"`
	Code        Reason   `json:"code"`
	Reason      string   `json:"reason"`
	Customers   []string `json:"customers,omitempty"`
	Individuals []string `json:"individuals,omitempty"`
}

// Reason is why evidence does not count, as a code a partner's tool can act on.
type Reason string

const (
	ReasonNotAvailable          Reason = "not_available" // pending_upload, scanning or rejected
	ReasonSuperseded            Reason = "superseded"
	ReasonDeleted               Reason = "deleted"
	ReasonKindNotAccepted       Reason = "kind_not_accepted"
	ReasonScenarioMissing       Reason = "scenario_missing"
	ReasonScenarioNotAccepted   Reason = "scenario_not_accepted"
	ReasonScenarioNotLive       Reason = "scenario_not_live"
	ReasonNotProduction         Reason = "not_production"
	ReasonNotSignedOff          Reason = "not_signed_off"
	ReasonSignedOffTooEarly     Reason = "signed_off_too_early"
	ReasonSignedOffAfterAudit   Reason = "signed_off_after_audit"
	ReasonNoCompletionDate      Reason = "no_completion_date"
	ReasonCompletedTooEarly     Reason = "completed_too_early"
	ReasonCompletedAfterAudit   Reason = "completed_after_audit"
	ReasonNoCustomer            Reason = "no_customer"
	ReasonCustomerNotRegistered Reason = "customer_not_registered"
	ReasonCustomerAffiliated    Reason = "customer_affiliated"
	ReasonNoIndividual          Reason = "no_individual"
	ReasonIndividualNotOnRoster Reason = "individual_not_on_roster"
	ReasonTooFewKinds           Reason = "too_few_kinds"
)

// Coverage computes how far the partner's evidence covers cl, the
// specialization's checklist live on auditDate (catalog.Checklists.For),
// given the partner's registered customers and its roster. Evidence of
// another specialization is not looked at. A customer is "no longer
// registered" when it is not among customers: evidence only ever names
// registered customers (Validate), so one missing now was removed since.
//
// The answer shares the evidence's customer and individual lists where all
// of them count, so the caller keeps them unchanged until it is written out.
//
// R-AUD-11: every control of every module, counted by its own rule.
func Coverage(cl Checklist, auditDate domain.Date, evidence []Evidence, customers []domain.Customer, roster []domain.Individual) ChecklistStatus {
	cv := newCoverage(&cl, auditDate, evidence, customers, roster)
	st := ChecklistStatus{
		SpecializationID: cl.SpecializationID, AuditDate: auditDate,
		ChecklistVersion: cl.Version, ChecklistName: cl.Name,
		SupersededOn: cl.SupersededOn, SupersededBy: cl.SupersededBy,
		Satisfied: len(cl.Modules) > 0,
		Modules:   make([]ModuleStatus, len(cl.Modules)),
	}
	ci := 0
	for i := range cl.Modules {
		m := &cl.Modules[i]
		ms := ModuleStatus{
			Module: m.Module, Name: m.Name, Version: m.Version, Known: m.Known, Note: m.Note,
			Satisfied: m.Known && len(m.Controls) > 0,
			Controls:  make([]ControlStatus, len(m.Controls)),
		}
		for j := range m.Controls {
			ms.Controls[j] = cv.control(ci)
			ms.Satisfied = ms.Satisfied && ms.Controls[j].Satisfied
			ci++
		}
		st.Satisfied = st.Satisfied && ms.Satisfied
		st.Modules[i] = ms
	}
	return st
}

// coverage is one computation's state. The evidence is read once: each
// piece's customers and people become small indices, and each piece is
// judged on its own once for each control it names, so that a control then
// looks only at its own list and counts distinct customers in arrays, not
// maps; the answer's lists are cut from a few arrays sized up front.
type coverage struct {
	audit                     domain.Date
	signedFrom, completedFrom domain.Date
	controls                  []controlRule
	entries                   []entry
	refs                      []int32  // the entries' customers (tenant indices) and people (person indices)
	items                     [][]item // per control, in checklist order: the evidence naming it, in evidence order
	tenants                   []tenant // in the order the evidence first names them
	people                    []person

	stamp     []int32  // per tenant, then per person: the last control that counted it, plus one
	projKinds []uint32 // per project (tenant × scenario slot): its distinct kinds
	touched   []int32  // projects whose kinds are set, to clear after a control
	picked    []int32  // the tenants or people a control counts, as it first counts them

	counted    []Counted    // every control's Counted, cut by control
	notCounted []NotCounted // and NotCounted: more spill over only where evidence counts for some of its customers

	signedTooEarly, completedTooEarly string
}

// controlRule is a control and what is worked out of it once.
type controlRule struct {
	*Control
	accepts uint32 // the bits of the kinds it accepts
	kinds   string // its kinds in words, for reasons and gaps; "" until needed
}

func (c *controlRule) kindsText() string {
	if c.kinds == "" {
		c.kinds = kindList(c.Kinds, ", ")
	}
	return c.kinds
}

type entry struct {
	ev   *Evidence
	kind uint32 // the kind's bit (1 << its place in Kinds); 0 for an unknown kind
	cust span   // its customers in refs
	ppl  span   // its people in refs
}

type span struct{ from, to int32 }

// item is a piece of evidence as a control sees it: the entry and why it
// does not count on its own ("" when it may).
type item struct {
	e int32
	r Reason
}

type tenant struct {
	id string
	c  *domain.Customer // nil: not a registered customer
}

type person struct {
	id       string
	onRoster bool
}

func (cv *coverage) custOf(e *entry) []int32 { return cv.refs[e.cust.from:e.cust.to] }
func (cv *coverage) pplOf(e *entry) []int32  { return cv.refs[e.ppl.from:e.ppl.to] }

func newCoverage(cl *Checklist, audit domain.Date, evidence []Evidence, customers []domain.Customer, roster []domain.Individual) *coverage {
	cv := &coverage{
		audit:         audit,
		signedFrom:    monthsBefore(audit, signOffMonths),
		completedFrom: monthsBefore(audit, completionMonths),
	}
	cv.signedTooEarly = "signed off before " + cv.signedFrom.String() + ", more than 24 months before the audit date"
	cv.completedTooEarly = "project completed before " + cv.completedFrom.String() + ", more than 12 months before the audit date"

	var keys controlKeys
	for i := range cl.Modules {
		for j := range cl.Modules[i].Controls {
			c := &cl.Modules[i].Controls[j]
			r := controlRule{Control: c}
			for _, k := range c.Kinds {
				r.accepts |= k.bit()
			}
			cv.controls = append(cv.controls, r)
			keys.add(c.ID)
		}
	}
	refs, named := 0, 0
	for i := range evidence {
		refs += len(evidence[i].Customers) + len(evidence[i].Individuals)
		named += len(evidence[i].Controls)
	}
	cv.entries = make([]entry, 0, len(evidence))
	cv.refs = make([]int32, 0, refs)
	// Each (control, item) pair as found, before they are grouped by control.
	type found struct {
		c int32
		item
	}
	pairs := make([]found, 0, named)
	perControl := make([]int32, len(cv.controls))
	okPerControl := 0
	tenantAt := make(map[string]int32, min(refs, 128))
	var personAt map[string]int32
	for i := range evidence {
		ev := &evidence[i]
		if ev.SpecializationID != cl.SpecializationID {
			continue
		}
		cv.entries = append(cv.entries, entry{ev: ev, kind: ev.Kind.bit()})
		e := &cv.entries[len(cv.entries)-1]
		e.cust.from = int32(len(cv.refs))
		for _, id := range ev.Customers {
			t, ok := tenantAt[id]
			if !ok {
				t = int32(len(cv.tenants))
				tenantAt[id] = t
				cv.tenants = append(cv.tenants, tenant{id: id})
			}
			cv.refs = append(cv.refs, t)
		}
		e.cust.to = int32(len(cv.refs))
		e.ppl.from = e.cust.to
		for _, id := range ev.Individuals {
			if personAt == nil {
				personAt = map[string]int32{}
			}
			p, ok := personAt[id]
			if !ok {
				p = int32(len(cv.people))
				personAt[id] = p
				cv.people = append(cv.people, person{id: id})
			}
			cv.refs = append(cv.refs, p)
		}
		e.ppl.to = int32(len(cv.refs))

		state, dates := stateReason(ev.Status), cv.dateReason(ev)
		first := len(pairs)
	names:
		for _, id := range ev.Controls {
			c := keys.find(id)
			if c < 0 {
				continue // not a control of this version
			}
			for j := first; j < len(pairs); j++ {
				if pairs[j].c == int32(c) {
					continue names // listed twice
				}
			}
			r := cv.itemReason(&cv.controls[c], e, state, dates)
			pairs = append(pairs, found{int32(c), item{int32(len(cv.entries) - 1), r}})
			perControl[c]++
			if r == "" {
				okPerControl++
			}
		}
	}

	// Registered customers and people: only the ones the evidence names are
	// looked up.
	if sortedBy(customers, func(c *domain.Customer) string { return c.TenantID }) {
		// As the store keeps them: a binary search for each tenant named,
		// not a look at each of a partner's thousands of customers.
		for t := range cv.tenants {
			id := cv.tenants[t].id
			for i := search(customers, id, func(c *domain.Customer) string { return c.TenantID }); i < len(customers) && customers[i].TenantID == id; i++ {
				cv.registered(int32(t), &customers[i])
			}
		}
	} else {
		for i := range customers {
			if t, ok := tenantAt[customers[i].TenantID]; ok {
				cv.registered(t, &customers[i])
			}
		}
	}
	if sortedBy(roster, func(p *domain.Individual) string { return p.ID }) {
		for p := range cv.people {
			i := search(roster, cv.people[p].id, func(p *domain.Individual) string { return p.ID })
			cv.people[p].onRoster = i < len(roster) && roster[i].ID == cv.people[p].id
		}
	} else {
		for i := range roster {
			if p, ok := personAt[roster[i].ID]; ok {
				cv.people[p].onRoster = true
			}
		}
	}

	// The items of each control, in evidence order, in one array: a
	// counting sort by control.
	all := make([]item, len(pairs))
	cv.items = make([][]item, len(cv.controls))
	at := 0
	for c, n := range perControl {
		cv.items[c] = all[at : at : at+int(n)]
		at += int(n)
	}
	for _, p := range pairs {
		cv.items[p.c] = append(cv.items[p.c], p.item)
	}
	cv.counted = make([]Counted, 0, okPerControl)
	cv.notCounted = make([]NotCounted, 0, len(pairs)-okPerControl)
	cv.stamp = make([]int32, max(len(cv.tenants), len(cv.people)))
	return cv
}

// sortedBy reports whether xs are in order of their ids.
func sortedBy[T any](xs []T, id func(*T) string) bool {
	for i := 1; i < len(xs); i++ {
		if id(&xs[i]) < id(&xs[i-1]) {
			return false
		}
	}
	return true
}

// search is the first index of xs, sorted by id, whose id is not below id.
func search[T any](xs []T, id string, idOf func(*T) string) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if idOf(&xs[m]) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// registered records a registered customer of tenant t. A tenant listed
// twice is one customer; an entry not affiliated wins.
func (cv *coverage) registered(t int32, c *domain.Customer) {
	if cur := cv.tenants[t].c; cur == nil || cur.Affiliated {
		cv.tenants[t].c = c
	}
}

// controlKeys finds a checklist's controls by id. An id shaped like every
// catalogue id, a module letter and two one-digit numbers ("A2.2"), is
// found by its characters in a table; any other by comparing strings.
type controlKeys struct {
	ids   []string
	table [2 * 10 * 10]int32 // modules A and B × 10 × 10: the index plus one
}

// tableSlot is the id's place in the table, or -1 for an id of another shape.
func tableSlot(id string) int {
	if len(id) != 4 || id[2] != '.' || id[0] < 'A' || id[0] > 'B' || id[1] < '0' || id[1] > '9' || id[3] < '0' || id[3] > '9' {
		return -1
	}
	return int(id[0]-'A')*100 + int(id[1]-'0')*10 + int(id[3]-'0')
}

func (k *controlKeys) add(id string) {
	k.ids = append(k.ids, id)
	if i := tableSlot(id); i >= 0 {
		k.table[i] = int32(len(k.ids))
	}
}

// find is the control's index, or -1.
func (k *controlKeys) find(id string) int {
	if i := tableSlot(id); i >= 0 {
		return int(k.table[i]) - 1
	}
	return slices.Index(k.ids, id)
}

func stateReason(s Status) Reason {
	switch s {
	case StatusAvailable:
		return ""
	case StatusSuperseded:
		return ReasonSuperseded
	case StatusDeleted:
		return ReasonDeleted
	}
	return ReasonNotAvailable
}

// dateReason judges a piece of customer evidence's dates against the audit
// date.
//
// R-AUD-7: signed off by the customer no earlier than 24 months before the
// audit, the project completed within the 12 months before it and not after.
func (cv *coverage) dateReason(ev *Evidence) Reason {
	if s := ev.CustomerSignedOffOn; s != nil {
		switch {
		case s.Before(cv.signedFrom):
			return ReasonSignedOffTooEarly
		case s.After(cv.audit):
			return ReasonSignedOffAfterAudit
		}
	}
	switch d := ev.ProjectCompletedOn; {
	case d == nil:
		return ReasonNoCompletionDate
	case d.Before(cv.completedFrom):
		return ReasonCompletedTooEarly
	case d.After(cv.audit):
		return ReasonCompletedAfterAudit
	}
	return ""
}

// itemReason is why a piece of evidence does not count for the control on
// its own, whoever its customers are, or "": its status, then its kind, and
// for customer evidence its scenario, production, sign-off, dates and
// customers, in that order.
func (cv *coverage) itemReason(c *controlRule, e *entry, state, dates Reason) Reason {
	switch {
	case state != "":
		return state
	case e.kind&c.accepts == 0:
		return ReasonKindNotAccepted
	case !c.Count.CustomerEvidence():
		return ""
	}
	if c.AsksScenario() {
		switch r, ok := c.scenario(e.ev.Scenario); {
		case e.ev.Scenario == "":
			return ReasonScenarioMissing
		case !ok:
			return ReasonScenarioNotAccepted
		case !r.liveOn(cv.audit):
			return ReasonScenarioNotLive
		}
	}
	switch {
	case c.Production && !e.ev.Production:
		return ReasonNotProduction
	case c.CustomerSignOff && e.ev.CustomerSignedOffOn == nil:
		return ReasonNotSignedOff
	case dates != "":
		return dates
	case e.cust.from == e.cust.to:
		return ReasonNoCustomer
	}
	return ""
}

// controlState is one control's answer being built.
type controlState struct {
	c       *controlRule
	stampID int32
	st      ControlStatus
	nProj   int // scenario slots per tenant in projKinds; 0 when the control has no project rule
	// backers[i] are the customers whose project of the control's i-th
	// scenario counts (CountScenarios).
	backers [][]int32
}

func (cv *coverage) control(ci int) ControlStatus {
	c := &cv.controls[ci]
	items := cv.items[ci]
	ok := 0
	for _, it := range items {
		if it.r == "" {
			ok++
		}
	}
	s := controlState{c: c, stampID: int32(ci + 1)}
	cv.picked = cv.picked[:0]
	s.st = ControlStatus{
		ID: c.ID, Title: c.Title,
		Counted:            cut(&cv.counted, ok),
		CustomersCounted:   []string{},
		ScenariosCounted:   []Scenario{},
		IndividualsCounted: []string{},
		NotCounted:         cut(&cv.notCounted, len(items)-ok),
		Gaps:               []string{},
	}
	switch c.Count {
	case CountPeople:
		cv.countPeople(&s, items)
	case CountDemonstrations:
		for _, it := range items {
			e := &cv.entries[it.e]
			if it.r != "" {
				cv.recordNotCounted(&s, e, it.r, nil, nil)
				continue
			}
			s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: nonNil(e.ev.Customers), Individuals: e.ev.Individuals})
		}
		s.st.Satisfied = len(s.st.Counted) >= c.Min
		if !s.st.Satisfied {
			s.st.Gaps = append(s.st.Gaps, c.ID+" needs "+quantity(c.Min, kindList(c.Kinds, " or "), kindList(c.Kinds, " or "))+"; has "+strconv.Itoa(len(s.st.Counted)))
		}
	default:
		cv.countCustomers(&s, items)
	}
	return s.st
}

// cut takes the next n elements of a buffer, as an empty slice of capacity
// n: appending past n copies, so the slices never overlap.
func cut[T any](buf *[]T, n int) []T {
	from := len(*buf)
	if from+n > cap(*buf) {
		return make([]T, 0, n)
	}
	*buf = (*buf)[:from+n]
	return (*buf)[from : from : from+n]
}

// tenantReason is why a customer's evidence does not count, or "": only
// registered customers not affiliated with the partner count (R-AUD-7).
func (cv *coverage) tenantReason(t int32) Reason {
	switch c := cv.tenants[t].c; {
	case c == nil:
		return ReasonCustomerNotRegistered
	case c.Affiliated:
		return ReasonCustomerAffiliated
	}
	return ""
}

// countCustomers counts customer evidence: unique customers, evidence items
// or scenarios, with their project rules.
//
// R-AUD-8: each control's own rule: production, the customer's sign-off,
// scenarios (B4.2: distinct ones, each with a customer of its own) and the
// distinct kinds of evidence each project needs (B4.1, B4.2).
func (cv *coverage) countCustomers(s *controlState, items []item) {
	c := s.c
	if c.MinKindsPerProject > 0 {
		s.nProj = max(1, len(c.Scenarios))
		if need := len(cv.tenants) * s.nProj; len(cv.projKinds) < need {
			cv.projKinds = make([]uint32, need)
		}
		// First the kinds of each project, from the evidence that counts on
		// its own, so that the second pass can tell short projects apart.
		for _, it := range items {
			if it.r != "" {
				continue
			}
			e := &cv.entries[it.e]
			slot := s.slot(e.ev.Scenario)
			for _, t := range cv.custOf(e) {
				p := int(t)*s.nProj + slot
				if cv.projKinds[p] == 0 {
					cv.touched = append(cv.touched, int32(p))
				}
				cv.projKinds[p] |= e.kind
			}
		}
	}
	if c.Count == CountScenarios {
		s.backers = make([][]int32, len(c.Scenarios))
	}
	for _, it := range items {
		e := &cv.entries[it.e]
		if it.r != "" {
			cv.recordNotCounted(s, e, it.r, nil, nil)
			continue
		}
		cv.splitCustomers(s, e)
	}
	s.st.CustomersCounted = cv.idsOf(cv.picked, func(t int32) string { return cv.tenants[t].id })
	switch c.Count {
	case CountUniqueCustomers:
		s.st.Satisfied = len(s.st.CustomersCounted) >= c.Min
		if c.AsksScenario() {
			s.st.ScenariosCounted = cv.scenariosOf(s)
		}
		if !s.st.Satisfied {
			s.st.Gaps = append(s.st.Gaps, c.ID+" needs "+quantity(c.Min, "unique customer", "unique customers")+
				"; has "+strconv.Itoa(len(s.st.CustomersCounted))+cv.namesOf(cv.picked))
		}
	case CountEvidenceItems:
		s.st.Satisfied = len(s.st.Counted) >= c.Min
		if !s.st.Satisfied {
			s.st.Gaps = append(s.st.Gaps, c.ID+" needs "+quantity(c.Min, "evidence item", "evidence items")+
				" from one customer or more; has "+strconv.Itoa(len(s.st.Counted)))
		}
	case CountScenarios:
		cv.matchScenarios(s)
	}
	if !s.st.Satisfied && c.MinKindsPerProject > 0 {
		cv.shortProjects(s)
	}
	for _, p := range cv.touched {
		cv.projKinds[p] = 0
	}
	cv.touched = cv.touched[:0]
}

// slot is a scenario's place among the control's: a project is a customer
// and, where the control asks for one, a scenario.
func (s *controlState) slot(sc Scenario) int {
	for i, r := range s.c.Scenarios {
		if r.Scenario == sc {
			return i
		}
	}
	return 0
}

// projectShort reports whether a customer's project lacks distinct kinds.
func (cv *coverage) projectShort(s *controlState, t int32, slot int) bool {
	return s.nProj > 0 && bits.OnesCount32(cv.projKinds[int(t)*s.nProj+slot]) < s.c.MinKindsPerProject
}

// customerReason is why evidence does not count for one of its customers,
// or "".
func (cv *coverage) customerReason(s *controlState, t int32, slot int) Reason {
	if r := cv.tenantReason(t); r != "" {
		return r
	}
	if cv.projectShort(s, t, slot) {
		return ReasonTooFewKinds
	}
	return ""
}

// splitCustomers records evidence that counts on its own: counted for the
// customers that count, not counted for the others, by reason.
func (cv *coverage) splitCustomers(s *controlState, e *entry) {
	slot := s.slot(e.ev.Scenario)
	scenario := Scenario("")
	if s.c.AsksScenario() {
		scenario = e.ev.Scenario
	}
	cust := cv.custOf(e)
	if len(cust) == 1 && cv.customerReason(s, cust[0], slot) == "" {
		// Most evidence names one customer.
		cv.count(s, cust[0], slot)
		s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: e.ev.Customers, Individuals: e.ev.Individuals, Scenario: scenario})
		return
	}
	// Otherwise a few, whose reasons fit here.
	var small [8]Reason
	reasons := small[:0]
	if len(cust) > len(small) {
		reasons = make([]Reason, 0, len(cust))
	}
	good := 0
	for _, t := range cust {
		r := cv.customerReason(s, t, slot)
		reasons = append(reasons, r)
		if r == "" {
			good++
			cv.count(s, t, slot)
		}
	}
	switch {
	case good == len(cust):
		s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: e.ev.Customers, Individuals: e.ev.Individuals, Scenario: scenario})
		return
	case good > 0:
		s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: cv.customersWith(cust, reasons, ""), Individuals: e.ev.Individuals, Scenario: scenario})
	}
	for _, r := range [...]Reason{ReasonCustomerNotRegistered, ReasonCustomerAffiliated, ReasonTooFewKinds} {
		if slices.Contains(reasons, r) {
			cv.recordNotCounted(s, e, r, cv.customersWith(cust, reasons, r), nil)
		}
	}
}

// customersWith is the ids of the customers whose reason is r.
func (cv *coverage) customersWith(cust []int32, reasons []Reason, r Reason) []string {
	var ids []string
	for i, t := range cust {
		if reasons[i] == r {
			ids = append(ids, cv.tenants[t].id)
		}
	}
	return ids
}

// count counts a customer (or person) for the control, once.
func (cv *coverage) count(s *controlState, t int32, slot int) {
	if cv.stamp[t] != s.stampID {
		cv.stamp[t] = s.stampID
		cv.picked = append(cv.picked, t)
	}
	if s.backers != nil && !slices.Contains(s.backers[slot], t) {
		s.backers[slot] = append(s.backers[slot], t)
	}
}

// idsOf is the ids of indices, as a list of its own.
func (cv *coverage) idsOf(ix []int32, id func(int32) string) []string {
	out := make([]string, len(ix))
	for i, x := range ix {
		out[i] = id(x)
	}
	return out
}

// scenariosOf is the distinct scenarios of the evidence counted, in the
// control's order.
func (cv *coverage) scenariosOf(s *controlState) []Scenario {
	out := []Scenario{}
	for _, r := range s.c.Scenarios {
		for _, k := range s.st.Counted {
			if k.Scenario == r.Scenario {
				out = append(out, r.Scenario)
				break
			}
		}
	}
	return out
}

// matchScenarios decides B4.2: the largest set of distinct scenarios that
// each have a customer of their own (a maximum matching of scenarios to
// customers over the projects that count), at least Min of them.
func (cv *coverage) matchScenarios(s *controlState) {
	c := s.c
	n := len(c.Scenarios)
	backers := s.backers
	owner := make(map[int32]int, len(s.st.CustomersCounted)) // customer → the scenario it backs
	matched := make([]bool, n)
	for i := range n {
		if len(backers[i]) > 0 {
			matched[i] = augment(i, backers, owner, make([]bool, n))
		}
	}
	var unmatched []int
	for i, r := range c.Scenarios {
		switch {
		case matched[i]:
			s.st.ScenariosCounted = append(s.st.ScenariosCounted, r.Scenario)
		case len(backers[i]) > 0:
			unmatched = append(unmatched, i)
		}
	}
	s.st.Satisfied = len(s.st.ScenariosCounted) >= c.Min
	if s.st.Satisfied {
		return
	}
	names := make([]string, len(s.st.ScenariosCounted))
	for i, sc := range s.st.ScenariosCounted {
		names[i] = string(sc)
	}
	s.st.Gaps = append(s.st.Gaps, sprintf("%s needs %d distinct scenarios, each with its own customer; has %d%s", c.ID, c.Min,
		len(names), listed(names)))
	for _, i := range unmatched {
		who := make([]string, len(backers[i]))
		for j, t := range backers[i] {
			who[j] = cv.name(t)
		}
		s.st.Gaps = append(s.st.Gaps, sprintf("%s: %s is backed only by %s, already counted for another scenario; each scenario needs a customer of its own",
			c.ID, c.Scenarios[i].Scenario, joinAnd(who)))
	}
}

// augment looks for an augmenting path from scenario i (Kuhn's algorithm):
// with six scenarios at most, it is as fast as anything cleverer.
func augment(i int, backers [][]int32, owner map[int32]int, visited []bool) bool {
	visited[i] = true
	for _, t := range backers[i] {
		j, taken := owner[t]
		if !taken || (!visited[j] && augment(j, backers, owner, visited)) {
			owner[t] = i
			return true
		}
	}
	return false
}

// shortProjects adds a gap for each project that lacks distinct kinds.
func (cv *coverage) shortProjects(s *controlState) {
	c := s.c
	for t := range int32(len(cv.tenants)) {
		if cv.tenantReason(t) != "" {
			continue
		}
		for slot := range s.nProj {
			k := cv.projKinds[int(t)*s.nProj+slot]
			if k == 0 || bits.OnesCount32(k) >= c.MinKindsPerProject {
				continue
			}
			project := cv.name(t)
			if c.AsksScenario() {
				project = string(c.Scenarios[slot].Scenario) + " at " + project
			}
			s.st.Gaps = append(s.st.Gaps, c.ID+": "+project+" has "+quantity(bits.OnesCount32(k), "kind of evidence", "distinct kinds of evidence")+
				" ("+kindsOf(k)+"); needs "+strconv.Itoa(c.MinKindsPerProject)+" distinct kinds of "+c.kindsText())
		}
	}
}

// countPeople decides B1.1: one membership, or Min people of the roster
// each with evidence of every person kind.
func (cv *coverage) countPeople(s *controlState, items []item) {
	c := s.c
	var need uint32
	for _, k := range c.PersonKinds {
		need |= k.bit()
	}
	held := make([]uint32, len(cv.people))
	for _, it := range items {
		if e := &cv.entries[it.e]; it.r == "" && e.ev.Kind != c.Membership {
			for _, p := range cv.pplOf(e) {
				held[p] |= e.kind
			}
		}
	}
	members := 0
	for _, it := range items {
		e := &cv.entries[it.e]
		switch {
		case it.r != "":
			cv.recordNotCounted(s, e, it.r, nil, nil)
			continue
		case e.ev.Kind == c.Membership:
			members++
			s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: nonNil(e.ev.Customers), Individuals: e.ev.Individuals})
			continue
		case e.ppl.from == e.ppl.to:
			cv.recordNotCounted(s, e, ReasonNoIndividual, nil, nil)
			continue
		}
		var good, absent, short []string
		for _, p := range cv.pplOf(e) {
			switch id := cv.people[p].id; {
			case !cv.people[p].onRoster:
				absent = append(absent, id)
			case held[p]&need != need:
				short = append(short, id)
			default:
				good = append(good, id)
				cv.count(s, p, 0)
			}
		}
		if good != nil {
			s.st.Counted = append(s.st.Counted, Counted{EvidenceID: e.ev.ID, Customers: nonNil(e.ev.Customers), Individuals: good})
		}
		if absent != nil {
			cv.recordNotCounted(s, e, ReasonIndividualNotOnRoster, nil, absent)
		}
		if short != nil {
			cv.recordNotCounted(s, e, ReasonTooFewKinds, nil, short)
		}
	}
	s.st.IndividualsCounted = cv.idsOf(cv.picked, func(p int32) string { return cv.people[p].id })
	s.st.Satisfied = members > 0 || len(s.st.IndividualsCounted) >= c.Min
	if s.st.Satisfied {
		return
	}
	s.st.Gaps = append(s.st.Gaps, sprintf("%s needs 1 %s, or %d people each with %s; has %d%s", c.ID, c.Membership, c.Min,
		kindList(c.PersonKinds, " and "), len(s.st.IndividualsCounted), listed(s.st.IndividualsCounted)))
	for p := range cv.people {
		if cv.people[p].onRoster && held[p] != 0 && held[p]&need != need {
			s.st.Gaps = append(s.st.Gaps, sprintf("%s: %s has %s; lacks %s", c.ID, cv.people[p].id, kindsOf(held[p]), kindsOf(need&^held[p])))
		}
	}
}

// recordNotCounted records why evidence (or some of its customers or people)
// does not count.
func (cv *coverage) recordNotCounted(s *controlState, e *entry, r Reason, customers, individuals []string) {
	s.st.NotCounted = append(s.st.NotCounted, NotCounted{
		EvidenceID: e.ev.ID, Code: r, Reason: cv.reasonText(s.c, e, r),
		Customers: customers, Individuals: individuals,
	})
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
