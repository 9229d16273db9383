package audit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2"

	"github.com/partnerready/partnerready/internal/audit"
)

// line writes a deadline on one line, so that a test can spell out every
// deadline literally: "5 schedule the audit with the partner: audit_firm,
// due 2026-01-21 (2 business_days from approval), met 2026-01-21".
func line(d audit.Deadline) string {
	owner := string(d.Owner)
	if d.CoOwner != "" {
		owner += "+" + string(d.CoOwner)
	}
	s := fmt.Sprintf("%d %s: %s, due %s (%d %s from %s), %s", d.Step, d.Name, owner, d.DueOn, d.Days, d.Basis, d.From, d.State)
	if !d.MetOn.IsZero() {
		s += " " + d.MetOn.String()
	}
	return s
}

func lines(ds []audit.Deadline) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = line(d)
	}
	return out
}

func sameLines(t *testing.T, what string, got []audit.Deadline, want ...string) {
	t.Helper()
	if g := lines(got); strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant\n%s", what, strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

// R-AUD-5: business days skip weekends and the calendar's holidays (US
// federal by default, as observed), calendar days skip nothing; the day a
// clock starts never counts.
func TestCalendar(t *testing.T) {
	weekends := audit.NewCalendar()
	retreat := audit.NewCalendar(&cal.Holiday{Name: "Firm retreat", Month: time.January, Day: 20, Func: cal.CalcDayOfMonth})
	for _, c := range []struct {
		from string
		n    int
		cal  audit.Calendar
		want string
		why  string
	}{
		{"2026-01-16", 2, audit.USFederal, "2026-01-21", "Fri 16; Sat, Sun; Mon 19 Martin Luther King Jr. Day; Tue 20 (1), Wed 21 (2)"},
		{"2026-01-16", 2, audit.Calendar{}, "2026-01-21", "the zero Calendar is US federal"},
		{"2026-01-16", 2, weekends, "2026-01-20", "weekends only: Mon 19 (1), Tue 20 (2)"},
		{"2026-01-16", 2, retreat, "2026-01-21", "the firm's own holiday: Mon 19 (1), Tue 20 retreat, Wed 21 (2)"},
		{"2026-01-17", 2, audit.USFederal, "2026-01-21", "from a Saturday: Sun; Mon 19 holiday; Tue 20 (1), Wed 21 (2)"},
		{"2026-11-25", 2, audit.USFederal, "2026-11-30", "Wed 25; Thu 26 Thanksgiving; Fri 27 (1); Sat, Sun; Mon 30 (2)"},
		{"2026-07-02", 1, audit.USFederal, "2026-07-06", "Independence Day, Sat 4 July, observed Fri 3; Mon 6 (1)"},
		{"2027-12-30", 1, audit.USFederal, "2028-01-03", "New Year's Day 2028, a Saturday, observed Fri 31 Dec 2027; Mon 3 Jan (1)"},
		{"2026-12-23", 2, audit.USFederal, "2026-12-28", "Thu 24 (1); Fri 25 Christmas; Sat, Sun; Mon 28 (2)"},
		{"2026-02-13", 5, audit.USFederal, "2026-02-23", "Fri 13; Mon 16 Presidents' Day; Tue 17 (1) … Fri 20 (4), Mon 23 (5)"},
		{"2026-02-03", 0, audit.USFederal, "2026-02-03", "no days: the day itself"},
	} {
		if got := c.cal.AddBusinessDays(day(c.from), c.n); got != day(c.want) {
			t.Errorf("%s + %d business days = %s, want %s (%s)", c.from, c.n, got, c.want, c.why)
		}
	}
	for _, c := range []struct {
		day  string
		cal  audit.Calendar
		want bool
	}{
		{"2026-01-19", audit.USFederal, false}, // Martin Luther King Jr. Day
		{"2026-01-19", weekends, true},
		{"2026-01-17", weekends, false},        // a Saturday
		{"2026-11-27", audit.USFederal, true},  // the day after Thanksgiving is not a federal holiday
		{"2026-11-11", audit.USFederal, false}, // Veterans Day
		{"2026-07-03", audit.USFederal, false}, // Independence Day observed
	} {
		if got := c.cal.IsBusinessDay(day(c.day)); got != c.want {
			t.Errorf("IsBusinessDay(%s) = %v", c.day, got)
		}
	}
}

// R-AUD-12: the winter audit, every deadline counted by hand, with no open
// action item (steps 7 to 9 absent, step 10 from the audit).
//
//	applied   Wed 2026-01-14: step 6 and, until the audit is scheduled, the
//	          payment: 30 calendar days: 14 + 30 = 44 = 31 (January) + 13,
//	          so Fri 2026-02-13 (from the approval it would be 16 + 30 =
//	          Sun 2026-02-15: the application's is the earlier).
//	approved  Fri 2026-01-16: step 5, 2 business days: Mon 19 is Martin
//	          Luther King Jr. Day, so Tue 20 (1), Wed 21 (2): 2026-01-21.
//	scheduled Wed 2026-01-21 for Tue 2026-02-03: the payment is due then.
//	paid      Wed 2026-01-28.
//	conducted Tue 2026-02-03: step 10, 5 business days: Wed 4 (1), Thu 5
//	          (2), Fri 6 (3), Mon 9 (4), Tue 10 (5): 2026-02-10.
//	final     Fri 2026-02-13 (late): step 11, 2 business days: Mon 16 is
//	          Presidents' Day, so Tue 17 (1), Wed 18 (2): 2026-02-18.
//	concluded Wed 2026-02-18.
func TestDeadlines_NoOpenActionItems(t *testing.T) {
	app := application()
	approved := walk(t, app, "2026-01-14T10:00:00Z", approve("issi", "2026-01-16T15:00:00Z"))
	sameLines(t, "the application", audit.Deadlines(walk(t, app, "2026-01-14T10:00:00Z"), audit.USFederal, at("2026-01-14T10:00:00Z")),
		"6 conduct the audit: audit_firm+partner, due 2026-02-13 (30 calendar_days from application), pending")
	sameLines(t, "approved, the last minute of step 5's last day", audit.Deadlines(approved, audit.USFederal, at("2026-01-21T23:59:59Z")),
		"5 schedule the audit with the partner: audit_firm, due 2026-01-21 (2 business_days from approval), pending",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-02-13 (30 calendar_days from application), pending",
		"6 conduct the audit: audit_firm+partner, due 2026-02-13 (30 calendar_days from application), pending")
	sameLines(t, "approved, the next day, not scheduled", audit.Deadlines(approved, audit.USFederal, at("2026-01-22T00:00:00Z"))[:1],
		"5 schedule the audit with the partner: audit_firm, due 2026-01-21 (2 business_days from approval), overdue")
	sameLines(t, "another calendar: weekends only", audit.Deadlines(approved, audit.NewCalendar(), at("2026-01-21T00:00:00Z"))[:1],
		"5 schedule the audit with the partner: audit_firm, due 2026-01-20 (2 business_days from approval), overdue")

	sched := walk(t, app, "2026-01-14T10:00:00Z", approve("issi", "2026-01-16T15:00:00Z"), scheduled("2026-01-21T09:00:00Z", "2026-02-03"))
	sameLines(t, "scheduled", audit.Deadlines(sched, audit.USFederal, at("2026-01-22T09:00:00Z")),
		"5 schedule the audit with the partner: audit_firm, due 2026-01-21 (2 business_days from approval), met 2026-01-21",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-02-03 (0 calendar_days from audit_date), pending",
		"6 conduct the audit: audit_firm+partner, due 2026-02-13 (30 calendar_days from application), pending")
	sameLines(t, "scheduled, unpaid on the audit's day after", audit.Deadlines(sched, audit.USFederal, at("2026-02-04T00:00:00Z"))[1:2],
		"6 pay the audit fee in full before the audit begins: partner, due 2026-02-03 (0 calendar_days from audit_date), overdue")

	held := walk(t, app, "2026-01-14T10:00:00Z", approve("issi", "2026-01-16T15:00:00Z"), scheduled("2026-01-21T09:00:00Z", "2026-02-03"),
		paid("2026-01-28T12:00:00Z", 3000), conducted("2026-02-03T17:00:00Z", 0))
	sameLines(t, "conducted, no open action item", audit.Deadlines(held, audit.USFederal, at("2026-02-11T09:00:00Z")),
		"5 schedule the audit with the partner: audit_firm, due 2026-01-21 (2 business_days from approval), met 2026-01-21",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-02-03 (0 calendar_days from audit_date), met 2026-01-28",
		"6 conduct the audit: audit_firm+partner, due 2026-02-13 (30 calendar_days from application), met 2026-02-03",
		"10 issue the Final Report: audit_firm, due 2026-02-10 (5 business_days from audit), overdue")

	done, err := finalReport("2026-02-13T10:00:00Z", audit.ResultPass)(held)
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "the Final Report, late", audit.Deadlines(done, audit.USFederal, at("2026-02-13T12:00:00Z"))[3:],
		"10 issue the Final Report: audit_firm, due 2026-02-10 (5 business_days from audit), met 2026-02-13",
		"11 tell the partner the result: program, due 2026-02-18 (2 business_days from final_report), pending")
	if done, err = concluded("2026-02-18T09:00:00Z")(done); err != nil {
		t.Fatal(err)
	}
	sameLines(t, "passed", audit.Deadlines(done, audit.USFederal, at("2026-03-01T00:00:00Z")),
		"5 schedule the audit with the partner: audit_firm, due 2026-01-21 (2 business_days from approval), met 2026-01-21",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-02-03 (0 calendar_days from audit_date), met 2026-01-28",
		"6 conduct the audit: audit_firm+partner, due 2026-02-13 (30 calendar_days from application), met 2026-02-03",
		"10 issue the Final Report: audit_firm, due 2026-02-10 (5 business_days from audit), met 2026-02-13",
		"11 tell the partner the result: program, due 2026-02-18 (2 business_days from final_report), met 2026-02-18")
}

