package evidence_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// valid is metadata Validate accepts: a database migration's SOW on
// 2022-10-03.
func valid() evidence.Metadata {
	m := ev("e1", evidence.KindSOW, "B4.2", 1).Metadata
	m.Controls = []string{"B4.1", "B4.2"}
	m.Scenario = evidence.ScenarioPostgreSQL
	return m
}

func input(t testing.TB, spec, today string) evidence.ValidationInput {
	return evidence.ValidationInput{Checklist: checklistOn(t, spec, today), Today: domain.MustDate(today), Customers: partnerCustomers(), Roster: partnerRoster()}
}

// problems lists "path: message" lines.
func problems(ps []evidence.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Path+": "+p.Message)
	}
	return out
}

func TestValidate_Accepts(t *testing.T) {
	for name, m := range map[string]evidence.Metadata{
		"a database migration's SOW": valid(),
		"a membership": with(ev("m", evidence.KindProgramMembership, "B1.1"), func(e *evidence.Evidence) {
			e.ProjectCompletedOn, e.CustomerSignedOffOn = nil, nil
		}).Metadata,
		"a certification proof of two people": with(ev("c", evidence.KindCertificationProof, "B1.1"), func(e *evidence.Evidence) {
			e.Individuals = []string{"ada", "bob"}
		}).Metadata,
		"an upper-case tenant id": with(ev("s", evidence.KindStrategyDocument, "A1.1"), func(e *evidence.Evidence) {
			e.Customers = []string{strings.ToUpper(tenant(1))}
		}).Metadata,
		"an affiliated customer, whose evidence Coverage explains": ev("s", evidence.KindStrategyDocument, "A1.1", affiliated).Metadata,
		"a demonstration of a customer project (B4.3, option B)":   ev("d", evidence.KindToolDemonstration, "B4.3", 1).Metadata,
	} {
		if ps := evidence.Validate(m, input(t, linux, auditDay)); len(ps) > 0 {
			t.Errorf("%s: %q", name, problems(ps))
		}
	}
}

// Every problem comes back at once, each at its field's JSON path, in the
// order of the fields. (With a control unknown, whether the evidence may
// name people at all is not judged.)
func TestValidate_EveryProblemAtOnce(t *testing.T) {
	m := evidence.Metadata{
		SpecializationID: linux, Controls: []string{"B4.2", "A9.9", "B4.2"}, Customers: []string{"nope", tenant(1), tenant(1), tenant(unregistered)},
		Individuals: []string{"ada"}, Kind: evidence.KindStrategyDocument, Scenario: "sqlserver",
		ProjectCompletedOn: date("2022-10-04"), CustomerSignedOffOn: date("1989-12-31"),
		Language: "nl", Title: "", FileName: "../x.pdf", ContentType: "text/html", SizeBytes: 0, SHA256: "ABC", Supersedes: "old",
	}
	got := problems(evidence.Validate(m, input(t, linux, auditDay)))
	want := []string{
		"controls[1]: is not a control of the checklist live on 2022-10-03 (version 2022-07-01)",
		"controls[2]: is listed twice",
		"customers[0]: must be a customer's Azure AD tenant id (a GUID)",
		"customers[2]: is listed twice",
		"customers[3]: is not a registered customer of the partner",
		"kind: strategy_document is not accepted by B4.2, which accepts sow, solution_design, project_plan, architecture_diagram, hld_lld, as_built",
		"scenario: sqlserver is not a scenario of B4.2, which accepts oracle_to_postgresql (from 2022-03-03), postgresql, mariadb, mysql, cassandra, mongodb",
		"projectCompletedOn: must not be in the future (today is 2022-10-03)",
		"customerSignedOffOn: must be from 1990-01-01",
		"language: must be an audit language as its BCP 47 code: en, pt, es, fr, de, it, sr, hr, ru, he, zh, ja, ko, ar",
		"title: is required",
		"fileName: must be a file name, not a path",
		"contentType: must be one of " + strings.Join(evidence.ContentTypes, ", ") + " (lower case, no parameters)",
		"sizeBytes: must be from 1 to 104857600 bytes (100 MiB)",
		"sha256: must be the file's SHA-256 as 64 lower-case hex digits",
		"supersedes: is not evidence of this partner",
	}
	wantStrings(t, "problems", got, want)
}

