package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/sweep"
)

// sweep runs the sweep on the env's table and clock.
func (e *env) sweep() sweep.Result {
	e.t.Helper()
	certs := catalog.MustCertifications()
	sw := &sweep.Sweeper{Store: e.store, Standing: standing.Reader{Store: e.store, Specs: catalog.MustSpecializations(), Rules: catalog.MustScoringRules(certs)},
		Calendar: audit.USFederal, Now: e.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res, err := sw.Run(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// What the sweep told the partner, read through the API: 1 call a page,
// since a time, marked read once; the partner's own people only, and
// another partner's notification is a 404.
func TestNotifications(t *testing.T) {
	e := newEnv(t) // Sunday 2026-11-15 10:00
	e.withProfile(pid, "2")
	e.openAudit(pid, "issi") // step 5 due Tuesday 17
	e.later(15 * time.Hour)  // Monday 16, 01:00: the day before
	if res := e.sweep(); res.Told != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	path := "/v1/partners/" + pid + "/notifications"
	r := e.do("GET", path, e.member(pid), nil, nil)
	items := r.Object(t)["items"].([]any)
	if r.Status != http.StatusOK || r.Calls != 1 || len(items) != 1 {
		t.Fatalf("%d, %d calls: %s", r.Status, r.Calls, r.Body)
	}
	n := items[0].(map[string]any)
	if n["kind"] != "deadline_due" || n["dueOn"] != "2026-11-17" || n["readAt"] != nil {
		t.Fatalf("notification: %v", n)
	}
	id := n["id"].(string)
	read := e.do("POST", path+"/"+id+"/read", e.admin(pid), nil, nil)
	if read.Status != http.StatusOK || read.Object(t)["readAt"] == nil {
		t.Fatalf("read: %d %s", read.Status, read.Body)
	}
	if again := e.do("POST", path+"/"+id+"/read", e.admin(pid), nil, nil); again.Status != http.StatusOK || again.Object(t)["readAt"] != read.Object(t)["readAt"] {
		t.Fatalf("read again: %s", again.Body)
	}
	if l := e.do("GET", path+"?since=2026-11-16T02:00:00Z", e.member(pid), nil, nil).Object(t); len(l["items"].([]any)) != 0 {
		t.Fatalf("since after it: %v", l)
	}
	e.do("GET", path+"?since=yesterday", e.member(pid), nil, nil).Problem(t, http.StatusBadRequest)
	e.do("GET", path, e.program(), nil, nil).Problem(t, http.StatusForbidden)
	e.do("GET", path, e.member("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("POST", "/v1/partners/2/notifications/"+id+"/read", e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("POST", path+"/n-nope/read", e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/3/notifications", e.member("3"), nil, nil).Problem(t, http.StatusNotFound)
}
