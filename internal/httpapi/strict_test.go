package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// Bad input is named by its exact JSON path, with one status per kind of
// mistake: wrong JSON types, unknown or repeated fields and broken text are
// a 400, values that break a rule a 422.
func TestStrictInputExactPaths(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	tok := e.admin(pid)
	p := "/v1/partners/" + pid
	rec := `{"tenantId":"` + tenant(0) + `","month":"2026-10","serviceLevel2":"Virtual Machines","serviceGroup":"Compute","offer":"CSP","acrUsd":1}`
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		field, message           string
	}{
		{"a type error in a list element", "POST", p + "/consumption", `{"records":[` + rec + `,{"month":5}]}`, 400, "records[1].month", "must be a string"},
		{"an unknown field in a list element", "PUT", p, `{"name":"C","country":"FR","locations":[{"id":"1","country":"FR","z":1}]}`, 400, "locations[0].z", "is not a known field"},
		{"a repeated key", "PUT", p, `{"name":"C","country":"FR","name":"D"}`, 400, "name", "appears more than once in its object"},
		{"a quoted amount", "POST", p + "/consumption", `{"records":[{"tenantId":"` + tenant(0) + `","month":"2026-10","serviceLevel2":"VM","serviceGroup":"Compute","offer":"CSP","acrUsd":"10"}]}`, 400, "records[0].acrUsd", "must be a number"},
		{"a number for a name", "PUT", p + "/individuals/p1", `{"displayName":42}`, 400, "displayName", "must be a string"},
		{"null for a name", "PUT", p + "/customers/" + tenant(1), `{"name":null,"association":"PAL"}`, 400, "name", "must be a string, not null"},
		{"invalid UTF-8", "PUT", p, "{\"name\":\"C\xff\",\"country\":\"FR\"}", 400, "name", "is not valid UTF-8 text"},
		{"a lone surrogate", "PUT", p, `{"name":"C\ud800","country":"FR"}`, 400, "name", "is not valid text (a lone UTF-16 surrogate)"},
		{"only a zero-width space", "PUT", p, `{"name":"\u200b","country":"FR"}`, 422, "name", "must contain a visible character"},
		{"only a byte order mark and spaces", "PUT", p + "/individuals/p1", `{"displayName":" \ufeff "}`, 422, "displayName", "must contain a visible character"},
		{"a bidi override", "PUT", p + "/customers/" + tenant(1), `{"name":"Fabrikam\u202egnp.exe","association":"PAL"}`, 422, "name", "must not contain bidirectional override or isolate characters"},
		{"a line separator", "PUT", p, `{"name":"Contoso\u2028Ltd","country":"FR"}`, 422, "name", "must be a single line (no line or paragraph separator)"},
		{"a reserved country code", "PUT", p, `{"name":"C","country":"ZZ"}`, 422, "country", "must be an ISO 3166-1 alpha-2 country code in upper case (e.g. FR)"},
		{"a withdrawn country code", "PUT", p, `{"name":"C","country":"FR","locations":[{"id":"1","country":"UK"}]}`, 422, "locations[0].country", "must be an ISO 3166-1 alpha-2 country code in upper case (e.g. FR)"},
		{"year zero", "PUT", p + "/individuals/p1", `{"displayName":"A","certifications":[{"id":"azure-administrator-associate","earnedOn":"0000-01-01"}]}`, 422, "certifications[0].earnedOn", "must be from 1990-01-01 to 2099-12-31"},
		{"the day before 1990", "PUT", p + "/individuals/p1", `{"displayName":"A","certifications":[{"id":"azure-administrator-associate","earnedOn":"1989-12-31"}]}`, 422, "certifications[0].earnedOn", "must be from 1990-01-01 to 2099-12-31"},
		{"an expiry in the next century", "PUT", p + "/individuals/p1", `{"displayName":"A","certifications":[{"id":"azure-administrator-associate","earnedOn":"2025-01-01","expiresOn":"2100-01-01"}]}`, 422, "certifications[0].expiresOn", "must be from 1990-01-01 to 2099-12-31"},
		{"earned after it retired", "PUT", p + "/individuals/p1", `{"displayName":"A","certifications":[{"id":"azure-stack-hub-operator-associate","earnedOn":"2023-08-01"}]}`, 422, "certifications[0].earnedOn", "is after 2023-07-31, when Azure Stack Hub Operator Associate retired: it could not be earned then"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := e.do(c.method, c.path, tok, c.body, nil).Problem(t, c.status)
			if f[c.field] != c.message || len(f) != 1 {
				t.Fatalf("errors %v, want only %s: %q", f, c.field, c.message)
			}
		})
	}
	// Earned on the day it retired is fine.
	r := e.do("PUT", p+"/individuals/p1", tok, `{"displayName":"A","certifications":[{"id":"azure-stack-hub-operator-associate","earnedOn":"2023-07-31"}]}`, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("earned on its retirement day: %d %s", r.Status, r.Body)
	}
}

