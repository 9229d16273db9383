package store

import (
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
)

// auditDoc is an audit as its item keeps it, in JSON: the stored form has
// names of its own, so renaming a Go field never changes what is on disk.
type auditDoc struct {
	ID               string      `json:"id"`
	PartnerID        string      `json:"partnerId"`
	SpecializationID string      `json:"specializationId"`
	Modules          []string    `json:"modules"`
	ModuleAPass      *passDoc    `json:"moduleAPass,omitempty"`
	Language         string      `json:"language"`
	NDARequested     bool        `json:"ndaRequested,omitzero"`
	FeeCents         int64       `json:"feeCents"`
	ReceivedCents    int64       `json:"receivedCents,omitzero"`
	PaidOn           domain.Date `json:"paidOn,omitzero"`
	Status           string      `json:"status"`
	AppliedAt        time.Time   `json:"appliedAt"`
	AuditFirm        string      `json:"auditFirm,omitzero"`
	ApprovedAt       time.Time   `json:"approvedAt,omitzero"`
	ScheduledOn      domain.Date `json:"scheduledOn,omitzero"`
	AuditOn          domain.Date `json:"auditOn,omitzero"`
	ConductedOn      domain.Date `json:"conductedOn,omitzero"`
	OpenActionItems  int         `json:"openActionItems,omitzero"`
	GapReportOn      domain.Date `json:"gapReportOn,omitzero"`
	AcknowledgedOn   domain.Date `json:"acknowledgedOn,omitzero"`
	GapReviewOn      domain.Date `json:"gapReviewOn,omitzero"`
	GapReviewHeldOn  domain.Date `json:"gapReviewHeldOn,omitzero"`
	AllResolved      bool        `json:"allResolved,omitzero"`
	FinalReportOn    domain.Date `json:"finalReportOn,omitzero"`
	Result           string      `json:"result,omitzero"`
	ConcludedOn      domain.Date `json:"concludedOn,omitzero"`
	Withdrawn        bool        `json:"withdrawn,omitzero"`
	EndedAt          time.Time   `json:"endedAt,omitzero"`
	ChecklistVersion string      `json:"checklistVersion,omitzero"`
	ChecklistName    string      `json:"checklistName,omitzero"`
	Timeline         []entryDoc  `json:"timeline"`
	Passes           []passDoc   `json:"passes,omitempty"`
}

type entryDoc struct {
	At      time.Time `json:"at"`
	Party   string    `json:"party"`
	ActorID string    `json:"actor,omitzero"`
	Event   string    `json:"event"`
	Detail  string    `json:"detail"`
	EventID string    `json:"eventId,omitzero"`
	Digest  string    `json:"eventDigest,omitzero"`
}

type passDoc struct {
	Module           string      `json:"module"`
	SpecializationID string      `json:"specializationId,omitzero"`
	AuditID          string      `json:"auditId,omitzero"`
	ExpertMSP        bool        `json:"expertMsp,omitzero"`
	PassedOn         domain.Date `json:"passedOn"`
	Version          string      `json:"version"`
	ValidUntil       domain.Date `json:"validUntil,omitzero"`
}

func docOf(a audit.Audit) auditDoc {
	d := auditDoc{
		ID: a.ID, PartnerID: a.PartnerID, SpecializationID: a.SpecializationID, Language: a.Language,
		NDARequested: a.NDARequested, FeeCents: int64(a.Fee), ReceivedCents: int64(a.Received), PaidOn: a.PaidOn, Status: string(a.Status),
		AppliedAt: a.AppliedAt, AuditFirm: a.AuditFirm, ApprovedAt: a.ApprovedAt, ScheduledOn: a.ScheduledOn,
		AuditOn: a.AuditOn, ConductedOn: a.ConductedOn, OpenActionItems: a.OpenActionItems, GapReportOn: a.GapReportOn,
		AcknowledgedOn: a.AcknowledgedOn, GapReviewOn: a.GapReviewOn, GapReviewHeldOn: a.GapReviewHeldOn,
		AllResolved: a.AllResolved, FinalReportOn: a.FinalReportOn, Result: string(a.Result), ConcludedOn: a.ConcludedOn,
		Withdrawn: a.Withdrawn, EndedAt: a.EndedAt, ChecklistVersion: a.ChecklistVersion, ChecklistName: a.ChecklistName,
		Timeline: make([]entryDoc, len(a.Timeline)),
	}
	for _, m := range a.Modules {
		d.Modules = append(d.Modules, string(m))
	}
	if a.ModuleAPass != nil {
		p := passDocOf(*a.ModuleAPass)
		d.ModuleAPass = &p
	}
	for i, e := range a.Timeline {
		d.Timeline[i] = entryDoc{At: e.At, Party: string(e.Actor.Party), ActorID: e.Actor.ID, Event: e.Event, Detail: e.Detail, EventID: e.EventID, Digest: e.EventDigest}
	}
	for _, p := range a.Passes {
		d.Passes = append(d.Passes, passDocOf(p))
	}
	return d
}

func passDocOf(p audit.Pass) passDoc {
	return passDoc{Module: string(p.Module), SpecializationID: p.SpecializationID, AuditID: p.AuditID, ExpertMSP: p.ExpertMSP,
		PassedOn: p.PassedOn, Version: p.Version, ValidUntil: p.ValidUntil}
}

func (p passDoc) pass() audit.Pass {
	return audit.Pass{Module: audit.Module(p.Module), SpecializationID: p.SpecializationID, AuditID: p.AuditID, ExpertMSP: p.ExpertMSP,
		PassedOn: p.PassedOn, Version: p.Version, ValidUntil: p.ValidUntil}
}

func (d auditDoc) audit() audit.Audit {
	a := audit.Audit{
		ID: d.ID, PartnerID: d.PartnerID, SpecializationID: d.SpecializationID, Language: d.Language,
		NDARequested: d.NDARequested, Fee: domain.Cents(d.FeeCents), Received: domain.Cents(d.ReceivedCents), PaidOn: d.PaidOn, Status: audit.Status(d.Status),
		AppliedAt: d.AppliedAt, AuditFirm: d.AuditFirm, ApprovedAt: d.ApprovedAt, ScheduledOn: d.ScheduledOn,
		AuditOn: d.AuditOn, ConductedOn: d.ConductedOn, OpenActionItems: d.OpenActionItems, GapReportOn: d.GapReportOn,
		AcknowledgedOn: d.AcknowledgedOn, GapReviewOn: d.GapReviewOn, GapReviewHeldOn: d.GapReviewHeldOn,
		AllResolved: d.AllResolved, FinalReportOn: d.FinalReportOn, Result: audit.Result(d.Result), ConcludedOn: d.ConcludedOn,
		Withdrawn: d.Withdrawn, EndedAt: d.EndedAt, ChecklistVersion: d.ChecklistVersion, ChecklistName: d.ChecklistName,
		Timeline: make([]audit.Entry, len(d.Timeline)),
	}
	for _, m := range d.Modules {
		a.Modules = append(a.Modules, audit.Module(m))
	}
	if d.ModuleAPass != nil {
		p := d.ModuleAPass.pass()
		a.ModuleAPass = &p
	}
	for i, e := range d.Timeline {
		a.Timeline[i] = audit.Entry{At: e.At, Actor: audit.Actor{Party: audit.Party(e.Party), ID: e.ActorID}, Event: e.Event, Detail: e.Detail, EventID: e.EventID, EventDigest: e.Digest}
	}
	for _, p := range d.Passes {
		a.Passes = append(a.Passes, p.pass())
	}
	return a
}
