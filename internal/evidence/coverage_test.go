package evidence_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

func cover(t testing.TB, spec, day string, evs ...evidence.Evidence) evidence.ChecklistStatus {
	t.Helper()
	return evidence.Coverage(checklistOn(t, spec, day), domain.MustDate(day), evs, partnerCustomers(), partnerRoster())
}

func controlOf(t testing.TB, st evidence.ChecklistStatus, id string) evidence.ControlStatus {
	t.Helper()
	for _, m := range st.Modules {
		for _, c := range m.Controls {
			if c.ID == id {
				return c
			}
		}
	}
	t.Fatalf("no control %s in the answer", id)
	return evidence.ControlStatus{}
}

func countedIDs(c evidence.ControlStatus) []string {
	ids := []string{}
	for _, k := range c.Counted {
		ids = append(ids, k.EvidenceID)
	}
	return ids
}

// reasons lists "evidenceId:code" of what did not count.
func reasons(c evidence.ControlStatus) []string {
	out := []string{}
	for _, n := range c.NotCounted {
		out = append(out, n.EvidenceID+":"+string(n.Code))
	}
	return out
}

func tenants(ns ...int) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, tenant(n))
	}
	return out
}

// R-AUD-11: each control of Module A counts two unique customers, each with
// evidence of the control's own kind; the same customer twice is one.
func TestCoverage_ModuleAControls(t *testing.T) {
	for _, c := range []struct {
		control string
		kind    evidence.Kind
	}{
		{"A1.1", evidence.KindStrategyDocument},
		{"A2.1", evidence.KindAdoptionPlan},
		{"A2.2", evidence.KindSkillingPlan},
		{"A3.1", evidence.KindDeploymentTemplate},
		{"A4.1", evidence.KindGovernanceEvidence},
		{"A5.1", evidence.KindOperationsEvidence},
	} {
		t.Run("R-AUD-11 "+c.control, func(t *testing.T) {
			one := controlOf(t, cover(t, linux, auditDay, ev("e1", c.kind, c.control, 1), ev("e2", c.kind, c.control, 1)), c.control)
			if one.Satisfied {
				t.Error("one customer twice satisfies it")
			}
			wantStrings(t, "customersCounted", one.CustomersCounted, tenants(1))
			wantStrings(t, "counted", countedIDs(one), []string{"e1", "e2"})
			wantStrings(t, "gaps", one.Gaps, []string{c.control + " needs 2 unique customers; has 1: Customer 1"})

			two := controlOf(t, cover(t, linux, auditDay, ev("e1", c.kind, c.control, 2), ev("e2", c.kind, c.control, 1)), c.control)
			if !two.Satisfied {
				t.Errorf("two customers do not satisfy it: %q", two.Gaps)
			}
			// In the order the evidence first names them.
			wantStrings(t, "customersCounted", two.CustomersCounted, tenants(2, 1))
			wantStrings(t, "gaps", two.Gaps, nil)
		})
	}
}

// moduleA is evidence for every Module A control (A2.2 included) from two
// customers, completed on done.
func moduleA(spec string, done string) []evidence.Evidence {
	var out []evidence.Evidence
	for _, c := range []struct {
		control string
		kind    evidence.Kind
	}{
		{"A1.1", evidence.KindStrategyDocument}, {"A2.1", evidence.KindAdoptionPlan}, {"A2.2", evidence.KindSkillingPlan},
		{"A3.1", evidence.KindDeploymentTemplate}, {"A4.1", evidence.KindGovernanceEvidence}, {"A5.1", evidence.KindOperationsEvidence},
	} {
		for _, n := range []int{1, 2} {
			out = append(out, with(ev(c.control+"-"+tenant(n), c.kind, c.control, n), func(e *evidence.Evidence) {
				e.SpecializationID = spec
				e.ProjectCompletedOn, e.CustomerSignedOffOn = date(done), date(done)
			}))
		}
	}
	return out
}

// R-AUD-4, R-AUD-11: A2.2 is a control only in audits from 2022-07-01; before,
// Module A is met without a skilling plan, and a skilling plan counts
// nowhere.
func TestCoverage_A22FromJuly2022(t *testing.T) {
	withoutSkilling := slices.DeleteFunc(moduleA(linux, "2022-06-01"), func(e evidence.Evidence) bool { return e.Kind == evidence.KindSkillingPlan })
	for _, c := range []struct {
		day, version  string
		withA22, full bool
	}{
		{"2022-06-30", "2022-03-03", false, true},
		{"2022-07-01", "2022-07-01", true, false},
		{"2022-07-02", "2022-07-01", true, false},
	} {
		t.Run("R-AUD-4 "+c.day, func(t *testing.T) {
			st := cover(t, linux, c.day, withoutSkilling...)
			if st.ChecklistVersion != c.version {
				t.Errorf("checklistVersion %q, want %q", st.ChecklistVersion, c.version)
			}
			var ids []string
			for _, ctl := range st.Modules[0].Controls {
				ids = append(ids, ctl.ID)
			}
			if got := slices.Contains(ids, "A2.2"); got != c.withA22 {
				t.Errorf("Module A's controls %v: A2.2 there %v, want %v", ids, got, c.withA22)
			}
			if st.Modules[0].Satisfied != c.full {
				t.Errorf("Module A satisfied %v, want %v", st.Modules[0].Satisfied, c.full)
			}
			if c.withA22 {
				wantStrings(t, "A2.2 gaps", controlOf(t, st, "A2.2").Gaps, []string{"A2.2 needs 2 unique customers; has 0"})
			}
		})
	}
	t.Run("R-AUD-4 2022-07-01 with skilling plans", func(t *testing.T) {
		st := cover(t, linux, "2022-07-01", moduleA(linux, "2022-06-01")...)
		if !st.Modules[0].Satisfied || st.Modules[0].Version != "2022-07-01" || st.ChecklistName != "V2.1" {
			t.Errorf("Module A satisfied %v, version %q, checklist name %q", st.Modules[0].Satisfied, st.Modules[0].Version, st.ChecklistName)
		}
	})
}

