package audit_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// R-AUD-5: every step against every status, allowed or refused. An
// allowed step gives the status after it; a refused one its code, and
// leaves the audit exactly as it was. R-AUD-6: a withdrawal (the firm's or
// the partner's) from any open status, and a No Pass, end in failed.
// R-AUD-2: the audit is not conducted before the fee is paid.
func TestTransitions(t *testing.T) {
	const (
		W  = "!wrong_state"
		NP = "!not_paid"
		F  = "final_report_issued"
		X  = "failed"
	)
	actions := []struct {
		name string
		do   step
	}{
		{"approval", approve("issi", "2026-11-10T16:00:00Z")},
		{"audit.scheduled", scheduled("2026-11-13T09:00:00Z", "2026-11-25")},
		{"audit.payment_received", paid("2026-11-13T12:00:00Z", 3000)},
		{"audit.conducted", conducted("2026-11-24T15:00:00Z", 0)},
		{"gap_report.issued", gapReport("2026-11-27T10:00:00Z")},
		{"acknowledgement", acknowledged("2026-11-30T09:00:00Z", "2026-12-10")},
		{"gap_review.held", held("2026-12-10T14:00:00Z", true)},
		{"final_report.issued pass", finalReport("2026-12-14T10:00:00Z", audit.ResultPass)},
		{"final_report.issued no_pass", finalReport("2026-12-14T10:00:00Z", audit.ResultNoPass)},
		{"audit.withdrawn", firmWithdrew("2026-12-14T10:00:00Z")},
		{"withdrawal", withdrew("2026-12-14T10:00:00Z")},
		{"result to the partner", concluded("2026-12-16T10:00:00Z")},
	}
	// One row per status, one column per action, in the order above.
	want := map[string][]string{
		"applied":                  {"approved", W, W, W, W, W, W, W, W, W, X, W},
		"approved":                 {W, "scheduled", "approved", W, W, W, W, W, F, X, X, W},
		"scheduled, unpaid":        {W, "scheduled", "scheduled", NP, W, W, W, W, F, X, X, W},
		"scheduled, paid":          {W, "scheduled", W, "conducted", W, W, W, W, F, X, X, W},
		"conducted, open items":    {W, W, W, W, "gap_report_issued", W, W, W, F, X, X, W},
		"conducted, none open":     {W, W, W, W, W, W, W, F, F, X, X, W},
		"gap report issued":        {W, W, W, W, W, "gap_review_scheduled", W, W, F, X, X, W},
		"gap review scheduled":     {W, W, W, W, W, W, "gap_review_held", W, F, X, X, W},
		"gap review held":          {W, W, W, W, W, W, W, F, F, X, X, W},
		"gap review held, open":    {W, W, W, W, W, W, W, W, F, X, X, W},
		"final report, pass":       {W, W, W, W, W, W, W, W, W, X, X, "passed"},
		"final report, no pass":    {W, W, W, W, W, W, W, W, W, X, X, "failed"},
		"passed":                   {W, W, W, W, W, W, W, W, W, W, W, W},
		"failed":                   {W, W, W, W, W, W, W, W, W, W, W, W},
		"withdrawn by the partner": {W, W, W, W, W, W, W, W, W, W, W, W},
	}
	all := statuses(t)
	if len(all) != len(want) {
		t.Fatalf("%d statuses built, %d rows", len(all), len(want))
	}
	for name, a := range all {
		row := want[name]
		if len(row) != len(actions) {
			t.Fatalf("row %q has %d cells, want %d", name, len(row), len(actions))
		}
		for i, act := range actions {
			t.Run(name+"/"+act.name, func(t *testing.T) {
				before := snapshot(a)
				got, err := act.do(a)
				unchanged(t, before, a) // allowed or not, the input is never changed
				if code, refused := strings.CutPrefix(row[i], "!"); refused {
					r := refusal(t, err)
					if string(r.Code) != code {
						t.Fatalf("refused with %s (%v), want %s", r.Code, err, code)
					}
					if !reflect.DeepEqual(got, audit.Audit{}) {
						t.Errorf("a refusal returned an audit: %+v", got)
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if string(got.Status) != row[i] {
					t.Errorf("status %s, want %s", got.Status, row[i])
				}
				if len(got.Timeline) != len(a.Timeline)+1 {
					t.Errorf("timeline of %d entries, want %d", len(got.Timeline), len(a.Timeline)+1)
				}
			})
		}
	}
}

// R-AUD-5: refusals say why in words: what the audit waits for instead.
func TestTransitions_Reasons(t *testing.T) {
	all := statuses(t)
	for _, c := range []struct {
		from string
		do   step
		want string
	}{
		{"approved", approve("issi", "2026-11-11T09:00:00Z"), "approval is not valid while the audit is approved: it awaits scheduling by the audit firm"},
		{"applied", scheduled("2026-11-13T09:00:00Z", "2026-11-25"), "audit.scheduled is not valid while the audit is applied: it awaits the program's approval"},
		{"scheduled, unpaid", conducted("2026-11-24T15:00:00Z", 0), "the audit cannot begin before its fee is paid in full: USD 0 of USD 3,000 received; an audit not paid for is cancelled"},
		{"scheduled, paid", paid("2026-11-21T12:00:00Z", 100), "audit.payment_received is not valid: the fee of USD 3,000 was paid in full on 2026-11-20"},
		{"conducted, none open", gapReport("2026-11-27T10:00:00Z"), "the audit left no open action item, so there is no Gap Report (steps 7 to 9 are skipped)"},
		{"conducted, open items", finalReport("2026-11-27T10:00:00Z", audit.ResultPass), "the audit left 3 action items open, so the Gap Report and the Gap Review come first"},
		{"gap review held, open", finalReport("2026-12-14T10:00:00Z", audit.ResultPass), "action items remained open after the Gap Review, which fails the audit"},
		{"gap report issued", held("2026-12-10T14:00:00Z", true), "gap_review.held is not valid while the audit is gap_report_issued: it awaits the partner's acknowledgement of the Gap Report with the Gap Review date"},
		{"final report, no pass", firmWithdrew("2026-11-12T09:00:00Z"), "the withdrawal is dated 2026-11-12T09:00:00Z, before"},
		{"passed", withdrew("2026-12-14T10:00:00Z"), "a withdrawal is not valid while the audit is passed: it has ended"},
	} {
		_, err := c.do(all[c.from])
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("from %s: %v, want it to say %q", c.from, err, c.want)
		}
	}
}

// Events are judged by the audit's state, not by when they arrive: the Gap
// Review reported before the partner scheduled it is refused, and the same
// event, sent again once the acknowledgement is in, applies. An event dated
// before the step it follows is refused as out of order.
func TestTransitions_OutOfOrder(t *testing.T) {
	all := statuses(t)
	early := held("2026-12-10T14:00:00Z", true)
	if _, err := early(all["gap report issued"]); refusal(t, err).Code != audit.CodeWrongState {
		t.Fatalf("gap_review.held before the acknowledgement: %v", err)
	}
	a, err := early(all["gap review scheduled"])
	if err != nil || a.Status != audit.StatusGapReviewHeld || a.GapReviewHeldOn != day("2026-12-10") {
		t.Fatalf("sent again after the acknowledgement: %v, %+v", err, a)
	}

	for _, c := range []struct {
		from string
		do   step
		want string
	}{
		{"approved", scheduled("2026-11-09T09:00:00Z", "2026-11-25"), "audit.scheduled is dated 2026-11-09, before the approval on 2026-11-10"},
		{"approved", paid("2026-11-09T09:00:00Z", 3000), "audit.payment_received is dated 2026-11-09, before the approval on 2026-11-10"},
		{"scheduled, paid", conducted("2026-11-11T09:00:00Z", 0), "audit.conducted is dated 2026-11-11, before its scheduling on 2026-11-12"},
		{"conducted, open items", gapReport("2026-11-23T09:00:00Z"), "gap_report.issued is dated 2026-11-23, before the audit on 2026-11-24"},
		{"gap review scheduled", held("2026-11-29T09:00:00Z", true), "gap_review.held is dated 2026-11-29, before the partner's acknowledgement on 2026-11-30"},
		{"gap review held", finalReport("2026-12-09T09:00:00Z", audit.ResultPass), "final_report.issued is dated 2026-12-09, before the Gap Review on 2026-12-10"},
		{"final report, pass", concluded("2026-12-10T09:00:00Z"), "the result's notice to the partner is dated 2026-12-10, before the Final Report on 2026-12-11"},
		{"applied", approve("issi", "2026-10-25T09:00:00Z"), "the approval is dated 2026-10-25T09:00:00Z, before the application of 2026-10-26T08:00:00Z"},
	} {
		before := snapshot(all[c.from])
		_, err := c.do(all[c.from])
		if r := refusal(t, err); r.Code != audit.CodeOutOfOrder || r.Reason != c.want {
			t.Errorf("from %s: %s %q, want out_of_order %q", c.from, r.Code, r.Reason, c.want)
		}
		unchanged(t, before, all[c.from])
	}
}

// R-AUD-2: the fee is paid in full before the audit begins. Part of it is
// not enough; payments add up; a payment dated after the audit is too late.
func TestTransitions_PaymentBeforeAudit(t *testing.T) {
	a := statuses(t)["scheduled, unpaid"]
	a, err := paid("2026-11-16T12:00:00Z", 1500)(a)
	if err != nil || a.Paid() || a.Received != 1500_00 {
		t.Fatalf("part payment: %v, paid %v, received %s", err, a.Paid(), a.Received)
	}
	if !strings.Contains(a.Timeline[len(a.Timeline)-1].Detail, "USD 1,500 received, USD 1,500 of USD 3,000 so far: USD 1,500 still due before the audit begins") {
		t.Errorf("part payment's detail: %q", a.Timeline[len(a.Timeline)-1].Detail)
	}
	if _, err := conducted("2026-11-24T15:00:00Z", 0)(a); refusal(t, err).Code != audit.CodeNotPaid ||
		!strings.Contains(err.Error(), "USD 1,500 of USD 3,000 received") {
		t.Errorf("conducted after part payment: %v", err)
	}
	// The rest arrives dated the day after the audit, then the audit's
	// event: the audit began before it was paid for.
	late, err := paid("2026-11-25T08:00:00Z", 1500)(a)
	if err != nil || !late.Paid() || late.PaidOn != day("2026-11-25") {
		t.Fatalf("the rest: %v, %+v", err, late)
	}
	if _, err := conducted("2026-11-24T15:00:00Z", 0)(late); refusal(t, err).Code != audit.CodeNotPaid ||
		!strings.Contains(err.Error(), "the fee was paid in full on 2026-11-25, after the audit of 2026-11-24") {
		t.Errorf("conducted before a late payment: %v", err)
	}
	// Paid on the audit day itself, before it begins: conducted.
	onTime, err := paid("2026-11-24T08:00:00Z", 1500)(a)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := conducted("2026-11-24T15:00:00Z", 0)(onTime); err != nil || got.Status != audit.StatusConducted {
		t.Errorf("paid the morning of the audit: %v", err)
	}
}

// Malformed events and inputs are refused as invalid, naming the field.
func TestTransitions_Invalid(t *testing.T) {
	all := statuses(t)
	for _, c := range []struct {
		from, field string
		do          step
	}{
		{"approved", "occurredAt", event(audit.Event{ID: "e", Type: audit.EventScheduled, AuditOn: day("2026-11-25")})},
		{"approved", "type", event(audit.Event{ID: "e", Type: "audit.cancelled", OccurredAt: at("2026-11-13T09:00:00Z")})},
		{"approved", "auditOn", event(audit.Event{ID: "e", Type: audit.EventScheduled, OccurredAt: at("2026-11-13T09:00:00Z")})},
		{"approved", "auditOn", scheduled("2026-11-13T09:00:00Z", "2026-11-12")},
		{"approved", "amountUsd", paid("2026-11-13T09:00:00Z", 0)},
		{"scheduled, paid", "openActionItems", conducted("2026-11-24T15:00:00Z", -1)},
		{"gap review held", "result", finalReport("2026-12-14T10:00:00Z", "maybe")},
		{"applied", "auditFirm", approve(" ", "2026-11-10T16:00:00Z")},
		{"gap report issued", "gapReviewOn", func(a audit.Audit) (audit.Audit, error) {
			return audit.AcknowledgeGapReport(a, admin, at("2026-11-30T09:00:00Z"), domain.Date{})
		}},
	} {
		_, err := c.do(all[c.from])
		if r := refusal(t, err); r.Code != audit.CodeInvalid || len(r.Problems) != 1 || r.Problems[0].Field != c.field {
			t.Errorf("from %s: %v, want invalid %s", c.from, err, c.field)
		}
	}
}

// R-AUD-4: the audit is held on the checklist version live on the audit
// date, not the application's: the version of the scheduled day is shown
// once the audit is scheduled, follows it when the audit moves, and is
// fixed on the day the audit is conducted. No checklist on the audit date
// (the specialization superseded) refuses the step.
func TestTransitions_ChecklistVersionOnTheAuditDate(t *testing.T) {
	app := application()
	// Applied 2026-01-14, when V2.1 is live.
	a := walk(t, app, "2026-01-14T10:00:00Z", approve("issi", "2026-01-16T15:00:00Z"))
	if a.ChecklistVersion != "" {
		t.Errorf("version fixed at approval: %q", a.ChecklistVersion)
	}
	a, err := scheduled("2026-01-21T09:00:00Z", "2026-01-30")(a)
	if err != nil || a.ChecklistVersion != "2022-07-01" || a.ChecklistName != "V2.1" {
		t.Fatalf("scheduled for 2026-01-30: %v, %q %q", err, a.ChecklistVersion, a.ChecklistName)
	}
	a, err = scheduled("2026-01-22T09:00:00Z", "2026-02-03")(a)
	if err != nil || a.ChecklistVersion != "2026-02-01" || a.ChecklistName != "" || a.AuditOn != day("2026-02-03") || a.ScheduledOn != day("2026-01-21") {
		t.Fatalf("moved to 2026-02-03: %v, %+v", err, a)
	}
	if d := a.Timeline[len(a.Timeline)-1].Detail; d != "audit moved from 2026-01-30 to 2026-02-03, on checklist version 2026-02-01" {
		t.Errorf("detail %q", d)
	}
	a, err = paid("2026-01-28T12:00:00Z", 3000)(a)
	if err != nil {
		t.Fatal(err)
	}
	// Held a day before the scheduled day, still under V2.1: fixed then.
	b, err := conducted("2026-01-30T15:00:00Z", 0)(a)
	if err != nil || b.ChecklistVersion != "2022-07-01" || b.ChecklistName != "V2.1" {
		t.Errorf("conducted 2026-01-30: %v, %q %q", err, b.ChecklistVersion, b.ChecklistName)
	}
	b, err = conducted("2026-02-03T15:00:00Z", 0)(a)
	if err != nil || b.ChecklistVersion != "2026-02-01" {
		t.Errorf("conducted 2026-02-03: %v, %q", err, b.ChecklistVersion)
	}

	before := snapshot(a)
	_, err = scheduled("2026-01-23T09:00:00Z", "2027-06-01")(a)
	if r := refusal(t, err); r.Code != audit.CodeNoChecklist || !strings.Contains(r.Reason, "superseded on 2027-06-01") {
		t.Errorf("scheduled after the specialization was superseded: %v", err)
	}
	unchanged(t, before, a)
}

// R-AUD-5: step 8: the partner acknowledges the Gap Report and schedules the
// Gap Review within 15 calendar days of the report. Report on Friday
// 2026-11-27: 27 + 15 = 42 = 30 (November) + 12, so the last day is
// Saturday 2026-12-12 (calendar days skip no weekend). Acknowledged on
// Monday 2026-11-30, the first day is that day (not in the past).
func TestAcknowledgeGapReport(t *testing.T) {
	a := statuses(t)["gap report issued"]
	first, last, ok := audit.GapReviewWindow(a, day("2026-11-30"))
	if !ok || first != day("2026-11-30") || last != day("2026-12-12") {
		t.Errorf("window %s..%s %v, want 2026-11-30..2026-12-12", first, last, ok)
	}
	if first, _, _ := audit.GapReviewWindow(a, day("2026-11-27")); first != day("2026-11-27") {
		t.Errorf("acknowledged the day of the report: window opens %s", first)
	}
	for _, c := range []struct {
		name, when, reviewOn string
		code                 audit.Code // "" allowed
	}{
		{"the window's first day", "2026-11-30T09:00:00Z", "2026-11-30", ""},
		{"the window's last day, a Saturday", "2026-11-30T09:00:00Z", "2026-12-12", ""},
		{"a day after the window", "2026-11-30T09:00:00Z", "2026-12-13", audit.CodeGapReviewWindow},
		{"in the past", "2026-11-30T09:00:00Z", "2026-11-29", audit.CodeGapReviewWindow},
		{"before the report", "2026-11-30T09:00:00Z", "2026-11-26", audit.CodeGapReviewWindow},
		{"acknowledged late, in the window", "2026-12-04T09:00:00Z", "2026-12-11", ""},
		{"acknowledged after the window closed", "2026-12-13T09:00:00Z", "2026-12-13", audit.CodeGapReviewWindow},
		{"acknowledged before the report", "2026-11-26T09:00:00Z", "2026-12-10", audit.CodeOutOfOrder},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(a)
			got, err := acknowledged(c.when, c.reviewOn)(a)
			unchanged(t, before, a)
			if c.code != "" {
				if r := refusal(t, err); r.Code != c.code {
					t.Fatalf("%v, want %s", err, c.code)
				}
				return
			}
			if err != nil || got.Status != audit.StatusGapReviewScheduled || got.GapReviewOn != day(c.reviewOn) || got.AcknowledgedOn != domain.DateOf(at(c.when)) {
				t.Fatalf("%v, %+v", err, got)
			}
			if e := got.Timeline[len(got.Timeline)-1]; e.Actor != admin || e.Event != "gap_report.acknowledged" {
				t.Errorf("timeline entry %+v", e)
			}
		})
	}
	_, err := acknowledged("2026-11-30T09:00:00Z", "2026-12-13")(a)
	if r := refusal(t, err); len(r.Problems) != 1 || r.Problems[0].Field != "gapReviewOn" ||
		r.Problems[0].Message != "is 2026-12-13: the Gap Review is held within 15 calendar days of the Gap Report of 2026-11-27, on a day from 2026-11-30 to 2026-12-12" {
		t.Errorf("the reason: %+v", r.Problems)
	}
	if _, _, ok := audit.GapReviewWindow(statuses(t)["conducted, open items"], day("2026-11-30")); ok {
		t.Error("a window before the Gap Report")
	}
}

