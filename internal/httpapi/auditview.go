package httpapi

import (
	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

// auditOutput is an audit on the wire (DESIGN's fields), with its
// deadlines and what is next as of the API's clock.
type auditOutput struct {
	ID               string         `json:"id"`
	PartnerID        string         `json:"partnerId"`
	SpecializationID string         `json:"specializationId"`
	Modules          []audit.Module `json:"modules"`
	ModuleAPass      *passOutput    `json:"moduleAPass,omitempty"`
	Language         string         `json:"language"`
	NDARequested     bool           `json:"ndaRequested"`
	Status           audit.Status   `json:"status"`
	Fee              feeOutput      `json:"fee"`
	Paid             bool           `json:"paid"`
	ReceivedUSD      domain.Cents   `json:"receivedUsd"`
	PaidOn           *domain.Date   `json:"paidOn"`
	ChecklistVersion *string        `json:"checklistVersion"`
	ChecklistName    string         `json:"checklistName,omitempty"`
	AuditFirm        *string        `json:"auditFirm"`
	AuditOn          *domain.Date   `json:"auditOn"`
	OpenActionItems  *int           `json:"openActionItems"`
	GapReviewOn      *domain.Date   `json:"gapReviewOn"`
	Timeline         []entryOutput  `json:"timeline"`
	Deadlines        []deadlineOut  `json:"deadlines"`
	Next             *nextOutput    `json:"next"`
	Outcome          *outcomeOutput `json:"outcome"`
	Unverified       []unmetOutput  `json:"unverified,omitempty"`
	meta
}

type feeOutput struct {
	USD domain.Cents `json:"usd"`
	// GapReviewIncluded: one Gap Review meeting is in the fee (R-AUD-2).
	GapReviewIncluded bool `json:"gapReviewIncluded"`
}

type entryOutput struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Event  string `json:"event"`
	Detail string `json:"detail"`
}

type deadlineOut struct {
	Step    int          `json:"step"`
	Name    string       `json:"name"`
	DueOn   domain.Date  `json:"dueOn"`
	Basis   audit.Basis  `json:"basis"`
	Days    int          `json:"days"`
	From    string       `json:"from"`
	Owner   audit.Party  `json:"owner"`
	CoOwner audit.Party  `json:"coOwner,omitempty"`
	State   audit.State  `json:"state"`
	MetOn   *domain.Date `json:"metOn"`
}

type nextOutput struct {
	Step  int          `json:"step"`
	Name  string       `json:"name"`
	DueOn *domain.Date `json:"dueOn"`
	Owner audit.Party  `json:"owner"`
}

type passOutput struct {
	Module           audit.Module `json:"module"`
	SpecializationID string       `json:"specializationId,omitempty"`
	AuditID          string       `json:"auditId,omitempty"`
	ExpertMSP        bool         `json:"expertMsp"`
	PassedOn         domain.Date  `json:"passedOn"`
	Version          string       `json:"version"`
	ValidUntil       *domain.Date `json:"validUntil,omitempty"`
}

// outcomeOutput is what an ended audit means (R-AUD-6): the passes it
// earned, or the week of "Audit Failed" and the day a new application is
// possible.
type outcomeOutput struct {
	Result           audit.Result           `json:"result"`
	EndedAt          string                 `json:"endedAt"`
	Passes           []passOutput           `json:"passes"`
	EnrollmentStatus audit.EnrollmentStatus `json:"enrollmentStatus,omitempty"`
	ReapplyFrom      *domain.Date           `json:"reapplyFrom,omitempty"`
}

func datePtr(d domain.Date) *domain.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func passView(p audit.Pass) passOutput {
	return passOutput{Module: p.Module, SpecializationID: p.SpecializationID, AuditID: p.AuditID, ExpertMSP: p.ExpertMSP,
		PassedOn: p.PassedOn, Version: p.Version, ValidUntil: datePtr(p.ValidUntil)}
}

func (a *Audits) view(rec store.AuditRecord, unverified []unmetOutput) auditOutput {
	x, now := rec.Audit, a.now()
	out := auditOutput{
		ID: x.ID, PartnerID: x.PartnerID, SpecializationID: x.SpecializationID, Modules: x.Modules, Language: x.Language,
		NDARequested: x.NDARequested, Status: x.Status, Fee: feeOutput{USD: x.Fee, GapReviewIncluded: true},
		Paid: x.Paid(), ReceivedUSD: x.Received, PaidOn: datePtr(x.PaidOn), ChecklistVersion: strPtr(x.ChecklistVersion),
		ChecklistName: x.ChecklistName, AuditFirm: strPtr(x.AuditFirm), AuditOn: datePtr(x.AuditOn), GapReviewOn: datePtr(x.GapReviewOn),
		Timeline: make([]entryOutput, len(x.Timeline)), Deadlines: []deadlineOut{}, Unverified: unverified, meta: metaOf(rec.Meta),
	}
	if x.ModuleAPass != nil {
		p := passView(*x.ModuleAPass)
		out.ModuleAPass = &p
	}
	if !x.ConductedOn.IsZero() {
		n := x.OpenActionItems
		out.OpenActionItems = &n
	}
	for i, e := range x.Timeline {
		out.Timeline[i] = entryOutput{At: e.At.Format(timeFormat), Actor: e.Actor.String(), Event: e.Event, Detail: e.Detail}
	}
	for _, d := range audit.Deadlines(x, a.calendar, now) {
		out.Deadlines = append(out.Deadlines, deadlineOut{Step: d.Step, Name: d.Name, DueOn: d.DueOn, Basis: d.Basis, Days: d.Days,
			From: d.From, Owner: d.Owner, CoOwner: d.CoOwner, State: d.State, MetOn: datePtr(d.MetOn)})
	}
	if n, ok := audit.Next(x, a.calendar, now); ok {
		out.Next = &nextOutput{Step: n.Step, Name: n.Name, DueOn: datePtr(n.DueOn), Owner: n.Owner}
	}
	if !x.Status.Open() {
		o := &outcomeOutput{Result: x.Result, EndedAt: x.EndedAt.Format(timeFormat), Passes: []passOutput{}}
		for _, p := range x.Passes {
			o.Passes = append(o.Passes, passView(p))
		}
		if st, ok := audit.EnrollmentAfterFailure(x, now); ok {
			o.EnrollmentStatus = st
			from, _ := audit.ReapplyFrom(x)
			o.ReapplyFrom = &from
		}
		out.Outcome = o
	}
	return out
}

// timeFormat is how instants are written: RFC 3339 in UTC, to the second.
const timeFormat = "2006-01-02T15:04:05Z07:00"