// R-AUD-7: evidence counts when the customer signed it off no earlier than
// 24 months before the audit date and its project was completed in the 12
// months before the audit date, and not after it. Each rule is judged on its
// own (Validate would refuse a sign-off before the completion).
func TestCoverage_Recency(t *testing.T) {
	cases := []struct {
		name, audit, spec string
		done, signed      *domain.Date
		want              evidence.Reason // "" counts
	}{
		{"completed exactly 12 months before", auditDay, linux, date("2021-10-03"), date("2021-10-03"), ""},
		{"completed 12 months and a day before", auditDay, linux, date("2021-10-02"), date("2021-10-03"), evidence.ReasonCompletedTooEarly},
		{"completed on the audit date", auditDay, linux, date("2022-10-03"), date("2022-10-03"), ""},
		{"completed the day after the audit", auditDay, linux, date("2022-10-04"), nil, evidence.ReasonCompletedAfterAudit},
		{"no completion date", auditDay, linux, nil, date("2022-09-01"), evidence.ReasonNoCompletionDate},
		{"signed off exactly 24 months before", auditDay, linux, date("2022-09-01"), date("2020-10-03"), ""},
		{"signed off 24 months and a day before", auditDay, linux, date("2022-09-01"), date("2020-10-02"), evidence.ReasonSignedOffTooEarly},
		{"signed off the day after the audit", auditDay, linux, date("2022-09-01"), date("2022-10-04"), evidence.ReasonSignedOffAfterAudit},
		{"no sign-off where the control needs none", auditDay, linux, date("2022-09-01"), nil, ""},
		// 29 February: the window opens on the last day of February.
		{"leap audit, completed on 28 February a year before", "2024-02-29", aiml, date("2023-02-28"), date("2023-03-01"), ""},
		{"leap audit, completed on 27 February a year before", "2024-02-29", aiml, date("2023-02-27"), date("2023-03-01"), evidence.ReasonCompletedTooEarly},
		{"leap audit, signed off on 28 February two years before", "2024-02-29", aiml, date("2023-03-01"), date("2022-02-28"), ""},
		{"leap audit, signed off on 27 February two years before", "2024-02-29", aiml, date("2023-03-01"), date("2022-02-27"), evidence.ReasonSignedOffTooEarly},
	}
	for _, c := range cases {
		t.Run("R-AUD-7 "+c.name, func(t *testing.T) {
			e := with(ev("e1", evidence.KindStrategyDocument, "A1.1", 1), func(e *evidence.Evidence) {
				e.SpecializationID, e.ProjectCompletedOn, e.CustomerSignedOffOn = c.spec, c.done, c.signed
			})
			got := controlOf(t, cover(t, c.spec, c.audit, e), "A1.1")
			if c.want == "" {
				wantStrings(t, "counted", countedIDs(got), []string{"e1"})
				wantStrings(t, "notCounted", reasons(got), nil)
				return
			}
			wantStrings(t, "counted", countedIDs(got), nil)
			wantStrings(t, "notCounted", reasons(got), []string{"e1:" + string(c.want)})
		})
	}
}

// R-AUD-7: only available evidence counts: not pending, being scanned,
// rejected, superseded or deleted.
func TestCoverage_Statuses(t *testing.T) {
	for _, c := range []struct {
		status evidence.Status
		want   evidence.Reason
		text   string
	}{
		{evidence.StatusPendingUpload, evidence.ReasonNotAvailable, "not uploaded"},
		{evidence.StatusScanning, evidence.ReasonNotAvailable, "being verified"},
		{evidence.StatusRejected, evidence.ReasonNotAvailable, "rejected: checksum mismatch"},
		{evidence.StatusSuperseded, evidence.ReasonSuperseded, "newer version"},
		{evidence.StatusDeleted, evidence.ReasonDeleted, "deleted"},
		{"archived", evidence.ReasonNotAvailable, `unknown status "archived"`},
	} {
		t.Run("R-AUD-7 "+string(c.status), func(t *testing.T) {
			e := with(ev("e1", evidence.KindStrategyDocument, "A1.1", 1), func(e *evidence.Evidence) {
				e.Status = c.status
				e.RejectedReason = "checksum mismatch"
			})
			got := controlOf(t, cover(t, linux, auditDay, e, ev("e2", evidence.KindStrategyDocument, "A1.1", 2)), "A1.1")
			wantStrings(t, "counted", countedIDs(got), []string{"e2"})
			wantStrings(t, "notCounted", reasons(got), []string{"e1:" + string(c.want)})
			if !strings.Contains(got.NotCounted[0].Reason, c.text) {
				t.Errorf("reason %q does not say %q", got.NotCounted[0].Reason, c.text)
			}
		})
	}
}

