package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A partner's people, customers, consumption, scores and readiness exist only
// under its profile: without one, every route under the partner is a 404 that
// says to create the profile first, and nothing is written.
func TestDataNeedsAProfile(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)
	p := "/v1/partners/" + pid
	rec := `{"records":[{"tenantId":"` + tenant(0) + `","month":"2026-10","serviceLevel2":"VM","serviceGroup":"Compute","offer":"CSP","acrUsd":1}]}`
	key := `{"records":[{"tenantId":"` + tenant(0) + `","month":"2026-10","serviceLevel2":"VM","offer":"CSP"}]}`
	for _, c := range []struct{ method, path, body string }{
		{"PUT", p + "/individuals/p1", `{"displayName":"Ada"}`},
		{"GET", p + "/individuals/p1", ""},
		{"GET", p + "/individuals", ""},
		{"DELETE", p + "/individuals/p1", ""},
		{"PUT", p + "/customers/" + tenant(0), `{"name":"F","association":"PAL"}`},
		{"GET", p + "/customers/" + tenant(0), ""},
		{"GET", p + "/customers", ""},
		{"DELETE", p + "/customers/" + tenant(0), ""},
		{"POST", p + "/consumption", rec},
		{"POST", p + "/consumption/deletions", key},
		{"GET", p + "/consumption", ""},
		{"GET", p + "/consumption?month=2026-10", ""},
		{"GET", p + "/scores", ""},
		{"GET", p + "/scores/data-ai", ""},
		{"GET", p + "/scores/data-ai/plan", ""},
		{"POST", p + "/scores/simulations", `{}`},
		{"GET", p + "/specializations", ""},
		{"GET", p + "/specializations/ai-and-machine-learning-in-microsoft-azure", ""},
	} {
		var body any
		if c.body != "" {
			body = c.body
		}
		r := e.do(c.method, c.path, tok, body, nil)
		r.Problem(t, http.StatusNotFound)
		if m := r.Object(t); m["type"] != "urn:partnerready:problem:no-profile" || !strings.Contains(m["detail"].(string), "PUT /v1/partners/"+pid) {
			t.Errorf("%s %s: %s", c.method, c.path, r.Body)
		}
	}
	e.withProfile(pid)
	if r := e.do("GET", p+"/individuals", tok, nil, nil); r.Status != http.StatusOK || r.Calls != 1 {
		t.Fatalf("with a profile: %d (%d calls) %s", r.Status, r.Calls, r.Body)
	}
	if r := e.do("GET", p+"/scores", tok, nil, nil); r.Status != http.StatusOK || r.Calls != 1 {
		t.Fatalf("scores with a profile: %d (%d calls)", r.Status, r.Calls)
	}
}

