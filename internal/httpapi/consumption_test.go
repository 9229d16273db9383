package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
)

func tenant(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

// withCustomers gives pid its profile and registers customers 0..n-1.
func withCustomers(e *env, n int) {
	e.withProfile(pid)
	for i := range n {
		r := e.do("PUT", "/v1/partners/"+pid+"/customers/"+tenant(i), e.admin(pid), map[string]any{"name": fmt.Sprint("c", i), "association": "CSP_TIER1"}, nil)
		if r.Status != http.StatusCreated {
			e.t.Fatalf("customer %d: %d %s", i, r.Status, r.Body)
		}
	}
}

func record(i int, month string, acr any) map[string]any {
	return map[string]any{"tenantId": tenant(i), "month": month, "serviceLevel2": "Azure Machine Learning", "serviceGroup": "AI + Machine Learning", "offer": "CSP", "acrUsd": acr}
}

func batch(recs ...map[string]any) map[string]any {
	list := make([]any, len(recs))
	for i, r := range recs {
		list[i] = r
	}
	return map[string]any{"records": list}
}

func consumptionItems(t *testing.T, e *env, query string) []any {
	t.Helper()
	r := e.do("GET", "/v1/partners/"+pid+"/consumption"+query, e.admin(pid), nil, nil)
	if r.Status != 200 {
		t.Fatalf("list consumption: %d %s", r.Status, r.Body)
	}
	return r.Object(t)["items"].([]any)
}

func TestConsumptionUpsert(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 2)
	path := "/v1/partners/" + pid + "/consumption"
	r := e.do("POST", path, e.member(pid), batch(record(0, "2026-10", 1234.5), record(1, "2026-10", json.Number("0.1")), record(0, "2026-09", 7)), nil)
	if r.Status != 200 || r.Object(t)["accepted"].(float64) != 3 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	// 1 GetItem (the customer roster), 1 BatchGetItem (the months), 1 TransactWriteItems.
	if r.Calls != 3 {
		t.Fatalf("3 records took %d DynamoDB calls, want 3", r.Calls)
	}
	// Same key again: replaced, not added.
	e.do("POST", path, e.member(pid), batch(record(0, "2026-10", 99.99)), nil)
	items := consumptionItems(t, e, "?month=2026-10&tenantId="+strings.ToUpper(tenant(0)))
	if len(items) != 1 || items[0].(map[string]any)["acrUsd"].(float64) != 99.99 {
		t.Fatalf("upsert: %v", items)
	}
	if all := consumptionItems(t, e, ""); len(all) != 3 {
		t.Fatalf("all: %v", all)
	}
	// Exact money: 0.1 stays 0.1.
	raw := e.do("GET", path+"?month=2026-10", e.admin(pid), nil, nil)
	if !strings.Contains(string(raw.Body), `"acrUsd":0.1,`) {
		t.Fatalf("money not exact: %s", raw.Body)
	}
	e.do("GET", path+"?tenantId="+tenant(0), e.admin(pid), nil, nil).Problem(t, http.StatusBadRequest)
	e.do("GET", path+"?month=2026-13", e.admin(pid), nil, nil).Problem(t, http.StatusBadRequest)
}

// Every bad record is named by index and field, and nothing at all is written.
func TestConsumptionBadBatchWritesNothing(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	path := "/v1/partners/" + pid + "/consumption"
	good := record(0, "2026-10", 10)
	bad := []map[string]any{
		good,
		record(0, "2026-13", 10), // 1: no such month
		record(0, "2026-12", 10), // 2: future month
		record(0, "2026-08", -5), // 3: negative
		record(0, "2026-07", json.Number("1.234")), // 4: three decimals
		record(0, "2026-10", json.Number("1.234")), // 5: repeats 0, and three decimals
		good,                     // 6: repeats 0
		record(5, "2026-10", 10), // 7: not a customer
		{"tenantId": "nope", "month": "2026-13", "serviceLevel2": "VM#1", "serviceGroup": "Compute", "offer": "FREE", "acrUsd": 1}, // 8: everything at once
		record(0, "2014-12", 10), // 9: before the program
	}
	f := e.do("POST", path, e.admin(pid), batch(bad...), nil).Problem(t, http.StatusUnprocessableEntity)
	for _, field := range []string{"records[1].month", "records[2].month", "records[3].acrUsd", "records[4].acrUsd", "records[5]", "records[5].acrUsd",
		"records[6]", "records[7].tenantId", "records[8].tenantId", "records[8].month", "records[8].serviceLevel2", "records[8].offer", "records[9].month"} {
		if f[field] == "" {
			t.Errorf("no error for %s", field)
		}
	}
	if len(f) != 13 {
		t.Errorf("errors %v", f)
	}
	if items := consumptionItems(t, e, ""); len(items) != 0 {
		t.Fatalf("a rejected batch wrote %d records", len(items))
	}
	// A wrong JSON type is a 400, like every other, naming its exact path.
	f = e.do("POST", path, e.admin(pid), batch(good, record(0, "2026-06", "12")), nil).Problem(t, http.StatusBadRequest)
	if len(f) != 1 || f["records[1].acrUsd"] != "must be a number" {
		t.Fatalf("a quoted amount: %v", f)
	}
}