// R-AUD-7: affiliated customers and customers no longer registered never
// count; evidence naming them with others counts for the others; one
// customer backs many controls and both modules.
func TestCoverage_Customers(t *testing.T) {
	t.Run("R-AUD-7 affiliated and removed customers", func(t *testing.T) {
		got := controlOf(t, cover(t, linux, auditDay,
			ev("e1", evidence.KindStrategyDocument, "A1.1", affiliated),
			ev("e2", evidence.KindStrategyDocument, "A1.1", unregistered),
			ev("e3", evidence.KindStrategyDocument, "A1.1", 3, affiliated, unregistered),
		), "A1.1")
		wantStrings(t, "counted", countedIDs(got), []string{"e3"})
		wantStrings(t, "counted customers of e3", got.Counted[0].Customers, tenants(3))
		wantStrings(t, "customersCounted", got.CustomersCounted, tenants(3))
		wantStrings(t, "notCounted", reasons(got), []string{"e1:customer_affiliated", "e2:customer_not_registered", "e3:customer_not_registered", "e3:customer_affiliated"})
		wantStrings(t, "e3's removed customer", got.NotCounted[2].Customers, tenants(unregistered))
		wantStrings(t, "e3's affiliated customer", got.NotCounted[3].Customers, tenants(affiliated))
		if got.Satisfied {
			t.Error("one customer that counts satisfies A1.1")
		}
	})
	t.Run("R-AUD-7 one customer for many controls and both modules", func(t *testing.T) {
		st := cover(t, linux, auditDay,
			with(ev("e1", evidence.KindSolutionDesign, "B4.1", 1), func(e *evidence.Evidence) { e.Controls = []string{"B4.1", "B3.1"}; e.Scenario = "linux_applications" }),
			ev("e2", evidence.KindStrategyDocument, "A1.1", 1),
			ev("e3", evidence.KindAssessmentReport, "B2.1", 1),
			ev("e4", evidence.KindSOW, "B4.1", 1),
		)
		for _, id := range []string{"A1.1", "B2.1", "B3.1", "B4.1"} {
			wantStrings(t, id+" customersCounted", controlOf(t, st, id).CustomersCounted, tenants(1))
		}
		// B4.1 does not ask for a scenario: the counted evidence names none there.
		if s := controlOf(t, st, "B4.1").Counted; len(s) != 2 || s[0].Scenario != "" {
			t.Errorf("B4.1 counted %+v", s)
		}
		if s := controlOf(t, st, "B3.1").Counted; len(s) != 1 || s[0].Scenario != evidence.ScenarioLinuxApplications {
			t.Errorf("B3.1 counted %+v", s)
		}
	})
	t.Run("R-AUD-7 a tenant registered twice counts when one entry is not affiliated", func(t *testing.T) {
		again := domain.Customer{TenantID: tenant(affiliated), Name: "Again"}
		for _, cs := range [][]domain.Customer{
			append(partnerCustomers(), again), // the affiliated entry first
			append(partnerCustomers()[:affiliated-1], again, partnerCustomers()[affiliated-1]),
		} {
			got := evidence.Coverage(checklistOn(t, linux, auditDay), domain.MustDate(auditDay),
				[]evidence.Evidence{ev("e1", evidence.KindStrategyDocument, "A1.1", affiliated)}, cs, partnerRoster())
			wantStrings(t, "customersCounted", controlOf(t, got, "A1.1").CustomersCounted, tenants(affiliated))
		}
	})
}

// R-AUD-11: a control counts only the kinds it accepts, and evidence of
// another specialization is not looked at.
func TestCoverage_KindsAndSpecialization(t *testing.T) {
	st := cover(t, linux, auditDay,
		ev("e1", evidence.KindStrategyDocument, "A2.1", 1),
		with(ev("e2", evidence.KindAdoptionPlan, "A2.1", 2), func(e *evidence.Evidence) { e.SpecializationID = aiml }),
		with(ev("e3", "unheard_of", "A2.1", 3), func(e *evidence.Evidence) {}),
		with(ev("e4", evidence.KindAdoptionPlan, "A2.1", 4), func(e *evidence.Evidence) { e.Controls = []string{"A2.1", "A2.1", "Z9.9"} }),
	)
	got := controlOf(t, st, "A2.1")
	wantStrings(t, "notCounted", reasons(got), []string{"e1:kind_not_accepted", "e3:kind_not_accepted"})
	wantStrings(t, "counted", countedIDs(got), []string{"e4"})
	if !strings.Contains(got.NotCounted[0].Reason, `"strategy_document" is not one A2.1 accepts (adoption_plan)`) {
		t.Errorf("reason %q", got.NotCounted[0].Reason)
	}
}

