package audit_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

const spec = "linux-and-open-source-database-migration-to-microsoft-azure"

var (
	admin   = audit.Actor{Party: audit.PartyPartner, ID: "alice"}
	manager = audit.Actor{Party: audit.PartyProgram, ID: "pm-1"}
)

func day(s string) domain.Date { return domain.MustDate(s) }

// at reads an RFC 3339 instant.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// checklists stands in for catalog.Checklists.For: V2.1 (the version of
// 2022-07-01) until 2026-01-31, an unnamed version from 2026-02-01, nothing
// before 2021-07-01 and nothing from 2027-06-01 (superseded).
func checklists(id string, on domain.Date) (evidence.Checklist, error) {
	switch {
	case on.Before(day("2021-07-01")):
		return evidence.Checklist{}, errors.New("the catalogue holds no checklist of " + id + " before 2021-07-01")
	case on.Before(day("2026-02-01")):
		return evidence.Checklist{SpecializationID: id, Version: "2022-07-01", Name: "V2.1"}, nil
	case on.Before(day("2027-06-01")):
		return evidence.Checklist{SpecializationID: id, Version: "2026-02-01"}, nil
	}
	return evidence.Checklist{}, fmt.Errorf("%s was superseded on 2027-06-01: no checklist of it is live on %s", id, on)
}

// step is one step of a walk through an audit.
type step func(audit.Audit) (audit.Audit, error)

func approve(firm, when string) step {
	return func(a audit.Audit) (audit.Audit, error) { return audit.Approve(a, firm, manager, at(when)) }
}

func event(e audit.Event) step {
	return func(a audit.Audit) (audit.Audit, error) { return audit.Receive(a, e, checklists) }
}

func scheduled(when, auditOn string) step {
	return event(audit.Event{ID: "e-s-" + when, Type: audit.EventScheduled, OccurredAt: at(when), AuditOn: day(auditOn)})
}

func paid(when string, usd int64) step {
	return event(audit.Event{ID: "e-p-" + when, Type: audit.EventPaymentReceived, OccurredAt: at(when), AmountUSD: domain.Cents(usd * 100)})
}

func conducted(when string, openItems int) step {
	return event(audit.Event{ID: "e-c-" + when, Type: audit.EventConducted, OccurredAt: at(when), OpenActionItems: openItems})
}

func gapReport(when string) step {
	return event(audit.Event{ID: "e-g-" + when, Type: audit.EventGapReportIssued, OccurredAt: at(when)})
}

func acknowledged(when, reviewOn string) step {
	return func(a audit.Audit) (audit.Audit, error) {
		return audit.AcknowledgeGapReport(a, admin, at(when), day(reviewOn))
	}
}

func held(when string, allResolved bool) step {
	return event(audit.Event{ID: "e-h-" + when, Type: audit.EventGapReviewHeld, OccurredAt: at(when), AllResolved: allResolved})
}

func finalReport(when string, r audit.Result) step {
	return event(audit.Event{ID: "e-f-" + when, Type: audit.EventFinalReportIssued, OccurredAt: at(when), Result: r})
}

func firmWithdrew(when string) step {
	return event(audit.Event{ID: "e-w-" + when, Type: audit.EventWithdrawn, OccurredAt: at(when)})
}

func withdrew(when string) step {
	return func(a audit.Audit) (audit.Audit, error) { return audit.Withdraw(a, admin, at(when)) }
}

func concluded(when string) step {
	return func(a audit.Audit) (audit.Audit, error) { return audit.Conclude(a, manager, at(when)) }
}

// application is an audit of Modules A and B applied for on Monday
// 2026-10-26, in English, with a direct NDA.
func application() audit.Application {
	return audit.Application{
		ID: "aud-1", PartnerID: "1234567", SpecializationID: spec,
		Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en", NDARequested: true, By: admin,
	}
}

// walk applies app at appliedAt and then each step, failing the test on a
// refusal.
func walk(t *testing.T, app audit.Application, appliedAt string, steps ...step) audit.Audit {
	t.Helper()
	a, err := audit.Apply(at(appliedAt), app)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	for i, s := range steps {
		if a, err = s(a); err != nil {
			t.Fatalf("step %d of the walk: %v", i+1, err)
		}
	}
	return a
}

