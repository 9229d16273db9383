package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/apitest"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/store"
)

// The budget of one request, whatever its body up to the 1 MiB limit holds
// (README, Limits): what it may allocate and how much it may answer.
const (
	maxRequestAlloc  = 32 << 20
	maxResponseBytes = 64 << 10
)

// fill is prefix, then elem repeated (comma-separated), then suffix, as
// close to the body limit as fits.
func fill(prefix, elem, suffix string) string {
	n := (httpapi.MaxBodyBytes - len(prefix) - len(suffix) + 1) / (len(elem) + 1)
	return prefix + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + suffix
}

// unknownFields is n distinct fields with names of size bytes.
func unknownFields(n, size int) string {
	f := make([]string, n)
	for i := range f {
		f[i] = fmt.Sprintf(`"%0*d":0`, size, i)
	}
	return strings.Join(f, ",")
}

// repeat is elem n times, comma-separated.
func repeat(elem string, n int) string { return strings.TrimSuffix(strings.Repeat(elem+",", n), ",") }

// The worst bodies of every write route, each within 1 MiB, and what they
// may cost: no request allocates more than 32 MiB or answers more than
// 64 KiB. Lists stop at their bound while decoding, and a problem lists at
// most 100 errors and counts the rest.
func TestWorstCaseBodiesStayWithinBudget(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 3)
	tok := e.admin(pid)
	p := "/v1/partners/" + pid
	badRecord := `{"tenantId":"nope","month":"2026-13","serviceLevel2":"a#b","serviceGroup":"\u200b","offer":"FREE","acrUsd":-1}`
	goodRecords := make([]string, 1000)
	for i := range goodRecords {
		goodRecords[i] = fmt.Sprintf(`{"tenantId":%q,"month":"2026-10","serviceLevel2":"Service %d","serviceGroup":"Compute","offer":"CSP","acrUsd":%d.25}`, tenant(i%3), i, i)
	}
	badCerts := `{"displayName":"x","certifications":[` + repeat(`{}`, 100) + `]}`
	cases := []struct {
		name, method, path, body string
		status                   int
	}{
		{"profile: locations of {}", "PUT", p, fill(`{"name":"x","country":"FR","locations":[`, `{}`, `]}`), 422},
		{"profile: 500 bad locations", "PUT", p, `{"name":"x","country":"ZZ","locations":[` + repeat(`{"id":"x","country":"zz"}`, 500) + `]}`, 422},
		{"profile: unknown fields", "PUT", p, fill(`{`, `"k":0`, `}`), 400},
		{"profile: repeated fields", "PUT", p, fill(`{`, `"name":"x"`, `}`), 400},
		{"profile: an unknown field of 1 MiB", "PUT", p, `{"` + strings.Repeat("k", httpapi.MaxBodyBytes-10) + `":0}`, 400},
		{"profile: 100 unknown fields of 10 KB", "PUT", p, `{` + unknownFields(100, 10<<10) + `}`, 400},
		{"profile: wrong types", "PUT", p, fill(`{"name":"x","country":"FR","locations":[`, `1`, `]}`), 400},
		{"profile: a name of 1 MiB", "PUT", p, `{"name":"` + strings.Repeat("a", httpapi.MaxBodyBytes-40) + `","country":"FR"}`, 422},
		{"profile: deep nesting", "PUT", p, fill(`{"x":`, `[`, ``), 400},
		{"person: certifications of {}", "PUT", p + "/individuals/p1", fill(`{"displayName":"x","certifications":[`, `{}`, `]}`), 422},
		{"person: 100 bad certifications", "PUT", p + "/individuals/p1", badCerts, 422},
		{"customer: unknown fields", "PUT", p + "/customers/" + tenant(0), fill(`{`, `"k":[]`, `}`), 400},
		{"consumption: records of {}", "POST", p + "/consumption", fill(`{"records":[`, `{}`, `]}`), 422},
		{"consumption: 1,000 bad records", "POST", p + "/consumption", `{"records":[` + repeat(badRecord, 1000) + `]}`, 422},
		{"consumption: 1,000 good records", "POST", p + "/consumption", `{"records":[` + strings.Join(goodRecords, ",") + `]}`, 200},
		{"evidence: controls of \"\"", "POST", p + "/evidence", fill(`{"controls":[`, `""`, `]}`), 422},
		{"evidence: customers of \"\"", "POST", p + "/evidence", fill(`{"customers":[`, `""`, `]}`), 422},
		{"evidence: every list at its bound, all bad", "POST", p + "/evidence", `{"specializationId":"` + aiSpec + `",` +
			`"controls":[` + repeat(`"Z9.9"`, 100) + `],"customers":[` + repeat(`"x"`, 1000) + `],"individuals":[` + repeat(`"!"`, 1000) + `],` +
			`"kind":"other","language":"xx","title":"\u202e","fileName":"../x","contentType":"text/html","sizeBytes":0,"sha256":"x"}`, 422},
		{"simulation: addIndividuals of {}", "POST", p + "/scores/simulations", fill(`{"addIndividuals":[`, `{}`, `]}`), 422},
		{"simulation: 1,000 people with 100 bad certifications", "POST", p + "/scores/simulations",
			`{"addIndividuals":[` + repeat(`{"individualId":"!",`+badCerts[1:], 1000) + `]}`, 422},
		{"simulation: addCustomers of {}", "POST", p + "/scores/simulations", fill(`{"addCustomers":[`, `{}`, `]}`), 422},
		{"simulation: removeIndividuals of \"\"", "POST", p + "/scores/simulations", fill(`{"removeIndividuals":[`, `""`, `]}`), 422},
		{"simulation: removeCustomers of \"\"", "POST", p + "/scores/simulations", fill(`{"removeCustomers":[`, `""`, `]}`), 422},
		{"simulation: addConsumption of {}", "POST", p + "/scores/simulations", fill(`{"addConsumption":[`, `{}`, `]}`), 422},
		{"simulation: removeConsumption of {}", "POST", p + "/scores/simulations", fill(`{"removeConsumption":[`, `{}`, `]}`), 422},
		{"simulation: every list at its bound, all bad", "POST", p + "/scores/simulations", `{` +
			`"addCustomers":[` + repeat(`{"tenantId":"x","name":"","association":"NONE"}`, 1000) + `],` +
			`"removeCustomers":[` + repeat(`"x"`, 1000) + `],"removeIndividuals":[` + repeat(`"!"`, 1000) + `],` +
			`"addConsumption":[` + repeat(badRecord, 500) + `],"removeConsumption":[` + repeat(`{"tenantId":"x"}`, 500) + `]}`, 422},
	}
	var worstAlloc, worstBody uint64
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.body) > httpapi.MaxBodyBytes {
				t.Fatalf("body of %d bytes is over the limit: the case tests the 413", len(c.body))
			}
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			ctx, _ := store.WithCalls(context.Background())
			req = req.WithContext(ctx)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			e.handler.ServeHTTP(rec, req)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			body := rec.Body.Bytes()
			t.Logf("%d bytes in: %d, allocated %.1f MiB, answered %d bytes", len(c.body), rec.Code, float64(alloc)/(1<<20), len(body))
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, c.status, body)
			}
			if alloc > maxRequestAlloc {
				t.Errorf("allocated %d bytes, budget %d", alloc, maxRequestAlloc)
			}
			if len(body) > maxResponseBytes {
				t.Errorf("answered %d bytes, budget %d", len(body), maxResponseBytes)
			}
			apitest.CheckContract(t, req, apitest.Answer{Status: rec.Code, Header: rec.Header(), Body: body})
			worstAlloc, worstBody = max(worstAlloc, alloc), max(worstBody, uint64(len(body)))
		})
	}
	t.Logf("worst: allocated %.1f MiB (budget %d MiB), answered %d bytes (budget %d)", float64(worstAlloc)/(1<<20), maxRequestAlloc>>20, worstBody, maxResponseBytes)
}