// R-AUD-8, R-AUD-11: B1.1 is met by one Red Hat or SUSE program membership,
// or by two distinct people of the roster each with a certification proof and
// an employment proof; no customer, no recency.
func TestCoverage_B11(t *testing.T) {
	people := func(id string, kind evidence.Kind, who ...string) evidence.Evidence {
		return with(ev(id, kind, "B1.1"), func(e *evidence.Evidence) {
			e.Individuals = who
			e.ProjectCompletedOn, e.CustomerSignedOffOn = nil, nil
		})
	}
	cert, job := evidence.KindCertificationProof, evidence.KindEmploymentProof
	cases := []struct {
		name      string
		evs       []evidence.Evidence
		satisfied bool
		counted   []string
		people    []string
		not       []string
		gaps      []string
	}{
		{name: "a membership alone", evs: []evidence.Evidence{
			with(ev("m", evidence.KindProgramMembership, "B1.1"), func(e *evidence.Evidence) { e.ProjectCompletedOn = date("2015-01-01") }),
		}, satisfied: true, counted: []string{"m"}},
		{name: "two people with both proofs", evs: []evidence.Evidence{
			people("c1", cert, "ada", "bob"), people("j1", job, "ada"), people("j2", job, "bob"),
		}, satisfied: true, counted: []string{"c1", "j1", "j2"}, people: []string{"ada", "bob"}},
		{name: "one person with both, one with a certification only", evs: []evidence.Evidence{
			people("c1", cert, "ada"), people("j1", job, "ada"), people("c2", cert, "bob"),
		}, counted: []string{"c1", "j1"}, people: []string{"ada"}, not: []string{"c2:too_few_kinds"},
			gaps: []string{"B1.1 needs 1 program_membership, or 2 people each with certification_proof and employment_proof; has 1: ada",
				"B1.1: bob has certification_proof; lacks employment_proof"}},
		{name: "one person with two certifications is one person", evs: []evidence.Evidence{
			people("c1", cert, "ada"), people("c2", cert, "ada"), people("j1", job, "ada"),
		}, counted: []string{"c1", "c2", "j1"}, people: []string{"ada"},
			gaps: []string{"B1.1 needs 1 program_membership, or 2 people each with certification_proof and employment_proof; has 1: ada"}},
		{name: "a person no longer on the roster", evs: []evidence.Evidence{
			people("c1", cert, "ada", "dee"), people("j1", job, "ada", "dee"), people("c2", cert, "cy"), people("j2", job, "cy"),
		}, satisfied: true, counted: []string{"c1", "j1", "c2", "j2"}, people: []string{"ada", "cy"},
			not: []string{"c1:individual_not_on_roster", "j1:individual_not_on_roster"}},
		{name: "people evidence naming nobody", evs: []evidence.Evidence{people("c1", cert)},
			not:  []string{"c1:no_individual"},
			gaps: []string{"B1.1 needs 1 program_membership, or 2 people each with certification_proof and employment_proof; has 0"}},
		{name: "a membership not yet available", evs: []evidence.Evidence{
			with(ev("m", evidence.KindProgramMembership, "B1.1"), func(e *evidence.Evidence) { e.Status = evidence.StatusScanning }),
		}, not: []string{"m:not_available"},
			gaps: []string{"B1.1 needs 1 program_membership, or 2 people each with certification_proof and employment_proof; has 0"}},
	}
	for _, c := range cases {
		t.Run("R-AUD-8 "+c.name, func(t *testing.T) {
			got := controlOf(t, cover(t, linux, auditDay, c.evs...), "B1.1")
			if got.Satisfied != c.satisfied {
				t.Errorf("satisfied %v, want %v", got.Satisfied, c.satisfied)
			}
			wantStrings(t, "counted", countedIDs(got), c.counted)
			wantStrings(t, "individualsCounted", got.IndividualsCounted, c.people)
			wantStrings(t, "notCounted", reasons(got), c.not)
			wantStrings(t, "gaps", got.Gaps, c.gaps)
			wantStrings(t, "customersCounted", got.CustomersCounted, nil)
		})
	}
}

// R-AUD-11: B2.1 and B5.2 count three unique customers; B3.2 three
// Well-Architected reviews from one customer or more.
func TestCoverage_ThreeCustomersAndWorkloads(t *testing.T) {
	for _, c := range []struct {
		control string
		kind    evidence.Kind
	}{{"B2.1", evidence.KindAssessmentReport}, {"B5.2", evidence.KindOperationsDocumentation}} {
		t.Run("R-AUD-11 "+c.control, func(t *testing.T) {
			two := controlOf(t, cover(t, linux, auditDay, ev("e1", c.kind, c.control, 1), ev("e2", c.kind, c.control, 2), ev("e3", c.kind, c.control, 2)), c.control)
			wantStrings(t, "gaps", two.Gaps, []string{c.control + " needs 3 unique customers; has 2: Customer 1, Customer 2"})
			three := controlOf(t, cover(t, linux, auditDay, ev("e1", c.kind, c.control, 1), ev("e2", c.kind, c.control, 2), ev("e3", c.kind, c.control, 3)), c.control)
			if !three.Satisfied {
				t.Errorf("three customers: %q", three.Gaps)
			}
		})
	}
	t.Run("R-AUD-11 B3.2", func(t *testing.T) {
		war := evidence.KindWellArchitectedReview
		three := controlOf(t, cover(t, linux, auditDay, ev("w1", war, "B3.2", 1), ev("w2", war, "B3.2", 1), ev("w3", war, "B3.2", 1)), "B3.2")
		if !three.Satisfied {
			t.Errorf("three workloads of one customer: %q", three.Gaps)
		}
		wantStrings(t, "customersCounted", three.CustomersCounted, tenants(1))
		two := controlOf(t, cover(t, linux, auditDay, ev("w1", war, "B3.2", 1), ev("w2", war, "B3.2", 2),
			with(ev("w3", war, "B3.2", 3), func(e *evidence.Evidence) { e.ProjectCompletedOn = date("2020-01-01") })), "B3.2")
		wantStrings(t, "gaps", two.Gaps, []string{"B3.2 needs 3 evidence items from one customer or more; has 2"})
		wantStrings(t, "notCounted", reasons(two), []string{"w3:completed_too_early"})
	})
}