// check runs Validate on valid() changed by f, on day today, and compares
// the problems.
func check(t *testing.T, spec, today string, f func(*evidence.Metadata, *evidence.ValidationInput), want ...string) {
	t.Helper()
	m, in := valid(), input(t, spec, today)
	f(&m, &in)
	wantStrings(t, "problems", problems(evidence.Validate(m, in)), want)
}

// The bounds: at most 100 controls, 1,000 customers and 1,000 people; 101 or
// 1,001 are refused.
func TestValidate_Bounds(t *testing.T) {
	many := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	customers := func(n int) []domain.Customer {
		cs := partnerCustomers()
		for i := range n {
			cs = append(cs, domain.Customer{TenantID: tenant(1000 + i)})
		}
		return cs
	}
	roster := func(n int) []domain.Individual {
		var r []domain.Individual
		for i := range n {
			r = append(r, domain.Individual{ID: fmt.Sprint("p", i)})
		}
		return r
	}
	t.Run("1,000 customers", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Customers, in.Customers = many(1000, func(i int) string { return tenant(1000 + i) }), customers(1000)
		})
	})
	t.Run("1,001 customers", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Customers, in.Customers = many(1001, func(i int) string { return tenant(1000 + i) }), customers(1001)
		}, "customers: names at most 1000 customers")
	})
	people := func(n int) func(*evidence.Metadata, *evidence.ValidationInput) {
		return func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Controls, m.Kind, m.Scenario, m.Customers = []string{"B1.1"}, evidence.KindEmploymentProof, "", nil
			m.Individuals, in.Roster = many(n, func(i int) string { return fmt.Sprint("p", i) }), roster(n)
		}
	}
	t.Run("1,000 people", func(t *testing.T) { check(t, linux, auditDay, people(1000)) })
	t.Run("1,001 people", func(t *testing.T) { check(t, linux, auditDay, people(1001), "individuals: names at most 1000 people") })
	t.Run("100 controls", func(t *testing.T) {
		m, in := valid(), input(t, linux, auditDay)
		m.Controls = append([]string{"B4.1"}, slices.Repeat([]string{"B4.2"}, 99)...)
		ps := evidence.Validate(m, in)
		if len(ps) != 98 || ps[0].Path != "controls[2]" || ps[0].Message != "is listed twice" {
			t.Errorf("100 controls: %d problems, first %+v", len(ps), ps[0])
		}
	})
	t.Run("101 controls", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Controls = slices.Repeat([]string{"B4.2"}, 101)
		}, "controls: names at most 100 controls")
	})
	t.Run("no control", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Controls = nil },
			"controls: names at least one checklist control")
	})
}

func TestValidate_File(t *testing.T) {
	for _, ct := range evidence.ContentTypes {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.ContentType = ct })
	}
	refused := "contentType: must be one of " + strings.Join(evidence.ContentTypes, ", ") + " (lower case, no parameters)"
	for _, ct := range []string{"", "application/PDF", "text/plain; charset=utf-8", "text/html", "image/svg+xml",
		"application/vnd.ms-word.document.macroenabled.12", "application/octet-stream"} {
		t.Run("content type "+ct, func(t *testing.T) {
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.ContentType = ct }, refused)
		})
	}
	for _, c := range []struct {
		size int64
		ok   bool
	}{{0, false}, {1, true}, {104_857_600, true}, {104_857_601, false}, {-1, false}} {
		t.Run(fmt.Sprint("size ", c.size), func(t *testing.T) {
			var want []string
			if !c.ok {
				want = []string{"sizeBytes: must be from 1 to 104857600 bytes (100 MiB)"}
			}
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.SizeBytes = c.size }, want...)
		})
	}
	for _, sum := range []string{strings.Repeat("A", 64), strings.Repeat("a", 63), strings.Repeat("a", 65), strings.Repeat("g", 64)} {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.SHA256 = sum },
			"sha256: must be the file's SHA-256 as 64 lower-case hex digits")
	}
	check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
		m.SHA256 = strings.Repeat("0123456789abcdef", 4)
	})
	for _, l := range evidence.Languages {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Language = l })
	}
	for _, l := range []string{"", "EN", "en-US", "nl", "iw", "cmn", "english"} {
		t.Run("language "+l, func(t *testing.T) {
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Language = l },
				"language: must be an audit language as its BCP 47 code: en, pt, es, fr, de, it, sr, hr, ru, he, zh, ja, ko, ar")
		})
	}
	for _, c := range []struct{ title, want string }{
		{"Design v2 — Contoso", ""},
		{strings.Repeat("é", 200), ""},
		{strings.Repeat("é", 201), "title: must be at most 200 characters"},
		{"   ", "title: is required"},
		{"two\nlines", "title: must be one line of text, without control characters"},
		{"evil\u202etxt.exe", "title: must be one line of text, without control characters"},
		{"bad \xff utf-8", "title: must be UTF-8 text"},
	} {
		t.Run("title "+c.title, func(t *testing.T) {
			var want []string
			if c.want != "" {
				want = []string{c.want}
			}
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Title = c.title }, want...)
		})
	}
	for _, c := range []struct{ name, want string }{
		{"design.pdf", ""},
		{"..", "fileName: must be a file name, not a path"},
		{`dir\design.pdf`, "fileName: must be a file name, not a path"},
		{strings.Repeat("a", 255), ""},
		{strings.Repeat("é", 128), "fileName: must be at most 255 bytes"},
		{"", "fileName: is required"},
	} {
		t.Run("file name "+c.name, func(t *testing.T) {
			var want []string
			if c.want != "" {
				want = []string{c.want}
			}
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.FileName = c.name }, want...)
		})
	}
}