// R-AUD-12: the autumn audit, with three open action items: steps 7 to 9
// appear, and step 10 counts from the Gap Review.
//
//	applied   Mon 2026-10-26: step 6, 30 calendar days: 26 + 30 = 56 = 31
//	          (October) + 25: Wed 2026-11-25.
//	approved  Tue 2026-11-10: step 5, 2 business days: Wed 11 is Veterans
//	          Day, so Thu 12 (1), Fri 13 (2): 2026-11-13.
//	scheduled Thu 2026-11-12 for Tue 2026-11-24; paid Fri 2026-11-20.
//	conducted Tue 2026-11-24: step 7, 2 business days: Wed 25 (1), Thu 26
//	          Thanksgiving, Fri 27 (2): 2026-11-27.
//	gap report Fri 2026-11-27: step 8, 2 business days: Sat, Sun, Mon 30
//	          (1), Tue 1 Dec (2): 2026-12-01; step 9, 15 calendar days: 27 +
//	          15 = 42 = 30 (November) + 12: Sat 2026-12-12.
//	acknowledged Mon 2026-11-30, for Thu 2026-12-10; held then.
//	gap review Thu 2026-12-10: step 10, 5 business days: Fri 11 (1), Mon 14
//	          (2), Tue 15 (3), Wed 16 (4), Thu 17 (5): 2026-12-17.
//	final     Wed 2026-12-23 (late): step 11, 2 business days: Thu 24 (1),
//	          Fri 25 Christmas, Sat, Sun, Mon 28 (2): 2026-12-28.
func TestDeadlines_GapReview(t *testing.T) {
	app := application()
	w := func(steps ...step) audit.Audit { return walk(t, app, "2026-10-26T08:00:00Z", steps...) }
	conductedOpen := w(append(clip(autumnPaid), conducted("2026-11-24T15:00:00Z", 3))...)
	head := []string{
		"5 schedule the audit with the partner: audit_firm, due 2026-11-13 (2 business_days from approval), met 2026-11-12",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-11-24 (0 calendar_days from audit_date), met 2026-11-20",
		"6 conduct the audit: audit_firm+partner, due 2026-11-25 (30 calendar_days from application), met 2026-11-24",
	}
	sameLines(t, "conducted with open items: step 7, and no step 10 before the Gap Review", audit.Deadlines(conductedOpen, audit.USFederal, at("2026-11-26T12:00:00Z")),
		append(clip(head), "7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), pending")...)
	sameLines(t, "no Gap Report by the end of its day", audit.Deadlines(conductedOpen, audit.USFederal, at("2026-11-28T00:00:00Z"))[3:],
		"7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), overdue")

	reported := w(autumnGapReport...)
	sameLines(t, "Gap Report, not acknowledged by Wednesday", audit.Deadlines(reported, audit.USFederal, at("2026-12-02T00:00:00Z"))[3:],
		"7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), met 2026-11-27",
		"8 acknowledge the Gap Report and schedule the Gap Review: partner, due 2026-12-01 (2 business_days from gap_report), overdue",
		"9 hold the Gap Review meeting: audit_firm+partner, due 2026-12-12 (15 calendar_days from gap_report), pending")
	sameLines(t, "Gap Review not held by the Sunday after its Saturday", audit.Deadlines(w(autumnAcknowledge...), audit.USFederal, at("2026-12-13T08:00:00Z"))[4:],
		"8 acknowledge the Gap Report and schedule the Gap Review: partner, due 2026-12-01 (2 business_days from gap_report), met 2026-11-30",
		"9 hold the Gap Review meeting: audit_firm+partner, due 2026-12-12 (15 calendar_days from gap_report), overdue")

	final := w(append(clip(autumnHeld), finalReport("2026-12-23T10:00:00Z", audit.ResultNoPass), concluded("2026-12-28T11:00:00Z"))...)
	sameLines(t, "the whole audit, a No Pass", audit.Deadlines(final, audit.USFederal, at("2027-01-04T00:00:00Z")),
		append(clip(head),
			"7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), met 2026-11-27",
			"8 acknowledge the Gap Report and schedule the Gap Review: partner, due 2026-12-01 (2 business_days from gap_report), met 2026-11-30",
			"9 hold the Gap Review meeting: audit_firm+partner, due 2026-12-12 (15 calendar_days from gap_report), met 2026-12-10",
			"10 issue the Final Report: audit_firm, due 2026-12-17 (5 business_days from gap_review), met 2026-12-23",
			"11 tell the partner the result: program, due 2026-12-28 (2 business_days from final_report), met 2026-12-28")...)

	sameLines(t, "another calendar: weekends only, Veterans Day and Thanksgiving worked", audit.Deadlines(conductedOpen, audit.NewCalendar(), at("2026-11-26T12:00:00Z")),
		"5 schedule the audit with the partner: audit_firm, due 2026-11-12 (2 business_days from approval), met 2026-11-12",
		"6 pay the audit fee in full before the audit begins: partner, due 2026-11-24 (0 calendar_days from audit_date), met 2026-11-20",
		"6 conduct the audit: audit_firm+partner, due 2026-11-25 (30 calendar_days from application), met 2026-11-24",
		"7 send the partner the Gap Report: audit_firm, due 2026-11-26 (2 business_days from audit), pending")
}

