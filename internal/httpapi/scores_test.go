package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// seedDataAI gives partner pid what attains Data & AI as of 2026-10 (R-PCS-1):
// 2 administrators and 2 architects (the prerequisite steps, R-PCS-4), 10
// people with step-3 certifications (40 points), 4 eligible customers now
// against 1 a year ago (30 points, R-PCS-2), 25 % growth (20 points, R-PCS-6)
// and 5 services (10 points, R-PCS-7).
func seedDataAI(e *env) {
	seedDataAIRecords(e, true)
}

// seedDataAIRecords is seedDataAI, with or without the consumption of a
// year ago (2025-10, usage growth's base month).
func seedDataAIRecords(e *env, lastYear bool) {
	e.withProfile(pid)
	tok := e.admin(pid)
	put := func(id string, certs ...string) {
		list := []any{}
		for _, c := range certs {
			list = append(list, cert(c, "2025-01-15"))
		}
		if r := e.do("PUT", "/v1/partners/"+pid+"/individuals/"+id, tok, map[string]any{"displayName": id, "certifications": list}, nil); r.Status != http.StatusCreated {
			e.t.Fatalf("person %s: %d %s", id, r.Status, r.Body)
		}
	}
	put("admin-1", "azure-administrator-associate")
	put("admin-2", "azure-administrator-associate")
	put("architect-1", "azure-solutions-architect-expert")
	put("architect-2", "azure-solutions-architect-expert")
	for i := range 10 {
		put(fmt.Sprint("data-", i), "data-analyst-associate", "fabric-data-engineer-associate")
	}
	withCustomers(e, 4)
	base := ""
	if lastYear {
		base = "2025-10"
	}
	seedDataAIConsumption(e, "2026-10", base)
}

// seedDataAIConsumption loads seedDataAI's consumption for month and, when
// base is given, customer 0's at 80 % a year before (usage growth's base).
func seedDataAIConsumption(e *env, month, base string) {
	e.t.Helper()
	var recs []map[string]any
	services := []string{"Azure Machine Learning", "Azure SQL Database", "Azure Cosmos DB", "Azure Databricks", "Azure Synapse Analytics", "Virtual Machines"}
	groups := []string{"AI + Machine Learning", "Databases", "Databases", "Analytics", "Analytics", "Compute"}
	for c := range 4 {
		for j, svc := range services {
			r := record(c, month, 250+j)
			r["serviceLevel2"], r["serviceGroup"] = svc, groups[j]
			recs = append(recs, r)
			if c == 0 && base != "" { // a year ago only customer 0, at 80 % of today's spend
				old := record(0, base, (250+j)*4*8/10)
				old["serviceLevel2"], old["serviceGroup"] = svc, groups[j]
				recs = append(recs, old)
			}
		}
	}
	if r := e.do("POST", "/v1/partners/"+pid+"/consumption", e.admin(pid), batch(recs...), nil); r.Status != http.StatusOK {
		e.t.Fatalf("consumption: %d %s", r.Status, r.Body)
	}
}

func lastYearRecord(svc, group string, j int) map[string]any {
	old := record(0, "2025-10", (250+j)*4*8/10)
	old["serviceLevel2"], old["serviceGroup"] = svc, group
	return old
}

// Without last year's consumption usage growth has no base, so the plan is
// not reachable on the data held and says to load 2025-10; once it is
// loaded (the API takes past months), the designation is attained
// (R-PCS-6, R-PCS-1).
func TestPlanBlockedUntilTheBaseMonthIsLoaded(t *testing.T) {
	e := newEnv(t)
	seedDataAIRecords(e, false)
	path := "/v1/partners/" + pid + "/scores/data-ai/plan?asOf=2026-10"
	p := e.do("GET", path, e.member(pid), nil, nil).Object(t)
	blocked := p["blocked"].([]any)
	if p["reachable"] != false || p["attained"] != false || len(blocked) != 1 || len(p["actions"].([]any)) != 0 {
		t.Fatalf("plan without the base month: %v", p)
	}
	b := blocked[0].(map[string]any)
	if b["metric"] != "usage_growth" || b["loadConsumptionFor"] != "2025-10" || b["assumedPoints"].(float64) != 1 ||
		!strings.Contains(p["note"].(string), "load consumption for 2025-10 (M−12), the base of usage growth") {
		t.Fatalf("blocked %v, note %v", b, p["note"])
	}
	services := []string{"Azure Machine Learning", "Azure SQL Database", "Azure Cosmos DB", "Azure Databricks", "Azure Synapse Analytics", "Virtual Machines"}
	groups := []string{"AI + Machine Learning", "Databases", "Databases", "Analytics", "Analytics", "Compute"}
	var recs []map[string]any
	for j, svc := range services {
		recs = append(recs, lastYearRecord(svc, groups[j], j))
	}
	if r := e.do("POST", "/v1/partners/"+pid+"/consumption", e.admin(pid), batch(recs...), nil); r.Status != http.StatusOK {
		t.Fatalf("loading 2025-10: %d %s", r.Status, r.Body)
	}
	if p := e.do("GET", path, e.member(pid), nil, nil).Object(t); p["attained"] != true || p["reachable"] != true || len(p["blocked"].([]any)) != 0 {
		t.Fatalf("plan with the base month: %v", p)
	}
}

