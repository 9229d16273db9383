// Package reminders says, as pure Go, what a partner is to be told and
// from when: renewal notices around each anniversary, audit deadlines the
// day before they are due and once they have passed, and evidence that
// will no longer count by the planned audit date. Each reminder has a key
// that names it for good, so that it is sent once however often, or late,
// the sweep that finds it runs.
package reminders

import (
	"fmt"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
	"github.com/partnerready/partnerready/internal/evidence"
)

// Kinds of reminder (DESIGN's notification kinds).
const (
	KindRenewal         = "renewal_reminder"
	KindDeadlineDue     = "deadline_due"
	KindDeadlineOverdue = "deadline_overdue"
	KindEvidenceAgeing  = "evidence_ageing"
)

// Reminder is one thing to tell the partner, from SendAt on.
type Reminder struct {
	// Key names the reminder for good: the same item and the same reminder
	// always give the same key, whatever day it is computed on.
	Key     string
	Kind    string
	Subject string      // what it is about: an audit's or a specialization's id
	DueOn   domain.Date // the day the thing reminded of is due
	SendAt  time.Time   // from when it is to be sent
	Detail  string
}

// ForAudit lists an audit's deadline reminders as of now: for each
// deadline still owed, one the day before it is due and one once it has
// passed (R-AUD-5, R-AUD-12). A deadline already passed gets only the
// second: telling the day before is no use any more.
func ForAudit(a audit.Audit, c audit.Calendar, now time.Time) []Reminder {
	var out []Reminder
	for _, d := range audit.Deadlines(a, c, now) {
		if d.State == audit.StateMet {
			continue
		}
		// Step 6 has two deadlines (the payment and the audit): the name
		// tells them apart.
		key := fmt.Sprintf("audit/%s/step-%d/%s/%s/%s", a.ID, d.Step, d.Name, d.From, d.DueOn)
		who := string(d.Owner)
		if d.CoOwner != "" {
			who += " and " + string(d.CoOwner)
		}
		if d.State == audit.StatePending {
			out = append(out, Reminder{Key: key + "/due", Kind: KindDeadlineDue, Subject: a.ID, DueOn: d.DueOn, SendAt: d.DueOn.AddDays(-1).Start(),
				Detail: fmt.Sprintf("step %d of audit %s, %s, is due on %s (owed by the %s)", d.Step, a.ID, d.Name, d.DueOn, who)})
		}
		out = append(out, Reminder{Key: key + "/overdue", Kind: KindDeadlineOverdue, Subject: a.ID, DueOn: d.DueOn, SendAt: d.DueOn.AddDays(1).Start(),
			Detail: fmt.Sprintf("step %d of audit %s, %s, was due on %s and is overdue (owed by the %s)", d.Step, a.ID, d.Name, d.DueOn, who)})
	}
	return out
}

// ForEnrollment lists the renewal notices of the enrollment's next
// anniversary: 120, 90, 60 and 30 days before it and 30 days after
// (R-SPEC-8), each with what the renewal needs.
func ForEnrollment(specID string, e enrollment.Enrollment) []Reminder {
	if e.Status != enrollment.StatusEnrolled {
		return nil
	}
	needs := "its telemetry requirements"
	if e.NextRenewal == enrollment.RenewalTelemetryAndAudit {
		needs = "its telemetry requirements and an audit pass valid on the anniversary"
	}
	var out []Reminder
	for i, day := range domain.RenewalReminders(e.Anniversary) {
		off := domain.RenewalReminderOffsets[i]
		when := fmt.Sprintf("%d days before", -off)
		if off > 0 {
			when = fmt.Sprintf("%d days after", off)
		}
		out = append(out, Reminder{
			Key:  fmt.Sprintf("enrollment/%s/%s/anniversary-%s/%+d", specID, e.EnrolledOn, e.Anniversary, off),
			Kind: KindRenewal, Subject: specID, DueOn: e.Anniversary, SendAt: day.Start(),
			Detail: fmt.Sprintf("%s: the %s of %s's anniversary (%s); renewing needs %s, within the window %s to %s", when, domain.Ordinal(e.Year), specID, e.Anniversary, needs, e.WindowOpens, e.WindowCloses),
		})
	}
	return out
}

// ForEvidence lists the evidence of the audit's specialization that will no
// longer count by its planned audit date (R-AUD-7): signed off more than 24
// months, or completed more than 12, before it. Each is told once, as soon
// as the audit is scheduled.
func ForEvidence(a audit.Audit, evs []evidence.Evidence, now time.Time) []Reminder {
	if a.AuditOn.IsZero() || !a.Status.Open() {
		return nil
	}
	var out []Reminder
	for _, ev := range evs {
		if ev.SpecializationID != a.SpecializationID || ev.Status != evidence.StatusAvailable {
			continue
		}
		why := evidence.AgedOut(ev, a.AuditOn)
		if why == "" {
			continue
		}
		out = append(out, Reminder{
			Key:  fmt.Sprintf("evidence/%s/%s/audit-on-%s", a.ID, ev.ID, a.AuditOn),
			Kind: KindEvidenceAgeing, Subject: ev.ID, DueOn: a.AuditOn, SendAt: now,
			Detail: fmt.Sprintf("evidence %s (%q) will not count for audit %s: %s; supersede it with newer evidence", ev.ID, ev.Title, a.ID, why),
		})
	}
	return out
}
