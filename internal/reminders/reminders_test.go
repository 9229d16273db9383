package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/reminders"
)

func day(s string) domain.Date { return domain.MustDate(s) }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// R-SPEC-8: renewal notices 120, 90, 60 and 30 days before the anniversary
// and 30 days after it, each named for good by the enrollment and the
// anniversary.
func TestForEnrollment(t *testing.T) {
	e := enrollment.Enrollment{Status: enrollment.StatusEnrolled, EnrolledOn: day("2025-01-01"), Anniversary: day("2026-01-01"),
		ValidUntil: day("2026-01-31"), WindowOpens: day("2025-11-02"), WindowCloses: day("2026-01-31"), Year: 1, NextRenewal: enrollment.RenewalTelemetry}
	rs := reminders.ForEnrollment("analytics-on-microsoft-azure", e)
	var days []string
	keys := map[string]bool{}
	for _, r := range rs {
		days = append(days, r.SendAt.Format(time.DateOnly))
		keys[r.Key] = true
		if r.Kind != reminders.KindRenewal || r.DueOn != day("2026-01-01") {
			t.Errorf("%+v", r)
		}
	}
	if got := strings.Join(days, " "); got != "2025-09-03 2025-10-03 2025-11-02 2025-12-02 2026-01-31" || len(keys) != 5 {
		t.Fatalf("sent on %s, %d keys", got, len(keys))
	}
	if again := reminders.ForEnrollment("analytics-on-microsoft-azure", e); again[0].Key != rs[0].Key {
		t.Fatal("a key changed between two computations")
	}
	if !strings.Contains(rs[0].Detail, "120 days before: the 1st") || !strings.Contains(rs[4].Detail, "30 days after") {
		t.Fatalf("details: %q … %q", rs[0].Detail, rs[4].Detail)
	}
	e.Status = enrollment.StatusNotEnrolled
	if rs := reminders.ForEnrollment("analytics-on-microsoft-azure", e); len(rs) != 0 {
		t.Fatalf("not enrolled: %v", rs)
	}
}

// R-AUD-5, R-AUD-12: a deadline still owed is told the day before it is
// due, and once it has passed; a deadline met is told nothing; one already
// passed only that it has.
func TestForAudit(t *testing.T) {
	a, err := audit.Apply(at("2026-11-02T09:00:00Z"), audit.Application{ID: "1-a", PartnerID: "1", SpecializationID: "s",
		Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en"})
	if err == nil {
		a, err = audit.Approve(a, "issi", audit.Actor{Party: audit.PartyProgram}, at("2026-11-02T10:00:00Z")) // Monday
	}
	if err != nil {
		t.Fatal(err)
	}
	rs := reminders.ForAudit(a, audit.USFederal, at("2026-11-02T11:00:00Z"))
	// Step 6 has two deadlines on the same day (the payment, the audit):
	// every reminder still has a key of its own.
	keys := map[string]bool{}
	for _, r := range rs {
		keys[r.Key] = true
	}
	if len(keys) != len(rs) || len(rs) != 6 {
		t.Fatalf("%d reminders, %d keys: %+v", len(rs), len(keys), rs)
	}
	byKey := map[string]reminders.Reminder{}
	for _, r := range rs {
		byKey[r.Kind+" "+r.DueOn.String()] = r
	}
	// Step 5: 2 business days from Monday 2 November, Wednesday 4.
	due, over := byKey["deadline_due 2026-11-04"], byKey["deadline_overdue 2026-11-04"]
	if due.SendAt != at("2026-11-03T00:00:00Z") || over.SendAt != at("2026-11-05T00:00:00Z") || !strings.Contains(due.Detail, "owed by the audit_firm") {
		t.Fatalf("step 5: %+v %+v (all: %+v)", due, over, rs)
	}
	late := reminders.ForAudit(a, audit.USFederal, at("2026-11-06T00:00:00Z"))
	for _, r := range late {
		if r.DueOn == day("2026-11-04") && r.Kind == reminders.KindDeadlineDue {
			t.Fatalf("a passed deadline is told it is due: %+v", r)
		}
	}
	scheduled, err := audit.Receive(a, audit.Event{ID: "e", Type: audit.EventScheduled, OccurredAt: at("2026-11-03T09:00:00Z"), AuditOn: day("2026-11-20")},
		func(string, domain.Date) (evidence.Checklist, error) {
			return evidence.Checklist{Version: "2022-07-01"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reminders.ForAudit(scheduled, audit.USFederal, at("2026-11-03T10:00:00Z")) {
		if r.DueOn == day("2026-11-04") {
			t.Fatalf("a met deadline is told: %+v", r)
		}
	}
}

// R-AUD-7: evidence signed off more than 24 months, or completed more than
// 12, before the planned audit date is told once the audit is scheduled.
func TestForEvidence(t *testing.T) {
	a := audit.Audit{ID: "1-a", SpecializationID: "s", Status: audit.StatusScheduled, AuditOn: day("2026-12-10")}
	signed, old, recent := day("2024-12-01"), day("2025-11-01"), day("2026-06-01")
	evs := []evidence.Evidence{
		{ID: "ev-old-signoff", Status: evidence.StatusAvailable, Metadata: evidence.Metadata{SpecializationID: "s", CustomerSignedOffOn: &signed, ProjectCompletedOn: &recent}},
		{ID: "ev-old-project", Status: evidence.StatusAvailable, Metadata: evidence.Metadata{SpecializationID: "s", CustomerSignedOffOn: &recent, ProjectCompletedOn: &old}},
		{ID: "ev-fine", Status: evidence.StatusAvailable, Metadata: evidence.Metadata{SpecializationID: "s", CustomerSignedOffOn: &recent, ProjectCompletedOn: &recent}},
		{ID: "ev-other-spec", Status: evidence.StatusAvailable, Metadata: evidence.Metadata{SpecializationID: "t", CustomerSignedOffOn: &signed}},
		{ID: "ev-deleted", Status: evidence.StatusDeleted, Metadata: evidence.Metadata{SpecializationID: "s", CustomerSignedOffOn: &signed}},
	}
	now := at("2026-11-20T10:00:00Z")
	rs := reminders.ForEvidence(a, evs, now)
	if len(rs) != 2 || rs[0].Subject != "ev-old-signoff" || rs[1].Subject != "ev-old-project" || !rs[0].SendAt.Equal(now) ||
		!strings.Contains(rs[0].Detail, "more than 24 months") || !strings.Contains(rs[1].Detail, "more than 12 months") {
		t.Fatalf("%+v", rs)
	}
	a.AuditOn = domain.Date{}
	if rs := reminders.ForEvidence(a, evs, now); len(rs) != 0 {
		t.Fatalf("no audit date, nothing to age against: %+v", rs)
	}
}