// A transition never changes the audit it is given, even when its timeline
// has room to grow: two steps from one audit give two independent audits.
func TestTransitions_NeverMutate(t *testing.T) {
	a := statuses(t)["approved"]
	a.Timeline = append(make([]audit.Entry, 0, 16), a.Timeline...) // room to append in place
	before := snapshot(a)
	x, err1 := scheduled("2026-11-12T09:00:00Z", "2026-11-24")(a)
	y, err2 := withdrew("2026-11-12T10:00:00Z")(a)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	unchanged(t, before, a)
	if x.Timeline[len(x.Timeline)-1].Event != "audit.scheduled" || y.Timeline[len(y.Timeline)-1].Event != "audit.withdrawn" {
		t.Errorf("the two timelines share memory: %v / %v", x.Timeline[len(x.Timeline)-1], y.Timeline[len(y.Timeline)-1])
	}
	x.Modules[0] = "Z"
	if a.Modules[0] != audit.ModuleA {
		t.Error("modules shared with the result")
	}
}

// The timeline names who did what, when: the partner, the program, the
// audit firm by its id.
func TestTransitions_Timeline(t *testing.T) {
	a := statuses(t)["passed"]
	var got []string
	for _, e := range a.Timeline {
		got = append(got, e.At.Format("2006-01-02T15:04")+" "+e.Actor.String()+" "+e.Event)
	}
	want := []string{
		"2026-10-26T08:00 partner:alice applied",
		"2026-11-10T16:00 program:pm-1 approved",
		"2026-11-12T09:00 audit_firm:issi audit.scheduled",
		"2026-11-20T12:00 audit_firm:issi audit.payment_received",
		"2026-11-24T15:00 audit_firm:issi audit.conducted",
		"2026-11-27T10:00 audit_firm:issi gap_report.issued",
		"2026-11-30T09:00 partner:alice gap_report.acknowledged",
		"2026-12-10T14:00 audit_firm:issi gap_review.held",
		"2026-12-11T10:00 audit_firm:issi final_report.issued",
		"2026-12-11T12:00 program:pm-1 audit.passed",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("timeline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := a.Timeline[2].Detail; d != "audit scheduled for 2026-11-24, on checklist version 2026-02-01; the partner gives the audit firm its NDA to sign now" {
		t.Errorf("scheduling's detail: %q", d)
	}
}

// An application opens an audit in status applied with its fee, language
// and NDA request, or is refused with every bad field listed. R-AUD-9: the
// language is one of the audit languages. R-AUD-10: the NDA request
// travels with the audit. R-AUD-1: Module B alone needs a valid Module A
// pass. R-AUD-2: the fee follows from the modules.
func TestApply(t *testing.T) {
	app := application()
	app.Modules = audit.Modules{audit.ModuleB, audit.ModuleA}
	a, err := audit.Apply(at("2026-01-14T10:00:00+01:00"), app)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != audit.StatusApplied || a.Fee != 3_000_00 || !reflect.DeepEqual(a.Modules, audit.Modules{audit.ModuleA, audit.ModuleB}) ||
		!a.NDARequested || a.Language != "en" || a.AppliedAt != at("2026-01-14T09:00:00Z") || a.AuditFirm != "" || a.ChecklistVersion != "" {
		t.Errorf("applied: %+v", a)
	}
	if e := a.Timeline[0]; e.Event != "applied" || e.Actor != admin ||
		e.Detail != "applied for an audit of Modules A and B, in en; fee USD 3,000, the Gap Review included; a direct NDA requested, which the partner gives the audit firm to sign during scheduling" {
		t.Errorf("timeline: %+v", e)
	}

	pass := &audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-03-10"), Version: "V2.1"}
	b := application()
	b.Modules, b.ModuleAPass, b.NDARequested, b.Language = audit.Modules{audit.ModuleB}, pass, false, "pt"
	a, err = audit.Apply(at("2026-01-14T10:00:00Z"), b)
	if err != nil {
		t.Fatal(err)
	}
	pass.Version = "changed"
	if a.Fee != 2_000_00 || a.ModuleAPass == nil || a.ModuleAPass.Version != "V2.1" || a.NDARequested {
		t.Errorf("Module B alone: %+v", a)
	}
	if d := a.Timeline[0].Detail; d != "applied for an audit of Module B, in pt; fee USD 2,000, the Gap Review included; Module A satisfied by the pass of 2025-03-10 on V2.1" {
		t.Errorf("detail %q", d)
	}

	for _, l := range evidence.Languages {
		app := application()
		app.Language = l
		if _, err := audit.Apply(at("2026-01-14T10:00:00Z"), app); err != nil {
			t.Errorf("language %s: %v", l, err)
		}
	}

	lapsed := &audit.Pass{Module: audit.ModuleA, PassedOn: day("2024-01-13"), Version: "V2.1"}
	for _, c := range []struct {
		name string
		edit func(*audit.Application)
		want []string // fields
	}{
		{"no module", func(a *audit.Application) { a.Modules = nil }, []string{"modules"}},
		{"Module A alone", func(a *audit.Application) { a.Modules = audit.Modules{audit.ModuleA} }, []string{"modules"}},
		{"a module twice", func(a *audit.Application) { a.Modules = audit.Modules{audit.ModuleB, audit.ModuleB} }, []string{"modules"}},
		{"module C", func(a *audit.Application) { a.Modules = audit.Modules{audit.ModuleA, "C"} }, []string{"modules"}},
		{"R-AUD-1 Module B alone, no pass", func(a *audit.Application) { a.Modules = audit.Modules{audit.ModuleB} }, []string{"moduleAPass"}},
		{"R-AUD-1 Module B alone, a lapsed pass", func(a *audit.Application) { a.Modules, a.ModuleAPass = audit.Modules{audit.ModuleB}, lapsed }, []string{"moduleAPass"}},
		{"a pass with Modules A and B", func(a *audit.Application) { a.ModuleAPass = pass }, []string{"moduleAPass"}},
		{"R-AUD-9 a language by name", func(a *audit.Application) { a.Language = "English" }, []string{"language"}},
		{"R-AUD-9 a region", func(a *audit.Application) { a.Language = "en-US" }, []string{"language"}},
		{"R-AUD-9 not an audit language", func(a *audit.Application) { a.Language = "nl" }, []string{"language"}},
		{"everything at once", func(a *audit.Application) {
			a.ID, a.PartnerID, a.SpecializationID, a.Modules, a.Language = "", "", " ", nil, ""
		}, []string{"id", "partnerId", "specializationId", "modules", "language"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := application()
			c.edit(&app)
			_, err := audit.Apply(at("2026-01-14T10:00:00Z"), app)
			r := refusal(t, err)
			var fields []string
			for _, p := range r.Problems {
				fields = append(fields, p.Field)
			}
			if r.Code != audit.CodeInvalid || !reflect.DeepEqual(fields, c.want) {
				t.Errorf("%v: fields %v, want %v", err, fields, c.want)
			}
		})
	}
	app = application()
	app.Modules = audit.Modules{audit.ModuleB}
	app.ModuleAPass = lapsed
	_, err = audit.Apply(at("2026-01-14T10:00:00Z"), app)
	if want := "moduleAPass: the pass of 2024-01-13 satisfied Module A for two years, until 2026-01-12; it has lapsed, so Module A must be audited again (apply for Modules A and B)"; !strings.Contains(err.Error(), want) {
		t.Errorf("%v, want %q", err, want)
	}
}

// R-AUD-5: a reschedule the firm made before the one already applied, and
// delivered late, is out of order: the newer one stands. Reschedules and
// part payments are bounded (MaxRepeats), so a firm cannot grow an audit
// without end.
func TestTransitions_RepeatsAndLateReschedules(t *testing.T) {
	a := statuses(t)["scheduled, unpaid"] // scheduled 2026-11-12 09:00 for 2026-11-24
	moved, err := scheduled("2026-11-13T09:00:00Z", "2026-11-26")(a)
	if err != nil || moved.AuditOn != day("2026-11-26") {
		t.Fatalf("moved: %v %s", err, moved.AuditOn)
	}
	before := snapshot(moved)
	if _, err := scheduled("2026-11-12T18:00:00Z", "2026-11-25")(moved); refusal(t, err).Code != audit.CodeOutOfOrder {
		t.Fatalf("an older reschedule delivered late: %v", err)
	}
	unchanged(t, before, moved)

	b := a
	for i := range audit.MaxRepeats - 1 {
		if b, err = paid(fmt.Sprintf("2026-11-%02dT10:00:00Z", 13+i), 1)(b); err != nil {
			t.Fatalf("part payment %d: %v", i+1, err)
		}
	}
	if b, err = paid("2026-11-23T10:00:00Z", 1)(b); err != nil {
		t.Fatalf("payment %d: %v", audit.MaxRepeats, err)
	}
	if _, err := paid("2026-11-23T11:00:00Z", 2990)(b); refusal(t, err).Code != audit.CodeWrongState {
		t.Fatalf("payment %d: %v", audit.MaxRepeats+1, err)
	}
	for i := range audit.MaxRepeats - 1 {
		if a, err = scheduled(fmt.Sprintf("2026-11-%02dT10:00:00Z", 13+i), "2026-11-30")(a); err != nil {
			t.Fatalf("reschedule %d: %v", i+1, err)
		}
	}
	if _, err := scheduled("2026-11-23T10:00:00Z", "2026-11-30")(a); refusal(t, err).Code != audit.CodeWrongState {
		t.Fatalf("scheduling %d: %v", audit.MaxRepeats+1, err)
	}
}
