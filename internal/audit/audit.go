// Package audit holds the audit of an Azure specialization as pure Go: its
// states and the transitions between them (the partner's application and
// actions, the program's approval and result, the audit firm's webhook
// events), its fee and modules, its deadlines and what its outcome means
// for the partner. It does no I/O: the store keeps audits, the webhook
// package verifies the firm's signature, the catalogue gives the checklist
// live on a day, and the HTTP layer maps the answers to the wire.
//
// An Audit is a value. Every transition takes one and returns a new one,
// or a *Refusal saying why not; the audit it was given is never changed,
// so a refused event leaves the stored audit exactly as it was.
package audit

import (
	"slices"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
)

// Status is where an audit is in the process of RULES.md's R-AUD-5, with
// DESIGN's names.
type Status string

const (
	StatusApplied            Status = "applied"              // the partner applied (step 2)
	StatusApproved           Status = "approved"             // the program approved and assigned a firm (steps 3, 4)
	StatusScheduled          Status = "scheduled"            // the firm scheduled the audit (step 5)
	StatusConducted          Status = "conducted"            // the audit was held (step 6)
	StatusGapReportIssued    Status = "gap_report_issued"    // open action items were reported (step 7)
	StatusGapReviewScheduled Status = "gap_review_scheduled" // the partner acknowledged and scheduled the review (step 8)
	StatusGapReviewHeld      Status = "gap_review_held"      // the Gap Review meeting was held (step 9)
	StatusFinalReportIssued  Status = "final_report_issued"  // the firm gave its result (step 10)
	StatusPassed             Status = "passed"               // the program told the partner: Pass (step 11)
	StatusFailed             Status = "failed"               // No Pass, or withdrawn at any point
)

