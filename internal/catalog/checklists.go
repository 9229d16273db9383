package catalog

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// checklists.json holds the audit checklists of RULES.md's R-AUD-11: Module
// A (Cloud Foundation), shared by every specialization validated by audit,
// and the Module B of each specialization whose workload module the seeds
// give (only Linux and Open-Source Database Migration's). Controls and
// scenarios carry the day they apply from, so that one file holds every
// version of a checklist and a partner is audited on the one live on its
// audit date.
//
//go:embed checklists.json
var checklistsJSON []byte

// unknownModuleNote is what a checklist says of a module the catalogue does
// not hold, rather than inventing its controls.
const unknownModuleNote = "The seeds do not give this module's controls: see the specialization's audit checklist in Partner Center. The catalogue cannot check evidence against it, so the checklist is never satisfied here."

// Checklists is the validated, read-only checklist catalogue: every version
// of every audited specialization's checklist, by day.
type Checklists struct {
	// Version is the date the data was last checked against the seeds.
	Version string
	specs   *Specializations
	// versions per specialization, by EffectiveFrom; the last one of a
	// superseded specialization ends the day before it was superseded.
	versions map[string][]evidence.Checklist
}

type checklistsFile struct {
	Version string        `json:"version"`
	ModuleA moduleAFile   `json:"moduleA"`
	ModuleB []moduleBFile `json:"moduleB"`
}

type moduleAFile struct {
	Name string      `json:"name"`
	From domain.Date `json:"from"`
	// FromFor: specializations whose audit took Module A in later than From
	// (seed 001: Analytics on Microsoft Azure from 1 October 2021).
	FromFor  map[string]domain.Date `json:"fromFor"`
	Controls []controlFile          `json:"controls"`
}

type moduleBFile struct {
	SpecializationID string `json:"specializationId"`
	Name             string `json:"name"`
	// Names are the program's names of versions ("V2.1"), by version.
	Names []versionName `json:"names"`
	// Controls absent: the seeds do not give them.
	Controls []controlFile `json:"controls"`
}

type versionName struct {
	Version string `json:"version"`
	Name    string `json:"name"`
}

type controlFile struct {
	ID                 string          `json:"id"`
	Title              string          `json:"title"`
	From               *domain.Date    `json:"from"`
	Kinds              []evidence.Kind `json:"kinds"`
	Count              evidence.Count  `json:"count"`
	Min                int             `json:"min"`
	Production         bool            `json:"production"`
	CustomerSignOff    bool            `json:"customerSignOff"`
	MinKindsPerProject int             `json:"minKindsPerProject"`
	Scenarios          []scenarioFile  `json:"scenarios"`
	Membership         evidence.Kind   `json:"membership"`
	PersonKinds        []evidence.Kind `json:"personKinds"`
}

type scenarioFile struct {
	Scenario evidence.Scenario `json:"scenario"`
	From     *domain.Date      `json:"from"`
}

// LoadChecklists parses and validates the embedded checklists against the
// specialization catalogue.
func LoadChecklists(specs *Specializations) (*Checklists, error) {
	return ParseChecklists(checklistsJSON, specs)
}

// MustChecklists is LoadChecklists for program start-up: the embedded data
// is fixed at build time and tested, so an error is a build defect.
func MustChecklists(specs *Specializations) *Checklists {
	c, err := LoadChecklists(specs)
	if err != nil {
		panic(err)
	}
	return c
}