func metric(t *testing.T, area map[string]any, name string) map[string]any {
	t.Helper()
	for _, m := range area["metrics"].([]any) {
		if mm := m.(map[string]any); mm["metric"] == name {
			return mm
		}
	}
	t.Fatalf("no metric %s in %v", name, area)
	return nil
}

func TestScoresOfAnEmptyPartner(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid)
	r := e.do("GET", "/v1/partners/"+pid+"/scores", e.member(pid), nil, nil)
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if r.Calls != 1 {
		t.Fatalf("a score took %d DynamoDB calls, want 1", r.Calls)
	}
	if !strings.Contains(string(r.Body), `"name":"Data & AI"`) {
		t.Fatal(`names are written as they read ("Data & AI"), not HTML-escaped`)
	}
	body := r.Object(t)
	if body["asOf"] != "2026-10" {
		t.Fatalf("default asOf %v, want the last complete month 2026-10", body["asOf"])
	}
	areas := body["areas"].([]any)
	if len(areas) != 3 {
		t.Fatalf("areas %v", areas)
	}
	for _, a := range areas {
		a := a.(map[string]any)
		if a["total"].(float64) != 0 || a["attained"] != false {
			t.Fatalf("empty partner scored %v", a)
		}
		for _, m := range a["metrics"].([]any) {
			if len(m.(map[string]any)["missing"].([]any)) == 0 {
				t.Fatalf("%s of %s lists nothing missing", m.(map[string]any)["metric"], a["area"])
			}
		}
	}
}

// R-PCS-1: a partner with every metric at its maximum attains Data & AI, read over HTTP.
func TestScoresAttainDataAI(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	r := e.do("GET", "/v1/partners/"+pid+"/scores/data-ai?asOf=2026-10", e.program(), nil, nil)
	if r.Status != 200 || r.Calls != 1 {
		t.Fatalf("%d calls=%d %s", r.Status, r.Calls, r.Body)
	}
	a := r.Object(t)
	want := map[string]float64{"net_customer_adds": 30, "intermediate_certifications": 40, "usage_growth": 20, "deployments": 10}
	for name, points := range want {
		if got := metric(t, a, name)["points"].(float64); got != points {
			t.Errorf("%s: %v points, want %v", name, got, points)
		}
	}
	if a["total"].(float64) != 100 || a["attained"] != true {
		t.Fatalf("total %v attained %v", a["total"], a["attained"])
	}
	deployed := metric(t, a, "deployments")["inputs"].(map[string]any)["services"].([]any)
	if len(deployed) != 5 || strings.Contains(fmt.Sprint(deployed), "Virtual Machines") {
		t.Fatalf("deployments counted %v (VMs never count, R-PCS-3)", deployed)
	}
	// The same partner as of a month with no data scores nothing there, and says why.
	old := e.do("GET", "/v1/partners/"+pid+"/scores/data-ai?asOf=2024-01", e.admin(pid), nil, nil).Object(t)
	if old["total"].(float64) != 0 {
		t.Fatalf("as of 2024-01: %v", old["total"])
	}
	// Infrastructure lacks its advanced step and step-2 people: not attained, with reasons.
	infra := e.do("GET", "/v1/partners/"+pid+"/scores/infrastructure", e.admin(pid), nil, nil).Object(t)
	if infra["attained"] != false || len(metric(t, infra, "advanced_certifications")["missing"].([]any)) == 0 {
		t.Fatalf("infrastructure: %v", infra)
	}
}

func TestScoresBadInput(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid)
	tok := e.admin(pid)
	for _, q := range []string{"asOf=2026-13", "asOf=26-10", "asOf=2026-12", "asOf=2027-01", "asOf=0001-01", "asOf=2014-12"} {
		if f := e.do("GET", "/v1/partners/"+pid+"/scores?"+q, tok, nil, nil).Problem(t, http.StatusBadRequest); f["asOf"] == "" {
			t.Errorf("%s: asOf not named: %v", q, f)
		}
	}
	e.do("GET", "/v1/partners/"+pid+"/scores/modern-work", tok, nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/"+pid+"/scores", e.admin("999"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/"+pid+"/scores", "", nil, nil).Problem(t, http.StatusUnauthorized)
	if r := e.do("GET", "/v1/partners/"+pid+"/scores?asOf=2026-11", tok, nil, nil); r.Status != 200 {
		t.Fatalf("the current month is allowed: %d", r.Status)
	}
}

