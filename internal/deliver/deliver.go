// Package deliver pushes partners' notifications to their webhook
// endpoints, as a job of its own (functions/deliverer, every minute) so
// that a slow or dead receiver never holds up the sweep that wrote them.
// A run fans each new notification out into one delivery per active
// endpoint (store.FanOut), then attempts every delivery due: claimed first
// (so two runs at once do not both send it), signed with the endpoint's
// secrets (package push), sent through a client that reaches only the
// internet, and recorded: delivered on a 2xx, failed and the endpoint
// disabled on a 410, otherwise tried again on push.Retries' schedule and
// failed when it is spent.
//
// Delivery is at least once: a deliverer that dies after sending and
// before recording leaves the delivery to be sent again on the schedule,
// with the same webhook-id, by which the receiver tells it apart.
package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/store"
)

// Deliverer runs deliveries.
type Deliverer struct {
	Store  *store.Store
	Client *http.Client // push.Client
	Sealer push.Sealer  // what opens the endpoints' secrets
	// Loopback lets endpoints on this machine receive: the local server's
	// only (push.CheckURL).
	Loopback bool
	Now      func() time.Time
	Log      *slog.Logger
}

// Result is what one run did.
type Result struct {
	FannedOut int // notifications turned into deliveries
	Attempts  int // requests sent
	Delivered int
	Retrying  int // failed this time (or an earlier run died holding it), to be tried again
	Failed    int // given up (retries spent, 410, endpoint removed or disabled)
	Errors    int // items the table failed on, left due for the next run (logged)
	// Stopped: the run's time was up; what it did not take is still due.
	Stopped bool
}

const (
	pageSize = 100
	// workers is how many deliveries are attempted at once, and
	// perEndpoint how many of them may go to one endpoint: a slow or dead
	// receiver holds two workers, not the run.
	workers     = 8
	perEndpoint = 2
	// stepFor bounds each step of an attempt but the request itself:
	// reading the endpoints, opening their secret, and the writes after
	// the request (its answer, a 410's disabling), which run even when the
	// run's own time is up, since an answer not recorded is a delivery
	// sent again.
	stepFor = 5 * time.Second
	// attemptFor is the most an attempt takes, claim to record: the
	// request and four steps.
	attemptFor = push.AttemptTimeout + 4*stepFor
	// claimFor is how long a claim holds a delivery: longer than its
	// attempt, so that it is not sent by two runs at once.
	claimFor = attemptFor + 5*time.Second
	// reserve is the time a run keeps before its deadline for the attempts
	// under way: it claims nothing after that.
	reserve = attemptFor
	// fanOutFor bounds the fan-out of a run, so that a large sweep's
	// notifications do not hold up the retries due: the rest is the next
	// run's.
	fanOutFor = 20 * time.Second
	// answerBytes is how much of an answer is read (to reuse the
	// connection, and to log a failure's start); the rest is dropped.
	answerBytes = 1 << 10
)

// Run fans out and attempts everything due now.
func (d *Deliverer) Run(ctx context.Context) (Result, error) {
	var res Result
	if err := d.fanOut(ctx, &res); err != nil {
		return res, err
	}
	return res, d.attemptDue(ctx, &res)
}

// late is whether the run must stop taking work.
func late(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < reserve
}

// fanOut turns each new notification into its deliveries, once
// (store.Drain: one fanned out leaves the index; one that failed stays,
// for the next run).
func (d *Deliverer) fanOut(ctx context.Context, res *Result) error {
	until := time.Now().Add(fanOutFor)
	return store.Drain(func(cursor string) (store.Page[store.Push], error) {
		return d.Store.DuePushes(ctx, d.Now(), pageSize, cursor)
	}, func(p store.Push) store.Push { return p }, func(p store.Push) bool {
		if late(ctx) || time.Now().After(until) {
			res.Stopped = true
			return false
		}
		if _, err := d.Store.FanOut(ctx, p, Body); err != nil {
			d.Log.Error("fan out", "partnerId", p.PartnerID, "notificationId", p.NotificationID, "error", err.Error())
			res.Errors++
			return true
		}
		res.FannedOut++
		return true
	})
}

