package audit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// ChecklistOn gives the checklist of a specialization live on a day, or
// why there is none: catalog.Checklists.For, handed in so that the audit
// needs no catalogue.
type ChecklistOn func(specializationID string, on domain.Date) (evidence.Checklist, error)

// Application is what a partner admin applies with (DESIGN's POST
// …/audits). The caller makes the id and checks the rest of R-AUD-3 first:
// readiness, the specialization not superseded, and ApplicationAllowed.
type Application struct {
	ID               string
	PartnerID        string
	SpecializationID string
	Modules          Modules
	ModuleAPass      *Pass // required for Module B alone, refused otherwise
	Language         string
	NDARequested     bool
	By               Actor
}

// Apply opens an audit from an application made at instant at, or refuses
// it with every bad field listed. The fee follows from the modules; the
// checklist version is not fixed yet: that waits for the audit date
// (R-AUD-4).
func Apply(at time.Time, app Application) (Audit, error) {
	var ps []Problem
	bad := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for _, f := range []struct{ name, v string }{{"id", app.ID}, {"partnerId", app.PartnerID}, {"specializationId", app.SpecializationID}} {
		if strings.TrimSpace(f.v) == "" {
			bad(f.name, "is empty")
		}
	}
	modules := app.Modules.canonical()
	switch msg := checkModules(app.Modules); {
	case msg != "":
		bad("modules", "%s", msg)
	case !modules.Has(ModuleA) && app.ModuleAPass == nil:
		bad("moduleAPass", "Module B alone needs an earlier pass that satisfies Module A: a Module A pass within two years on checklist V2.0 or later, or Azure Expert MSP V1.9; without one, apply for Modules A and B")
	case !modules.Has(ModuleA):
		if err := SatisfiesModuleA(*app.ModuleAPass, domain.DateOf(at)); err != nil {
			bad("moduleAPass", "%s", err.(*Refusal).Reason)
		}
	case app.ModuleAPass != nil:
		bad("moduleAPass", "is only for an audit of Module B alone: an audit of Modules A and B audits Module A again")
	}
	// R-AUD-9: the audit is held in one of the program's audit languages.
	if !slices.Contains(evidence.Languages, app.Language) {
		bad("language", "must be an audit language as its BCP 47 code: %s", strings.Join(evidence.Languages, ", "))
	}
	if len(ps) > 0 {
		return Audit{}, &Refusal{Code: CodeInvalid, Reason: "the application is not valid", Problems: ps}
	}

	a := Audit{
		ID: app.ID, PartnerID: app.PartnerID, SpecializationID: app.SpecializationID,
		Modules: modules, Language: app.Language, NDARequested: app.NDARequested,
		Fee: Fee(modules), Status: StatusApplied, AppliedAt: at.UTC(),
	}
	detail := fmt.Sprintf("applied for an audit of %s, in %s; fee %s, the Gap Review included", modules, a.Language, domain.FormatUSD(a.Fee))
	if app.ModuleAPass != nil {
		p := *app.ModuleAPass
		a.ModuleAPass = &p
		detail += fmt.Sprintf("; Module A satisfied by the pass of %s on %s", p.PassedOn, p.Version)
	}
	// R-AUD-10: the partner may ask the firm to sign a direct NDA, which it
	// provides during scheduling; the request travels with the audit.
	if a.NDARequested {
		detail += "; a direct NDA requested, which the partner gives the audit firm to sign during scheduling"
	}
	a.log(at, app.By, "applied", detail)
	return a, nil
}

// Approve is the program's approval of an applied audit (steps 3 and 4):
// the partner meets every requirement, and firm is assigned to audit it.
// It starts the clocks of step 5 and the payment (Deadlines). Approving
// twice is refused.
func Approve(a Audit, firm string, by Actor, at time.Time) (Audit, error) {
	if err := a.expect("approval", StatusApplied); err != nil {
		return Audit{}, err
	}
	if strings.TrimSpace(firm) == "" {
		return Audit{}, &Refusal{Code: CodeInvalid, Reason: "the approval is not valid", Problems: []Problem{{"auditFirm", "is empty: the approval assigns the audit firm"}}}
	}
	if at.Before(a.AppliedAt) {
		return Audit{}, refuse(CodeOutOfOrder, fmt.Sprintf("the approval is dated %s, before the application of %s", at.UTC().Format(time.RFC3339), a.AppliedAt.Format(time.RFC3339)))
	}
	b := a.clone()
	b.Status, b.AuditFirm, b.ApprovedAt = StatusApproved, firm, at.UTC()
	b.log(at, by, "approved", fmt.Sprintf("the partner meets every requirement; audit firm %s assigned, to schedule the audit within 2 business days", firm))
	return b, nil
}