// ParseChecklists validates checklists given as JSON, so that a deployment's
// override passes the same checks as the embedded file, and builds every
// version of every audited specialization's checklist. It reports every
// problem, not just the first.
//
// Checks: no unknown fields or trailing data; version is YYYY-MM-DD; Module
// A named, with a first day and controls; each Module B entry for a distinct
// specialization of specs that is validated by audit, named; fromFor only
// for such specializations; control ids "A1.1"/"B4.2" of their module, each
// once; each control valid for its way of counting (checkControl); controls
// and scenarios apply from no earlier than their module; version names for
// versions that exist; and, where the specialization catalogue states a
// checklist's controls or final version name, the checklist agrees with it.
func ParseChecklists(data []byte, specs *Specializations) (*Checklists, error) {
	if specs == nil {
		return nil, errors.New("checklist catalogue: no specialization catalogue to check it against")
	}
	var f checklistsFile
	if err := decodeStrict(data, &f, "checklist catalogue"); err != nil {
		return nil, err
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if _, err := domain.ParseDate(f.Version); err != nil {
		fail("version: %v", err)
	}

	a := f.ModuleA
	if strings.TrimSpace(a.Name) == "" {
		fail("moduleA: name is empty")
	}
	if a.From.IsZero() {
		fail("moduleA: from is required")
	}
	if len(a.Controls) == 0 {
		fail("moduleA: no controls")
	}
	checkControls("moduleA", "A", a.Controls, a.From, fail)
	for id := range a.FromFor {
		if s, ok := specs.Lookup(id); !ok || s.ManualValidation != domain.ManualValidationAudit {
			fail("moduleA: fromFor %q is not a specialization validated by audit", id)
		} else if a.FromFor[id].Before(a.From) {
			fail("moduleA: fromFor %q is before the module's first day %s", id, a.From)
		}
	}

	moduleB := map[string]*moduleBFile{}
	for i := range f.ModuleB {
		b := &f.ModuleB[i]
		at := fmt.Sprintf("moduleB[%d] (%q)", i, b.SpecializationID)
		if s, ok := specs.Lookup(b.SpecializationID); !ok || s.ManualValidation != domain.ManualValidationAudit {
			fail("%s: not a specialization validated by audit", at)
		}
		if moduleB[b.SpecializationID] != nil {
			fail("%s: a second Module B for the specialization", at)
		}
		moduleB[b.SpecializationID] = b
		if strings.TrimSpace(b.Name) == "" {
			fail("%s: name is empty", at)
		}
		if len(b.Controls) == 0 && len(b.Names) > 0 {
			fail("%s: version names for a checklist whose Module B is unknown", at)
		}
		checkControls(at, "B", b.Controls, a.From, fail)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("checklist catalogue %s: %w", f.Version, errors.Join(errs...))
	}

	c := &Checklists{Version: f.Version, specs: specs, versions: map[string][]evidence.Checklist{}}
	for _, s := range specs.list {
		if s.ManualValidation != domain.ManualValidationAudit {
			continue
		}
		vs, err := buildVersions(s, &a, moduleB[s.ID])
		if err != nil {
			fail("%s: %w", s.ID, err)
			continue
		}
		c.versions[s.ID] = vs
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("checklist catalogue %s: %w", f.Version, errors.Join(errs...))
	}
	return c, nil
}

// checkControls checks one module's controls.
func checkControls(at, letter string, controls []controlFile, moduleFrom domain.Date, fail func(string, ...any)) {
	seen := map[string]bool{}
	for i, c := range controls {
		where := fmt.Sprintf("%s: controls[%d] (%q)", at, i, c.ID)
		if !validControlID(c.ID, letter) {
			fail("%s: id must be the module letter %s and the control's number, as %s1.1", where, letter, letter)
		}
		if seen[c.ID] {
			fail("%s: duplicate id", where)
		}
		seen[c.ID] = true
		if c.From != nil && !c.From.After(moduleFrom) {
			fail("%s: from %s is not after the module's first day %s; leave it out", where, c.From, moduleFrom)
		}
		for _, s := range c.Scenarios {
			if s.From != nil && !s.From.After(moduleFrom) {
				fail("%s: scenario %q from %s is not after the module's first day %s; leave it out", where, s.Scenario, s.From, moduleFrom)
			}
		}
		for _, msg := range checkControl(c) {
			fail("%s: %s", where, msg)
		}
	}
}

// validControlID: the module letter, then numbers "n.m" as the seed numbers
// its controls.
func validControlID(id, letter string) bool {
	rest, ok := strings.CutPrefix(id, letter)
	if !ok {
		return false
	}
	major, minor, ok := strings.Cut(rest, ".")
	return ok && digits(major) && digits(minor)
}

func digits(s string) bool {
	return s != "" && len(s) <= 2 && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// checkControl checks a control's counting rule on its own: every option it
// sets must be one its way of counting reads, so that no rule in the data is
// silently ignored.
func checkControl(c controlFile) []string {
	var msgs []string
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(c.Title) == "" {
		bad("title is empty")
	}
	if len(c.Kinds) == 0 {
		bad("no evidence kind")
	}
	for i, k := range c.Kinds {
		if !k.Valid() {
			bad("unknown kind %q", k)
		} else if slices.Contains(c.Kinds[:i], k) {
			bad("kind %q listed twice", k)
		}
	}
	if !slices.Contains(evidence.Counts, c.Count) {
		bad("unknown count %q", c.Count)
	}
	if c.Min < 1 {
		bad("min must be at least 1")
	}
	for i, s := range c.Scenarios {
		if !s.Scenario.Valid() {
			bad("unknown scenario %q", s.Scenario)
		}
		for _, o := range c.Scenarios[:i] {
			if o.Scenario == s.Scenario {
				bad("scenario %q listed twice", s.Scenario)
			}
		}
	}
	if c.MinKindsPerProject != 0 && (c.MinKindsPerProject < 2 || c.MinKindsPerProject > len(c.Kinds)) {
		bad("minKindsPerProject must be from 2 to the number of kinds, or left out")
	}
	customerOptions := c.Production || c.CustomerSignOff || c.MinKindsPerProject > 0 || len(c.Scenarios) > 0
	switch c.Count {
	case evidence.CountScenarios:
		if len(c.Scenarios) < c.Min {
			bad("counts %d distinct scenarios but accepts %d", c.Min, len(c.Scenarios))
		}
	case evidence.CountPeople:
		if customerOptions {
			bad("counts people: production, customerSignOff, minKindsPerProject and scenarios do not apply")
		}
		if !c.Membership.Valid() || !slices.Contains(c.Kinds, c.Membership) {
			bad("counts people: membership must be one of its kinds")
		}
		if len(c.PersonKinds) == 0 {
			bad("counts people: no personKinds")
		}
		for _, k := range c.PersonKinds {
			if !slices.Contains(c.Kinds, k) || k == c.Membership {
				bad("counts people: person kind %q must be one of its kinds, other than the membership", k)
			}
		}
		if len(c.Kinds) != len(c.PersonKinds)+1 {
			bad("counts people: its kinds must be the membership and the person kinds, nothing else")
		}
	case evidence.CountDemonstrations:
		if customerOptions {
			bad("counts demonstrations: production, customerSignOff, minKindsPerProject and scenarios do not apply")
		}
	case evidence.CountEvidenceItems:
		if len(c.Scenarios) > 0 || c.MinKindsPerProject > 0 {
			bad("counts evidence items: scenarios and minKindsPerProject do not apply")
		}
	}
	if c.Count != evidence.CountPeople && (c.Membership != "" || len(c.PersonKinds) > 0) {
		bad("membership and personKinds apply only to a control that counts people")
	}
	return msgs
}

// buildVersions builds every version of one specialization's checklist.
//
// R-AUD-4: a version is the checklist as it stands from one change (a
// control or scenario applying from a day) to the day before the next, so
// that an audit is checked against the controls live on its date.
func buildVersions(s domain.Specialization, a *moduleAFile, b *moduleBFile) ([]evidence.Checklist, error) {
	start := a.From
	if d, ok := a.FromFor[s.ID]; ok {
		start = d
	}
	if s.ValidFrom != nil && s.ValidFrom.After(start) {
		start = *s.ValidFrom
	}
	if s.SupersededOn != nil && !s.SupersededOn.After(start) {
		return nil, fmt.Errorf("superseded on %s, before its first checklist version %s", s.SupersededOn, start)
	}
	live := func(d *domain.Date) bool {
		return d != nil && d.After(start) && (s.SupersededOn == nil || d.Before(*s.SupersededOn))
	}
	changes := []domain.Date{start}
	var bControls []controlFile
	if b != nil {
		bControls = b.Controls
	}
	for _, cs := range [][]controlFile{a.Controls, bControls} {
		for _, c := range cs {
			if live(c.From) {
				changes = append(changes, *c.From)
			}
			for _, sc := range c.Scenarios {
				if live(sc.From) {
					changes = append(changes, *sc.From)
				}
			}
		}
	}
	slices.SortFunc(changes, compareDates)
	changes = slices.CompactFunc(changes, func(x, y domain.Date) bool { return x == y })

	names := map[string]string{}
	if b != nil {
		for _, n := range b.Names {
			names[n.Version] = n.Name
		}
	}
	versions := make([]evidence.Checklist, len(changes))
	for i, from := range changes {
		cl := evidence.Checklist{
			SpecializationID: s.ID, Version: from.String(), Name: names[from.String()],
			EffectiveFrom: from, SupersededOn: s.SupersededOn, SupersededBy: s.SupersededBy,
		}
		delete(names, from.String())
		switch {
		case i+1 < len(changes):
			until := changes[i+1].AddDays(-1)
			cl.EffectiveUntil = &until
		case s.SupersededOn != nil:
			until := s.SupersededOn.AddDays(-1)
			cl.EffectiveUntil = &until
		}
		// R-AUD-1: Module A, Cloud Foundation, is the same module for every
		// specialization audited; Module B is the specialization's workload,
		// unknown where the seeds do not give it.
		cl.Modules = []evidence.Module{moduleOn("A", a.Name, a.Controls, a.From, from), {Module: "B", Note: unknownModuleNote}}
		if b != nil {
			cl.Modules[1].Name = b.Name
			if len(b.Controls) > 0 {
				cl.Modules[1] = moduleOn("B", b.Name, b.Controls, start, from)
			}
		}
		versions[i] = cl
	}
	for v := range names {
		return nil, fmt.Errorf("moduleB: version name for %q, which is not one of its versions", v)
	}
	if err := agreeWithSpecialization(s, versions[len(versions)-1]); err != nil {
		return nil, err
	}
	return versions, nil
}

func compareDates(x, y domain.Date) int {
	switch {
	case x.Before(y):
		return -1
	case x.After(y):
		return 1
	}
	return 0
}

// moduleOn is a module as it stands on day on: the controls that apply by
// then, and as its version the day of its newest change by then.
func moduleOn(letter, name string, controls []controlFile, moduleFrom, on domain.Date) evidence.Module {
	m := evidence.Module{Module: letter, Name: name, Known: true, Controls: []evidence.Control{}}
	version := moduleFrom
	newer := func(d *domain.Date) {
		if d != nil && !d.After(on) && d.After(version) {
			version = *d
		}
	}
	for _, c := range controls {
		if c.From != nil && c.From.After(on) {
			continue
		}
		newer(c.From)
		ctl := evidence.Control{
			ID: c.ID, Title: c.Title, Kinds: c.Kinds, Count: c.Count, Min: c.Min,
			Production: c.Production, CustomerSignOff: c.CustomerSignOff, MinKindsPerProject: c.MinKindsPerProject,
			Membership: c.Membership, PersonKinds: c.PersonKinds,
		}
		// Every scenario is kept with its first day, so that evidence of a
		// scenario not yet accepted is told apart from one never accepted.
		for _, sc := range c.Scenarios {
			newer(sc.From)
			ctl.Scenarios = append(ctl.Scenarios, evidence.ScenarioRule{Scenario: sc.Scenario, From: sc.From})
		}
		m.Controls = append(m.Controls, ctl)
	}
	m.Version = version.String()
	return m
}

// agreeWithSpecialization holds the checklist's last version to what the
// specialization catalogue states of its audit, where it states anything:
// the two files must not tell a partner different controls.
func agreeWithSpecialization(s domain.Specialization, last evidence.Checklist) error {
	a := s.Requirements.Audit
	if a == nil {
		return nil
	}
	var errs []error
	for i, want := range [][]string{a.ModuleAControls, a.ModuleBControls} {
		if len(want) == 0 {
			continue
		}
		m := last.Modules[i]
		var got []string
		for _, c := range m.Controls {
			got = append(got, strings.TrimPrefix(c.ID, m.Module))
		}
		if !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("Module %s's controls %v, but the specialization catalogue lists %v", m.Module, got, want))
		}
	}
	if a.ChecklistVersion != "" && last.Name != a.ChecklistVersion {
		errs = append(errs, fmt.Errorf("last version named %q, but the specialization catalogue names it %q", last.Name, a.ChecklistVersion))
	}
	return errors.Join(errs...)
}

