package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
)

const pid = "1234567"

var contoso = map[string]any{"name": "Contoso", "country": "FR", "locations": []any{map[string]any{"id": "7654321", "country": "FR"}}}

func TestPartnerProfileLifecycle(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)

	r := e.do("PUT", "/v1/partners/"+pid, tok, contoso, nil)
	if r.Status != http.StatusCreated || r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/v1/partners/"+pid {
		t.Fatalf("create: %d %v %s", r.Status, r.Header, r.Body)
	}
	if r.Calls != 2 {
		t.Fatalf("PUT partner took %d DynamoDB calls, want 2 (read version, conditional put)", r.Calls)
	}

	r = e.do("GET", "/v1/partners/"+pid, e.member(pid), nil, nil)
	if r.Status != 200 || r.Object(t)["name"] != "Contoso" || r.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %d %s", r.Status, r.Body)
	}
	if r.Calls != 1 {
		t.Fatalf("GET partner took %d DynamoDB calls, want exactly 1", r.Calls)
	}

	renamed := map[string]any{"name": "Contoso SAS", "country": "FR"}
	r = e.do("PUT", "/v1/partners/"+pid, tok, renamed, header{"If-Match": `"1"`})
	if r.Status != 200 || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("replace: %d %s", r.Status, r.Body)
	}
	if locs := r.Object(t)["locations"].([]any); len(locs) != 0 {
		t.Fatalf("PUT replaces the whole profile; locations kept: %v", locs)
	}

	// Stale and impossible preconditions lose nothing.
	e.do("PUT", "/v1/partners/"+pid, tok, contoso, header{"If-Match": `"1"`}).Problem(t, http.StatusPreconditionFailed)
	e.do("PUT", "/v1/partners/"+pid, tok, contoso, header{"If-Match": `W/"2"`}).Problem(t, http.StatusPreconditionFailed)
	e.do("PUT", "/v1/partners/"+pid, tok, contoso, header{"If-None-Match": "*"}).Problem(t, http.StatusPreconditionFailed)
	if got := e.do("GET", "/v1/partners/"+pid, tok, nil, nil).Object(t); got["name"] != "Contoso SAS" || got["version"].(float64) != 2 {
		t.Fatalf("a failed precondition changed the profile: %v", got)
	}
}

func TestPartnerAccess(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/v1/partners/"+pid, e.admin(pid), contoso, nil)

	// Another partner's data is a 404, exactly like a partner that does not exist.
	other := e.do("GET", "/v1/partners/"+pid, e.admin("999"), nil, nil)
	other.Problem(t, http.StatusNotFound)
	missing := e.do("GET", "/v1/partners/999", e.admin("999"), nil, nil)
	missing.Problem(t, http.StatusNotFound)
	if other.Calls != 0 {
		t.Fatalf("the tenant guard read the table (%d calls) before refusing", other.Calls)
	}
	e.do("PUT", "/v1/partners/"+pid, e.admin("999"), contoso, nil).Problem(t, http.StatusNotFound)

	// The program sees every partner but writes none.
	if r := e.do("GET", "/v1/partners/"+pid, e.program(), nil, nil); r.Status != 200 {
		t.Fatalf("program manager read: %d", r.Status)
	}
	e.do("PUT", "/v1/partners/"+pid, e.program(), contoso, nil).Problem(t, http.StatusForbidden)

	// A role the route does not list is a 403, whatever the partner.
	auditor, err := e.key.Sign(auth.TokenSpec{Subject: "auditor", Roles: []auth.Role{auth.RoleAuditor}, AuditFirm: "issi", TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/v1/partners/"+pid, auditor, nil, nil).Problem(t, http.StatusForbidden)
	e.do("GET", "/v1/partners", e.admin(pid), nil, nil).Problem(t, http.StatusForbidden)

	r := e.do("GET", "/v1/partners", e.program(), nil, nil)
	if r.Status != 200 || len(r.Object(t)["items"].([]any)) != 1 || r.Calls != 1 {
		t.Fatalf("list partners: %d calls=%d %s", r.Status, r.Calls, r.Body)
	}
}

func TestPartnerBadInput(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)
	put := func(body any, h header) response { return e.do("PUT", "/v1/partners/"+pid, tok, body, h) }

	put(`{"name": "Contoso",`, nil).Problem(t, http.StatusBadRequest)
	put(`{"name": "Contoso", "country": "FR"} {}`, nil).Problem(t, http.StatusBadRequest)
	put(`[]`, nil).Problem(t, http.StatusBadRequest)
	put(``, nil).Problem(t, http.StatusBadRequest)
	if f := put(`{"name": "Contoso", "country": "FR", "tier": "gold"}`, nil).Problem(t, http.StatusBadRequest); f["tier"] == "" {
		t.Fatalf("unknown field not named: %v", f)
	}
	if f := put(`{"name": 42, "country": "FR"}`, nil).Problem(t, http.StatusBadRequest); f["name"] != "must be a string" {
		t.Fatalf("wrong type not named: %v", f)
	}
	put(contoso, header{"Content-Type": "text/plain"}).Problem(t, http.StatusUnsupportedMediaType)

	f := put(map[string]any{"name": "  ", "country": "fr", "locations": []any{
		map[string]any{"id": "1", "country": "FR"}, map[string]any{"id": "1", "country": "FR"}, map[string]any{"id": "PLA-1", "country": "FR"},
	}}, nil).Problem(t, http.StatusUnprocessableEntity)
	for _, field := range []string{"name", "country", "locations[1].id", "locations[2].id"} {
		if f[field] == "" {
			t.Errorf("no error for %s in %v", field, f)
		}
	}

	big := `{"name": "` + strings.Repeat("x", 1<<20) + `", "country": "FR"}`
	put(big, nil).Problem(t, http.StatusRequestEntityTooLarge)

	if f := e.do("GET", "/v1/partners/12ab", tok, nil, nil).Problem(t, http.StatusBadRequest); f["partnerId"] == "" {
		t.Fatalf("bad partner id not named: %v", f)
	}
	// Nothing of all that was written.
	e.do("GET", "/v1/partners/"+pid, tok, nil, nil).Problem(t, http.StatusNotFound)
}

func TestUnknownPathsAndMethods(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/v1/nothing-here", e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
	r := e.do("PATCH", "/v1/partners/"+pid, e.admin(pid), contoso, nil)
	r.Problem(t, http.StatusMethodNotAllowed)
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PUT") {
		t.Fatalf("Allow: %q", allow)
	}
	for _, unclean := range []string{"/v1//health", "/v1/health/", "/v1/partners/" + pid + "/../" + pid} {
		e.do("GET", unclean, e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
	}
	// A path that names a POST-only resource is a 405, though it also fits a GET route's template.
	r = e.do("GET", "/v1/partners/"+pid+"/scores/simulations", e.admin(pid), nil, nil)
	r.Problem(t, http.StatusMethodNotAllowed)
	if r.Header.Get("Allow") != "POST" {
		t.Fatalf("Allow: %q", r.Header.Get("Allow"))
	}
	if r := e.do("GET", "/v1/health", "", nil, nil); r.Status != 200 || r.Object(t)["status"] != "ok" {
		t.Fatalf("health: %d %s", r.Status, r.Body)
	}
}