// R-AUD-5: steps 7 to 9 are skipped without open action items, and appear
// with them; what an ended audit no longer owes is not listed.
//
// A No Pass from the Gap Report (the partner never acknowledged): step 7
// met, steps 8 and 9 no longer owed; step 10, with no Gap Review, counts
// from the audit of Tue 2026-11-24: Wed 25 (1), Thu 26 Thanksgiving, Fri 27
// (2), Mon 30 (3), Tue 1 Dec (4), Wed 2 (5): 2026-12-02; step 11 from the
// report of Mon 2026-12-14: Tue 15 (1), Wed 16 (2).
//
// A No Pass before the audit, Thu 2026-11-12: nothing before step 10 is
// owed any more, and step 10 has no clock; step 11: Fri 13 (1), Mon 16 (2).
func TestDeadlines_Steps7To9AndEndedAudits(t *testing.T) {
	all := statuses(t)
	steps := func(a audit.Audit) (s []int) {
		for _, d := range audit.Deadlines(a, audit.USFederal, at("2026-12-31T00:00:00Z")) {
			s = append(s, d.Step)
		}
		return s
	}
	for name, want := range map[string]string{
		"conducted, none open":     "[5 6 6 10]",
		"conducted, open items":    "[5 6 6 7]",
		"gap report issued":        "[5 6 6 7 8 9]",
		"gap review held":          "[5 6 6 7 8 9 10]",
		"passed":                   "[5 6 6 7 8 9 10 11]",
		"applied":                  "[6]",
		"withdrawn by the partner": "[5]", // payment and step 6, not met, are not owed any more
	} {
		if got := fmt.Sprint(steps(all[name])); got != want {
			t.Errorf("%s: steps %s, want %s", name, got, want)
		}
	}

	a, err := finalReport("2026-12-14T10:00:00Z", audit.ResultNoPass)(all["gap report issued"])
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "a No Pass from the Gap Report", audit.Deadlines(a, audit.USFederal, at("2026-12-15T00:00:00Z"))[3:],
		"7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), met 2026-11-27",
		"10 issue the Final Report: audit_firm, due 2026-12-02 (5 business_days from audit), met 2026-12-14",
		"11 tell the partner the result: program, due 2026-12-16 (2 business_days from final_report), pending")

	a, err = finalReport("2026-11-12T10:00:00Z", audit.ResultNoPass)(all["approved"])
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "a No Pass before the audit", audit.Deadlines(a, audit.USFederal, at("2026-11-17T00:00:00Z")),
		"11 tell the partner the result: program, due 2026-11-16 (2 business_days from final_report), overdue")
}