// LookupReason says why a specialization has no checklist on a day.
type LookupReason string

const (
	LookupUnknownSpecialization LookupReason = "unknown_specialization"
	// LookupNotAudited: the specialization is validated by a customer
	// reference or by nothing (seed 002), not by an audit.
	LookupNotAudited LookupReason = "not_audited"
	// LookupNotYetLive: the day is before the first version the catalogue
	// holds (From).
	LookupNotYetLive LookupReason = "not_yet_live"
	// LookupSuperseded: the specialization was replaced (SupersededOn, by
	// SupersededBy) on or before the day.
	LookupSuperseded LookupReason = "superseded"
)

// LookupError is why For has no checklist.
type LookupError struct {
	SpecializationID string
	On               domain.Date
	Reason           LookupReason
	From             *domain.Date
	SupersededOn     *domain.Date
	SupersededBy     string
}

func (e *LookupError) Error() string {
	switch e.Reason {
	case LookupUnknownSpecialization:
		return fmt.Sprintf("no specialization %q", e.SpecializationID)
	case LookupNotAudited:
		return fmt.Sprintf("%s is not validated by an audit, so it has no audit checklist", e.SpecializationID)
	case LookupNotYetLive:
		return fmt.Sprintf("the catalogue holds no checklist of %s before %s", e.SpecializationID, e.From)
	}
	return fmt.Sprintf("%s was superseded on %s by %s: no checklist of it is live on %s", e.SpecializationID, e.SupersededOn, e.SupersededBy, e.On)
}