func TestConsumptionLimits(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	path := "/v1/partners/" + pid + "/consumption"
	recs := make([]map[string]any, 1001)
	for i := range recs {
		recs[i] = record(0, "2026-10", i)
		recs[i]["serviceLevel2"] = fmt.Sprint("Service ", i)
	}
	f := e.do("POST", path, e.admin(pid), batch(recs...), nil).Problem(t, http.StatusUnprocessableEntity)
	if f["records"] == "" {
		t.Fatalf("1,001 records: %v", f)
	}
	e.do("POST", path, e.admin(pid), `{"records": []}`, nil).Problem(t, http.StatusUnprocessableEntity)
	e.do("POST", path, e.admin(pid), `{}`, nil).Problem(t, http.StatusUnprocessableEntity)
	e.do("POST", path, e.admin(pid), `{"records": {}}`, nil).Problem(t, http.StatusBadRequest)

	r := e.do("POST", path, e.admin(pid), batch(recs[:1000]...), nil)
	if r.Status != 200 {
		t.Fatalf("1,000 records: %d %s", r.Status, r.Body)
	}
	// Customers, months, one transaction: whatever the batch size.
	if r.Calls != 3 {
		t.Fatalf("1,000 records took %d calls, want 3", r.Calls)
	}
	if all := consumptionItems(t, e, "?month=2026-10&limit=200"); len(all) != 200 {
		t.Fatalf("page of 200: %d", len(all))
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	path := "/v1/partners/" + pid + "/consumption"
	body := batch(record(0, "2026-10", 10))
	first := e.do("POST", path, e.admin(pid), body, header{"Idempotency-Key": "abc-1"})
	if first.Status != 200 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %v", first.Status, first.Header)
	}
	again := e.do("POST", path, e.admin(pid), body, header{"Idempotency-Key": "abc-1"})
	if again.Status != 200 || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("replay: %d %v %s", again.Status, again.Header, again.Body)
	}
	if again.Calls != 2 { // the claim that finds the key taken, and the read of the stored response
		t.Fatalf("a replay took %d calls", again.Calls)
	}
	// Media type parameters do not make another request of the same body.
	if r := e.do("POST", path, e.admin(pid), body, header{"Idempotency-Key": "abc-1", "Content-Type": "application/json; charset=utf-8"}); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("with a charset: %d %v %s", r.Status, r.Header, r.Body)
	}
	if first.Calls != 5 { // claim, customers, months, write, complete
		t.Fatalf("an idempotent POST took %d calls, want 5", first.Calls)
	}
	f := e.do("POST", path, e.admin(pid), batch(record(0, "2026-10", 11)), header{"Idempotency-Key": "abc-1"}).Problem(t, http.StatusUnprocessableEntity)
	if f["Idempotency-Key"] == "" {
		t.Fatalf("reuse not named: %v", f)
	}
	if v := consumptionItems(t, e, "")[0].(map[string]any)["acrUsd"]; v.(float64) != 10 {
		t.Fatalf("the rejected reuse wrote: %v", v)
	}
	// Keys are per caller: another user's same key is a new request.
	other, err := e.key.Sign(auth.TokenSpec{Subject: "another-user", Roles: []auth.Role{auth.RolePartnerMember}, PartnerID: pid, TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do("POST", path, other, batch(record(0, "2026-10", 12)), header{"Idempotency-Key": "abc-1"}); r.Status != 200 || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("other caller: %d %v", r.Status, r.Header)
	}
	// A 4xx is not remembered: it may depend on state the client then fixes.
	// Here the tenant is not a customer yet; once it is, the same request with
	// the same key goes through.
	early := batch(record(7, "2026-10", 1))
	e.do("POST", path, e.admin(pid), early, header{"Idempotency-Key": "early-1"}).Problem(t, 422)
	e.do("PUT", "/v1/partners/"+pid+"/customers/"+tenant(7), e.admin(pid), map[string]any{"name": "late", "association": "DPOR"}, nil)
	if r := e.do("POST", path, e.admin(pid), early, header{"Idempotency-Key": "early-1"}); r.Status != 200 || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("after the fix: %d %v %s", r.Status, r.Header, r.Body)
	}
	e.do("POST", path, e.admin(pid), body, header{"Idempotency-Key": strings.Repeat("k", 256)}).Problem(t, http.StatusBadRequest)
	e.do("POST", path, e.admin(pid), body, header{"Idempotency-Key": "has space"}).Problem(t, http.StatusBadRequest)
}
