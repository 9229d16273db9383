package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func person(certs ...map[string]any) map[string]any {
	list := []any{}
	for _, c := range certs {
		list = append(list, c)
	}
	return map[string]any{"displayName": "Ada Lovelace", "certifications": list}
}

func cert(id, earned string) map[string]any { return map[string]any{"id": id, "earnedOn": earned} }

func TestIndividualLifecycle(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid)
	tok := e.member(pid)
	path := "/v1/partners/" + pid + "/individuals/MCP.123_a-b"

	c := cert("azure-administrator-associate", "2025-03-01")
	c["expiresOn"] = "2026-03-01"
	r := e.do("PUT", path, tok, person(c, cert("azure-solutions-architect-expert", "2025-06-30")), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	got := e.do("GET", path, tok, nil, nil)
	certs := got.Object(t)["certifications"].([]any)
	if len(certs) != 2 || certs[0].(map[string]any)["expiresOn"] != "2026-03-01" || got.Calls != 1 {
		t.Fatalf("read back: %s (calls %d)", got.Body, got.Calls)
	}
	e.do("DELETE", path, tok, nil, header{"If-Match": `"9"`}).Problem(t, http.StatusPreconditionFailed)
	if r := e.do("DELETE", path, tok, nil, header{"If-Match": `"1"`}); r.Status != http.StatusNoContent || len(r.Body) != 0 || r.Calls != 2 {
		t.Fatalf("delete: %d %s calls=%d", r.Status, r.Body, r.Calls)
	}
	e.do("GET", path, tok, nil, nil).Problem(t, http.StatusNotFound)
	e.do("DELETE", path, tok, nil, nil).Problem(t, http.StatusNotFound)
}

func TestIndividualBadInput(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid)
	tok := e.admin(pid)
	path := "/v1/partners/" + pid + "/individuals/ada"

	exp := cert("azure-administrator-associate", "2025-03-01")
	exp["expiresOn"] = "2025-02-01"
	f := e.do("PUT", path, tok, person(
		cert("azure-underwater-basket-weaving", "2025-01-01"),
		cert("azure-developer-associate", "2026-11-30"),
		exp,
		cert("data-analyst-associate", "2025-02-30"),
	), nil).Problem(t, http.StatusUnprocessableEntity)
	want := []string{"certifications[0].id", "certifications[1].earnedOn", "certifications[2].expiresOn", "certifications[3].earnedOn"}
	for _, field := range want {
		if f[field] == "" {
			t.Errorf("no error for %s: %v", field, f)
		}
	}
	if !strings.Contains(f["certifications[0].id"], "catalogue") {
		t.Errorf("unknown certification message: %q", f["certifications[0].id"])
	}
	f = e.do("PUT", path, tok, person(cert("data-analyst-associate", "2025-01-01"), cert("data-analyst-associate", "2025-05-01")), nil).Problem(t, http.StatusUnprocessableEntity)
	if f["certifications[1].id"] != "repeats certifications[0].id" {
		t.Errorf("duplicate certification not named: %v", f)
	}
	f = e.do("PUT", "/v1/partners/"+pid+"/individuals/"+strings.Repeat("a", 65), tok, person(), nil).Problem(t, http.StatusBadRequest)
	if f["individualId"] == "" {
		t.Errorf("bad individual id not named: %v", f)
	}
	e.do("PUT", "/v1/partners/"+pid+"/individuals/a%20b", tok, person(), nil).Problem(t, http.StatusBadRequest)
	e.do("GET", "/v1/partners/"+pid+"/individuals", tok, nil, nil)
	if r := e.do("GET", "/v1/partners/"+pid+"/individuals", tok, nil, nil); len(r.Object(t)["items"].([]any)) != 0 {
		t.Fatalf("bad input wrote someone: %s", r.Body)
	}
}

func TestListIndividualsPagination(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid, "999")
	tok := e.admin(pid)
	for i := range 5 {
		e.do("PUT", fmt.Sprintf("/v1/partners/%s/individuals/p%d", pid, i), tok, person(), nil)
	}
	e.do("PUT", "/v1/partners/999/individuals/intruder", e.admin("999"), person(), nil)

	var seen []string
	cursor := ""
	for {
		path := "/v1/partners/" + pid + "/individuals?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := e.do("GET", path, e.program(), nil, nil)
		if r.Status != 200 || r.Calls != 1 {
			t.Fatalf("page: %d calls=%d %s", r.Status, r.Calls, r.Body)
		}
		m := r.Object(t)
		for _, it := range m["items"].([]any) {
			seen = append(seen, it.(map[string]any)["individualId"].(string))
		}
		next, _ := m["nextCursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(seen) != "[p0 p1 p2 p3 p4]" {
		t.Fatalf("pages gave %v", seen)
	}
	for _, q := range []string{"limit=0", "limit=201", "limit=x", "cursor=%25%25", "cursor=eyJzIjoiQ1VTVCN4In0"} {
		e.do("GET", "/v1/partners/"+pid+"/individuals?"+q, tok, nil, nil).Problem(t, http.StatusBadRequest)
	}
}

func TestCustomers(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid)
	tok := e.admin(pid)
	upper := "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	r := e.do("PUT", "/v1/partners/"+pid+"/customers/"+upper, tok, map[string]any{"name": "Fabrikam", "association": "PAL", "government": true}, nil)
	if r.Status != 201 || r.Object(t)["tenantId"] != strings.ToLower(upper) {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	got := e.do("GET", "/v1/partners/"+pid+"/customers/"+strings.ToLower(upper), tok, nil, nil).Object(t)
	if got["government"] != true || got["affiliated"] != false || got["association"] != "PAL" {
		t.Fatalf("read back: %v", got)
	}
	f := e.do("PUT", "/v1/partners/"+pid+"/customers/not-a-guid", tok, map[string]any{"name": "x", "association": "PAL"}, nil).Problem(t, http.StatusBadRequest)
	if f["tenantId"] == "" {
		t.Fatalf("bad tenant not named: %v", f)
	}
	f = e.do("PUT", "/v1/partners/"+pid+"/customers/"+upper, tok, map[string]any{"name": "x", "association": "RESELLER"}, nil).Problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(f["association"], "CSP_TIER1") {
		t.Fatalf("association message: %v", f)
	}
	e.do("PUT", "/v1/partners/"+pid+"/customers/"+upper, tok, map[string]any{"name": "x", "association": "PAL", "government": "yes"}, nil).Problem(t, http.StatusBadRequest)
	list := e.do("GET", "/v1/partners/"+pid+"/customers", e.member(pid), nil, nil)
	if items := list.Object(t)["items"].([]any); len(items) != 1 || list.Calls != 1 {
		t.Fatalf("list: %s calls=%d", list.Body, list.Calls)
	}
	e.do("GET", "/v1/partners/"+pid+"/customers", e.member("77"), nil, nil).Problem(t, http.StatusNotFound)
	e.withProfile("77")
	if items := e.do("GET", "/v1/partners/77/customers", e.member("77"), nil, nil).Object(t)["items"].([]any); len(items) != 0 {
		t.Fatalf("partner 77 sees %v", items)
	}
}