// DELETE of a customer honours If-Match; its consumption stays stored but
// stops counting, counts again when the customer is registered again, and
// is erased by POST …/consumption/deletions.
func TestDeleteCustomerAndItsConsumption(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 2)
	tok := e.admin(pid)
	p := "/v1/partners/" + pid
	var recs []map[string]any
	for c := range 2 {
		for _, m := range []string{"2026-09", "2026-10"} {
			recs = append(recs, record(c, m, 1500))
		}
	}
	e.do("POST", p+"/consumption", tok, batch(recs...), nil)
	eligible := func() float64 {
		area := e.do("GET", p+"/scores/data-ai?asOf=2026-10", tok, nil, nil).Object(t)
		return float64(len(metric(t, area, "net_customer_adds")["inputs"].(map[string]any)["eligibleCustomers"].([]any)))
	}
	if n := eligible(); n != 2 {
		t.Fatalf("eligible customers before: %v", n)
	}
	cust := p + "/customers/" + tenant(1)
	e.do("DELETE", cust, tok, nil, header{"If-Match": `"7"`}).Problem(t, http.StatusPreconditionFailed)
	if r := e.do("DELETE", cust, tok, nil, header{"If-Match": `"5", "1"`}); r.Status != http.StatusNoContent || r.Calls != 2 {
		t.Fatalf("delete: %d (%d calls) %s", r.Status, r.Calls, r.Body)
	}
	e.do("GET", cust, tok, nil, nil).Problem(t, http.StatusNotFound)
	e.do("DELETE", cust, tok, nil, header{"If-Match": `"1"`}).Problem(t, http.StatusNotFound)
	if n := eligible(); n != 1 {
		t.Fatalf("a deleted customer's consumption still counts: %v eligible", n)
	}
	if items := consumptionItems(t, e, "?month=2026-10"); len(items) != 2 {
		t.Fatalf("a deleted customer's consumption is kept: %v", items)
	}
	// New consumption for a tenant that is no longer a customer is refused.
	f := e.do("POST", p+"/consumption", tok, batch(record(1, "2026-08", 5)), nil).Problem(t, http.StatusUnprocessableEntity)
	if f["records[0].tenantId"] == "" {
		t.Fatalf("consumption of a deleted customer: %v", f)
	}
	e.do("PUT", cust, tok, map[string]any{"name": "c1", "association": "CSP_TIER1"}, nil)
	if n := eligible(); n != 2 {
		t.Fatalf("registered again, its consumption counts again: %v", n)
	}
	key := func(c int, m string) map[string]any {
		return map[string]any{"tenantId": tenant(c), "month": m, "serviceLevel2": "Azure Machine Learning", "offer": "CSP"}
	}
	del := map[string]any{"records": []any{key(1, "2026-09"), key(1, "2026-10"), key(1, "2026-07")}}
	r := e.do("POST", p+"/consumption/deletions", tok, del, header{"Idempotency-Key": "fix-1"})
	if m := r.Object(t); r.Status != http.StatusOK || m["deleted"] != 2.0 || m["absent"] != 1.0 {
		t.Fatalf("deletions: %d %s", r.Status, r.Body)
	}
	if items := consumptionItems(t, e, ""); len(items) != 2 {
		t.Fatalf("after deletions: %v", items)
	}
	if n := eligible(); n != 1 {
		t.Fatalf("deleted consumption still counts: %v", n)
	}
	if again := e.do("POST", p+"/consumption/deletions", tok, del, header{"Idempotency-Key": "fix-1"}); again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %v %s", again.Header, again.Body)
	}
	// Bad identities are named, repeats too, and nothing is deleted.
	bad := map[string]any{"records": []any{key(0, "2026-10"), key(0, "2026-10"), map[string]any{"tenantId": "x", "month": "2026-13", "serviceLevel2": "a#b", "offer": "FREE"}}}
	f = e.do("POST", p+"/consumption/deletions", tok, bad, nil).Problem(t, http.StatusUnprocessableEntity)
	for _, field := range []string{"records[1]", "records[2].tenantId", "records[2].month", "records[2].serviceLevel2", "records[2].offer"} {
		if f[field] == "" {
			t.Errorf("no error for %s: %v", field, f)
		}
	}
	if items := consumptionItems(t, e, ""); len(items) != 2 {
		t.Fatalf("a refused deletion deleted: %v", items)
	}
	e.do("POST", p+"/consumption/deletions", tok, `{"records":[]}`, nil).Problem(t, http.StatusUnprocessableEntity)
}