// The autumn audit: applied Monday 2026-10-26, approved Tuesday 2026-11-10
// (the day before Veterans Day), scheduled 2026-11-12 for Tuesday
// 2026-11-24, paid 2026-11-20, conducted 2026-11-24 (the week of
// Thanksgiving), Gap Report Friday 2026-11-27, acknowledged Monday
// 2026-11-30 for a Gap Review on Thursday 2026-12-10, held then.
var (
	autumnApproved    = []step{approve("issi", "2026-11-10T16:00:00Z")}
	autumnScheduled   = append(autumnApproved, scheduled("2026-11-12T09:00:00Z", "2026-11-24"))
	autumnPaid        = append(clip(autumnScheduled), paid("2026-11-20T12:00:00Z", 3000))
	autumnGapReport   = append(clip(autumnPaid), conducted("2026-11-24T15:00:00Z", 3), gapReport("2026-11-27T10:00:00Z"))
	autumnAcknowledge = append(clip(autumnGapReport), acknowledged("2026-11-30T09:00:00Z", "2026-12-10"))
	autumnHeld        = append(clip(autumnAcknowledge), held("2026-12-10T14:00:00Z", true))
)

// clip is s with no room to grow, so that appending to it copies.
func clip[T any](s []T) []T { return s[:len(s):len(s)] }

// statuses builds an audit in every status of the process (and the ways
// to be in some), from the autumn audit.
func statuses(t *testing.T) map[string]audit.Audit {
	t.Helper()
	app := application()
	w := func(steps ...step) audit.Audit { t.Helper(); return walk(t, app, "2026-10-26T08:00:00Z", steps...) }
	with := func(base []step, more ...step) []step { return append(clip(base), more...) }
	return map[string]audit.Audit{
		"applied":                  w(),
		"approved":                 w(autumnApproved...),
		"scheduled, unpaid":        w(autumnScheduled...),
		"scheduled, paid":          w(autumnPaid...),
		"conducted, open items":    w(with(autumnPaid, conducted("2026-11-24T15:00:00Z", 3))...),
		"conducted, none open":     w(with(autumnPaid, conducted("2026-11-24T15:00:00Z", 0))...),
		"gap report issued":        w(autumnGapReport...),
		"gap review scheduled":     w(autumnAcknowledge...),
		"gap review held":          w(autumnHeld...),
		"gap review held, open":    w(with(autumnAcknowledge, held("2026-12-10T14:00:00Z", false))...),
		"final report, pass":       w(with(autumnHeld, finalReport("2026-12-11T10:00:00Z", audit.ResultPass))...),
		"final report, no pass":    w(with(autumnHeld, finalReport("2026-12-11T10:00:00Z", audit.ResultNoPass))...),
		"passed":                   w(with(autumnHeld, finalReport("2026-12-11T10:00:00Z", audit.ResultPass), concluded("2026-12-11T12:00:00Z"))...),
		"failed":                   w(with(autumnHeld, finalReport("2026-12-11T10:00:00Z", audit.ResultNoPass), concluded("2026-12-11T12:00:00Z"))...),
		"withdrawn by the partner": w(with(autumnScheduled, withdrew("2026-11-13T10:00:00Z"))...),
	}
}

// refusal is err's *audit.Refusal, failing the test when it is not one.
func refusal(t *testing.T, err error) *audit.Refusal {
	t.Helper()
	var r *audit.Refusal
	if !errors.As(err, &r) {
		t.Fatalf("want a *audit.Refusal, got %v", err)
	}
	return r
}

// snapshot is a deep copy of a, to compare it with after a step.
func snapshot(a audit.Audit) audit.Audit {
	a.Modules = slices.Clone(a.Modules)
	a.Timeline = slices.Clone(a.Timeline)
	a.Passes = slices.Clone(a.Passes)
	if p := a.ModuleAPass; p != nil {
		c := *p
		a.ModuleAPass = &c
	}
	return a
}

// unchanged fails the test when a differs from before.
func unchanged(t *testing.T, before, a audit.Audit) {
	t.Helper()
	if !reflect.DeepEqual(before, a) {
		t.Errorf("the refused step changed the audit:\nbefore %+v\nafter  %+v", before, a)
	}
}