// Body is what a notification's deliveries send: a Standard Webhooks
// message whose data is the notification as the API shows it.
func Body(n store.Notification) ([]byte, error) {
	return json.Marshal(push.Message{Type: n.Kind, Timestamp: n.CreatedAt.UTC(), Data: NotificationData{
		ID: n.ID, PartnerID: n.PartnerID, Kind: n.Kind, Subject: n.Subject, DueOn: n.DueOn.String(), CreatedAt: n.CreatedAt.UTC(), Detail: n.Detail,
	}})
}

// NotificationData is a delivered notification (openapi's webhook
// NotificationEvent).
type NotificationData struct {
	ID        string    `json:"id"`
	PartnerID string    `json:"partnerId"`
	Kind      string    `json:"kind"`
	Subject   string    `json:"subject"`
	DueOn     string    `json:"dueOn"`
	CreatedAt time.Time `json:"createdAt"`
	Detail    string    `json:"detail"`
}

// attemptDue attempts the due deliveries through one pool of workers for
// the whole run, at most perEndpoint of them to one endpoint at a time.
// It reads what is due page after page without waiting for the attempts
// (a claimed delivery leaves what is due), passing over those whose
// endpoint has its share in flight; when a pass passed over some, it
// starts again from the start, once a worker is free if it took nothing
// new.
func (d *Deliverer) attemptDue(ctx context.Context, res *Result) error {
	eps := &endpointCache{store: d.Store, m: map[string]*endpoints{}}
	seen := map[string]bool{}
	var (
		mu    sync.Mutex
		busy  = map[string]int{} // endpoint → its deliveries in flight
		sem   = make(chan struct{}, workers)
		freed = make(chan struct{}, 1) // an attempt ended (at least one since last read)
		wg    sync.WaitGroup
	)
	defer wg.Wait()
	for {
		took, passed, cursor := 0, false, ""
		for {
			page, err := d.Store.DueDeliveries(ctx, d.Now(), pageSize, cursor)
			if err != nil {
				return err
			}
			for _, dl := range page.Items {
				id, ep := dl.PartnerID+"/"+dl.EndpointID+"/"+dl.NotificationID, dl.PartnerID+"/"+dl.EndpointID
				if seen[id] {
					continue
				}
				mu.Lock()
				full := busy[ep] >= perEndpoint
				mu.Unlock()
				if full {
					passed = true
					continue
				}
				sem <- struct{}{} // a worker first: the time left is judged when it is free
				if late(ctx) {
					<-sem
					mu.Lock()
					res.Stopped = true
					mu.Unlock()
					return nil
				}
				mu.Lock()
				seen[id], busy[ep], took = true, busy[ep]+1, took+1
				mu.Unlock()
				wg.Add(1)
				go func() {
					defer wg.Done()
					one := d.attempt(ctx, dl, eps)
					mu.Lock()
					res.add(one)
					busy[ep]--
					mu.Unlock()
					<-sem
					select {
					case freed <- struct{}{}:
					default:
					}
				}()
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		switch {
		case !passed:
			return nil // everything due was taken (deferred: wait for it)
		case took == 0:
			select { // every one left waits for a busy endpoint: for one to end
			case <-freed:
			case <-ctx.Done():
				mu.Lock()
				res.Stopped = true
				mu.Unlock()
				return nil
			}
		}
	}
}

func (r *Result) add(o Result) {
	r.Attempts += o.Attempts
	r.Delivered += o.Delivered
	r.Retrying += o.Retrying
	r.Failed += o.Failed
	r.Errors += o.Errors
}

// attempt claims one delivery, sends it and records what became of it.
func (d *Deliverer) attempt(ctx context.Context, dl store.Delivery, eps *endpointCache) Result {
	var res Result
	log := d.Log.With("partnerId", dl.PartnerID, "endpointId", dl.EndpointID, "notificationId", dl.NotificationID)
	fail := func(what string, err error) Result {
		log.Error(what, "error", err.Error())
		res.Errors++
		return res
	}
	claimed, abandoned, err := d.Store.ClaimDelivery(ctx, dl, claimFor)
	if errors.Is(err, store.ErrDeliveryTaken) {
		return res
	}
	if err != nil {
		return fail("claim delivery", err)
	}
	// What follows the claim is written even if the run's time runs out
	// meanwhile (a claim left to run out is an attempt lost), each write
	// within stepFor from when it starts.
	after := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), stepFor)
	}
	record := func() Result {
		if claimed.Status != store.DeliveryPending {
			claimed.NextAt = time.Time{}
		}
		rctx, cancel := after()
		defer cancel()
		if err := d.Store.RecordDelivery(rctx, claimed); err != nil {
			return fail("record delivery", err)
		}
		switch claimed.Status {
		case store.DeliveryDelivered:
			res.Delivered++
		case store.DeliveryFailed:
			res.Failed++
		default:
			res.Retrying++
		}
		return res
	}
	if abandoned {
		// An earlier run died holding it, perhaps after sending: that was
		// an attempt, and the next one keeps to the schedule.
		d.retryLater(&claimed, claimed.Attempts[len(claimed.Attempts)-1].At, log)
		return record()
	}
	// Our side failing before anything is sent lets the delivery go, due
	// again in a minute, with no attempt counted.
	release := func(what string, err error) Result {
		claimed.ClaimedAt, claimed.NextAt = time.Time{}, d.Now().Add(time.Minute)
		rctx, cancel := after()
		defer cancel()
		if err := d.Store.RecordDelivery(rctx, claimed); err != nil {
			log.Error("release delivery", "error", err.Error())
		}
		return fail(what, err)
	}
	sctx, cancel := context.WithTimeout(ctx, stepFor)
	defer cancel()
	all, err := eps.get(sctx, dl.PartnerID)
	if err != nil {
		return release("read endpoints", err)
	}
	var ep *store.Endpoint
	if i := store.EndpointIndex(all, dl.EndpointID); i >= 0 {
		ep = &all[i]
	}
	switch {
	case ep == nil:
		claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint was removed"
		log.Info("delivery dropped", "reason", claimed.Reason)
		return record()
	case ep.Disabled != "":
		claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint is disabled: "+ep.Disabled
		log.Info("delivery dropped", "reason", claimed.Reason)
		return record()
	}
	signing, err := d.open(sctx, dl.PartnerID, *ep, d.Now())
	var a store.Attempt
	switch {
	case errors.Is(err, push.ErrUnsealable):
		// It will not open on the next run either: an attempt failed,
		// which the schedule ends, rather than a retry every minute.
		log.Error("open the endpoint's secret", "error", err.Error())
		res.Errors++
		a = store.Attempt{At: d.Now().UTC(), Error: "the endpoint's secret cannot be opened; rotate it (POST …/secret-rotation) or register the endpoint again"}
	case err != nil:
		return release("open the endpoint's secret", err)
	default:
		a = d.send(ctx, *ep, claimed, signing)
		res.Attempts++
	}
	claimed.Attempts = append(claimed.Attempts, a)
	switch push.Judge(a.StatusCode) {
	case push.Delivered:
		claimed.Status = store.DeliveryDelivered
	case push.Gone:
		claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint answered 410 Gone and was disabled"
		reason := fmt.Sprintf("answered 410 Gone on %s", a.At.Format(time.RFC3339))
		rctx, cancel := after()
		defer cancel()
		if _, err := d.Store.ChangeEndpoint(rctx, dl.PartnerID, ep.ID, func(e *store.Endpoint) (bool, error) {
			if e.Disabled != "" {
				return false, nil
			}
			e.Disabled, e.DisabledAt = reason, a.At
			return true, nil
		}); err != nil && !errors.Is(err, store.ErrNotFound) {
			log.Error("disable endpoint", "error", err.Error())
			res.Errors++
		}
		eps.disable(dl.PartnerID, ep.ID, reason)
		log.Warn("delivery failed", "reason", claimed.Reason, "attempts", len(claimed.Attempts))
	default:
		d.retryLater(&claimed, a.At, log)
	}
	return record()
}