// R-AUD-11: B3.1 counts three unique customers, each solution design naming
// a scenario of its own: Linux applications or an open-source database.
func TestCoverage_B31(t *testing.T) {
	design := func(id string, s evidence.Scenario, n int) evidence.Evidence {
		return with(ev(id, evidence.KindSolutionDesign, "B3.1", n), func(e *evidence.Evidence) { e.Scenario = s })
	}
	got := controlOf(t, cover(t, linux, auditDay,
		design("d1", evidence.ScenarioLinuxApplications, 1), design("d2", evidence.ScenarioOSSDatabase, 2),
		design("d3", evidence.ScenarioLinuxApplications, 3), design("d4", evidence.ScenarioPostgreSQL, 4), design("d5", "", 5),
	), "B3.1")
	if !got.Satisfied {
		t.Errorf("gaps %q", got.Gaps)
	}
	wantStrings(t, "customersCounted", got.CustomersCounted, tenants(1, 2, 3))
	if !slices.Equal(got.ScenariosCounted, []evidence.Scenario{evidence.ScenarioLinuxApplications, evidence.ScenarioOSSDatabase}) {
		t.Errorf("scenariosCounted %v", got.ScenariosCounted)
	}
	wantStrings(t, "notCounted", reasons(got), []string{"d4:scenario_not_accepted", "d5:scenario_missing"})
}

// R-AUD-8, R-AUD-11: B4.1 counts three unique customers with projects in
// production, each project with at least two distinct kinds of evidence.
func TestCoverage_B41(t *testing.T) {
	doc := func(id string, k evidence.Kind, n ...int) evidence.Evidence { return ev(id, k, "B4.1", n...) }
	full := []evidence.Evidence{
		doc("s1", evidence.KindSOW, 1), doc("a1", evidence.KindAsBuilt, 1),
		doc("s2", evidence.KindSOW, 2), doc("h2", evidence.KindHLDLLD, 2),
		doc("p3", evidence.KindProjectPlan, 3), doc("d3", evidence.KindArchitectureDiagram, 3),
	}
	t.Run("R-AUD-8 three customers with two kinds each", func(t *testing.T) {
		got := controlOf(t, cover(t, linux, auditDay, full...), "B4.1")
		if !got.Satisfied {
			t.Errorf("gaps %q", got.Gaps)
		}
		wantStrings(t, "customersCounted", got.CustomersCounted, tenants(1, 2, 3))
	})
	t.Run("R-AUD-8 one kind twice is one kind", func(t *testing.T) {
		evs := append(slices.Clone(full[:4]), doc("p3", evidence.KindSOW, 3), doc("q3", evidence.KindSOW, 3))
		got := controlOf(t, cover(t, linux, auditDay, evs...), "B4.1")
		wantStrings(t, "customersCounted", got.CustomersCounted, tenants(1, 2))
		wantStrings(t, "notCounted", reasons(got), []string{"p3:too_few_kinds", "q3:too_few_kinds"})
		wantStrings(t, "gaps", got.Gaps, []string{
			"B4.1 needs 3 unique customers; has 2: Customer 1, Customer 2",
			"B4.1: Customer 3 has 1 kind of evidence (sow); needs 2 distinct kinds of sow, solution_design, project_plan, architecture_diagram, hld_lld, as_built",
		})
	})
	t.Run("R-AUD-8 not in production", func(t *testing.T) {
		evs := slices.Clone(full)
		evs[5].Production = false // customer 3 is left with a project plan only
		got := controlOf(t, cover(t, linux, auditDay, evs...), "B4.1")
		wantStrings(t, "notCounted", reasons(got), []string{"p3:too_few_kinds", "d3:not_production"})
		if got.Satisfied {
			t.Error("satisfied with a project not in production")
		}
	})
	t.Run("R-AUD-8 a document of two customers counts for the one whose project has two kinds", func(t *testing.T) {
		evs := append(slices.Clone(full[:4]), doc("p3", evidence.KindProjectPlan, 3), doc("x", evidence.KindArchitectureDiagram, 3, 4))
		got := controlOf(t, cover(t, linux, auditDay, evs...), "B4.1")
		wantStrings(t, "customersCounted", got.CustomersCounted, tenants(1, 2, 3))
		wantStrings(t, "x counted for", got.Counted[len(got.Counted)-1].Customers, tenants(3))
		wantStrings(t, "notCounted", reasons(got), []string{"x:too_few_kinds"})
		wantStrings(t, "x not counted for", got.NotCounted[0].Customers, tenants(4))
	})
}