// EventType is the type of an audit firm's webhook event (DESIGN).
type EventType string

const (
	EventScheduled         EventType = "audit.scheduled"
	EventPaymentReceived   EventType = "audit.payment_received"
	EventConducted         EventType = "audit.conducted"
	EventGapReportIssued   EventType = "gap_report.issued"
	EventGapReviewHeld     EventType = "gap_review.held"
	EventFinalReportIssued EventType = "final_report.issued"
	EventWithdrawn         EventType = "audit.withdrawn"
)

// EventTypes lists every event type, in the order of the process.
var EventTypes = []EventType{
	EventScheduled, EventPaymentReceived, EventConducted, EventGapReportIssued,
	EventGapReviewHeld, EventFinalReportIssued, EventWithdrawn,
}

// Event is one webhook event of the audit firm, its signature verified and
// its body parsed: the envelope and the data of its type (the other data
// fields are zero).
type Event struct {
	ID         string
	Type       EventType
	OccurredAt time.Time
	// Digest identifies the event as sent (the store's SHA-256 of its
	// bytes): the same id with another digest is another event.
	Digest string

	AuditOn         domain.Date  // audit.scheduled: the day the audit is held
	AmountUSD       domain.Cents // audit.payment_received
	OpenActionItems int          // audit.conducted
	AllResolved     bool         // gap_review.held: every open action item addressed
	Result          Result       // final_report.issued
}

// The statuses steps are valid in: open, every status of an audit not yet
// ended; firmAssigned, those from the approval on, in which the audit firm
// knows the audit; beforeFinalReport, those from the approval to the Gap
// Review, in which the firm may still give its result.
var (
	open = []Status{StatusApplied, StatusApproved, StatusScheduled, StatusConducted, StatusGapReportIssued,
		StatusGapReviewScheduled, StatusGapReviewHeld, StatusFinalReportIssued}
	firmAssigned      = open[1:]
	beforeFinalReport = open[1 : len(open)-1]
)

// Receive applies one audit firm event to a. Whether an event is valid is
// judged by the audit's state, not by when the event arrived: an event that
// comes too early is refused (CodeWrongState) and may be sent again once
// the step before it is in. Each event is dated by its OccurredAt (its UTC
// day), which may not precede the step it follows (CodeOutOfOrder).
// checklistOn gives the checklist live on the audit date (R-AUD-4): the one
// of the scheduled day when the audit is scheduled, fixed on the day it is
// conducted.
//
// R-AUD-5: the audit firm's steps in order: scheduling (5), the audit (6),
// and only when it leaves action items open the Gap Report (7) and, after
// the partner schedules it (8), the Gap Review (9); then the Final Report
// (10). A No Pass may come from any step after approval; a Pass only after
// a clean audit or a Gap Review that resolved everything.
func Receive(a Audit, e Event, checklistOn ChecklistOn) (Audit, error) {
	b, err := receive(a, e, checklistOn)
	if err != nil {
		return Audit{}, err
	}
	last := &b.Timeline[len(b.Timeline)-1]
	last.EventID, last.EventDigest = e.ID, e.Digest
	return b, nil
}