// The current month is answered, and every answer as of it says it is
// incomplete; the default, the last complete month, says it is complete
// (R-PCS-9).
func TestCurrentMonthIsIncomplete(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	base := "/v1/partners/" + pid
	note := "2026-11 is the month in progress (today is 2026-11-15): its consumption and certifications are not all in until it ends on 2026-11-30"
	for _, path := range []string{"/scores", "/scores/data-ai", "/scores/infrastructure/plan", "/specializations", "/specializations/ai-and-machine-learning-in-microsoft-azure"} {
		got := e.do("GET", base+path+"?asOf=2026-11", e.member(pid), nil, nil).Object(t)
		if got["asOf"] != "2026-11" || got["asOfComplete"] != false || !strings.HasPrefix(fmt.Sprint(got["asOfNote"]), note) {
			t.Errorf("%s as of the current month: asOfComplete %v, asOfNote %v", path, got["asOfComplete"], got["asOfNote"])
		}
		got = e.do("GET", base+path, e.member(pid), nil, nil).Object(t)
		if _, noted := got["asOfNote"]; got["asOf"] != "2026-10" || got["asOfComplete"] != true || noted {
			t.Errorf("%s by default: asOf %v, asOfComplete %v, asOfNote %v", path, got["asOf"], got["asOfComplete"], got["asOfNote"])
		}
	}
	list := e.do("GET", base+"/specializations?asOf=2026-11", e.member(pid), nil, nil).Object(t)
	if item := list["items"].([]any)[0].(map[string]any); item["asOfComplete"] != false {
		t.Errorf("each readiness of the list says so too: %v", item["asOfComplete"])
	}
	sim := e.do("POST", base+"/scores/simulations", e.member(pid), map[string]any{"asOf": "2026-11"}, nil).Object(t)
	if sim["asOfComplete"] != false || sim["areas"].([]any)[0].(map[string]any)["asOfComplete"] != false {
		t.Errorf("simulation as of the current month: %v", sim["asOfComplete"])
	}
}

// R-SPEC-2: AI and Machine Learning readiness over HTTP, the designation from the scores (R-SPEC-1).
func TestSpecializationReadiness(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	r := e.do("GET", "/v1/partners/"+pid+"/specializations/ai-and-machine-learning-in-microsoft-azure?asOf=2026-10", e.admin(pid), nil, nil)
	// The readiness and the data of the enrollment's windows in one
	// BatchGetItem, and the partner's audits.
	if r.Status != 200 || r.Ops["BatchGetItem"] != 1 || r.Ops["Query"] != 1 || r.Calls != 2 {
		t.Fatalf("%d calls=%d %s", r.Status, r.Calls, r.Body)
	}
	s := r.Object(t)
	if s["status"] != "not_ready" {
		t.Fatalf("status %v", s["status"])
	}
	byKind := map[string]map[string]any{}
	for _, req := range s["requirements"].([]any) {
		byKind[req.(map[string]any)["kind"].(string)] = req.(map[string]any)
	}
	if byKind["designation"]["met"] != true {
		t.Fatalf("Data & AI is attained, so the designation is met (R-SPEC-1): %v", byKind["designation"])
	}
	// Only the Azure Machine Learning line is AI (USD 250 × 4 customers in 2026-10 only).
	if byKind["performance"]["met"] != false || !strings.Contains(byKind["performance"]["detail"].(string), "needs USD 2,000") {
		t.Fatalf("performance: %v", byKind["performance"])
	}
	if byKind["knowledge"]["met"] != false {
		t.Fatalf("nobody holds the AI certifications: %v", byKind["knowledge"])
	}
	// Both listed certifications retired in 2026 (the catalogue's dates): nobody is asked to earn one.
	if short := byKind["knowledge"]["shortfall"].(string); !strings.Contains(short, "the catalogue needs their successor certifications") || strings.Contains(short, "more people holding") {
		t.Fatalf("knowledge shortfall %q", short)
	}
	list := e.do("GET", "/v1/partners/"+pid+"/specializations", e.program(), nil, nil)
	if n := len(list.Object(t)["items"].([]any)); n != 32 || list.Calls != 1 {
		t.Fatalf("%d specializations, %d calls", n, list.Calls)
	}
	e.do("GET", "/v1/partners/"+pid+"/specializations/underwater-basket-weaving", e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
	cat := e.do("GET", "/v1/catalog/specializations", e.member(pid), nil, nil).Object(t)
	if caps := cat["benefitCaps"].(map[string]any); caps["azure"].(float64) != 5 || caps["business-applications"].(float64) != 1 {
		t.Fatalf("benefit caps (R-SPEC-4): %v", caps)
	}
}