// migration is B4.2 evidence of one scenario at one customer.
func migration(id string, k evidence.Kind, s evidence.Scenario, n int) evidence.Evidence {
	return with(ev(id, k, "B4.2", n), func(e *evidence.Evidence) { e.Scenario = s })
}

// project is two documents of distinct kinds for one scenario at one
// customer: a project that counts.
func project(id string, s evidence.Scenario, n int) []evidence.Evidence {
	return []evidence.Evidence{migration(id+"-sow", evidence.KindSOW, s, n), migration(id+"-design", evidence.KindSolutionDesign, s, n)}
}

// R-AUD-8, R-AUD-11: B4.2 counts at least two distinct scenarios, each
// backed by a customer of its own, in production, each project with two
// distinct kinds of evidence.
func TestCoverage_B42(t *testing.T) {
	pg, my := evidence.ScenarioPostgreSQL, evidence.ScenarioMySQL
	cases := []struct {
		name      string
		evs       [][]evidence.Evidence
		satisfied bool
		scenarios []evidence.Scenario
		customers []string
		not       []string
		gaps      []string
	}{
		{name: "two scenarios at two customers", evs: [][]evidence.Evidence{project("a", pg, 1), project("b", my, 2)},
			satisfied: true, scenarios: []evidence.Scenario{pg, my}, customers: tenants(1, 2)},
		{name: "one scenario at two customers", evs: [][]evidence.Evidence{project("a", pg, 1), project("b", pg, 2)},
			scenarios: []evidence.Scenario{pg}, customers: tenants(1, 2),
			gaps: []string{"B4.2 needs 2 distinct scenarios, each with its own customer; has 1: postgresql"}},
		{name: "two scenarios at one customer", evs: [][]evidence.Evidence{project("a", pg, 1), project("b", my, 1)},
			scenarios: []evidence.Scenario{pg}, customers: tenants(1),
			gaps: []string{"B4.2 needs 2 distinct scenarios, each with its own customer; has 1: postgresql",
				"B4.2: mysql is backed only by Customer 1, already counted for another scenario; each scenario needs a customer of its own"}},
		{name: "a customer of two scenarios gives way to the one with a single backer", evs: [][]evidence.Evidence{project("a", pg, 1), project("b", pg, 2), project("c", my, 1)},
			satisfied: true, scenarios: []evidence.Scenario{pg, my}, customers: tenants(1, 2)},
		{name: "a project with one kind", evs: [][]evidence.Evidence{project("a", pg, 1), {migration("b", evidence.KindSOW, my, 2), migration("c", evidence.KindSOW, my, 2)}},
			scenarios: []evidence.Scenario{pg}, customers: tenants(1), not: []string{"b:too_few_kinds", "c:too_few_kinds"},
			gaps: []string{"B4.2 needs 2 distinct scenarios, each with its own customer; has 1: postgresql",
				"B4.2: mysql at Customer 2 has 1 kind of evidence (sow); needs 2 distinct kinds of sow, solution_design, project_plan, architecture_diagram, hld_lld, as_built"}},
		{name: "not in production", evs: [][]evidence.Evidence{project("a", pg, 1), {
			migration("b", evidence.KindSOW, my, 2),
			with(migration("c", evidence.KindAsBuilt, my, 2), func(e *evidence.Evidence) { e.Production = false }),
		}}, scenarios: []evidence.Scenario{pg}, customers: tenants(1), not: []string{"b:too_few_kinds", "c:not_production"},
			gaps: []string{"B4.2 needs 2 distinct scenarios, each with its own customer; has 1: postgresql",
				"B4.2: mysql at Customer 2 has 1 kind of evidence (sow); needs 2 distinct kinds of sow, solution_design, project_plan, architecture_diagram, hld_lld, as_built"}},
		{name: "a scenario of B3.1 and none at all", evs: [][]evidence.Evidence{{migration("a", evidence.KindSOW, evidence.ScenarioOSSDatabase, 1), migration("b", evidence.KindSOW, "", 2)}},
			scenarios: []evidence.Scenario{}, customers: []string{}, not: []string{"a:scenario_not_accepted", "b:scenario_missing"},
			gaps: []string{"B4.2 needs 2 distinct scenarios, each with its own customer; has 0"}},
	}
	for _, c := range cases {
		t.Run("R-AUD-8 "+c.name, func(t *testing.T) {
			got := controlOf(t, cover(t, linux, auditDay, slices.Concat(c.evs...)...), "B4.2")
			if got.Satisfied != c.satisfied {
				t.Errorf("satisfied %v, want %v", got.Satisfied, c.satisfied)
			}
			if !slices.Equal(got.ScenariosCounted, c.scenarios) {
				t.Errorf("scenariosCounted %v, want %v", got.ScenariosCounted, c.scenarios)
			}
			wantStrings(t, "customersCounted", got.CustomersCounted, c.customers)
			wantStrings(t, "notCounted", reasons(got), c.not)
			wantStrings(t, "gaps", got.Gaps, c.gaps)
		})
	}
}