func receive(a Audit, e Event, checklistOn ChecklistOn) (Audit, error) {
	if e.OccurredAt.IsZero() {
		return Audit{}, invalid("the event", "occurredAt", "is required")
	}
	day, by, name := domain.DateOf(e.OccurredAt), Actor{PartyAuditFirm, a.AuditFirm}, string(e.Type)
	b := a.clone()
	switch e.Type {
	case EventScheduled:
		if err := a.expect(name, StatusApproved, StatusScheduled); err != nil {
			return Audit{}, err
		}
		switch {
		case e.AuditOn.IsZero():
			return Audit{}, invalid(name, "auditOn", "is required: the day the audit is held")
		case e.AuditOn.Before(day):
			return Audit{}, invalid(name, "auditOn", fmt.Sprintf("is %s, before the day it was scheduled (%s)", e.AuditOn, day))
		}
		if err := notBefore(name, day, "the approval", domain.DateOf(a.ApprovedAt)); err != nil {
			return Audit{}, err
		}
		cl, err := checklistOn(a.SpecializationID, e.AuditOn)
		if err != nil {
			return Audit{}, refuse(CodeNoChecklist, fmt.Sprintf("no checklist is live on the audit date %s: %v", e.AuditOn, err))
		}
		if last, ok := a.lastEntry(name); ok && e.OccurredAt.Before(last.At) {
			// A reschedule the firm made before the one already applied,
			// delivered late: the newer one stands.
			return Audit{}, refuse(CodeOutOfOrder, fmt.Sprintf("%s is dated %s, before the scheduling already applied (%s, for %s): the newer one stands",
				name, e.OccurredAt.UTC().Format(time.RFC3339), last.At.Format(time.RFC3339), a.AuditOn))
		}
		if err := a.repeatable(name); err != nil {
			return Audit{}, err
		}
		detail := fmt.Sprintf("audit scheduled for %s, on checklist %s", e.AuditOn, versionName(cl))
		if a.Status == StatusScheduled {
			detail = fmt.Sprintf("audit moved from %s to %s, on checklist %s", a.AuditOn, e.AuditOn, versionName(cl))
		} else {
			b.Status, b.ScheduledOn = StatusScheduled, day
			if a.NDARequested {
				detail += "; the partner gives the audit firm its NDA to sign now"
			}
		}
		b.AuditOn, b.ChecklistVersion, b.ChecklistName = e.AuditOn, cl.Version, cl.Name
		b.log(e.OccurredAt, by, name, detail)

	case EventPaymentReceived:
		if err := a.expect(name, StatusApproved, StatusScheduled); err != nil {
			return Audit{}, err
		}
		if a.Paid() {
			return Audit{}, refuse(CodeWrongState, fmt.Sprintf("%s is not valid: the fee of %s was paid in full on %s", name, domain.FormatUSD(a.Fee), a.PaidOn))
		}
		if e.AmountUSD <= 0 {
			return Audit{}, invalid(name, "amountUsd", "must be more than 0")
		}
		if err := a.repeatable(name); err != nil {
			return Audit{}, err
		}
		if err := notBefore(name, day, "the approval", domain.DateOf(a.ApprovedAt)); err != nil {
			return Audit{}, err
		}
		b.Received += e.AmountUSD
		detail := fmt.Sprintf("%s received: the fee of %s is paid in full", domain.FormatUSD(e.AmountUSD), domain.FormatUSD(a.Fee))
		if b.Received >= a.Fee {
			b.PaidOn = day
		} else {
			detail = fmt.Sprintf("%s received, %s of %s so far: %s still due before the audit begins", domain.FormatUSD(e.AmountUSD), domain.FormatUSD(b.Received), domain.FormatUSD(a.Fee), domain.FormatUSD(a.Fee-b.Received))
		}
		b.log(e.OccurredAt, by, name, detail)

	case EventConducted:
		if err := a.expect(name, StatusScheduled); err != nil {
			return Audit{}, err
		}
		if e.OpenActionItems < 0 {
			return Audit{}, invalid(name, "openActionItems", "must not be negative")
		}
		if err := notBefore(name, day, "its scheduling", a.ScheduledOn); err != nil {
			return Audit{}, err
		}
		switch {
		case !a.Paid():
			return Audit{}, refuse(CodeNotPaid, fmt.Sprintf("the audit cannot begin before its fee is paid in full: %s of %s received; an audit not paid for is cancelled", domain.FormatUSD(a.Received), domain.FormatUSD(a.Fee)))
		case a.PaidOn.After(day):
			return Audit{}, refuse(CodeNotPaid, fmt.Sprintf("the fee was paid in full on %s, after the audit of %s: it is due before the audit begins", a.PaidOn, day))
		}
		cl, err := checklistOn(a.SpecializationID, day)
		if err != nil {
			return Audit{}, refuse(CodeNoChecklist, fmt.Sprintf("no checklist is live on the audit date %s: %v", day, err))
		}
		b.Status, b.ConductedOn, b.OpenActionItems = StatusConducted, day, e.OpenActionItems
		b.ChecklistVersion, b.ChecklistName = cl.Version, cl.Name
		detail := fmt.Sprintf("audit held on checklist %s; no open action item: steps 7 to 9 are skipped, the Final Report is due within 5 business days", versionName(cl))
		if e.OpenActionItems > 0 {
			detail = fmt.Sprintf("audit held on checklist %s; %d open action items: the Gap Report is due within 2 business days", versionName(cl), e.OpenActionItems)
		}
		b.log(e.OccurredAt, by, name, detail)

	case EventGapReportIssued:
		if err := a.expect(name, StatusConducted); err != nil {
			return Audit{}, err
		}
		if a.OpenActionItems == 0 {
			return Audit{}, refuse(CodeWrongState, name+" is not valid: the audit left no open action item, so there is no Gap Report (steps 7 to 9 are skipped); the Final Report comes next")
		}
		if err := notBefore(name, day, "the audit", a.ConductedOn); err != nil {
			return Audit{}, err
		}
		b.Status, b.GapReportOn = StatusGapReportIssued, day
		b.log(e.OccurredAt, by, name, fmt.Sprintf("Gap Report of %d open action items: the partner acknowledges it and schedules the Gap Review within 2 business days, for a day up to %s", a.OpenActionItems, day.AddDays(gapReviewDays)))

	case EventGapReviewHeld:
		if err := a.expect(name, StatusGapReviewScheduled); err != nil {
			return Audit{}, err
		}
		if err := notBefore(name, day, "the partner's acknowledgement", a.AcknowledgedOn); err != nil {
			return Audit{}, err
		}
		b.Status, b.GapReviewHeldOn, b.AllResolved = StatusGapReviewHeld, day, e.AllResolved
		detail := "Gap Review held: every open action item addressed"
		if !e.AllResolved {
			detail = "Gap Review held: action items remain open, so the audit cannot pass"
		}
		b.log(e.OccurredAt, by, name, detail)

	case EventFinalReportIssued:
		switch e.Result {
		case ResultPass:
			switch {
			case a.Status == StatusConducted && a.OpenActionItems > 0:
				return Audit{}, refuse(CodeWrongState, fmt.Sprintf("a passing Final Report is not valid yet: the audit left %d action items open, so the Gap Report and the Gap Review come first", a.OpenActionItems))
			case a.Status == StatusGapReviewHeld && !a.AllResolved:
				return Audit{}, refuse(CodeWrongState, "a passing Final Report is not valid: action items remained open after the Gap Review, which fails the audit")
			}
			if err := a.expect(name+" (pass)", StatusConducted, StatusGapReviewHeld); err != nil {
				return Audit{}, err
			}
		case ResultNoPass:
			if err := a.expect(name+" (no_pass)", beforeFinalReport...); err != nil {
				return Audit{}, err
			}
		default:
			return Audit{}, invalid(name, "result", `must be "pass" or "no_pass"`)
		}
		last, what := domain.DateOf(a.ApprovedAt), "the approval"
		for _, s := range []struct {
			d    domain.Date
			what string
		}{{a.ConductedOn, "the audit"}, {a.GapReportOn, "the Gap Report"}, {a.GapReviewHeldOn, "the Gap Review"}} {
			if !s.d.IsZero() {
				last, what = s.d, s.what
			}
		}
		if err := notBefore(name, day, what, last); err != nil {
			return Audit{}, err
		}
		b.Status, b.FinalReportOn, b.Result = StatusFinalReportIssued, day, e.Result
		b.log(e.OccurredAt, by, name, fmt.Sprintf("Final Report: %s; the program tells the partner within 2 business days", resultWords(e.Result)))

	case EventWithdrawn:
		if err := a.expect(name, firmAssigned...); err != nil {
			return Audit{}, err
		}
		return withdraw(a, by, e.OccurredAt, name)

	default:
		return Audit{}, invalid("the event", "type", fmt.Sprintf("%q is not an audit firm event: one of %s", e.Type, EventTypeList()))
	}
	return b, nil
}

