package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/store"
)

// endpointRoutes are the partner's webhook endpoints, where the deliverer
// pushes its notifications, and their delivery logs: served by the
// partners function. Only a Partner Administrator changes where the
// partner's notifications go; its members read.
func (a *Partners) endpointRoutes() []Route {
	const all = "/v1/partners/{partnerId}/webhook-endpoints"
	const one = all + "/{endpointId}"
	return []Route{
		route(http.MethodPost, all, partnerAdmin, a.addEndpoint),
		route(http.MethodGet, all, partnerOwn, a.listEndpoints),
		route(http.MethodGet, one, partnerOwn, a.getEndpoint),
		route(http.MethodDelete, one, partnerAdmin, a.deleteEndpoint),
		route(http.MethodPost, one+"/secret-rotation", partnerAdmin, a.rotateSecret),
		// Enabling an enabled endpoint changes nothing: safe to retry as is.
		route(http.MethodPost, one+"/reactivation", partnerAdmin, a.reactivateEndpoint).pure(),
		route(http.MethodGet, one+"/deliveries", partnerOwn, a.listDeliveries).query(paging...),
	}
}

// WithEndpointSecrets is the sealer the endpoints' secrets are kept
// under (push.Sealer): without one, registrations and rotations are 503s.
func (a *Partners) WithEndpointSecrets(s push.Sealer) *Partners { a.sealer = s; return a }

// WithLoopbackEndpoints lets endpoints on this machine (http://127.0.0.1,
// localhost) be registered: the local server's, never the stack's.
func (a *Partners) WithLoopbackEndpoints() *Partners { a.loopback = true; return a }

type endpointInput struct {
	URL         string `json:"url"`
	Description string `json:"description"`
}

type endpointOutput struct {
	ID          string  `json:"id"`
	URL         string  `json:"url"`
	Description *string `json:"description"`
	Status      string  `json:"status"`
	// DisabledReason says why a disabled endpoint receives nothing.
	DisabledReason *string    `json:"disabledReason"`
	DisabledAt     *time.Time `json:"disabledAt"`
	// PreviousSecretUntil: during a rotation, the old secret signs too
	// until then.
	PreviousSecretUntil *time.Time `json:"previousSecretUntil"`
	CreatedAt           time.Time  `json:"createdAt"`
	UpdatedAt           time.Time  `json:"updatedAt"`
}

// endpointWithSecret is the answer of a registration and of a rotation:
// the only ones that carry the secret.
type endpointWithSecret struct {
	endpointOutput
	Secret string `json:"secret"`
}