// retryLater schedules a delivery's next attempt after a failed one made
// at, or fails it when push.Retries is spent.
func (d *Deliverer) retryLater(dl *store.Delivery, at time.Time, log *slog.Logger) {
	if wait, ok := push.RetryAfter(len(dl.Attempts)); ok {
		dl.NextAt = at.Add(wait)
		return
	}
	dl.Status = store.DeliveryFailed
	dl.Reason = fmt.Sprintf("no 2xx answer in %d attempts over %s", len(dl.Attempts), at.Sub(dl.Attempts[0].At).Round(time.Minute))
	// The operator's alarm counts these (template.yaml, DeliveriesFailed).
	log.Warn("delivery failed", "reason", dl.Reason, "attempts", len(dl.Attempts))
}

// open is the secrets a request to pid's ep at t is signed with, unsealed: the
// current one, and the previous one during a rotation if it opens.
func (d *Deliverer) open(ctx context.Context, pid string, ep store.Endpoint, t time.Time) ([]string, error) {
	owner := push.Owner(pid, ep.ID)
	sealed := ep.SigningSecrets(t)
	cur, err := d.Sealer.Open(ctx, sealed[0], owner)
	if err != nil {
		return nil, err
	}
	out := []string{cur}
	if len(sealed) > 1 {
		if prev, err := d.Sealer.Open(ctx, sealed[1], owner); err == nil {
			out = append(out, prev)
		}
	}
	return out, nil
}

