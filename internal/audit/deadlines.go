package audit

import (
	"fmt"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/partnerready/partnerready/internal/domain"
)

// Calendar is the business calendar the audit's clocks count in: Monday to
// Friday, less the observed days of its holidays (a holiday on a Saturday
// is observed on the Friday before, one on a Sunday on the Monday after).
// The holidays are the audit firm's, hence configured rather than fixed;
// the zero Calendar is USFederal. A Calendar is safe for concurrent use: it
// keeps no cache.
type Calendar struct{ bc *cal.BusinessCalendar }

// NewCalendar is a calendar of Monday-to-Friday business days that skips
// the given holidays (rickar/cal/v2 definitions, such as us.Holidays or a
// country package's); with none, only weekends are skipped.
func NewCalendar(holidays ...*cal.Holiday) Calendar {
	bc := cal.NewBusinessCalendar() // Monday to Friday; its cache stays off
	bc.AddHoliday(holidays...)
	return Calendar{bc}
}

// USFederal is the default calendar: ISSI, the program's audit firm,
// works to the eleven US federal holidays (us.Holidays: New Year's Day,
// Martin Luther King Jr. Day, Presidents' Day, Memorial Day, Juneteenth,
// Independence Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving Day
// and Christmas Day).
var USFederal = NewCalendar(us.Holidays...)

func (c Calendar) business() *cal.BusinessCalendar {
	if c.bc == nil {
		return USFederal.bc
	}
	return c.bc
}

// IsBusinessDay reports whether d is a business day. rickar/cal reads a
// day as a time, here its start (midnight UTC): it compares year, month and
// day in the time's own location.
func (c Calendar) IsBusinessDay(d domain.Date) bool { return c.business().IsWorkday(d.Start()) }

// AddBusinessDays is the n-th business day after d (n >= 0): d itself never
// counts, business day or not, so "within 2 business days" of a Friday
// approval before a Monday holiday ends on the Wednesday.
func (c Calendar) AddBusinessDays(d domain.Date, n int) domain.Date {
	return domain.DateOf(c.business().WorkdaysFrom(d.Start(), max(n, 0)))
}

// Basis is how a deadline's days are counted (R-AUD-5): business days skip
// weekends and the calendar's holidays, calendar days skip nothing.
type Basis string

const (
	BasisBusinessDays Basis = "business_days"
	BasisCalendarDays Basis = "calendar_days"
)

// State is where a deadline stands as of an instant.
type State string

const (
	StateMet     State = "met"     // its step happened, on time or late (MetOn says which)
	StatePending State = "pending" // not yet, and its last day has not passed
	StateOverdue State = "overdue" // not yet, and its last day has passed
)

// Deadline is one step's clock: what is owed, by whom, by which day.
type Deadline struct {
	Step int // R-AUD-5's step; the payment, owed before the audit begins, is step 6's
	Name string
	// DueOn is the last day the step is on time, at the end of that UTC day.
	DueOn domain.Date
	Basis Basis
	Days  int // the clock's length: Days of Basis after From
	// From is the event the clock counts from: application, approval,
	// audit_date (the day the audit is scheduled for), audit, gap_report,
	// gap_review or final_report.
	From  string
	Owner Party
	// CoOwner is the other party of a joint step (6, the audit, and 9, the
	// Gap Review: the firm and the partner); "" for a step one party owes.
	CoOwner Party
	State   State
	MetOn   domain.Date // the day the step happened; zero while it has not
}

// The clocks' lengths (R-AUD-5, R-AUD-3).
const (
	scheduleDays    = 2  // step 5, business days from the approval
	conductDays     = 30 // step 6, calendar days from the application
	gapReportDays   = 2  // step 7, business days from the audit
	acknowledgeDays = 2  // step 8, business days from the Gap Report
	finalReportDays = 5  // step 10, business days from the audit or the Gap Review
	notifyDays      = 2  // step 11, business days from the Final Report
)