// Statuses lists every status in the order of the process.
var Statuses = []Status{
	StatusApplied, StatusApproved, StatusScheduled, StatusConducted, StatusGapReportIssued,
	StatusGapReviewScheduled, StatusGapReviewHeld, StatusFinalReportIssued, StatusPassed, StatusFailed,
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Open reports whether the audit is still under way: every status but
// passed and failed. An open audit of a specialization keeps the partner
// from applying for it again, and can still be withdrawn. (Auditors' access
// is narrower: it also needs the firm assigned, so it starts at approved.)
func (s Status) Open() bool { return s.Valid() && s != StatusPassed && s != StatusFailed }

// Party is one of the three parties of an audit: who acts, and who owes a
// deadline (R-AUD-12).
type Party string

const (
	PartyPartner   Party = "partner"
	PartyProgram   Party = "program"
	PartyAuditFirm Party = "audit_firm"
)

// Actor is who did something on the timeline: the party, and the person or
// firm acting for it (a token's subject, the firm's id).
type Actor struct {
	Party Party
	ID    string
}

// String is how the timeline names the actor: "partner:alice".
func (a Actor) String() string {
	if a.ID == "" {
		return string(a.Party)
	}
	return string(a.Party) + ":" + a.ID
}

// Result is the audit firm's verdict in its Final Report.
type Result string

const (
	ResultPass   Result = "pass"
	ResultNoPass Result = "no_pass"
)

// Entry is one line of an audit's timeline: when, who, what, and the
// detail in words.
type Entry struct {
	At     time.Time
	Actor  Actor
	Event  string // "applied", "approved", a webhook event type, "gap_report.acknowledged", "audit.withdrawn", "audit.passed", "audit.failed"
	Detail string
	// EventID is the audit firm's id of the event that made the entry, and
	// EventDigest its digest as sent: an event applied once is known, and
	// told from another event under the same id, for as long as the audit
	// is kept.
	EventID, EventDigest string
}

// Audit is one audit of one partner for one specialization: what was asked
// for, and what has happened so far. Days are UTC calendar days of the
// instants they come from; a zero day has not happened yet.
type Audit struct {
	ID               string
	PartnerID        string
	SpecializationID string
	Modules          Modules
	// ModuleAPass is the earlier pass that stands for Module A when only
	// Module B is audited (R-AUD-1); nil otherwise.
	ModuleAPass *Pass
	// Language is the audit's language, an R-AUD-9 language as its BCP 47
	// primary subtag (evidence.Languages).
	Language string
	// NDARequested: the partner will give the firm a direct NDA to sign
	// during scheduling (R-AUD-10).
	NDARequested bool

	Fee      domain.Cents // R-AUD-2
	Received domain.Cents // paid to the audit firm so far
	PaidOn   domain.Date  // the day the fee was paid in full

	Status          Status
	AppliedAt       time.Time
	AuditFirm       string
	ApprovedAt      time.Time
	ScheduledOn     domain.Date // the day the firm scheduled the audit (step 5 met)
	AuditOn         domain.Date // the day the audit is scheduled for
	ConductedOn     domain.Date
	OpenActionItems int // left open by the audit; none skips steps 7 to 9
	GapReportOn     domain.Date
	AcknowledgedOn  domain.Date // the partner acknowledged the Gap Report (step 8 met)
	GapReviewOn     domain.Date // the day the partner scheduled the Gap Review for
	GapReviewHeldOn domain.Date
	AllResolved     bool // every open action item was addressed at the Gap Review
	FinalReportOn   domain.Date
	Result          Result      // the Final Report's; no_pass too when withdrawn
	ConcludedOn     domain.Date // the program told the partner the result (step 11 met)
	Withdrawn       bool
	EndedAt         time.Time // when the audit became passed or failed

	// ChecklistVersion is the version of the checklist live on the audit
	// date, and ChecklistName its program name ("V2.1") where known: set
	// for the scheduled day, then fixed on the day it is conducted (R-AUD-4).
	ChecklistVersion string
	ChecklistName    string

	Timeline []Entry
	// Passes are the module passes the audit earned, recorded when the
	// program gives the Pass (R-AUD-6).
	Passes []Pass
}

// Applied reports whether the audit firm's event id is on the timeline,
// and the digest it was applied with.
func (a Audit) Applied(eventID string) (digest string, ok bool) {
	i := slices.IndexFunc(a.Timeline, func(e Entry) bool { return e.EventID != "" && e.EventID == eventID })
	if i < 0 {
		return "", false
	}
	return a.Timeline[i].EventDigest, true
}

// Paid reports whether the fee was paid in full.
func (a Audit) Paid() bool { return !a.PaidOn.IsZero() }

// clone is a copy of a that shares no memory with it, so that a transition
// can change the copy freely: appending to a timeline that has room would
// otherwise write into the caller's array.
func (a Audit) clone() Audit {
	a.Modules = slices.Clone(a.Modules)
	if a.ModuleAPass != nil {
		p := *a.ModuleAPass
		a.ModuleAPass = &p
	}
	a.Timeline = slices.Clone(a.Timeline)
	a.Passes = slices.Clone(a.Passes)
	return a
}

// log appends a timeline entry to a (a clone, never the caller's audit).
func (a *Audit) log(at time.Time, by Actor, event, detail string) {
	a.Timeline = append(a.Timeline, Entry{At: at.UTC(), Actor: by, Event: event, Detail: detail})
}

// Code says what kind of refusal a Refusal is, for the HTTP layer to map to
// a status and a problem type.
type Code string

const (
	// CodeInvalid: the input is not well formed or not allowed (an
	// application's fields, an event's data); Problems lists each field.
	CodeInvalid Code = "invalid"
	// CodeWrongState: the step is not valid in the audit's current status.
	CodeWrongState Code = "wrong_state"
	// CodeNotPaid: the audit cannot begin before the fee is paid in full
	// (R-AUD-2).
	CodeNotPaid Code = "not_paid"
	// CodeOutOfOrder: the step is dated before the step it follows.
	CodeOutOfOrder Code = "out_of_order"
	// CodeGapReviewWindow: the Gap Review date is outside its window.
	CodeGapReviewWindow Code = "gap_review_window"
	// CodeNoChecklist: no checklist of the specialization is live on the
	// audit date (superseded, or not yet live).
	CodeNoChecklist Code = "no_checklist"
	// CodeOpenAudit: the partner already has an open audit of the
	// specialization.
	CodeOpenAudit Code = "open_audit"
	// CodeAuditFailed: the week of "Audit Failed" after a No Pass is not
	// over (R-AUD-6).
	CodeAuditFailed Code = "audit_failed"
)

// Problem is one bad field of an input, named as DESIGN names it on the
// wire ("gapReviewOn"), with what is wrong in words.
type Problem struct {
	Field   string
	Message string
}

// Refusal is why a transition or an application did not happen, in words a
// person can act on. The audit is unchanged.
type Refusal struct {
	Code     Code
	Reason   string
	Problems []Problem // CodeInvalid's fields, each with its message
}

func (r *Refusal) Error() string {
	if len(r.Problems) == 0 {
		return r.Reason
	}
	msgs := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		msgs[i] = p.Field + ": " + p.Message
	}
	return r.Reason + ": " + strings.Join(msgs, "; ")
}

func refuse(code Code, reason string) error { return &Refusal{Code: code, Reason: reason} }
