package deliver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/deliver"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
	"github.com/partnerready/partnerready/openapi"
)

const pid = "1234567"

// world is a table, a clock the store, the deliverer and the receivers
// read, and a deliverer allowed to reach loopback (as the local server's).
type world struct {
	t     *testing.T
	store *store.Store
	clock *atomic.Int64
	d     *deliver.Deliverer
}

func newWorld(t *testing.T) *world {
	clock := &atomic.Int64{}
	clock.Store(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	st := storetest.New(t).Store(now)
	if _, _, err := st.PutPartner(context.Background(), domain.Partner{ID: pid, Name: "Contoso", Country: "FR"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	d := &deliver.Deliverer{Store: st, Client: push.Client(true), Sealer: push.Sealer{Keys: secrets.Fixed("sealing key")}, Loopback: true, Now: now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &world{t: t, store: st, clock: clock, d: d}
}

func (w *world) now() time.Time          { return time.Unix(0, w.clock.Load()).UTC() }
func (w *world) advance(d time.Duration) { w.clock.Add(int64(d)) }

// endpoint registers url with a new secret, as the API does (sealed), and
// returns it with the secret in the clear, as the partner has it.
func (w *world) endpoint(url string) store.Endpoint {
	w.t.Helper()
	secret, id := push.NewSecret(), store.NewID(w.now())
	e, err := w.store.AddEndpoint(context.Background(), pid, store.Endpoint{ID: id, URL: url, Secret: w.seal(secret, pid, id)})
	if err != nil {
		w.t.Fatal(err)
	}
	e.Secret = secret
	return e
}

func (w *world) seal(secret, partnerID, endpointID string) string {
	w.t.Helper()
	sealed, err := w.d.Sealer.Seal(context.Background(), secret, push.Owner(partnerID, endpointID))
	if err != nil {
		w.t.Fatal(err)
	}
	return sealed
}

// notify tells the partner one reminder, keyed by key.
func (w *world) notify(key string) {
	w.t.Helper()
	n, err := w.store.Notify(context.Background(), pid, []store.Reminder{{Key: key, Notification: store.Notification{
		Kind: "deadline_due", Subject: pid + "-audit", DueOn: domain.DateOf(w.now()).AddDays(1), Detail: "Step 4 is due tomorrow: " + key}}})
	if err != nil || n != 1 {
		w.t.Fatalf("notify %s: %d, %v", key, n, err)
	}
}

func (w *world) run() deliver.Result {
	w.t.Helper()
	res, err := w.d.Run(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return res
}

func (w *world) log(endpointID string) []store.Delivery {
	w.t.Helper()
	page, err := w.store.ListDeliveries(context.Background(), pid, endpointID, 200, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return page.Items
}

// receiver is a partner's tool: it verifies every request's signature
// with the secret it was given, and answers what answer says for the
// request's number (1 on).
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []http.Header
	bodies [][]byte
	bad    []string // what failed verification
}

func newReceiver(t *testing.T, w *world, secret func() string, answer func(n int) int) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, r.Header.Clone())
		rc.bodies = append(rc.bodies, body)
		n := len(rc.got)
		if err := push.Verify(secret(), r.Header, body, w.now()); err != nil {
			rc.bad = append(rc.bad, err.Error())
		}
		rc.mu.Unlock()
		rw.WriteHeader(answer(n))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() int { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.got) }

// A notification reaches the partner's endpoint signed as Standard
// Webhooks says, by a receiver that fails twice and then accepts: three
// attempts on the retry schedule, the same webhook-id and body on each, a
// fresh timestamp and a signature that verifies every time, and the
// delivery log telling it all.
func TestDeliveryRetriesUntilAccepted(t *testing.T) {
	w := newWorld(t)
	var secret string
	rc := newReceiver(t, w, func() string { return secret }, func(n int) int {
		if n <= 2 {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	ep := w.endpoint(rc.srv.URL + "/hooks/partnerready")
	secret = ep.Secret
	w.notify("k1")

	if res := w.run(); res.FannedOut != 1 || res.Attempts != 1 || res.Retrying != 1 {
		t.Fatalf("first run: %+v", res)
	}
	if res := w.run(); res.Attempts != 0 {
		t.Fatalf("a run before the retry is due sent %+v", res)
	}
	w.advance(time.Minute)
	if res := w.run(); res.Attempts != 1 || res.Retrying != 1 {
		t.Fatalf("second attempt: %+v", res)
	}
	w.advance(4 * time.Minute)
	if res := w.run(); res.Attempts != 0 {
		t.Fatalf("the third attempt came before its 5 minutes: %+v", res)
	}
	w.advance(time.Minute)
	if res := w.run(); res.Attempts != 1 || res.Delivered != 1 {
		t.Fatalf("third attempt: %+v", res)
	}
	w.advance(24 * time.Hour)
	if res := w.run(); res.Attempts != 0 {
		t.Fatalf("a delivered notification was sent again: %+v", res)
	}

	if rc.requests() != 3 || len(rc.bad) != 0 {
		t.Fatalf("the receiver got %d requests, %d failing verification: %v", rc.requests(), len(rc.bad), rc.bad)
	}
	id := rc.got[0].Get(push.HeaderID)
	for i, h := range rc.got {
		if h.Get(push.HeaderID) != id || string(rc.bodies[i]) != string(rc.bodies[0]) {
			t.Errorf("attempt %d: webhook-id %q and body %s, not those of the first (%q)", i+1, h.Get(push.HeaderID), rc.bodies[i], id)
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("attempt %d: Content-Type %q", i+1, h.Get("Content-Type"))
		}
	}
	if rc.got[0].Get(push.HeaderTimestamp) == rc.got[2].Get(push.HeaderTimestamp) {
		t.Error("the third attempt carries the first one's timestamp")
	}
	var msg struct {
		Type string                   `json:"type"`
		Data deliver.NotificationData `json:"data"`
	}
	if err := openapi.ValidateSchema("NotificationEvent", rc.bodies[0]); err != nil {
		t.Errorf("the body breaks openapi.yaml's NotificationEvent: %v", err)
	}
	if err := json.Unmarshal(rc.bodies[0], &msg); err != nil || msg.Type != "deadline_due" || msg.Data.ID != id || msg.Data.PartnerID != pid || !strings.HasPrefix(msg.Data.Detail, "Step 4") {
		t.Fatalf("body %s (%v)", rc.bodies[0], err)
	}

	log := w.log(ep.ID)
	if len(log) != 1 {
		t.Fatalf("log: %+v", log)
	}
	d := log[0]
	if d.Status != "delivered" || d.NotificationID != id || len(d.Attempts) != 3 || !d.NextAt.IsZero() {
		t.Fatalf("delivery %+v", d)
	}
	for i, want := range []int{503, 503, 204} {
		if a := d.Attempts[i]; a.StatusCode != want || (want == 503) != (a.Error != "") {
			t.Errorf("attempt %d: %+v, want status %d", i+1, a, want)
		}
	}
	if gap := d.Attempts[2].At.Sub(d.Attempts[0].At); gap != 6*time.Minute {
		t.Errorf("the attempts span %s, want 1 min + 5 min", gap)
	}
}

// A receiver that never accepts is tried on the whole schedule, at least
// 24 hours, and the delivery is then failed, never tried again.
func TestDeliveryFailsWhenRetriesAreSpent(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusInternalServerError })
	ep := w.endpoint(rc.srv.URL)
	w.notify("k1")
	start := w.now()
	for range 200 { // a run every 10 minutes for 33 hours
		w.run()
		w.advance(10 * time.Minute)
	}
	want := 1 + len(push.Retries)
	if rc.requests() != want {
		t.Fatalf("%d attempts, want %d", rc.requests(), want)
	}
	d := w.log(ep.ID)[0]
	last := d.Attempts[len(d.Attempts)-1].At
	if d.Status != "failed" || len(d.Attempts) != want || last.Sub(start) < 24*time.Hour || !strings.Contains(d.Reason, "8 attempts") {
		t.Fatalf("delivery %s after %d attempts over %s: %q", d.Status, len(d.Attempts), last.Sub(start), d.Reason)
	}
}

// A 410 disables the endpoint: the delivery fails, and what comes next is
// not sent to it until the partner reactivates it.
func TestGoneDisablesTheEndpoint(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusGone })
	ep := w.endpoint(rc.srv.URL)
	w.notify("k1")
	if res := w.run(); res.Failed != 1 {
		t.Fatalf("run: %+v", res)
	}
	eps, err := w.store.Endpoints(context.Background(), pid)
	if err != nil || len(eps) != 1 || !strings.Contains(eps[0].Disabled, "410") {
		t.Fatalf("endpoint after a 410: %+v, %v", eps, err)
	}
	w.notify("k2")
	w.advance(time.Minute)
	if res := w.run(); res.FannedOut != 1 || res.Attempts != 0 {
		t.Fatalf("a disabled endpoint got deliveries: %+v", res)
	}
	if rc.requests() != 1 {
		t.Fatalf("the endpoint was sent %d requests", rc.requests())
	}
	if log := w.log(ep.ID); len(log) != 1 || log[0].Status != "failed" || !strings.Contains(log[0].Reason, "410") {
		t.Fatalf("log: %+v", log)
	}
}

// During a rotation each delivery carries two signatures, the new
// secret's and the old one's, so a receiver with either verifies it; once
// the overlap is over, only the new one.
func TestRotatedSecretSignsBesideTheNew(t *testing.T) {
	w := newWorld(t)
	var old, next string
	var oldOK, newOK atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if push.Verify(old, r.Header, body, w.now()) == nil {
			oldOK.Add(1)
		}
		if push.Verify(next, r.Header, body, w.now()) == nil {
			newOK.Add(1)
		}
	}))
	defer srv.Close()
	ep := w.endpoint(srv.URL)
	old = ep.Secret
	next = push.NewSecret()
	if _, err := w.store.ChangeEndpoint(context.Background(), pid, ep.ID, func(e *store.Endpoint) (bool, error) {
		e.Previous, e.PreviousUntil, e.Secret = e.Secret, w.now().Add(store.RotationOverlap), w.seal(next, pid, ep.ID)
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	w.notify("k1")
	w.run()
	if oldOK.Load() != 1 || newOK.Load() != 1 {
		t.Fatalf("during the overlap: old secret verified %d, new %d", oldOK.Load(), newOK.Load())
	}
	w.advance(store.RotationOverlap)
	w.notify("k2")
	w.run()
	if oldOK.Load() != 1 || newOK.Load() != 2 {
		t.Fatalf("after the overlap: old secret verified %d, new %d", oldOK.Load(), newOK.Load())
	}
}

// A redirect is not followed (the registered URL is the only one a
// delivery goes to): it is a failed attempt, and where it pointed gets
// nothing.
func TestRedirectIsNotFollowed(t *testing.T) {
	w := newWorld(t)
	target := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	redirect := httptest.NewServer(http.RedirectHandler(target.srv.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	ep := w.endpoint(redirect.URL)
	w.notify("k1")
	if res := w.run(); res.Retrying != 1 || target.requests() != 0 {
		t.Fatalf("run %+v; the redirect's target got %d requests", res, target.requests())
	}
	if a := w.log(ep.ID)[0].Attempts[0]; a.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("attempt %+v", a)
	}
}

// The stack's deliverer reaches only the internet: a name that resolves
// inside a network (localhost here; a DNS answer that changed since the
// registration, or any other), is refused as the connection is made.
func TestDelivererRefusesAddressesInsideANetwork(t *testing.T) {
	w := newWorld(t)
	w.d.Loopback, w.d.Client = false, push.Client(false)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	port := rc.srv.URL[strings.LastIndex(rc.srv.URL, ":")+1:]
	ep := w.endpoint("https://localhost:" + port + "/hook")
	w.notify("k1")
	w.run()
	a := w.log(ep.ID)[0].Attempts[0]
	if rc.requests() != 0 || !strings.Contains(a.Error, "inside a network") {
		t.Fatalf("the receiver got %d requests; attempt %+v", rc.requests(), a)
	}
}

// Two deliverers at once send each delivery once: the claim decides.
func TestConcurrentDeliverersSendOnce(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	w.endpoint(rc.srv.URL)
	w.endpoint(rc.srv.URL + "/second")
	for i := range 10 {
		w.notify(fmt.Sprint("k", i))
	}
	var wg sync.WaitGroup
	results := make([]deliver.Result, 4)
	for i := range results {
		wg.Go(func() {
			res, err := w.d.Run(context.Background())
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	delivered := w.run().Delivered // whatever the four left (none, unless a claim's race was lost)
	for _, r := range results {
		delivered += r.Delivered
	}
	if rc.requests() != 20 || delivered != 20 {
		t.Fatalf("%d requests, %d delivered, for 10 notifications to 2 endpoints (runs %+v)", rc.requests(), delivered, results)
	}
	seen := map[string]bool{}
	for _, h := range rc.got {
		seen[h.Get(push.HeaderID)] = true
	}
	if len(seen) != 10 {
		t.Fatalf("%d webhook-ids", len(seen))
	}
}

// A deliverer that stops holding a claim (killed mid-attempt, perhaps
// after sending) leaves the delivery to the next run when the claim runs
// out: that counts as an attempt with no answer, and the next one keeps to
// the retry schedule. Runs that keep dying spend the schedule like any
// failure, and the delivery fails: its log stays bounded.
func TestAbandonedClaimIsRetried(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	ep := w.endpoint(rc.srv.URL)
	ctx := context.Background()
	dying := func() { // a run that claims the one delivery due and dies
		t.Helper()
		due, err := w.store.DueDeliveries(ctx, w.now(), 10, "")
		if err != nil || len(due.Items) != 1 {
			t.Fatalf("due %+v, %v", due, err)
		}
		if _, _, err := w.store.ClaimDelivery(ctx, due.Items[0], 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	w.notify("k1")
	pushes, err := w.store.DuePushes(ctx, w.now(), 10, "")
	if err != nil || len(pushes.Items) != 1 {
		t.Fatalf("pushes %+v, %v", pushes, err)
	}
	if n, err := w.store.FanOut(ctx, pushes.Items[0], deliver.Body); err != nil || n != 1 {
		t.Fatalf("fan out: %d, %v", n, err)
	}
	dying()
	if res := w.run(); res.Attempts != 0 || rc.requests() != 0 {
		t.Fatalf("a claimed delivery was sent by another run: %+v", res)
	}
	due, _ := w.store.DueDeliveries(ctx, w.now().Add(time.Minute), 10, "")
	if _, _, err := w.store.ClaimDelivery(ctx, due.Items[0], time.Minute); err != store.ErrDeliveryTaken {
		t.Fatalf("a second claim of a claimed delivery: %v", err)
	}
	w.advance(21 * time.Second)
	if res := w.run(); res.Retrying != 1 || rc.requests() != 0 {
		t.Fatalf("after the claim ran out: %+v, %d requests", res, rc.requests())
	}
	w.advance(time.Minute)
	if res := w.run(); res.Delivered != 1 || rc.requests() != 1 {
		t.Fatalf("a minute after the lost attempt: %+v, %d requests", res, rc.requests())
	}
	d := w.log(ep.ID)[0]
	if len(d.Attempts) != 2 || !strings.Contains(d.Attempts[0].Error, "stopped before") || d.Attempts[1].StatusCode != 200 {
		t.Fatalf("log %+v", d.Attempts)
	}

}

// Runs that keep dying holding a delivery spend its retry schedule like
// any failure, and it fails: its log stays bounded, and nothing was sent.
func TestDyingRunsSpendTheSchedule(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	ep := w.endpoint(rc.srv.URL)
	ctx := context.Background()
	w.notify("k1")
	pushes, err := w.store.DuePushes(ctx, w.now(), 10, "")
	if err != nil || len(pushes.Items) != 1 {
		t.Fatalf("pushes %+v, %v", pushes, err)
	}
	if _, err := w.store.FanOut(ctx, pushes.Items[0], deliver.Body); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		due, err := w.store.DueDeliveries(ctx, w.now(), 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(due.Items) == 0 {
			if w.log(ep.ID)[0].Status != "pending" {
				break
			}
			w.advance(time.Hour)
			continue
		}
		if _, _, err := w.store.ClaimDelivery(ctx, due.Items[0], 20*time.Second); err != nil { // and dies
			t.Fatal(err)
		}
		w.advance(21 * time.Second)
		w.run()
	}
	d := w.log(ep.ID)[0]
	if d.Status != "failed" || len(d.Attempts) != 1+len(push.Retries) || rc.requests() != 0 {
		t.Fatalf("after runs that kept dying: %s, %d attempts (%s), %d requests", d.Status, len(d.Attempts), d.Reason, rc.requests())
	}
}

// What a run costs is what is new and due, not the number of partners:
// among 1,000 partners, a run with nothing to do is 2 Queries; with 10
// notifications for 10 partners' endpoints, 2 Queries, 2 calls a
// notification to fan it out, and 3 an attempt (claim, the partner's
// endpoints, the answer).
func TestDeliveryCostGrowsWithWhatIsDue(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make(chan int, 1000)
	for i := range 1000 {
		ids <- i
	}
	close(ids)
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				p := fmt.Sprint(2000000 + i)
				if _, _, err := w.store.PutPartner(ctx, domain.Partner{ID: p, Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
					t.Error(err)
					return
				}
				if i%100 == 0 {
					id := store.NewID(w.now())
					if _, err := w.store.AddEndpoint(ctx, p, store.Endpoint{ID: id, URL: rc.srv.URL, Secret: w.seal(push.NewSecret(), p, id)}); err != nil {
						t.Error(err)
					}
					if _, err := w.store.Notify(ctx, p, []store.Reminder{{Key: "k", Notification: store.Notification{Kind: "deadline_due", Subject: "s", DueOn: domain.DateOf(w.now()), Detail: "d"}}}); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	cost := func() (deliver.Result, map[string]int64) {
		cctx, calls := store.WithCalls(ctx)
		res, err := w.d.Run(cctx)
		if err != nil {
			t.Fatal(err)
		}
		return res, calls.ByOperation()
	}
	res, ops := cost()
	if res.FannedOut != 10 || res.Delivered != 10 || ops["Query"] != 2 || ops["BatchGetItem"] != 10 || ops["TransactWriteItems"] != 10 || ops["PutItem"] != 20 || ops["GetItem"] != 10 {
		t.Fatalf("10 due among 1,000 partners: %+v, calls %v", res, ops)
	}
	if res, ops := cost(); res != (deliver.Result{}) || len(ops) != 1 || ops["Query"] != 2 {
		t.Fatalf("nothing due: %+v, calls %v", res, ops)
	}
}

// A slow receiver holds at most two workers, not the run: another
// endpoint's deliveries, even behind more than a page of the slow one's,
// are all made while the slow one has not answered.
func TestSlowReceiverHoldsUpNoOther(t *testing.T) {
	w := newWorld(t)
	release := make(chan struct{})
	unblock := sync.OnceFunc(func() { close(release) })
	var inFlight, most atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(unblock) // (runs first: the slow handlers end before the server closes)
	var quick atomic.Int32
	fast := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { quick.Add(1) }))
	t.Cleanup(fast.Close)
	w.endpoint(slow.URL) // created first: its deliveries come first in what is due
	w.endpoint(fast.URL)
	const n = 110 // more than a page of the slow one's ahead of the quick one's
	for i := range n {
		w.notify(fmt.Sprint("k", i))
	}
	// The slow receiver hangs for as long as the engine takes to serve the
	// quick one (moto is much slower than minidyn): longer than an attempt
	// may last in the stack.
	w.d.Client = push.Client(true)
	w.d.Client.Timeout = 2 * time.Minute
	w.d.Client.Transport.(*http.Transport).ResponseHeaderTimeout = 2 * time.Minute
	done := make(chan deliver.Result, 1)
	go func() { res, _ := w.d.Run(context.Background()); done <- res }()
	for end := time.Now().Add(90 * time.Second); quick.Load() < n && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := quick.Load(); got != n {
		unblock()
		t.Fatalf("the quick endpoint got %d of %d while the slow one hung", got, n)
	}
	select {
	case res := <-done:
		t.Fatalf("the run ended before the slow receiver answered: %+v", res)
	default:
	}
	unblock()
	select {
	case res := <-done:
		if res.Delivered != 2*n || most.Load() != 2 {
			t.Fatalf("run: %+v; at most %d requests at once to the slow endpoint", res, most.Load())
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the run did not end")
	}
}

// A run whose time runs out while a receiver has not answered still
// records the attempt (failed, on the schedule), rather than leaving its
// claim to run out as an attempt with no answer.
func TestAttemptRecordedWhenTheRunEnds(t *testing.T) {
	w := newWorld(t)
	arrived, answer := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-answer
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(answer) })
	ep := w.endpoint(srv.URL)
	w.notify("k1")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan deliver.Result, 1)
	go func() { res, _ := w.d.Run(ctx); done <- res }()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("no request came")
	}
	cancel()
	var res deliver.Result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not end")
	}
	if res.Retrying != 1 || res.Errors != 0 {
		t.Fatalf("run: %+v", res)
	}
	d := w.log(ep.ID)[0]
	if d.Status != "pending" || len(d.Attempts) != 1 || !d.ClaimedAt.IsZero() || !strings.Contains(d.Attempts[0].Error, "context canceled") {
		t.Fatalf("delivery %+v", d)
	}
}

// A secret that cannot be opened (not sealed, tampered with, or sealed
// for another endpoint) sends nothing: each run's try is a failed attempt
// on the schedule, which ends it, rather than a retry every minute for
// ever.
func TestUnopenableSecretSpendsTheSchedule(t *testing.T) {
	w := newWorld(t)
	rc := newReceiver(t, w, func() string { return "" }, func(int) int { return http.StatusOK })
	other := w.endpoint(rc.srv.URL)
	sealedForOther := w.seal(push.NewSecret(), pid, other.ID)
	if err := w.store.DeleteEndpoint(context.Background(), pid, other.ID); err != nil {
		t.Fatal(err)
	}
	ep, err := w.store.AddEndpoint(context.Background(), pid, store.Endpoint{ID: store.NewID(w.now()), URL: rc.srv.URL, Secret: sealedForOther})
	if err != nil {
		t.Fatal(err)
	}
	w.notify("k1")
	if res := w.run(); res.Retrying != 1 || res.Errors != 1 || res.Attempts != 0 {
		t.Fatalf("first run: %+v", res)
	}
	for range 40 {
		w.advance(time.Hour)
		w.run()
	}
	d := w.log(ep.ID)[0]
	if d.Status != "failed" || len(d.Attempts) != 1+len(push.Retries) || !strings.Contains(d.Attempts[0].Error, "cannot be opened") || rc.requests() != 0 {
		t.Fatalf("delivery %s, %d attempts (%q), %d requests", d.Status, len(d.Attempts), d.Attempts[0].Error, rc.requests())
	}
}
