package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestSimulationWritesNothing(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	path := "/v1/partners/" + pid + "/scores/simulations"
	// Without its two architects, Data & AI loses its step-2 prerequisite (R-PCS-4):
	// 40 intermediate points go, and with them the designation.
	r := e.do("POST", path, e.member(pid), map[string]any{"asOf": "2026-10", "removeIndividuals": []string{"architect-1", "architect-2"}}, nil)
	if r.Status != 200 || r.Calls != 1 {
		t.Fatalf("%d calls=%d %s", r.Status, r.Calls, r.Body)
	}
	sim := r.Object(t)
	var dai map[string]any
	for _, d := range sim["differences"].([]any) {
		if d.(map[string]any)["area"] == "data-ai" {
			dai = d.(map[string]any)
		}
	}
	if total := dai["total"].(map[string]any); total["before"].(float64) != 100 || total["after"].(float64) != 60 || total["delta"].(float64) != -40 {
		t.Fatalf("total %v", total)
	}
	if att := dai["attained"].(map[string]any); att["before"] != true || att["after"] != false {
		t.Fatalf("attained %v", att)
	}
	// Hypothetical certifications: two more network engineers add 8 infrastructure points.
	add := map[string]any{"addIndividuals": []any{
		map[string]any{"individualId": "net-1", "displayName": "N1", "certifications": []any{cert("azure-network-engineer-associate", "2025-05-01")}},
		map[string]any{"individualId": "net-2", "displayName": "N2", "certifications": []any{cert("azure-network-engineer-associate", "2025-05-01")}},
	}}
	r = e.do("POST", path, e.admin(pid), add, nil)
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	// A simulation changes nothing, so its Idempotency-Key needs no record: still 1 read, and no replay.
	for range 2 {
		if r := e.do("POST", path, e.admin(pid), add, header{"Idempotency-Key": "sim-1"}); r.Calls != 1 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("simulation with a key: %d calls, replayed %q", r.Calls, r.Header.Get("Idempotent-Replayed"))
		}
	}
	// Nothing of either simulation was written.
	if got := e.do("GET", "/v1/partners/"+pid+"/scores/data-ai?asOf=2026-10", e.admin(pid), nil, nil).Object(t); got["total"].(float64) != 100 {
		t.Fatalf("a simulation changed the real score: %v", got["total"])
	}
	e.do("GET", "/v1/partners/"+pid+"/individuals/net-1", e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
}

func TestSimulationBadInput(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	path := "/v1/partners/" + pid + "/scores/simulations"
	f := e.do("POST", path, e.admin(pid), map[string]any{
		"asOf":              "2027-01",
		"removeIndividuals": []string{"nobody"},
		"addIndividuals":    []any{map[string]any{"individualId": "x y", "displayName": "X", "certifications": []any{cert("no-such-cert", "2025-01-01")}}},
		"addConsumption":    []any{record(0, "2026-13", 1)},
		"removeConsumption": []any{map[string]any{"tenantId": tenant(0), "month": "2026-10", "serviceLevel2": "Nothing", "offer": "CSP"}},
	}, nil).Problem(t, http.StatusUnprocessableEntity)
	for _, field := range []string{"asOf", "addIndividuals[0].individualId", "addIndividuals[0].certifications[0].id", "addConsumption[0].month"} {
		if f[field] == "" {
			t.Errorf("no error for %s: %v", field, f)
		}
	}
	// What does not exist cannot be removed, and says which entry.
	f = e.do("POST", path, e.admin(pid), map[string]any{"removeIndividuals": []string{"admin-1", "nobody"}}, nil).Problem(t, http.StatusUnprocessableEntity)
	if f["removeIndividuals[1]"] == "" {
		t.Errorf("removing a missing person: %v", f)
	}
	// Consumption outside the months the score reads would change nothing: said, not ignored.
	f = e.do("POST", path, e.admin(pid), map[string]any{"asOf": "2026-10", "addConsumption": []any{record(0, "2025-08", 5)}}, nil).Problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(f["addConsumption[0].month"], "2025-09..2026-10") {
		t.Errorf("outside the window: %v", f)
	}
	big := make([]any, 1001)
	for i := range big {
		big[i] = record(0, "2026-10", 1)
	}
	e.do("POST", path, e.admin(pid), map[string]any{"addConsumption": big}, nil).Problem(t, http.StatusUnprocessableEntity)
	e.do("POST", path, e.admin(pid), `{"addPeople": []}`, nil).Problem(t, http.StatusBadRequest)
	e.do("POST", path, e.admin("999"), map[string]any{}, nil).Problem(t, http.StatusNotFound)
}

func TestPlanToSeventy(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	r := e.do("GET", "/v1/partners/"+pid+"/scores/data-ai/plan?asOf=2026-10", e.admin(pid), nil, nil)
	if r.Status != 200 || r.Calls != 1 {
		t.Fatalf("%d calls=%d %s", r.Status, r.Calls, r.Body)
	}
	if p := r.Object(t); p["attained"] != true || len(p["actions"].([]any)) != 0 {
		t.Fatalf("an attained area needs no action: %v", p)
	}
	p := e.do("GET", "/v1/partners/"+pid+"/scores/infrastructure/plan?asOf=2026-10", e.admin(pid), nil, nil).Object(t)
	if p["attained"] != false || p["reachable"] != true || len(p["actions"].([]any)) == 0 || p["projectedTotal"].(float64) < 70 {
		t.Fatalf("infrastructure plan: %v", p)
	}
	e.do("GET", "/v1/partners/"+pid+"/scores/security/plan", e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/"+pid+"/scores/data-ai/plan?asOf=2030-01", e.admin(pid), nil, nil).Problem(t, http.StatusBadRequest)
}