// gapReviewDays is step 9's clock: the Gap Review is held within 15
// calendar days of the Gap Report.
const gapReviewDays = 15

// GapReviewWindow is the days the partner may schedule the Gap Review on
// when it acknowledges the Gap Report on day today: from today (not in the
// past) and not before the report, to 15 calendar days after the report.
// ok is false when the audit has no Gap Report, or the window has closed.
func GapReviewWindow(a Audit, today domain.Date) (first, last domain.Date, ok bool) {
	if a.GapReportOn.IsZero() {
		return domain.Date{}, domain.Date{}, false
	}
	first, last = a.GapReportOn, a.GapReportOn.AddDays(gapReviewDays)
	if today.After(first) {
		first = today
	}
	return first, last, !first.After(last)
}

// AcknowledgeGapReport is the partner's step 8: it acknowledges the Gap
// Report, at instant at, and schedules the Gap Review for gapReviewOn,
// which must fall in GapReviewWindow. Remediation may start at once; the
// acknowledgement may come after its 2 business days (Deadlines shows it
// late), but not once the window has closed.
func AcknowledgeGapReport(a Audit, by Actor, at time.Time, gapReviewOn domain.Date) (Audit, error) {
	const name = "the Gap Report's acknowledgement"
	if err := a.expect(name, StatusGapReportIssued); err != nil {
		return Audit{}, err
	}
	today := domain.DateOf(at)
	if err := notBefore(name, today, "the Gap Report", a.GapReportOn); err != nil {
		return Audit{}, err
	}
	if gapReviewOn.IsZero() {
		return Audit{}, invalid(name, "gapReviewOn", "is required: the day of the Gap Review meeting")
	}
	first, last, ok := GapReviewWindow(a, today)
	switch {
	case !ok:
		return Audit{}, refuse(CodeGapReviewWindow, fmt.Sprintf("the Gap Review had to be held by %s, 15 calendar days after the Gap Report of %s: that window has closed", last, a.GapReportOn))
	case gapReviewOn.Before(first) || gapReviewOn.After(last):
		return Audit{}, &Refusal{Code: CodeGapReviewWindow, Reason: "the Gap Review date is outside its window", Problems: []Problem{{"gapReviewOn",
			fmt.Sprintf("is %s: the Gap Review is held within 15 calendar days of the Gap Report of %s, on a day from %s to %s", gapReviewOn, a.GapReportOn, first, last)}}}
	}
	b := a.clone()
	b.Status, b.AcknowledgedOn, b.GapReviewOn = StatusGapReviewScheduled, today, gapReviewOn
	b.log(at, by, "gap_report.acknowledged", fmt.Sprintf("Gap Report acknowledged; Gap Review scheduled for %s", gapReviewOn))
	return b, nil
}

