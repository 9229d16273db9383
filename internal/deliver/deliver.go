// Package deliver pushes partners' notifications to their webhook
// endpoints, as a job of its own (functions/deliverer, every minute) so
// that a slow or dead receiver never holds up the sweep that wrote them.
// A run fans each new notification out into one delivery per active
// endpoint (store.FanOut), then attempts every delivery due: claimed first
// (so two runs at once never both send it), signed with the endpoint's
// secrets (package push), sent through a client that reaches only the
// internet, and recorded: delivered on a 2xx, failed and the endpoint
// disabled on a 410, otherwise tried again on push.Retries' schedule and
// failed when it is spent.
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
	Retrying  int // failed this time, to be tried again
	Failed    int // given up (retries spent, 410, endpoint removed or disabled)
	// Stopped: the run's time was up; what it did not take is still due.
	Stopped bool
}

const (
	pageSize = 100
	// workers is how many deliveries are attempted at once: one slow
	// receiver holds one of them, not the run.
	workers = 8
	// claimFor is how long a claim holds a delivery: longer than an
	// attempt can take, so a delivery is never sent by two runs at once.
	claimFor = 2 * push.AttemptTimeout
	// reserve is the time a run keeps for its last attempts before its
	// deadline: it claims nothing after that.
	reserve = 2 * push.AttemptTimeout
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

// fanOut turns each new notification into its deliveries. Each one leaves
// the index as it is fanned out, so every page is read from the start
// again; one that failed stays and is read past.
func (d *Deliverer) fanOut(ctx context.Context, res *Result) error {
	seen := map[store.Push]bool{}
	cursor := ""
	for {
		page, err := d.Store.DuePushes(ctx, d.Now(), pageSize, cursor)
		if err != nil {
			return err
		}
		fresh := 0
		for _, p := range page.Items {
			if seen[p] {
				continue
			}
			seen[p], fresh = true, fresh+1
			if late(ctx) {
				res.Stopped = true
				return nil
			}
			if _, err := d.Store.FanOut(ctx, p, Body); err != nil {
				d.Log.Error("fan out", "partnerId", p.PartnerID, "notificationId", p.NotificationID, "error", err.Error())
				continue
			}
			res.FannedOut++
		}
		switch {
		case page.NextCursor == "":
			return nil
		case fresh == 0:
			cursor = page.NextCursor
		default:
			cursor = ""
		}
	}
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

// attemptDue attempts the due deliveries, workers at a time, a page at a
// time: a claimed delivery leaves what is due, so each page is read from
// the start again.
func (d *Deliverer) attemptDue(ctx context.Context, res *Result) error {
	eps := endpointCache{store: d.Store, m: map[string][]store.Endpoint{}}
	seen := map[string]bool{}
	cursor := ""
	var mu sync.Mutex
	for {
		page, err := d.Store.DueDeliveries(ctx, d.Now(), pageSize, cursor)
		if err != nil {
			return err
		}
		fresh := 0
		sem := make(chan struct{}, workers)
		var wg sync.WaitGroup
		for _, dl := range page.Items {
			id := dl.PartnerID + "/" + dl.EndpointID + "/" + dl.NotificationID
			if seen[id] {
				continue
			}
			seen[id], fresh = true, fresh+1
			if late(ctx) {
				res.Stopped = true
				break
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				one := d.attempt(ctx, dl, &eps)
				mu.Lock()
				res.add(one)
				mu.Unlock()
			}()
		}
		wg.Wait()
		switch {
		case res.Stopped, page.NextCursor == "":
			return nil
		case fresh == 0:
			cursor = page.NextCursor
		default:
			cursor = ""
		}
	}
}

func (r *Result) add(o Result) {
	r.Attempts += o.Attempts
	r.Delivered += o.Delivered
	r.Retrying += o.Retrying
	r.Failed += o.Failed
}

// attempt claims one delivery, sends it and records what became of it.
func (d *Deliverer) attempt(ctx context.Context, dl store.Delivery, eps *endpointCache) Result {
	var res Result
	log := d.Log.With("partnerId", dl.PartnerID, "endpointId", dl.EndpointID, "notificationId", dl.NotificationID)
	claimed, err := d.Store.ClaimDelivery(ctx, dl, d.Now().Add(claimFor))
	if errors.Is(err, store.ErrDeliveryTaken) {
		return res
	}
	if err != nil {
		log.Error("claim delivery", "error", err.Error())
		return res
	}
	all, err := eps.get(ctx, dl.PartnerID)
	if err != nil {
		log.Error("read endpoints", "error", err.Error())
		return res // the claim runs out and the delivery is due again
	}
	var ep *store.Endpoint
	for i := range all {
		if all[i].ID == dl.EndpointID {
			ep = &all[i]
		}
	}
	switch {
	case ep == nil:
		claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint was removed"
	case ep.Disabled != "":
		claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint is disabled: "+ep.Disabled
	default:
		a := d.send(ctx, *ep, claimed)
		claimed.Attempts = append(claimed.Attempts, a)
		res.Attempts++
		switch push.Judge(a.StatusCode) {
		case push.Delivered:
			claimed.Status = store.DeliveryDelivered
		case push.Gone:
			claimed.Status, claimed.Reason = store.DeliveryFailed, "the endpoint answered 410 Gone and was disabled"
			reason := fmt.Sprintf("answered 410 Gone on %s", a.At.Format(time.RFC3339))
			if _, err := d.Store.ChangeEndpoint(ctx, dl.PartnerID, ep.ID, func(e *store.Endpoint) (bool, error) {
				if e.Disabled != "" {
					return false, nil
				}
				e.Disabled, e.DisabledAt = reason, a.At
				return true, nil
			}); err != nil && !errors.Is(err, store.ErrNotFound) {
				log.Error("disable endpoint", "error", err.Error())
			}
			eps.disable(dl.PartnerID, ep.ID, reason)
		default:
			if wait, ok := push.RetryAfter(len(claimed.Attempts)); ok {
				claimed.NextAt = a.At.Add(wait)
			} else {
				claimed.Status = store.DeliveryFailed
				claimed.Reason = fmt.Sprintf("no 2xx answer in %d attempts over %s", len(claimed.Attempts), a.At.Sub(claimed.Attempts[0].At).Round(time.Minute))
			}
		}
	}
	if claimed.Status != store.DeliveryPending {
		claimed.NextAt = time.Time{}
	}
	if err := d.Store.RecordDelivery(ctx, claimed); err != nil {
		log.Error("record delivery", "error", err.Error())
		return res
	}
	switch claimed.Status {
	case store.DeliveryDelivered:
		res.Delivered++
	case store.DeliveryFailed:
		res.Failed++
		// The operator's alarm counts these (template.yaml, DeliveriesFailed).
		log.Warn("delivery failed", "reason", claimed.Reason, "attempts", len(claimed.Attempts))
	default:
		res.Retrying++
	}
	return res
}

// send makes one attempt: the registered URL checked again, the body
// signed for this attempt's time, the answer's status and at most
// answerBytes of its body read.
func (d *Deliverer) send(ctx context.Context, ep store.Endpoint, dl store.Delivery) store.Attempt {
	start := d.Now().UTC()
	a := store.Attempt{At: start}
	if err := push.CheckURL(ep.URL, d.Loopback); err != nil {
		a.Error = "the URL " + err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(dl.Body))
	if err == nil {
		err = push.Sign(req.Header, ep.SigningSecrets(start), dl.NotificationID, start, dl.Body)
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

// endpointCache reads each partner's endpoints once a run.
type endpointCache struct {
	store *store.Store
	mu    sync.Mutex
	m     map[string][]store.Endpoint
}

func (c *endpointCache) get(ctx context.Context, pid string) ([]store.Endpoint, error) {
	c.mu.Lock()
	eps, ok := c.m[pid]
	c.mu.Unlock()
	if ok {
		return eps, nil
	}
	eps, err := c.store.DeliveryEndpoints(ctx, pid)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[pid] = eps
	c.mu.Unlock()
	return eps, nil
}

// disable keeps the run from sending more to an endpoint that said 410.
func (c *endpointCache) disable(pid, id, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	eps := append([]store.Endpoint(nil), c.m[pid]...)
	for i := range eps {
		if eps[i].ID == id {
			eps[i].Disabled = reason
		}
	}
	c.m[pid] = eps
}