// send makes one attempt: the registered URL checked again, the body
// signed with secrets for this attempt's time, the answer's status and at
// most answerBytes of its body read.
func (d *Deliverer) send(ctx context.Context, ep store.Endpoint, dl store.Delivery, secrets []string) store.Attempt {
	start := d.Now().UTC()
	a := store.Attempt{At: start}
	if err := push.CheckURL(ep.URL, d.Loopback); err != nil {
		a.Error = "the URL " + err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(dl.Body))
	if err == nil {
		err = push.Sign(req.Header, secrets, dl.NotificationID, start, dl.Body)
	}
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "partnerready-webhooks/1")
	t0 := time.Now()
	resp, err := d.Client.Do(req)
	if err != nil {
		a.Error, a.Duration = clip(err.Error()), time.Since(t0)
		return a
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, answerBytes))
	_ = resp.Body.Close()
	a.StatusCode, a.Duration = resp.StatusCode, time.Since(t0)
	if push.Judge(resp.StatusCode) == push.Retry {
		a.Error = clip(fmt.Sprintf("answered %s: %s", resp.Status, bytes.TrimSpace(head)))
	}
	return a
}

// clip bounds what an attempt's log keeps of an error or an answer.
func clip(s string) string {
	const max = 300
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// endpointCache reads each partner's endpoints once a run, however many
// workers want them at once.
type endpointCache struct {
	store *store.Store
	mu    sync.Mutex
	m     map[string]*endpoints
}

type endpoints struct {
	once sync.Once
	eps  []store.Endpoint
	err  error
}

func (c *endpointCache) get(ctx context.Context, pid string) ([]store.Endpoint, error) {
	c.mu.Lock()
	e, ok := c.m[pid]
	if !ok {
		e = &endpoints{}
		c.m[pid] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.eps, e.err = c.store.DeliveryEndpoints(ctx, pid) })
	if e.err != nil {
		c.mu.Lock()
		if c.m[pid] == e {
			delete(c.m, pid) // the next worker reads again
		}
		c.mu.Unlock()
		return nil, e.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[pid].eps, nil
}

// disable keeps the run from sending more to an endpoint that said 410.
func (c *endpointCache) disable(pid, id, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[pid]
	if !ok {
		return
	}
	eps := append([]store.Endpoint(nil), e.eps...)
	if i := store.EndpointIndex(eps, id); i >= 0 {
		eps[i].Disabled = reason
	}
	c.m[pid] = &endpoints{eps: eps}
	c.m[pid].once.Do(func() {})
}