// 50 concurrent PUTs of one profile without If-Match all succeed, and the
// profile ends as one of them (the last writer wins); with the same If-Match,
// exactly one wins and the others get 412. On both engines.
func TestConcurrentProfileWrites(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)
	path := "/v1/partners/" + pid
	e.withProfile(pid)
	const n = 50
	race := func(h header) []response {
		var wg sync.WaitGroup
		got := make([]sent, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = e.send("PUT", path, tok, map[string]any{"name": fmt.Sprint("Writer ", i), "country": "FR"}, h)
			}()
		}
		wg.Wait()
		out := make([]response, n)
		for i, s := range got {
			out[i] = e.check(s)
		}
		return out
	}
	names := map[string]bool{}
	for i, r := range race(nil) {
		if r.Status != http.StatusOK {
			t.Fatalf("writer %d: %d %s", i, r.Status, r.Body)
		}
		names[fmt.Sprint("Writer ", i)] = true
	}
	final := e.do("GET", path, tok, nil, nil)
	var got struct {
		Name    string
		Version int
	}
	if err := json.Unmarshal(final.Body, &got); err != nil || !names[got.Name] || got.Version != n+1 {
		t.Fatalf("final profile %s (every write must land once: version %d)", final.Body, n+1)
	}
	wins, lost := 0, 0
	for i, r := range race(header{"If-Match": final.Header.Get("ETag")}) {
		switch r.Status {
		case http.StatusOK:
			wins++
		case http.StatusPreconditionFailed:
			lost++
		default:
			t.Fatalf("writer %d with If-Match: %d %s", i, r.Status, r.Body)
		}
	}
	if wins != 1 || lost != n-1 {
		t.Fatalf("with one If-Match: %d won, %d got 412", wins, lost)
	}
}

// Conditional requests (RFC 9110 §13): If-Match with a list matches any of
// its tags, a weak or foreign tag matches none; If-None-Match on a GET is a
// 304 when it holds the current tag, a 200 otherwise.
func TestConditionalRequests(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)
	path := "/v1/partners/" + pid
	e.do("PUT", path, tok, contoso, nil)
	for _, c := range []struct {
		ifMatch string
		status  int
	}{
		{`"9", "1"`, http.StatusOK}, // now at 2
		{`W/"2"`, http.StatusPreconditionFailed},
		{`"abc"`, http.StatusPreconditionFailed},
		{`"7","8"`, http.StatusPreconditionFailed},
		{`"2"`, http.StatusOK}, // now at 3
		{`*`, http.StatusOK},   // now at 4
	} {
		if r := e.do("PUT", path, tok, contoso, header{"If-Match": c.ifMatch}); r.Status != c.status {
			t.Fatalf("If-Match %s: %d %s", c.ifMatch, r.Status, r.Body)
		}
	}
	e.do("PUT", path, tok, contoso, header{"If-Match": `"4`}).Problem(t, http.StatusBadRequest)
	for _, tag := range []string{`"04"`, `"+4"`, `" 4"`} { // strong comparison is of the strings
		e.do("PUT", path, tok, contoso, header{"If-Match": tag}).Problem(t, http.StatusPreconditionFailed)
	}
	// A GET evaluates If-Match too, before If-None-Match, and refuses a
	// malformed header as a write does.
	e.do("GET", path, tok, nil, header{"If-Match": `"3"`}).Problem(t, http.StatusPreconditionFailed)
	if r := e.do("GET", path, tok, nil, header{"If-Match": `"4"`, "If-None-Match": `"3"`}); r.Status != http.StatusOK {
		t.Fatalf("matching If-Match on a GET: %d", r.Status)
	}
	e.do("GET", path, tok, nil, header{"If-None-Match": `"4`}).Problem(t, http.StatusBadRequest)
	e.do("PUT", path, tok, contoso, header{"If-None-Match": `"3", "4"`}).Problem(t, http.StatusPreconditionFailed)
	for _, c := range []struct {
		ifNoneMatch string
		status      int
	}{
		{`"4"`, http.StatusNotModified},
		{`W/"4"`, http.StatusNotModified},
		{`"1", "4"`, http.StatusNotModified},
		{`*`, http.StatusNotModified},
		{`"3"`, http.StatusOK},
	} {
		r := e.do("GET", path, tok, nil, header{"If-None-Match": c.ifNoneMatch})
		if r.Status != c.status || (c.status == http.StatusNotModified && (len(r.Body) != 0 || r.Header.Get("ETag") != `"4"`)) {
			t.Fatalf("If-None-Match %s: %d %v %s", c.ifNoneMatch, r.Status, r.Header, r.Body)
		}
	}
}
