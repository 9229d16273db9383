package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
)

const auditSpec = "linux-and-open-source-database-migration-to-microsoft-azure"

var (
	auditT0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) // a Monday
	admin   = audit.Actor{Party: audit.PartyPartner, ID: "alice"}
)

func checklist(id string, on domain.Date) (evidence.Checklist, error) {
	return evidence.Checklist{SpecializationID: id, Version: "2022-07-01", Name: "V2.1"}, nil
}

// refuseOpen is the store's half of R-AUD-6 and "one open audit": a
// decide that refuses while an audit of the specialization is open.
func refuseOpen(pid string, at time.Time) func([]audit.Audit) (audit.Audit, error) {
	return func(existing []audit.Audit) (audit.Audit, error) {
		if err := audit.ApplicationAllowed(existing, auditSpec, at); err != nil {
			return audit.Audit{}, err
		}
		return audit.Apply(at, audit.Application{ID: store.NewAuditID(pid, at), PartnerID: pid, SpecializationID: auditSpec,
			Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en", By: admin})
	}
}

func applyAudit(t *testing.T, s *store.Store, pid string) store.AuditRecord {
	t.Helper()
	rec, err := s.CreateAudit(context.Background(), pid, auditSpec, refuseOpen(pid, auditT0))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func approveAudit(t *testing.T, s *store.Store, id, firm string) store.AuditRecord {
	t.Helper()
	rec, err := s.ChangeAudit(context.Background(), id, func(a audit.Audit) (audit.Audit, error) {
		return audit.Approve(a, firm, audit.Actor{Party: audit.PartyProgram, ID: "pm"}, auditT0.Add(time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func firmEvent(id string, e audit.Event) (store.AuditEvent, func(audit.Audit) (audit.Audit, error)) {
	e.Digest = fmt.Sprintf("%s/%s", e.ID, e.Type)
	return store.AuditEvent{AuditID: id, ID: e.ID, Type: string(e.Type), Digest: e.Digest},
		func(a audit.Audit) (audit.Audit, error) { return audit.Receive(a, e, checklist) }
}

// An audit is stored whole and read back as it was, by its id alone, in
// one GetItem; an id that is not an audit's is simply not found.
func TestAuditRoundTrip(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	rec := applyAudit(t, s, "1")
	rec = approveAudit(t, s, rec.ID, "issi")
	got, err := s.GetAudit(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Audit, rec.Audit) || got.Version != 2 {
		t.Fatalf("read back:\n%+v\nwant\n%+v (version %d)", got.Audit, rec.Audit, got.Version)
	}
	for _, id := range []string{"", "1", "1-x", "x-" + rec.ID[2:], "2" + rec.ID[1:]} {
		if _, err := s.GetAudit(context.Background(), id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetAudit(%q) = %v, want not found", id, err)
		}
	}
}

// A firm is let in only by an open audit of that partner assigned to it
// (approved to final report): not by another firm's audit, not by an
// ended or unapproved one, not by another partner's. Firms are compared
// exactly.
func TestFirmHasOpenAudit(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1", "2")
	ctx := context.Background()
	a1 := approveAudit(t, s, applyAudit(t, s, "1").ID, "firm-a")
	approveAudit(t, s, applyAudit(t, s, "2").ID, "firm-c")
	for _, c := range []struct {
		pid, firm string
		want      bool
	}{
		{"1", "firm-a", true}, {"1", "FIRM-A", false},
		{"1", "firm-c", false}, // its audit is of partner 2
		{"2", "firm-c", true}, {"2", "firm-a", false},
		{"1", "", false}, {"3", "firm-a", false},
	} {
		got, err := s.FirmHasOpenAudit(ctx, c.pid, c.firm)
		if err != nil || got != c.want {
			t.Errorf("FirmHasOpenAudit(%s, %q) = %v, %v; want %v", c.pid, c.firm, got, err, c.want)
		}
	}
	// Ending the audit closes the door.
	if _, err := s.ChangeAudit(ctx, a1.ID, func(a audit.Audit) (audit.Audit, error) { return audit.Withdraw(a, admin, auditT0.Add(2*time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FirmHasOpenAudit(ctx, "1", "firm-a"); err != nil || got {
		t.Fatalf("after the withdrawal: %v %v", got, err)
	}
	// An applied audit has no firm yet (applied a week after the withdrawal, R-AUD-6).
	later := auditT0.AddDate(0, 0, 8)
	if _, err := s.CreateAudit(ctx, "1", auditSpec, refuseOpen("1", later)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FirmHasOpenAudit(ctx, "1", "firm-a"); err != nil || got {
		t.Fatalf("applied, not approved: %v %v", got, err)
	}
}

// Applications for one specialization at once are decided one after the
// other on its slot: exactly one opens, the others see it and are refused.
func TestCreateAuditConcurrent(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.CreateAudit(context.Background(), "1", auditSpec, refuseOpen("1", auditT0))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		var r *audit.Refusal
		switch {
		case err == nil:
			won++
		case errors.As(err, &r) && r.Code == audit.CodeOpenAudit:
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	page, err := s.ListPartnerAudits(context.Background(), "1", 100, "")
	if err != nil || won != 1 || len(page.Items) != 1 {
		t.Fatalf("%d won, %d stored (%v); want exactly 1", won, len(page.Items), err)
	}
}

// An event applies once: again it is a duplicate, under its id with other
// bytes an error; one not valid in the audit's state is recorded and
// refused with the audit unchanged, and the same event applies once its
// step is due (state, not arrival, decides).
func TestApplyAuditEvent(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	rec := approveAudit(t, s, applyAudit(t, s, "1").ID, "issi")
	day := auditT0.Add(24 * time.Hour)
	pay := audit.Event{ID: "evt-pay", Type: audit.EventPaymentReceived, OccurredAt: day, AmountUSD: 3000_00}
	sched := audit.Event{ID: "evt-sched", Type: audit.EventScheduled, OccurredAt: day, AuditOn: domain.DateOf(day.Add(7 * 24 * time.Hour))}
	conducted := audit.Event{ID: "evt-cond", Type: audit.EventConducted, OccurredAt: day.Add(7 * 24 * time.Hour)}

	// Too early: recorded, refused, the audit as it was.
	ev, change := firmEvent(rec.ID, conducted)
	outcome, got, err := s.ApplyAuditEvent(ctx, ev, change)
	var r *audit.Refusal
	if outcome != store.EventRefused || !errors.As(err, &r) || got.Version != rec.Version {
		t.Fatalf("early: %v %v version %d", outcome, err, got.Version)
	}
	for _, e := range []audit.Event{pay, sched} {
		ev, change := firmEvent(rec.ID, e)
		if outcome, _, err := s.ApplyAuditEvent(ctx, ev, change); outcome != store.EventApplied || err != nil {
			t.Fatalf("%s: %v %v", e.Type, outcome, err)
		}
	}
	ev, change = firmEvent(rec.ID, pay)
	if outcome, got, err := s.ApplyAuditEvent(ctx, ev, change); outcome != store.EventDuplicate || err != nil || got.Received != 3000_00 {
		t.Fatalf("replay: %v %v received %v", outcome, err, got.Received)
	}
	ev.Digest = "other bytes"
	if _, _, err := s.ApplyAuditEvent(ctx, ev, change); !errors.Is(err, store.ErrEventIDReused) {
		t.Fatalf("reused id: %v", err)
	}
	// The early event, sent again now that it is due, applies.
	ev, change = firmEvent(rec.ID, conducted)
	if outcome, got, err := s.ApplyAuditEvent(ctx, ev, change); outcome != store.EventApplied || err != nil || got.Status != audit.StatusConducted {
		t.Fatalf("retried: %v %v %s", outcome, err, got.Status)
	}
	ev.AuditID = "1-00000000-0000-7000-8000-000000000000"
	if _, _, err := s.ApplyAuditEvent(ctx, ev, change); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown audit: %v", err)
	}
}

// Events for one audit at once never both apply to the same version:
// of n "conducted" events with their own ids exactly one applies, and
// the others are judged on the audit it left, which refuses them.
func TestApplyAuditEventConcurrent(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	rec := approveAudit(t, s, applyAudit(t, s, "1").ID, "issi")
	day := auditT0.Add(24 * time.Hour)
	for _, e := range []audit.Event{
		{ID: "pay", Type: audit.EventPaymentReceived, OccurredAt: day, AmountUSD: 3000_00},
		{ID: "sched", Type: audit.EventScheduled, OccurredAt: day, AuditOn: domain.DateOf(day)},
	} {
		ev, change := firmEvent(rec.ID, e)
		if _, _, err := s.ApplyAuditEvent(ctx, ev, change); err != nil {
			t.Fatal(err)
		}
	}
	const n = 6
	outcomes := make([]store.EventOutcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ev, change := firmEvent(rec.ID, audit.Event{ID: fmt.Sprint("cond-", i), Type: audit.EventConducted, OccurredAt: day, OpenActionItems: i})
			outcomes[i], _, _ = s.ApplyAuditEvent(ctx, ev, change)
		})
	}
	wg.Wait()
	applied := 0
	for _, o := range outcomes {
		if o == store.EventApplied {
			applied++
		}
	}
	got, err := s.GetAudit(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	n2 := 0
	for _, e := range got.Timeline {
		if e.Event == string(audit.EventConducted) {
			n2++
		}
	}
	if applied != 1 || n2 != 1 {
		t.Fatalf("%d applied, %d on the timeline (%v); want 1", applied, n2, outcomes)
	}
}