// Withdraw is a withdrawal, at instant at, from any open status: a No Pass
// (R-AUD-6), so the audit fails at once. The audit firm withdraws through
// its audit.withdrawn event (Receive); the partner here.
func Withdraw(a Audit, by Actor, at time.Time) (Audit, error) {
	if err := a.expect("a withdrawal", open...); err != nil {
		return Audit{}, err
	}
	return withdraw(a, by, at, "audit.withdrawn")
}

// withdraw ends a in a withdrawal, which may not be dated before the last
// step on the timeline: that step would have come after the audit ended.
func withdraw(a Audit, by Actor, at time.Time, event string) (Audit, error) {
	if n := len(a.Timeline); n > 0 && at.Before(a.Timeline[n-1].At) {
		last := a.Timeline[n-1]
		return Audit{}, refuse(CodeOutOfOrder, fmt.Sprintf("the withdrawal is dated %s, before the last step (%s, %s)", at.UTC().Format(time.RFC3339), last.Event, last.At.Format(time.RFC3339)))
	}
	b := a.clone()
	b.Status, b.Withdrawn, b.Result, b.EndedAt = StatusFailed, true, ResultNoPass, at.UTC()
	from, _ := ReapplyFrom(b)
	b.log(at, by, event, fmt.Sprintf("withdrawn by the %s: a No Pass; the status shows Audit Failed until %s, and a new application is possible from %s", partyWords(by.Party), from.AddDays(-1), from))
	return b, nil
}