// R-AUD-4, R-AUD-11: controls and scenarios are those of the checklist live
// on the day; a kind must be one each control accepts, and a scenario is
// named exactly where a control asks for one.
func TestValidate_AgainstChecklist(t *testing.T) {
	skilling := func(m *evidence.Metadata, in *evidence.ValidationInput) {
		m.Controls, m.Kind, m.Scenario = []string{"A2.2"}, evidence.KindSkillingPlan, ""
		m.ProjectCompletedOn, m.CustomerSignedOffOn = date("2022-06-01"), date("2022-06-02")
	}
	t.Run("R-AUD-4 A2.2 on 2022-06-30", func(t *testing.T) {
		check(t, linux, "2022-06-30", skilling, "controls[0]: is not a control of the checklist live on 2022-06-30 (version 2022-03-03)")
	})
	t.Run("R-AUD-4 A2.2 on 2022-07-01", func(t *testing.T) { check(t, linux, "2022-07-01", skilling) })
	oracle := func(m *evidence.Metadata, in *evidence.ValidationInput) {
		m.Scenario = evidence.ScenarioOracleToPostgreSQL
		m.ProjectCompletedOn, m.CustomerSignedOffOn = date("2022-02-01"), date("2022-02-02")
	}
	t.Run("R-AUD-4 Oracle on 2022-03-02", func(t *testing.T) {
		check(t, linux, "2022-03-02", oracle, "scenario: oracle_to_postgresql is accepted by B4.2 only from 2022-03-03")
	})
	t.Run("R-AUD-4 Oracle on 2022-03-03", func(t *testing.T) { check(t, linux, "2022-03-03", oracle) })
	t.Run("R-AUD-11 a Module B control where Module B is unknown", func(t *testing.T) {
		check(t, aiml, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.SpecializationID, m.Controls, m.Kind, m.Scenario = aiml, []string{"B2.1"}, evidence.KindAssessmentReport, ""
		}, "controls[0]: is not a known control: the catalogue does not hold Module B's controls for this specialization")
	})
	t.Run("R-AUD-11 a scenario where no control asks for one", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Controls = []string{"B4.1"} },
			"scenario: is given only for a control that counts evidence by scenario; none of the controls does")
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Controls, m.Scenario = []string{"B4.1"}, "sqlserver"
		},
			"scenario: must be a migration scenario of a control that asks for one")
	})
	t.Run("R-AUD-11 no scenario where a control asks for one", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Scenario = "" },
			"scenario: is required: B4.2 counts evidence by scenario (oracle_to_postgresql (from 2022-03-03), postgresql, mariadb, mysql, cassandra, mongodb)")
	})
	t.Run("R-AUD-11 a scenario of one control that another does not accept", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Controls, m.Kind = []string{"B3.1", "B4.2"}, evidence.KindSolutionDesign
		}, "scenario: postgresql is not a scenario of B3.1, which accepts linux_applications, oss_database")
	})
	t.Run("R-AUD-11 customer evidence names a customer and its project's completion", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Customers, m.ProjectCompletedOn = nil, nil },
			"customers: names at least one customer: B4.1 counts customer evidence",
			"projectCompletedOn: is required: B4.1 counts customer projects completed in the 12 months before the audit")
	})
	t.Run("R-AUD-11 people evidence names people of the roster", func(t *testing.T) {
		proof := func(who ...string) func(*evidence.Metadata, *evidence.ValidationInput) {
			return func(m *evidence.Metadata, in *evidence.ValidationInput) {
				m.Controls, m.Kind, m.Scenario, m.Customers, m.Individuals = []string{"B1.1"}, evidence.KindCertificationProof, "", nil, who
			}
		}
		check(t, linux, auditDay, proof(), "individuals: names the people this certification_proof is about (at least one): B1.1 counts people")
		check(t, linux, auditDay, proof("ada", "dee", "ada", "no one"),
			"individuals[1]: is not on the partner's roster",
			"individuals[2]: is listed twice",
			"individuals[3]: must be a person's id: 1 to 64 letters, digits, '.', '_' or '-'")
	})
	t.Run("R-AUD-11 people named in customer evidence", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.Individuals = []string{"ada"} },
			"individuals: names people only in evidence that proves something of them (a control's person kinds); sow evidence names none")
	})
	t.Run("R-AUD-11 B5.1 needs the customer's sign-off", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Controls, m.Kind, m.Scenario, m.CustomerSignedOffOn = []string{"B5.1"}, evidence.KindTestReport, "", nil
		}, "customerSignedOffOn: is required: B5.1 counts only evidence the customer signed off")
	})
	t.Run("another specialization's checklist", func(t *testing.T) {
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.SpecializationID = aiml },
			"specializationId: does not name the specialization of the checklist it was checked against")
		check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) { m.SpecializationID = "" },
			"specializationId: is required")
	})
}