// R-AUD-4, R-AUD-8: B4.2 accepts the Oracle to PostgreSQL scenario only in
// audits from 2022-03-03.
func TestCoverage_B42OracleFromMarch2022(t *testing.T) {
	for _, c := range []struct {
		day       string
		satisfied bool
		not       []string
	}{
		{"2022-03-02", false, []string{"o-sow:scenario_not_live", "o-design:scenario_not_live"}},
		{"2022-03-03", true, nil},
		{"2022-03-04", true, nil},
	} {
		t.Run("R-AUD-8 "+c.day, func(t *testing.T) {
			evs := slices.Concat(project("o", evidence.ScenarioOracleToPostgreSQL, 1), project("p", evidence.ScenarioPostgreSQL, 2))
			for i := range evs {
				evs[i].ProjectCompletedOn, evs[i].CustomerSignedOffOn = date("2022-02-01"), date("2022-02-15")
			}
			got := controlOf(t, cover(t, linux, c.day, evs...), "B4.2")
			if got.Satisfied != c.satisfied {
				t.Errorf("satisfied %v, want %v (gaps %q)", got.Satisfied, c.satisfied, got.Gaps)
			}
			wantStrings(t, "notCounted", reasons(got), c.not)
			if len(got.NotCounted) > 0 && !strings.Contains(got.NotCounted[0].Reason, "only in audits from 2022-03-03") {
				t.Errorf("reason %q", got.NotCounted[0].Reason)
			}
		})
	}
}

// R-AUD-11: B4.3 and B4.4 count one demonstration each, with no customer and
// no recency.
func TestCoverage_Demonstrations(t *testing.T) {
	for _, c := range []struct {
		control string
		kind    evidence.Kind
	}{{"B4.3", evidence.KindToolDemonstration}, {"B4.4", evidence.KindAutomationDemonstration}} {
		t.Run("R-AUD-11 "+c.control, func(t *testing.T) {
			old := with(ev("d1", c.kind, c.control), func(e *evidence.Evidence) {
				e.ProjectCompletedOn, e.CustomerSignedOffOn = date("2015-01-01"), nil
			})
			got := controlOf(t, cover(t, linux, auditDay, old), c.control)
			if !got.Satisfied {
				t.Errorf("gaps %q", got.Gaps)
			}
			if k := got.Counted[0]; k.Customers == nil || len(k.Customers) != 0 {
				t.Errorf("counted customers %#v, want []", k.Customers)
			}
			none := controlOf(t, cover(t, linux, auditDay, with(old, func(e *evidence.Evidence) { e.Status = evidence.StatusPendingUpload })), c.control)
			wantStrings(t, "gaps", none.Gaps, []string{c.control + " needs 1 " + string(c.kind) + "; has 0"})
		})
	}
}

// R-AUD-8, R-AUD-11: B5.1 counts three unique customers, each test report
// signed off by the customer.
func TestCoverage_B51(t *testing.T) {
	tr := evidence.KindTestReport
	got := controlOf(t, cover(t, linux, auditDay,
		ev("t1", tr, "B5.1", 1), ev("t2", tr, "B5.1", 2),
		with(ev("t3", tr, "B5.1", 3), func(e *evidence.Evidence) { e.CustomerSignedOffOn = nil }),
	), "B5.1")
	wantStrings(t, "notCounted", reasons(got), []string{"t3:not_signed_off"})
	wantStrings(t, "gaps", got.Gaps, []string{"B5.1 needs 3 unique customers; has 2: Customer 1, Customer 2"})
	got = controlOf(t, cover(t, linux, auditDay, ev("t1", tr, "B5.1", 1), ev("t2", tr, "B5.1", 2), ev("t3", tr, "B5.1", 3)), "B5.1")
	if !got.Satisfied {
		t.Errorf("gaps %q", got.Gaps)
	}
}

// fullLinux is evidence that meets every control of the Linux checklist,
// from three customers.
func fullLinux() []evidence.Evidence {
	evs := moduleA(linux, "2022-09-01")
	for _, n := range []int{1, 2, 3} {
		evs = append(evs,
			ev("assess", evidence.KindAssessmentReport, "B2.1", n),
			with(ev("design", evidence.KindSolutionDesign, "B3.1", n), func(e *evidence.Evidence) {
				e.Controls = []string{"B3.1", "B4.1"}
				e.Scenario = evidence.ScenarioOSSDatabase
			}),
			ev("war", evidence.KindWellArchitectedReview, "B3.2", n),
			ev("sow", evidence.KindSOW, "B4.1", n),
			ev("test", evidence.KindTestReport, "B5.1", n),
			ev("ops", evidence.KindOperationsDocumentation, "B5.2", n),
		)
	}
	evs = append(evs, project("pg", evidence.ScenarioPostgreSQL, 1)...)
	evs = append(evs, project("mongo", evidence.ScenarioMongoDB, 2)...)
	evs = append(evs,
		with(ev("redhat", evidence.KindProgramMembership, "B1.1"), func(e *evidence.Evidence) {}),
		ev("tools", evidence.KindToolDemonstration, "B4.3"),
		ev("automation", evidence.KindAutomationDemonstration, "B4.4"),
	)
	return evs
}