// A problem lists the first 100 errors and counts the rest.
func TestProblemListsAtMost100Errors(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	r := e.do("POST", "/v1/partners/"+pid+"/consumption", e.admin(pid),
		`{"records":[`+repeat(`{"tenantId":"x","month":"x","serviceLevel2":"","serviceGroup":"","offer":"","acrUsd":"1"}`, 30)+`]}`, nil)
	f := r.Problem(t, http.StatusBadRequest)
	if len(f) != 30 {
		t.Fatalf("30 quoted amounts: %v", f)
	}
	body := `{"records":[` + repeat(`{"tenantId":"x","month":"x","serviceLevel2":"","serviceGroup":"","offer":"","acrUsd":-1}`, 30) + `]}`
	m := e.do("POST", "/v1/partners/"+pid+"/consumption", e.admin(pid), body, nil).Object(t)
	errs, _ := m["errors"].([]any)
	if len(errs) != 100 || m["errorsOmitted"].(float64) != 80 {
		t.Fatalf("30 records of 6 errors: %d listed, %v omitted", len(errs), m["errorsOmitted"])
	}
	if first := errs[0].(map[string]any); first["field"] != "records[0].tenantId" {
		t.Fatalf("errors not in body order: %v", first)
	}
	if d := m["detail"].(string); !strings.Contains(d, "The first 100 of 180 errors are listed.") {
		t.Fatalf("detail: %s", d)
	}
}
