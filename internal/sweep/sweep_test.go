package sweep_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/reminders"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
	"github.com/partnerready/partnerready/internal/sweep"
)

const spec = "analytics-on-microsoft-azure"

// world is a table, a clock both the store and the sweeper read, and a
// sweeper.
type world struct {
	t     testing.TB
	store *store.Store
	clock *atomic.Int64
	sw    *sweep.Sweeper
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newWorld(t testing.TB, start string) *world {
	clock := &atomic.Int64{}
	clock.Store(at(start).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	st := storetest.New(t).Store(now)
	certs := catalog.MustCertifications()
	sw := &sweep.Sweeper{Store: st, Standing: standing.Reader{Store: st, Specs: catalog.MustSpecializations(), Rules: catalog.MustScoringRules(certs)},
		Calendar: audit.USFederal, Now: now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &world{t: t, store: st, clock: clock, sw: sw}
}

func (w *world) set(s string) { w.clock.Store(at(s).UnixNano()) }

func (w *world) now() time.Time { return time.Unix(0, w.clock.Load()).UTC() }

// approved stores an audit of pid applied and approved now.
func (w *world) approved(pid string) string {
	w.t.Helper()
	ctx, now := context.Background(), w.now()
	rec, err := w.store.CreateAudit(ctx, pid, spec, func([]audit.Audit) (audit.Audit, error) {
		return audit.Apply(now, audit.Application{ID: store.NewAuditID(pid, now), PartnerID: pid, SpecializationID: spec,
			Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en"})
	})
	if err == nil {
		_, err = w.store.ChangeAudit(ctx, rec.ID, func(a audit.Audit) (audit.Audit, error) {
			return audit.Approve(a, "issi", audit.Actor{Party: audit.PartyProgram}, now)
		})
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return rec.ID
}

// partners gives n partners (ids 1000000 on) a profile, 8 at a time.
func (w *world) partners(n int) {
	w.t.Helper()
	var wg sync.WaitGroup
	ids := make(chan int, n)
	for i := range n {
		ids <- i
	}
	close(ids)
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				if _, _, err := w.store.PutPartner(context.Background(), domain.Partner{ID: fmt.Sprint(1000000 + i), Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
					w.t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func (w *world) run() sweep.Result {
	w.t.Helper()
	res, err := w.sw.Run(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return res
}

func (w *world) notes(pid string) []store.Notification {
	w.t.Helper()
	page, err := w.store.ListNotifications(context.Background(), pid, time.Time{}, 200, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return page.Items
}

// R-AUD-5: an audit's deadline is told the day before it is due and once
// it has passed, once each: a sweep with nothing due reads nothing more,
// two sweeps at once tell it once, and a sweep that runs late, after
// missed runs, catches up with what is due and not yet told.
func TestSweepAuditDeadlines(t *testing.T) {
	w := newWorld(t, "2026-11-02T10:00:00Z") // a Monday
	pid := "1234567"
	if _, _, err := w.store.PutPartner(context.Background(), domain.Partner{ID: pid, Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	id := w.approved(pid) // step 5 due Wednesday 4 November
	if res := w.run(); res.Watches != 1 || res.Told != 0 {
		t.Fatalf("right after the approval: %+v", res)
	}
	if res := w.run(); res.Watches != 0 {
		t.Fatalf("nothing is due until the day before: %+v", res)
	}
	w.set("2026-11-03T00:30:00Z")
	if res := w.run(); res.Told != 1 {
		t.Fatalf("the day before: %+v", res)
	}
	ns := w.notes(pid)
	if len(ns) != 1 || ns[0].Kind != reminders.KindDeadlineDue || ns[0].Subject != id || ns[0].DueOn != domain.MustDate("2026-11-04") {
		t.Fatalf("notes: %+v", ns)
	}
	// Two sweeps at once, once it is overdue: told once.
	w.set("2026-11-05T00:30:00Z")
	var wg sync.WaitGroup
	told := make([]int, 2)
	for i := range told {
		wg.Go(func() {
			res, err := w.sw.Run(context.Background())
			if err != nil {
				t.Error(err)
			}
			told[i] = res.Told
		})
	}
	wg.Wait()
	if told[0]+told[1] != 1 {
		t.Fatalf("two sweeps at once told %v", told)
	}
	// A sweep killed after telling and before moving the watch on: the
	// next one finishes and tells nothing twice.
	if err := w.store.WatchNow(context.Background(), pid, store.WatchAudit, id); err != nil {
		t.Fatal(err)
	}
	if res := w.run(); res.Told != 0 || res.Watches != 1 {
		t.Fatalf("again: %+v", res)
	}
	if n := len(w.notes(pid)); n != 2 {
		t.Fatalf("%d notes, want 2", n)
	}
	// Weeks of missed runs: what is due and not told is told, the
	// reminders of deadlines long passed only as overdue.
	w.set("2026-12-20T00:30:00Z")
	w.run()
	late := w.notes(pid)[2:]
	if len(late) != 2 { // step 6: the payment, and the audit itself, both due 2 December
		t.Fatalf("after missed runs: %+v", late)
	}
	for _, n := range late {
		if n.Kind != reminders.KindDeadlineOverdue {
			t.Errorf("after missed runs: %s of %s", n.Kind, n.DueOn)
		}
	}
}

// The sweep's cost is what is due, not the partners: 10,000 partners, of
// whom 10 have an audit due, cost 1 Query of what is due and the same few
// calls for each of the 10.
func TestSweepCostGrowsWithWhatIsDue(t *testing.T) {
	w := newWorld(t, "2026-11-02T10:00:00Z")
	ctx := context.Background()
	w.partners(10000)
	for i := range 10 {
		w.approved(fmt.Sprint(1000000 + i*997))
	}
	cctx, calls := store.WithCalls(ctx)
	res, err := w.sw.Run(cctx)
	if err != nil || res.Watches != 10 {
		t.Fatalf("%+v %v", res, err)
	}
	ops := calls.ByOperation()
	// Per watch: the audit (GetItem), and moving the watch on (GetItem,
	// PutItem); nothing is due to tell yet.
	if ops["Query"] != 1 || ops["GetItem"] != 20 || ops["PutItem"] != 10 || calls.Load() != 31 {
		t.Fatalf("10 due among 10,000 partners took %v (%d calls)", ops, calls.Load())
	}
	t.Logf("10 due among 10,000 partners: %d DynamoDB calls %v", calls.Load(), ops)
}

// BenchmarkSweepCost shows the sweep's DynamoDB calls growing with what is
// due, not with the partners: 10, 100 and 1,000 audits due among 10,000
// partners, each at the moment its first reminder is told. Budget: 1 Query
// a page of 100 due, and per due audit its read, the read of its
// reminders' markers, one write per reminder told, and moving its watch on
// (GetItem, PutItem): 4 calls and one a reminder, whatever the partners.
// The calls are the measure; minidyn's time is not (see the set-up).
func BenchmarkSweepCost(b *testing.B) {
	for _, due := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint(due, "-due"), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				w := newWorld(b, "2026-11-02T10:00:00Z")
				// The audits first: minidyn copies its whole table on every
				// transaction, which DynamoDB does not, so a large table
				// would make the set-up, not the sweep, the long part.
				for i := range due {
					w.approved(fmt.Sprint(1000000 + i*(10000/due)))
				}
				w.partners(10000)
				w.set("2026-11-03T00:30:00Z") // every audit's step 5 reminder is due
				ctx, calls := store.WithCalls(context.Background())
				b.StartTimer()
				res, err := w.sw.Run(ctx)
				b.StopTimer()
				if err != nil || res.Watches != due || res.Told != due {
					b.Fatalf("%+v %v", res, err)
				}
				pages := (due + 99) / 100 // the sweep reads 100 due a page
				if budget := int64(pages + 5*due); calls.Load() > budget {
					b.Errorf("%d due: %d calls, budget %d", due, calls.Load(), budget)
				}
				b.ReportMetric(float64(calls.Load()), "dynamodb-calls")
				b.ReportMetric(float64(calls.Load())/float64(due), "calls-per-due")
				b.StartTimer()
			}
		})
	}
}