// R-AUD-1, R-AUD-11: a checklist is satisfied when every control of both
// modules is.
func TestCoverage_FullChecklist(t *testing.T) {
	st := cover(t, linux, auditDay, fullLinux()...)
	if !st.Satisfied {
		for _, m := range st.Modules {
			for _, c := range m.Controls {
				if !c.Satisfied {
					t.Errorf("%s: %q %q", c.ID, c.Gaps, reasons(c))
				}
			}
		}
	}
	if len(st.Modules) != 2 || st.Modules[0].Module != "A" || st.Modules[1].Module != "B" || len(st.Modules[1].Controls) != 10 {
		t.Fatalf("modules %+v", st.Modules)
	}
	if st.SupersededBy != "infra-and-database-migration-to-microsoft-azure" || st.SupersededOn.String() != "2023-01-09" {
		t.Errorf("superseded %v by %q", st.SupersededOn, st.SupersededBy)
	}
	// One control short and the checklist is not satisfied.
	evs := slices.DeleteFunc(fullLinux(), func(e evidence.Evidence) bool { return e.ID == "automation" })
	if st := cover(t, linux, auditDay, evs...); st.Satisfied || st.Modules[1].Satisfied || !st.Modules[0].Satisfied {
		t.Errorf("without B4.4: satisfied %v, modules %v %v", st.Satisfied, st.Modules[0].Satisfied, st.Modules[1].Satisfied)
	}
}

// R-AUD-1, R-AUD-11: where the seeds give no Module B, the checklist says so
// and is never satisfied, however complete Module A is.
func TestCoverage_UnknownModuleB(t *testing.T) {
	st := cover(t, aiml, auditDay, moduleA(aiml, "2022-09-01")...)
	a, b := st.Modules[0], st.Modules[1]
	if !a.Satisfied || !a.Known {
		t.Errorf("Module A: %+v", a)
	}
	if b.Known || b.Satisfied || b.Note == "" || len(b.Controls) != 0 || b.Name != "AI and Machine Learning on Microsoft Azure workload" {
		t.Errorf("Module B: %+v", b)
	}
	if st.Satisfied {
		t.Error("a checklist with an unknown module is satisfied")
	}
}

// The answer has DESIGN's shape: its field names, and lists that are never
// null.
func TestCoverage_JSON(t *testing.T) {
	for _, st := range []evidence.ChecklistStatus{
		cover(t, linux, auditDay),
		cover(t, linux, auditDay, fullLinux()...),
		cover(t, aiml, auditDay, ev("x", evidence.KindOther, "B2.1")),
	} {
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("null in %s", b)
		}
		var shape struct {
			SpecializationID, AuditDate, ChecklistVersion string
			Satisfied                                     *bool
			Modules                                       []struct {
				Module    string
				Satisfied *bool
				Known     *bool
				Controls  []map[string]json.RawMessage
			}
		}
		if err := json.Unmarshal(b, &shape); err != nil {
			t.Fatal(err)
		}
		if shape.SpecializationID != st.SpecializationID || shape.AuditDate != auditDay || shape.ChecklistVersion == "" || shape.Satisfied == nil {
			t.Errorf("top level of %s", b)
		}
		for _, m := range shape.Modules {
			if m.Satisfied == nil || m.Known == nil {
				t.Errorf("module %s lacks satisfied or known", m.Module)
			}
			for _, c := range m.Controls {
				for _, k := range []string{"id", "title", "satisfied", "counted", "customersCounted", "scenariosCounted", "notCounted", "gaps"} {
					if _, ok := c[k]; !ok {
						t.Errorf("control %s lacks %q", c["id"], k)
					}
				}
			}
		}
	}
}

// R-AUD-7: whether the partner's customers and people come in id order (as
// the store keeps them, looked up by binary search) or in any other (looked
// up one by one), the answer is the same.
func TestCoverage_InputOrder(t *testing.T) {
	evs := append(fullLinux(),
		ev("gone", evidence.KindStrategyDocument, "A1.1", unregistered),
		ev("aff", evidence.KindStrategyDocument, "A1.1", affiliated),
		with(ev("dee", evidence.KindCertificationProof, "B1.1"), func(e *evidence.Evidence) { e.Individuals = []string{"dee", "ada"} }),
	)
	cl, day := checklistOn(t, linux, auditDay), domain.MustDate(auditDay)
	sorted := evidence.Coverage(cl, day, evs, partnerCustomers(), partnerRoster())
	cs, ro := partnerCustomers(), partnerRoster()
	slices.Reverse(cs)
	slices.Reverse(ro)
	reversed := evidence.Coverage(cl, day, evs, cs, ro)
	a, _ := json.Marshal(sorted)
	b, _ := json.Marshal(reversed)
	if !bytes.Equal(a, b) {
		t.Errorf("customers and roster in store order:\n%s\nreversed:\n%s", a, b)
	}
	for _, want := range []string{`"gone","code":"customer_not_registered"`, `"aff","code":"customer_affiliated"`, `"individuals":["dee"]`} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("the answer lacks %s", want)
		}
	}
}
