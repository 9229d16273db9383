// Package sweep finds what comes due and tells the partners: it reads the
// watches due (store.DueWatches, a GSI by time: its cost is what is due,
// not the number of partners), works out each one's reminders (package
// reminders), tells those whose time has come that were not told yet
// (store.Notify: once per reminder however often, or late, or at once the
// sweep runs), and moves the watch on to its next reminder. A sweep killed
// halfway leaves its watches due; the next one finishes them and tells
// nothing twice.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/reminders"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/store"
)

// Sweeper runs sweeps.
type Sweeper struct {
	Store    *store.Store
	Standing standing.Reader
	Calendar audit.Calendar
	Now      func() time.Time
	Log      *slog.Logger
}

// Result is what one sweep did.
type Result struct {
	Watches int // watches looked at
	Told    int // notifications written
	Moved   int // watches changed while looked at, left due for the next sweep
	// Stopped: the run's time was up; what it did not look at is still
	// due, for the next one.
	Stopped bool
}

// lapseRecheckDays is how long after a lapse an enrollment is looked at
// again (weekly): data for the window's months may come in late.
const lapseRecheckDays = 90

// pageSize is how many due watches one Query reads.
const pageSize = 100

// Run sweeps everything due as of now, each watch once (store.Drain: a
// watch looked at leaves what is due, moved on to its next time or
// parked; one that stays due, failed or changed while looked at, waits for
// the next sweep).
func (s *Sweeper) Run(ctx context.Context) (Result, error) {
	now := s.Now()
	var res Result
	err := store.Drain(func(cursor string) (store.Page[store.Watch], error) {
		return s.Store.DueWatches(ctx, now, pageSize, cursor)
	}, func(w store.Watch) string { return w.PartnerID + "/" + w.Kind + "/" + w.Subject }, func(w store.Watch) bool {
		if ctx.Err() != nil {
			res.Stopped = true
			return false
		}
		told, err := s.look(ctx, w, now)
		res.Watches++
		res.Told += told
		switch {
		case errors.Is(err, store.ErrWatchMoved):
			res.Moved++
		case err != nil:
			// One partner's trouble stops no other's reminders: its
			// watch stays due, for the next sweep.
			s.Log.Error("sweep", "partnerId", w.PartnerID, "kind", w.Kind, "subject", w.Subject, "error", err.Error())
		}
		return true
	})
	return res, err
}

// look tells what a watch has due and moves it on.
func (s *Sweeper) look(ctx context.Context, w store.Watch, now time.Time) (int, error) {
	var (
		rs   []reminders.Reminder
		next time.Time // a look needed then, besides the reminders' own times
		err  error
	)
	switch w.Kind {
	case store.WatchAudit:
		rs, err = s.audit(ctx, w, now)
	case store.WatchEnrollment:
		rs, next, err = s.enrollment(ctx, w, now)
	default:
		err = fmt.Errorf("a watch of kind %q", w.Kind)
	}
	if errors.Is(err, store.ErrNotFound) {
		return 0, s.Store.Rewatch(ctx, w, time.Time{}) // its subject is gone: nothing more to tell
	}
	if err != nil {
		return 0, err
	}
	var due []store.Reminder
	for _, r := range rs {
		switch {
		case !r.SendAt.After(now):
			due = append(due, store.Reminder{Key: r.Key, Notification: store.Notification{Kind: r.Kind, Subject: r.Subject, DueOn: r.DueOn, Detail: r.Detail}})
		case next.IsZero() || r.SendAt.Before(next):
			next = r.SendAt
		}
	}
	told, err := s.Store.Notify(ctx, w.PartnerID, due)
	if err != nil {
		return told, err
	}
	return told, s.Store.Rewatch(ctx, w, next)
}

// audit is an audit's reminders: its deadlines, and its evidence that will
// not count by the audit date. An ended audit's enrollment is looked at.
func (s *Sweeper) audit(ctx context.Context, w store.Watch, now time.Time) ([]reminders.Reminder, error) {
	rec, err := s.Store.GetAudit(ctx, w.Subject)
	if err != nil {
		return nil, err
	}
	a := rec.Audit
	if a.Status == audit.StatusPassed {
		if err := s.Store.WatchNow(ctx, w.PartnerID, store.WatchEnrollment, a.SpecializationID); err != nil {
			return nil, err
		}
	}
	rs := reminders.ForAudit(a, s.Calendar, now)
	if !a.AuditOn.IsZero() && a.Status.Open() {
		evs, err := s.Store.AllEvidence(ctx, w.PartnerID)
		if err != nil {
			return nil, err
		}
		rs = append(rs, reminders.ForEvidence(a, evs, now)...)
	}
	return rs, nil
}

// enrollment is an enrollment's renewal notices; it is looked at again the
// day after its term, when it has renewed or lapsed.
func (s *Sweeper) enrollment(ctx context.Context, w store.Watch, now time.Time) ([]reminders.Reminder, time.Time, error) {
	spec, ok := s.Standing.Specs.Lookup(w.Subject)
	if !ok {
		return nil, time.Time{}, store.ErrNotFound
	}
	today := domain.DateOf(now)
	st, err := s.Standing.Read(ctx, w.PartnerID, spec, today.Month().AddMonths(-1), today)
	if err != nil {
		return nil, time.Time{}, err
	}
	e := st.Enrollment
	var next time.Time
	switch n := len(e.History); {
	case !e.ValidUntil.IsZero():
		next = e.ValidUntil.AddDays(1).Start()
	case n > 0 && e.History[n-1].Kind == "lapsed" && today.Before(e.History[n-1].On.AddDays(lapseRecheckDays)):
		// A window's consumption may come in after it closed and turn the
		// lapse into a renewal: look again weekly for a while.
		next = now.Add(7 * 24 * time.Hour)
	}
	return reminders.ForEnrollment(spec.ID, e), next, nil
}