// For is the checklist of a specialization live on day on: the version a
// partner audited that day is audited on. The answer is a copy, so the
// shared catalogue stays read-only. With no checklist it returns a
// *LookupError.
func (c *Checklists) For(specializationID string, on domain.Date) (evidence.Checklist, error) {
	fail := func(r LookupReason) (evidence.Checklist, error) {
		return evidence.Checklist{}, &LookupError{SpecializationID: specializationID, On: on, Reason: r}
	}
	s, ok := c.specs.Lookup(specializationID)
	if !ok {
		return fail(LookupUnknownSpecialization)
	}
	vs := c.versions[specializationID]
	if len(vs) == 0 {
		return fail(LookupNotAudited)
	}
	if on.Before(vs[0].EffectiveFrom) {
		from := vs[0].EffectiveFrom
		return evidence.Checklist{}, &LookupError{SpecializationID: specializationID, On: on, Reason: LookupNotYetLive, From: &from}
	}
	if s.SupersededOn != nil && !on.Before(*s.SupersededOn) {
		return evidence.Checklist{}, &LookupError{SpecializationID: specializationID, On: on, Reason: LookupSuperseded,
			SupersededOn: s.SupersededOn, SupersededBy: s.SupersededBy}
	}
	i, _ := slices.BinarySearchFunc(vs, on, func(v evidence.Checklist, d domain.Date) int {
		if v.EffectiveFrom.After(d) {
			return 1
		}
		return -1
	})
	return cloneChecklist(vs[i-1]), nil
}

func cloneChecklist(cl evidence.Checklist) evidence.Checklist {
	cl.EffectiveUntil = cloneSpecDate(cl.EffectiveUntil)
	cl.SupersededOn = cloneSpecDate(cl.SupersededOn)
	cl.Modules = slices.Clone(cl.Modules)
	for i := range cl.Modules {
		m := &cl.Modules[i]
		m.Controls = slices.Clone(m.Controls)
		for j := range m.Controls {
			c := &m.Controls[j]
			c.Kinds = slices.Clone(c.Kinds)
			c.PersonKinds = slices.Clone(c.PersonKinds)
			c.Scenarios = slices.Clone(c.Scenarios)
			for k := range c.Scenarios {
				c.Scenarios[k].From = cloneSpecDate(c.Scenarios[k].From)
			}
		}
	}
	return cl
}
