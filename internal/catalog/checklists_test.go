package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

const (
	linuxID = "linux-and-open-source-database-migration-to-microsoft-azure"
	infraID = "infra-and-database-migration-to-microsoft-azure"
	aimlID  = "ai-and-machine-learning-in-microsoft-azure"
)

func checklistOn(t *testing.T, c *Checklists, spec, day string) evidence.Checklist {
	t.Helper()
	cl, err := c.For(spec, domain.MustDate(day))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// R-AUD-11: the Linux and Open-Source Database Migration checklist, control
// by control, as RULES.md's table writes it.
func TestChecklists_RulebookTable(t *testing.T) {
	type row struct {
		id, title   string
		kinds       []evidence.Kind
		count       evidence.Count
		min         int
		production  bool
		signOff     bool
		minKinds    int
		scenarios   string // "scenario" or "scenario@from", comma-separated
		personKinds []evidence.Kind
		membership  evidence.Kind
	}
	docs := []evidence.Kind{"sow", "solution_design", "project_plan", "architecture_diagram", "hld_lld", "as_built"}
	cust := evidence.CountUniqueCustomers
	want := []row{
		{id: "A1.1", title: "Cloud adoption business strategy", kinds: []evidence.Kind{"strategy_document"}, count: cust, min: 2},
		{id: "A2.1", title: "Cloud adoption plan", kinds: []evidence.Kind{"adoption_plan"}, count: cust, min: 2},
		{id: "A2.2", title: "Plan for skilling", kinds: []evidence.Kind{"skilling_plan"}, count: cust, min: 2},
		{id: "A3.1", title: "Repeatable deployment", kinds: []evidence.Kind{"deployment_template"}, count: cust, min: 2},
		{id: "A4.1", title: "Governance tooling", kinds: []evidence.Kind{"governance_evidence"}, count: cust, min: 2},
		{id: "A5.1", title: "Operations management tooling", kinds: []evidence.Kind{"operations_evidence"}, count: cust, min: 2},
		{id: "B1.1", title: "Certification", kinds: []evidence.Kind{"program_membership", "certification_proof", "employment_proof"}, count: evidence.CountPeople, min: 2,
			personKinds: []evidence.Kind{"certification_proof", "employment_proof"}, membership: "program_membership"},
		{id: "B2.1", title: "Workload assessment", kinds: []evidence.Kind{"assessment_report"}, count: cust, min: 3},
		{id: "B3.1", title: "Solution design", kinds: []evidence.Kind{"solution_design"}, count: cust, min: 3, scenarios: "linux_applications,oss_database"},
		{id: "B3.2", title: "Azure Well-Architected Review of workloads", kinds: []evidence.Kind{"well_architected_review"}, count: evidence.CountEvidenceItems, min: 3},
		{id: "B4.1", title: "Infrastructure migration", kinds: docs, count: cust, min: 3, production: true, minKinds: 2},
		{id: "B4.2", title: "Database migration", kinds: docs, count: evidence.CountScenarios, min: 2, production: true, minKinds: 2,
			scenarios: "oracle_to_postgresql@2022-03-03,postgresql,mariadb,mysql,cassandra,mongodb"},
		{id: "B4.3", title: "Migration tools", kinds: []evidence.Kind{"tool_demonstration"}, count: evidence.CountDemonstrations, min: 1},
		{id: "B4.4", title: "Automated deployment and provisioning tools", kinds: []evidence.Kind{"automation_demonstration"}, count: evidence.CountDemonstrations, min: 1},
		{id: "B5.1", title: "Service validation and testing", kinds: []evidence.Kind{"test_report"}, count: cust, min: 3, signOff: true},
		{id: "B5.2", title: "Post-deployment documentation", kinds: []evidence.Kind{"operations_documentation"}, count: cust, min: 3},
	}
	cl := checklistOn(t, MustChecklists(MustSpecializations()), linuxID, "2022-10-03")
	var got []row
	for _, m := range cl.Modules {
		for _, c := range m.Controls {
			var sc []string
			for _, s := range c.Scenarios {
				if s.From != nil {
					sc = append(sc, string(s.Scenario)+"@"+s.From.String())
				} else {
					sc = append(sc, string(s.Scenario))
				}
			}
			got = append(got, row{c.ID, c.Title, c.Kinds, c.Count, c.Min, c.Production, c.CustomerSignOff, c.MinKindsPerProject,
				strings.Join(sc, ","), c.PersonKinds, c.Membership})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d controls, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.id != w.id || g.title != w.title || !slices.Equal(g.kinds, w.kinds) || g.count != w.count || g.min != w.min ||
			g.production != w.production || g.signOff != w.signOff || g.minKinds != w.minKinds || g.scenarios != w.scenarios ||
			!slices.Equal(g.personKinds, w.personKinds) || g.membership != w.membership {
			t.Errorf("control %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// R-AUD-4: the checklist a partner is audited on is the version live on the
// audit date: A2.2 from 2022-07-01, the Oracle scenario from 2022-03-03, and
// nothing of Linux and Open-Source Database Migration from its replacement
// on 2023-01-09.
func TestChecklists_VersionLiveOnTheDay(t *testing.T) {
	c := MustChecklists(MustSpecializations())
	for _, w := range []struct {
		day, version, name, from, until, moduleA, moduleB string
		controlsA                                         int
	}{
		{"2021-07-01", "2021-07-01", "", "2021-07-01", "2022-03-02", "2021-07-01", "2021-07-01", 5},
		{"2022-03-02", "2021-07-01", "", "2021-07-01", "2022-03-02", "2021-07-01", "2021-07-01", 5},
		{"2022-03-03", "2022-03-03", "", "2022-03-03", "2022-06-30", "2021-07-01", "2022-03-03", 5},
		{"2022-03-04", "2022-03-03", "", "2022-03-03", "2022-06-30", "2021-07-01", "2022-03-03", 5},
		{"2022-06-30", "2022-03-03", "", "2022-03-03", "2022-06-30", "2021-07-01", "2022-03-03", 5},
		{"2022-07-01", "2022-07-01", "V2.1", "2022-07-01", "2023-01-08", "2022-07-01", "2022-03-03", 6},
		{"2022-07-02", "2022-07-01", "V2.1", "2022-07-01", "2023-01-08", "2022-07-01", "2022-03-03", 6},
		{"2023-01-08", "2022-07-01", "V2.1", "2022-07-01", "2023-01-08", "2022-07-01", "2022-03-03", 6},
	} {
		t.Run("R-AUD-4 "+w.day, func(t *testing.T) {
			cl := checklistOn(t, c, linuxID, w.day)
			if cl.Version != w.version || cl.Name != w.name || cl.EffectiveFrom.String() != w.from || cl.EffectiveUntil.String() != w.until {
				t.Errorf("version %q %q, %s to %s", cl.Version, cl.Name, cl.EffectiveFrom, cl.EffectiveUntil)
			}
			if a, b := cl.Modules[0], cl.Modules[1]; a.Version != w.moduleA || b.Version != w.moduleB || len(a.Controls) != w.controlsA {
				t.Errorf("Module A %s with %d controls, Module B %s", a.Version, len(a.Controls), b.Version)
			}
			if cl.SupersededBy != infraID || cl.SupersededOn.String() != "2023-01-09" {
				t.Errorf("superseded %v by %q", cl.SupersededOn, cl.SupersededBy)
			}
		})
	}
	for _, w := range []struct {
		spec, day string
		reason    LookupReason
		detail    string
	}{
		{linuxID, "2021-06-30", LookupNotYetLive, "the catalogue holds no checklist of " + linuxID + " before 2021-07-01"},
		{linuxID, "2023-01-09", LookupSuperseded, linuxID + " was superseded on 2023-01-09 by " + infraID + ": no checklist of it is live on 2023-01-09"},
		{linuxID, "2026-06-01", LookupSuperseded, ""},
		{infraID, "2023-01-08", LookupNotYetLive, "the catalogue holds no checklist of " + infraID + " before 2023-01-09"},
		{"analytics-on-microsoft-azure", "2021-09-30", LookupNotYetLive, ""},
		{"finance", "2026-06-01", LookupNotAudited, "finance is not validated by an audit, so it has no audit checklist"},
		{"cloud-security", "2026-06-01", LookupNotAudited, ""},
		{"no-such-thing", "2026-06-01", LookupUnknownSpecialization, `no specialization "no-such-thing"`},
	} {
		t.Run("R-AUD-4 no checklist of "+w.spec+" on "+w.day, func(t *testing.T) {
			_, err := c.For(w.spec, domain.MustDate(w.day))
			var le *LookupError
			if !errors.As(err, &le) || le.Reason != w.reason {
				t.Fatalf("error %v, want reason %s", err, w.reason)
			}
			if w.detail != "" && err.Error() != w.detail {
				t.Errorf("error %q, want %q", err, w.detail)
			}
			if w.reason == LookupSuperseded && (le.SupersededBy != infraID || le.SupersededOn.String() != "2023-01-09") {
				t.Errorf("superseded %v by %q", le.SupersededOn, le.SupersededBy)
			}
		})
	}
}

// R-AUD-1: Module A is one module for every specialization audited; Module B
// is the specialization's, and unknown where the seeds do not give it.
func TestChecklists_Modules(t *testing.T) {
	c := MustChecklists(MustSpecializations())
	linux := checklistOn(t, c, linuxID, "2022-10-03")
	audited := 0
	for _, s := range MustSpecializations().All() {
		day := "2023-06-01"
		if s.SupersededOn != nil {
			day = "2022-10-03"
		}
		cl, err := c.For(s.ID, domain.MustDate(day))
		if s.ManualValidation != domain.ManualValidationAudit {
			if err == nil {
				t.Errorf("%s: a checklist, but it is validated by %s", s.ID, s.ManualValidation)
			}
			continue
		}
		audited++
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		if len(cl.Modules) != 2 || cl.Modules[0].Module != "A" || cl.Modules[1].Module != "B" {
			t.Fatalf("%s: modules %+v", s.ID, cl.Modules)
		}
		if a := cl.Modules[0]; !a.Known || a.Name != "Cloud Foundation" || !slices.EqualFunc(a.Controls, linux.Modules[0].Controls, sameControl) {
			t.Errorf("%s: Module A is not Cloud Foundation's six controls: %+v", s.ID, a)
		}
		b := cl.Modules[1]
		if s.ID == linuxID {
			if !b.Known || len(b.Controls) != 10 {
				t.Errorf("Linux Module B: %+v", b)
			}
			continue
		}
		if b.Known || len(b.Controls) != 0 || b.Note == "" || b.Version != "" {
			t.Errorf("%s: Module B should be unknown: %+v", s.ID, b)
		}
	}
	if audited != 14 {
		t.Errorf("%d specializations audited, want seed 002's 13 Azure ones and the superseded Linux one", audited)
	}
	if b := checklistOn(t, c, aimlID, "2026-06-01").Modules[1]; b.Name != "AI and Machine Learning on Microsoft Azure workload" {
		t.Errorf("AI and Machine Learning's Module B is named %q", b.Name)
	}
	// Analytics took Module A in from 1 October 2021 (seed 001): its Module A
	// is still the same version as everyone's.
	an := checklistOn(t, c, "analytics-on-microsoft-azure", "2021-10-01")
	if an.Version != "2021-10-01" || an.Modules[0].Version != "2021-07-01" {
		t.Errorf("Analytics on 2021-10-01: version %s, Module A %s", an.Version, an.Modules[0].Version)
	}
}

func sameControl(a, b evidence.Control) bool {
	return a.ID == b.ID && a.Title == b.Title && slices.Equal(a.Kinds, b.Kinds) && a.Count == b.Count && a.Min == b.Min
}

// The checklist returned is a copy: changing it changes nothing for the
// next caller.
func TestChecklists_ReadOnly(t *testing.T) {
	c := MustChecklists(MustSpecializations())
	cl := checklistOn(t, c, linuxID, "2022-10-03")
	b42 := &cl.Modules[1].Controls[5]
	b42.Kinds[0] = "other"
	*b42.Scenarios[0].From = domain.MustDate("1999-01-01")
	*cl.EffectiveUntil = domain.MustDate("1999-01-01")
	*cl.SupersededOn = domain.MustDate("1999-01-01")
	cl.Modules[0].Controls[0].ID = "A0.0"
	again := checklistOn(t, c, linuxID, "2022-10-03")
	if k := again.Modules[1].Controls[5]; k.Kinds[0] != "sow" || k.Scenarios[0].From.String() != "2022-03-03" ||
		again.EffectiveUntil.String() != "2023-01-08" || again.SupersededOn.String() != "2023-01-09" || again.Modules[0].Controls[0].ID != "A1.1" {
		t.Errorf("the catalogue changed: %+v", again)
	}
}

// ParseChecklists refuses data that would make a rule silently wrong, and
// says what and where.
func TestParseChecklists_Rejects(t *testing.T) {
	specs := MustSpecializations()
	base := string(checklistsJSON)
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("the embedded file has no %s", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	const b11 = `"count": "people", "min": 2, "membership": "program_membership", "personKinds": ["certification_proof", "employment_proof"]`
	for _, c := range []struct{ name, data, want string }{
		{"an unknown field", edit(`"min": 2}`, `"min": 2, "minimum": 3}`), `unknown field "minimum"`},
		{"trailing data", base + "{}", "unexpected data after the JSON object"},
		{"a bad version", edit(`"version": "2026-11-01"`, `"version": "2026-13-01"`), "version:"},
		{"no Module A first day", edit(`"from": "2021-07-01",`, ``), "moduleA: from is required"},
		{"an unknown kind", edit(`["strategy_document"]`, `["strategy_doc"]`), `unknown kind "strategy_doc"`},
		{"a kind twice", edit(`["strategy_document"]`, `["strategy_document", "strategy_document"]`), `kind "strategy_document" listed twice`},
		{"an unknown count", edit(`"count": "scenarios"`, `"count": "distinct"`), `unknown count "distinct"`},
		{"a minimum of 0", edit(`"count": "evidence_items", "min": 3`, `"count": "evidence_items", "min": 0`), "min must be at least 1"},
		{"a control id of the other module", edit(`{"id": "A4.1"`, `{"id": "B4.1"`), "id must be the module letter A"},
		{"a control id twice", edit(`{"id": "A4.1"`, `{"id": "A3.1"`), "duplicate id"},
		{"an unknown scenario", edit(`{"scenario": "mysql"}`, `{"scenario": "sqlserver"}`), `unknown scenario "sqlserver"`},
		{"a scenario twice", edit(`{"scenario": "mysql"}`, `{"scenario": "mariadb"}`), `scenario "mariadb" listed twice`},
		{"a scenario from the module's first day", edit(`"from": "2022-03-03"`, `"from": "2021-07-01"`), "is not after the module's first day"},
		{"a control from the module's first day", edit(`"from": "2022-07-01"`, `"from": "2020-01-01"`), "is not after the module's first day"},
		{"fewer scenarios than counted", edit(`"count": "scenarios", "min": 2`, `"count": "scenarios", "min": 7`), "counts 7 distinct scenarios but accepts 6"},
		{"one kind per project", edit(`"minKindsPerProject": 2}`, `"minKindsPerProject": 1}`), "minKindsPerProject must be from 2"},
		{"a rule counting people with a customer option", edit(b11, b11+`, "production": true`), "counts people: production"},
		{"a membership that is not a kind", edit(`"membership": "program_membership"`, `"membership": "sow"`), "membership must be one of its kinds"},
		{"a person kind that is the membership", edit(`"personKinds": ["certification_proof", "employment_proof"]`, `"personKinds": ["program_membership"]`), "other than the membership"},
		{"no person kinds", edit(`, "personKinds": ["certification_proof", "employment_proof"]`, ``), "no personKinds"},
		{"a demonstration in production", edit(`"count": "demonstrations", "min": 1}`, `"count": "demonstrations", "min": 1, "production": true}`), "counts demonstrations"},
		{"workloads by scenario", edit(`"count": "evidence_items", "min": 3}`, `"count": "evidence_items", "min": 3, "minKindsPerProject": 2}`), "counts evidence items"},
		{"people options elsewhere", edit(`"count": "evidence_items", "min": 3}`, `"count": "evidence_items", "min": 3, "membership": "sow"}`), "apply only to a control that counts people"},
		{"an empty title", edit(`"title": "Migration tools"`, `"title": " "`), "title is empty"},
		{"no kinds", edit(`["tool_demonstration"]`, `[]`), "no evidence kind"},
		{"Module B of an unknown specialization", edit(`"specializationId": "ai-and-machine-learning-in-microsoft-azure"`, `"specializationId": "ai"`), "not a specialization validated by audit"},
		{"Module B of one not audited", edit(`"specializationId": "ai-and-machine-learning-in-microsoft-azure"`, `"specializationId": "finance"`), "not a specialization validated by audit"},
		{"two Module Bs", edit(`"specializationId": "ai-and-machine-learning-in-microsoft-azure"`, `"specializationId": "`+linuxID+`"`), "a second Module B"},
		{"Module B unnamed", edit(`"name": "AI and Machine Learning on Microsoft Azure workload"`, `"name": ""`), "name is empty"},
		{"a version name of an unknown Module B", edit(`"name": "AI and Machine Learning on Microsoft Azure workload"`, `"name": "AI", "names": [{"version": "2022-07-01", "name": "V1"}]`), "version names for a checklist whose Module B is unknown"},
		{"a version name of no version", edit(`"version": "2022-07-01", "name": "V2.1"`, `"version": "2022-07-02", "name": "V2.1"`), `version name for "2022-07-02"`},
		{"another final name", edit(`"name": "V2.1"`, `"name": "V2.0"`), `last version named "V2.0", but the specialization catalogue names it "V2.1"`},
		{"a control the specialization catalogue does not list", edit(`{"id": "B5.2"`, `{"id": "B5.3"`), "Module B's controls [1.1 2.1 3.1 3.2 4.1 4.2 4.3 4.4 5.1 5.3], but the specialization catalogue lists"},
		{"fromFor of one not audited", edit(`"fromFor": {"analytics-on-microsoft-azure": "2021-10-01"}`, `"fromFor": {"finance": "2021-10-01"}`), `fromFor "finance" is not a specialization validated by audit`},
		{"fromFor before Module A", edit(`"fromFor": {"analytics-on-microsoft-azure": "2021-10-01"}`, `"fromFor": {"analytics-on-microsoft-azure": "2021-06-01"}`), "before the module's first day"},
		{"Module A unnamed and empty", edit(`"name": "Cloud Foundation"`, `"name": "", "controls": [], "unused": 1`), `unknown field "unused"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseChecklists([]byte(c.data), specs)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to say %q", err, c.want)
			}
		})
	}
	if _, err := ParseChecklists(checklistsJSON, nil); err == nil {
		t.Error("parsed without a specialization catalogue")
	}
	// Superseded before its first version: the specialization catalogue and
	// the checklists disagree on dates.
	early := strings.NewReplacer(`"supersededOn": "2023-01-09"`, `"supersededOn": "2021-07-01"`,
		`"validFrom": "2023-01-09"`, `"validFrom": "2021-06-01"`).Replace(string(specializationsJSON))
	s, err := ParseSpecializations([]byte(early), MustCertifications())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseChecklists(checklistsJSON, s); err == nil || !strings.Contains(err.Error(), "superseded on 2021-07-01, before its first checklist version 2021-07-01") {
		t.Errorf("error %v", err)
	}
}
