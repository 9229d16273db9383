package httpapi

import (
	"net/http"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/strictjson"
)

// partnerOwn: the partner's own people only (what the partner is told).
var partnerOwn = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember}, OwnPartner: true}

// notificationRoutes are the partner's notifications, served by the
// partners function: what the sweep told it.
func (a *Partners) notificationRoutes() []Route {
	return []Route{
		route(http.MethodGet, "/v1/partners/{partnerId}/notifications", partnerOwn, a.listNotifications).query("limit", "cursor", "since"),
		// Marking read again changes nothing: safe to retry as is.
		route(http.MethodPost, "/v1/partners/{partnerId}/notifications/{notificationId}/read", partnerOwn, a.readNotification).pure(),
	}
}

// notificationOutput is one notification on the wire (DESIGN's fields).
type notificationOutput struct {
	ID        string      `json:"id"`
	Kind      string      `json:"kind"`
	Subject   string      `json:"subject"`
	DueOn     domain.Date `json:"dueOn"`
	CreatedAt time.Time   `json:"createdAt"`
	Detail    string      `json:"detail"`
	ReadAt    *time.Time  `json:"readAt"`
}

func notificationView(n store.Notification) notificationOutput {
	out := notificationOutput{ID: n.ID, Kind: n.Kind, Subject: n.Subject, DueOn: n.DueOn, CreatedAt: n.CreatedAt, Detail: n.Detail}
	if !n.ReadAt.IsZero() {
		out.ReadAt = &n.ReadAt
	}
	return out
}

func (a *Partners) listNotifications(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			return badRequest("since is not a date and time.", FieldError{Field: "since", Message: "must be an RFC 3339 date and time (2026-11-20T09:30:00Z)"})
		}
	}
	page, err := a.store.ListNotifications(r.Context(), r.PathValue("partnerId"), since, limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, notificationView))
}

func (a *Partners) readNotification(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("notificationId")
	n, err := a.store.MarkNotificationRead(r.Context(), r.PathValue("partnerId"), id)
	if err != nil {
		return storeError(err, "Notification "+strictjson.Shorten(id))
	}
	w.Header().Set("ETag", etag(n.Version))
	return writeJSON(w, http.StatusOK, notificationView(n))
}