// Every error of a record is reported at once, its repeat included.
func TestEveryErrorOfARecordAtOnce(t *testing.T) {
	e := newEnv(t)
	withCustomers(e, 1)
	good := `{"tenantId":"` + tenant(0) + `","month":"2026-10","serviceLevel2":"VM","serviceGroup":"Compute","offer":"CSP","acrUsd":1}`
	worse := strings.Replace(strings.Replace(good, `"VM"`, `"VM#2"`, 1), `"2026-10"`, `"2026-14"`, 1)
	repeat := strings.Replace(good, `"acrUsd":1`, `"acrUsd":-1`, 1)
	f := e.do("POST", "/v1/partners/"+pid+"/consumption", e.admin(pid), `{"records":[`+good+`,`+worse+`,`+repeat+`]}`, nil).Problem(t, http.StatusUnprocessableEntity)
	for _, field := range []string{"records[1].month", "records[1].serviceLevel2", "records[2]", "records[2].acrUsd"} {
		if f[field] == "" {
			t.Errorf("no error for %s: %v", field, f)
		}
	}
	if len(f) != 4 {
		t.Fatalf("errors %v", f)
	}
}

// A query parameter a route does not read is a 400 naming it, on every
// route: a misspelt ?asof= must not silently answer another month.
func TestUnknownQueryParameters(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/v1/partners/"+pid, e.admin(pid), contoso, nil)
	tok := e.admin(pid)
	for _, c := range []struct{ path, field string }{
		{"/v1/partners/" + pid + "/scores?asof=2026-10", "asof"},
		{"/v1/partners/" + pid + "/individuals?limt=5", "limt"},
		{"/v1/partners/" + pid + "/customers?limit=5&limit=6", "limit"},
	} {
		if f := e.do("GET", c.path, tok, nil, nil).Problem(t, http.StatusBadRequest); f[c.field] == "" || len(f) != 1 {
			t.Errorf("%s: %v", c.path, f)
		}
	}
	for _, rt := range e.routes {
		path := strings.NewReplacer("{partnerId}", pid, "{individualId}", "p1", "{tenantId}", tenant(0),
			"{area}", "data-ai", "{specId}", "ai-and-machine-learning-in-microsoft-azure").Replace(rt.Path)
		tok := tok
		if rt.Path == "/v1/partners" || strings.HasPrefix(rt.Path, "/v1/audits") {
			tok = e.program()
		}
		var body any
		if rt.Method == "PUT" || rt.Method == "POST" {
			body = `{}`
		}
		f := e.do(rt.Method, path+"?bogus=1", tok, body, nil).Problem(t, http.StatusBadRequest)
		if !strings.HasPrefix(f["bogus"], "is not a parameter of this operation") {
			t.Errorf("%s %s: errors %v", rt.Method, rt.Path, f)
		}
	}
}