// R-AUD-12: what is due next, by whom, by when, at each step of the autumn
// audit (the dates as TestDeadlines_GapReview counts them; the Final
// Report of Fri 2026-12-11 gives step 11 Mon 14 (1), Tue 15 (2)).
func TestNext(t *testing.T) {
	all := statuses(t)
	for _, c := range []struct {
		status, asOf, want string
	}{
		{"applied", "2026-10-27T00:00:00Z", "3 validate the application and approve it: program, due 0001-01-01 (0  from ), pending"},
		{"approved", "2026-11-11T00:00:00Z", "5 schedule the audit with the partner: audit_firm, due 2026-11-13 (2 business_days from approval), pending"},
		{"scheduled, unpaid", "2026-11-13T00:00:00Z", "6 pay the audit fee in full before the audit begins: partner, due 2026-11-24 (0 calendar_days from audit_date), pending"},
		{"scheduled, paid", "2026-11-21T00:00:00Z", "6 conduct the audit: audit_firm+partner, due 2026-11-25 (30 calendar_days from application), pending"},
		{"conducted, open items", "2026-11-30T00:00:00Z", "7 send the partner the Gap Report: audit_firm, due 2026-11-27 (2 business_days from audit), overdue"},
		{"conducted, none open", "2026-11-25T00:00:00Z", "10 issue the Final Report: audit_firm, due 2026-12-02 (5 business_days from audit), pending"},
		{"gap report issued", "2026-11-28T00:00:00Z", "8 acknowledge the Gap Report and schedule the Gap Review: partner, due 2026-12-01 (2 business_days from gap_report), pending"},
		{"gap review scheduled", "2026-12-01T00:00:00Z", "9 hold the Gap Review meeting: audit_firm+partner, due 2026-12-12 (15 calendar_days from gap_report), pending"},
		{"gap review held", "2026-12-11T00:00:00Z", "10 issue the Final Report: audit_firm, due 2026-12-17 (5 business_days from gap_review), pending"},
		{"final report, no pass", "2026-12-16T00:00:00Z", "11 tell the partner the result: program, due 2026-12-15 (2 business_days from final_report), overdue"},
	} {
		next, ok := audit.Next(all[c.status], audit.USFederal, at(c.asOf))
		if !ok || line(next) != c.want {
			t.Errorf("%s: %v %s, want %s", c.status, ok, line(next), c.want)
		}
	}
	for _, s := range []string{"passed", "failed", "withdrawn by the partner"} {
		if next, ok := audit.Next(all[s], audit.USFederal, at("2026-12-20T00:00:00Z")); ok {
			t.Errorf("%s: next %s", s, line(next))
		}
	}
}