// Deadlines lists the audit's deadlines whose clocks have started, in the
// order of the process: each met when its step happened (on time or not),
// else pending or overdue as of asOf, normally now, by whether asOf's UTC
// day is past its last day. Business days are counted in c. A deadline not met is listed only while it is still owed:
// none once the audit has ended, and none before step 10 once the Final
// Report is in (a No Pass may come before the audit; what it overtook is no
// longer due).
//
// R-AUD-12: step 5, the audit firm, 2 business days from the approval; the
// payment, the partner, before the audit begins (by the scheduled day, and
// until the firm schedules it by step 6's day); step 6, the firm and the
// partner, 30 calendar days from the application (R-AUD-3, never later
// than 30 from the approval); when the audit left action items open, step
// 7, the firm, 2 business days from the audit; step 8, the partner, 2
// business days from the Gap Report; step 9, both, 15 calendar days from the
// Gap Report; step 10, the firm, 5 business days from the Gap Review when
// there was one, else from the audit; step 11, the program, 2 business days
// from the Final Report.
func Deadlines(a Audit, c Calendar, asOf time.Time) []Deadline {
	today := domain.DateOf(asOf)
	var out []Deadline
	add := func(d Deadline, start, met domain.Date) {
		switch d.Basis {
		case BasisBusinessDays:
			d.DueOn = c.AddBusinessDays(start, d.Days)
		default:
			d.DueOn = start.AddDays(d.Days)
		}
		switch {
		case !met.IsZero():
			d.State, d.MetOn = StateMet, met
		case !a.Status.Open() || (d.Step < 10 && !a.FinalReportOn.IsZero()):
			return // no longer owed
		case today.After(d.DueOn):
			d.State = StateOverdue
		default:
			d.State = StatePending
		}
		out = append(out, d)
	}
	applied := domain.DateOf(a.AppliedAt)
	conduct := Deadline{Step: 6, Name: "conduct the audit", Basis: BasisCalendarDays, Days: conductDays, From: "application", Owner: PartyAuditFirm, CoOwner: PartyPartner}

	if !a.ApprovedAt.IsZero() {
		add(Deadline{Step: 5, Name: "schedule the audit with the partner", Basis: BasisBusinessDays, Days: scheduleDays, From: "approval", Owner: PartyAuditFirm},
			domain.DateOf(a.ApprovedAt), a.ScheduledOn)
		pay := Deadline{Step: 6, Name: "pay the audit fee in full before the audit begins", Basis: BasisCalendarDays, Owner: PartyPartner}
		if a.AuditOn.IsZero() {
			pay.Days, pay.From = conductDays, "application"
			add(pay, applied, a.PaidOn)
		} else {
			pay.From = "audit_date"
			add(pay, a.AuditOn, a.PaidOn)
		}
	}
	add(conduct, applied, a.ConductedOn)
	conducted := !a.ConductedOn.IsZero()
	if conducted && a.OpenActionItems > 0 {
		add(Deadline{Step: 7, Name: "send the partner the Gap Report", Basis: BasisBusinessDays, Days: gapReportDays, From: "audit", Owner: PartyAuditFirm},
			a.ConductedOn, a.GapReportOn)
	}
	if !a.GapReportOn.IsZero() {
		add(Deadline{Step: 8, Name: "acknowledge the Gap Report and schedule the Gap Review", Basis: BasisBusinessDays, Days: acknowledgeDays, From: "gap_report", Owner: PartyPartner},
			a.GapReportOn, a.AcknowledgedOn)
		add(Deadline{Step: 9, Name: "hold the Gap Review meeting", Basis: BasisCalendarDays, Days: gapReviewDays, From: "gap_report", Owner: PartyAuditFirm, CoOwner: PartyPartner},
			a.GapReportOn, a.GapReviewHeldOn)
	}
	final := Deadline{Step: 10, Name: "issue the Final Report", Basis: BasisBusinessDays, Days: finalReportDays, Owner: PartyAuditFirm}
	switch {
	case !a.GapReviewHeldOn.IsZero():
		final.From = "gap_review"
		add(final, a.GapReviewHeldOn, a.FinalReportOn)
	case conducted && (a.OpenActionItems == 0 || !a.FinalReportOn.IsZero()):
		// No Gap Review: none was due, or the result came without one.
		final.From = "audit"
		add(final, a.ConductedOn, a.FinalReportOn)
	}
	if !a.FinalReportOn.IsZero() {
		add(Deadline{Step: 11, Name: "tell the partner the result", Basis: BasisBusinessDays, Days: notifyDays, From: "final_report", Owner: PartyProgram},
			a.FinalReportOn, a.ConcludedOn)
	}
	return out
}

// Next is what the audit waits for as of asOf: the deadline not met that
// falls first (the earlier step on a tie), by whom and by when. An applied
// audit waits for the program's approval (steps 3 and 4), which has no
// clock of its own: DueOn is zero. ok is false once the audit has ended.
func Next(a Audit, c Calendar, asOf time.Time) (next Deadline, ok bool) {
	if !a.Status.Open() {
		return Deadline{}, false
	}
	if a.Status == StatusApplied {
		return Deadline{Step: 3, Name: "validate the application and approve it", Owner: PartyProgram, State: StatePending}, true
	}
	for _, d := range Deadlines(a, c, asOf) {
		if d.State != StateMet && (!ok || d.DueOn.Before(next.DueOn)) {
			next, ok = d, true
		}
	}
	return next, ok
}

// Calendars are the business calendars a deployment may choose by name
// (AUDIT_CALENDAR): the audit firm's holidays.
var Calendars = map[string]Calendar{
	"us-federal":    USFederal,
	"weekends-only": NewCalendar(),
}

// CalendarNamed is the calendar of that name; "" is us-federal.
func CalendarNamed(name string) (Calendar, error) {
	if name == "" {
		return USFederal, nil
	}
	c, ok := Calendars[name]
	if !ok {
		return Calendar{}, fmt.Errorf("AUDIT_CALENDAR is %q: it must be us-federal or weekends-only", name)
	}
	return c, nil
}