// MaxRepeats bounds the events that may come again without moving the
// audit on (a reschedule, a part payment), so that its timeline, and the
// item that holds it, stay within bounds whatever a firm sends.
const MaxRepeats = 10

// repeatable refuses the event when MaxRepeats of it are on the timeline.
func (a Audit) repeatable(event string) error {
	n := 0
	for _, e := range a.Timeline {
		if e.Event == event {
			n++
		}
	}
	if n >= MaxRepeats {
		return refuse(CodeWrongState, fmt.Sprintf("%s is not valid: the audit has had %d already, the most one takes; ask the program to look into it", event, n))
	}
	return nil
}

// lastEntry is the last entry of the timeline made by event.
func (a Audit) lastEntry(event string) (Entry, bool) {
	for i := len(a.Timeline) - 1; i >= 0; i-- {
		if a.Timeline[i].Event == event {
			return a.Timeline[i], true
		}
	}
	return Entry{}, false
}

// expect refuses a step that is not valid in the audit's status, saying
// what the audit awaits instead.
func (a Audit) expect(step string, allowed ...Status) error {
	if slices.Contains(allowed, a.Status) {
		return nil
	}
	return refuse(CodeWrongState, fmt.Sprintf("%s is not valid while the audit is %s: %s", step, a.Status, a.awaiting()))
}

// awaiting says, in words, what the audit waits for in its status.
func (a Audit) awaiting() string {
	switch a.Status {
	case StatusApplied:
		return "it awaits the program's approval"
	case StatusApproved:
		return "it awaits scheduling by the audit firm"
	case StatusScheduled:
		if !a.Paid() {
			return fmt.Sprintf("it awaits the fee (%s of %s received) and the audit on %s", domain.FormatUSD(a.Received), domain.FormatUSD(a.Fee), a.AuditOn)
		}
		return "it awaits the audit on " + a.AuditOn.String()
	case StatusConducted:
		if a.OpenActionItems > 0 {
			return "it awaits the Gap Report"
		}
		return "it awaits the Final Report"
	case StatusGapReportIssued:
		return "it awaits the partner's acknowledgement of the Gap Report with the Gap Review date"
	case StatusGapReviewScheduled:
		return "it awaits the Gap Review meeting on " + a.GapReviewOn.String()
	case StatusGapReviewHeld:
		return "it awaits the Final Report"
	case StatusFinalReportIssued:
		return fmt.Sprintf("it awaits the program telling the partner the result (%s)", resultWords(a.Result))
	case StatusPassed, StatusFailed:
		return "it has ended"
	}
	return "its status is not one of the process"
}

// notBefore refuses a step dated before the step it follows.
func notBefore(step string, day domain.Date, prev string, prevDay domain.Date) error {
	if !prevDay.IsZero() && day.Before(prevDay) {
		return refuse(CodeOutOfOrder, fmt.Sprintf("%s is dated %s, before %s on %s", step, day, prev, prevDay))
	}
	return nil
}

func invalid(what, field, message string) error {
	return &Refusal{Code: CodeInvalid, Reason: what + " is not valid", Problems: []Problem{{field, message}}}
}

func versionName(cl evidence.Checklist) string {
	if cl.Name != "" {
		return fmt.Sprintf("%s (version %s)", cl.Name, cl.Version)
	}
	return "version " + cl.Version
}

func resultWords(r Result) string {
	switch r {
	case ResultPass:
		return "Pass"
	case ResultNoPass:
		return "No Pass"
	}
	return "no result"
}

func partyWords(p Party) string {
	if p == PartyAuditFirm {
		return "audit firm"
	}
	return string(p)
}

// StatusList names every status, for messages.
func StatusList() string {
	s := make([]string, len(Statuses))
	for i, x := range Statuses {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// EventTypeList names every event type, for messages.
func EventTypeList() string {
	s := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