func endpointView(e store.Endpoint, now time.Time) endpointOutput {
	out := endpointOutput{ID: e.ID, URL: e.URL, Status: "active", CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if e.Description != "" {
		out.Description = &e.Description
	}
	if e.Disabled != "" {
		out.Status, out.DisabledReason, out.DisabledAt = "disabled", &e.Disabled, &e.DisabledAt
	}
	if e.Previous != "" && now.Before(e.PreviousUntil) {
		out.PreviousSecretUntil = &e.PreviousUntil
	}
	return out
}

func (a *Partners) addEndpoint(w http.ResponseWriter, r *http.Request) error {
	var in endpointInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	if e.required(root, "url", in.URL) {
		err := push.CheckURL(in.URL, a.loopback)
		if err == nil {
			err = push.CheckResolves(r.Context(), in.URL, a.loopback)
		}
		if errors.Is(err, push.ErrResolver) {
			return unavailable("5", "The URL's host could not be resolved just now (DNS did not answer); nothing was written. Retry shortly.")
		}
		if err != nil {
			e.at(root, "url", err.Error())
		}
	}
	if in.Description != "" {
		e.text(root, "description", in.Description, MaxNameChars)
	}
	if e.any() {
		return e.problem()
	}
	pid, id, secret := r.PathValue("partnerId"), store.NewID(a.now()), push.NewSecret()
	sealed, err := a.sealer.Seal(r.Context(), secret, push.Owner(pid, id))
	if err != nil {
		return sealerDown(r, err)
	}
	ep, err := a.store.AddEndpoint(r.Context(), pid, store.Endpoint{ID: id, URL: in.URL, Description: in.Description, Secret: sealed})
	if err != nil {
		return endpointError(err, "")
	}
	w.Header().Set("Location", r.URL.Path+"/"+ep.ID)
	return writeJSON(w, http.StatusCreated, endpointWithSecret{endpointView(ep, a.now()), secret})
}

// sealerDown: the key endpoint secrets are sealed with cannot be read
// (Secrets Manager): our side, nothing written. The cause goes to the
// request's log line (it holds no secret), for the operator.
func sealerDown(r *http.Request, err error) *Problem {
	info(r.Context()).err = err
	return unavailable("5", "The key webhook secrets are kept under cannot be read right now; nothing was written. Retry shortly.")
}

// errRotating refuses a rotation during another's overlap.
func errRotating(until time.Time) *Problem {
	return problem(http.StatusConflict, "rotation-in-progress", "Rotation in progress",
		"The previous secret still signs until "+until.UTC().Format(time.RFC3339)+"; rotate again after that. To stop a leaked secret at once, remove the endpoint and register it again. Nothing was written.")
}

// endpointError is storeError with the endpoint limit.
func endpointError(err error, id string) error {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if err == store.ErrTooManyEndpoints {
		return problem(http.StatusConflict, "endpoint-limit", "Too many webhook endpoints",
			"A partner registers at most 5 webhook endpoints; remove one (DELETE …/webhook-endpoints/{endpointId}) first. Nothing was written.")
	}
	return storeError(err, "Webhook endpoint "+id)
}

func (a *Partners) listEndpoints(w http.ResponseWriter, r *http.Request) error {
	eps, err := a.store.Endpoints(r.Context(), r.PathValue("partnerId"))
	if err != nil {
		return storeError(err, "")
	}
	out := list[endpointOutput]{Items: make([]endpointOutput, 0, len(eps))}
	for _, e := range eps {
		out.Items = append(out.Items, endpointView(e, a.now()))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *Partners) getEndpoint(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpointId")
	e, err := a.store.GetEndpoint(r.Context(), r.PathValue("partnerId"), id)
	if err != nil {
		return endpointError(err, id)
	}
	return writeJSON(w, http.StatusOK, endpointView(e, a.now()))
}

func (a *Partners) deleteEndpoint(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpointId")
	if err := a.store.DeleteEndpoint(r.Context(), r.PathValue("partnerId"), id); err != nil {
		return endpointError(err, id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// rotateSecret gives the endpoint a new secret, shown once; deliveries are
// signed with both for store.RotationOverlap, so that the receiver can
// switch without missing one.
func (a *Partners) rotateSecret(w http.ResponseWriter, r *http.Request) error {
	id, secret := r.PathValue("endpointId"), push.NewSecret()
	sealed, err := a.sealer.Seal(r.Context(), secret, push.Owner(r.PathValue("partnerId"), id))
	if err != nil {
		return sealerDown(r, err)
	}
	now := a.now()
	ep, err := a.store.ChangeEndpoint(r.Context(), r.PathValue("partnerId"), id, func(e *store.Endpoint) (bool, error) {
		// A second rotation within the overlap would drop, at once, the
		// secret receivers may still be on.
		if e.Previous != "" && now.Before(e.PreviousUntil) {
			return false, errRotating(e.PreviousUntil)
		}
		e.Previous, e.PreviousUntil, e.Secret = e.Secret, now.UTC().Add(store.RotationOverlap), sealed
		return true, nil
	})
	if err != nil {
		return endpointError(err, id)
	}
	return writeJSON(w, http.StatusOK, endpointWithSecret{endpointView(ep, now), secret})
}

// reactivateEndpoint enables an endpoint disabled by a 410: deliveries
// made from then on go to it again (those failed meanwhile stay failed).
func (a *Partners) reactivateEndpoint(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("endpointId")
	ep, err := a.store.ChangeEndpoint(r.Context(), r.PathValue("partnerId"), id, func(e *store.Endpoint) (bool, error) {
		if e.Disabled == "" {
			return false, nil
		}
		e.Disabled, e.DisabledAt = "", time.Time{}
		return true, nil
	})
	if err != nil {
		return endpointError(err, id)
	}
	return writeJSON(w, http.StatusOK, endpointView(ep, a.now()))
}

type deliveryOutput struct {
	NotificationID string          `json:"notificationId"`
	EndpointID     string          `json:"endpointId"`
	WebhookID      string          `json:"webhookId"`
	Status         string          `json:"status"`
	Reason         *string         `json:"reason"`
	NextAttemptAt  *time.Time      `json:"nextAttemptAt"`
	Attempts       []attemptOutput `json:"attempts"`
	CreatedAt      time.Time       `json:"createdAt"`
	UpdatedAt      time.Time       `json:"updatedAt"`
}

type attemptOutput struct {
	At         time.Time `json:"at"`
	StatusCode *int      `json:"statusCode"`
	Error      *string   `json:"error"`
	DurationMs int64     `json:"durationMs"`
}

func deliveryView(d store.Delivery) deliveryOutput {
	out := deliveryOutput{NotificationID: d.NotificationID, EndpointID: d.EndpointID, WebhookID: d.NotificationID, Status: d.Status,
		Attempts: make([]attemptOutput, 0, len(d.Attempts)), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	if d.Reason != "" {
		out.Reason = &d.Reason
	}
	if d.Status == store.DeliveryPending && !d.NextAt.IsZero() {
		out.NextAttemptAt = &d.NextAt
	}
	for _, at := range d.Attempts {
		o := attemptOutput{At: at.At, DurationMs: at.Duration.Milliseconds()}
		if at.StatusCode != 0 {
			o.StatusCode = &at.StatusCode
		}
		if at.Error != "" {
			o.Error = &at.Error
		}
		out.Attempts = append(out.Attempts, o)
	}
	return out
}

func (a *Partners) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	id := r.PathValue("endpointId")
	if !store.ValidID(id) {
		return endpointError(store.ErrNotFound, id)
	}
	page, err := a.store.ListDeliveries(r.Context(), r.PathValue("partnerId"), id, limit, cursor)
	if err != nil {
		return endpointError(err, id)
	}
	return writeJSON(w, http.StatusOK, newList(page, deliveryView))
}