// R-AUD-7: the customer signs off a completed project, in the past.
func TestValidate_Dates(t *testing.T) {
	for _, c := range []struct {
		name         string
		done, signed *domain.Date
		want         []string
	}{
		{"signed off the day of completion", date("2022-09-01"), date("2022-09-01"), nil},
		{"signed off today", date("2022-09-01"), date(auditDay), nil},
		{"signed off tomorrow", date("2022-09-01"), date("2022-10-04"), []string{"customerSignedOffOn: must not be in the future (today is 2022-10-03)"}},
		{"signed off the day before completion", date("2022-09-01"), date("2022-08-31"), []string{"customerSignedOffOn: is before projectCompletedOn (2022-09-01): the customer signs off a completed project"}},
		{"completed tomorrow", date("2022-10-04"), nil, []string{"projectCompletedOn: must not be in the future (today is 2022-10-03)"}},
		{"no sign-off where no control needs one", date("2022-09-01"), nil, nil},
	} {
		t.Run("R-AUD-7 "+c.name, func(t *testing.T) {
			check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
				m.ProjectCompletedOn, m.CustomerSignedOffOn = c.done, c.signed
			}, c.want...)
		})
	}
}

// A new version keeps its predecessor's specialization; a deleted or
// already superseded predecessor cannot be superseded.
func TestValidate_Supersedes(t *testing.T) {
	pred := func(spec string, s evidence.Status) func(*evidence.Metadata, *evidence.ValidationInput) {
		return func(m *evidence.Metadata, in *evidence.ValidationInput) {
			m.Supersedes = "old"
			p := evidence.Evidence{ID: "old", Status: s, Metadata: evidence.Metadata{SpecializationID: spec}}
			in.Predecessor = &p
		}
	}
	check(t, linux, auditDay, pred(linux, evidence.StatusAvailable))
	check(t, linux, auditDay, pred(linux, evidence.StatusRejected))
	check(t, linux, auditDay, pred(aiml, evidence.StatusAvailable),
		"supersedes: is evidence of another specialization (ai-and-machine-learning-in-microsoft-azure): a new version keeps its specialization")
	check(t, linux, auditDay, pred(linux, evidence.StatusDeleted), "supersedes: is deleted: upload the evidence anew instead")
	check(t, linux, auditDay, pred(linux, evidence.StatusSuperseded), "supersedes: has a newer version already: supersede the newest")
	check(t, linux, auditDay, func(m *evidence.Metadata, in *evidence.ValidationInput) {
		pred(linux, evidence.StatusAvailable)(m, in)
		in.Predecessor.ID = "another"
	}, "supersedes: is not evidence of this partner")
}
