package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
)

const (
	aiSpec        = "ai-and-machine-learning-in-microsoft-azure"
	analyticsSpec = "analytics-on-microsoft-azure"
	linuxSpec     = "linux-and-open-source-database-migration-to-microsoft-azure"
)

// withCustomers registers customers 1..n of the partner (with its profile).
func (e *env) withCustomers(pid string, n int) {
	e.t.Helper()
	e.withProfile(pid)
	for i := 1; i <= n; i++ {
		r := e.do("PUT", "/v1/partners/"+pid+"/customers/"+tenant(i), e.admin(pid),
			map[string]any{"name": "Customer " + strconv.Itoa(i), "association": "CSP_TIER1", "government": false, "affiliated": false}, nil)
		if r.Status >= 300 {
			e.t.Fatalf("customer %d: %d %s", i, r.Status, r.Body)
		}
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// document is a file a partner uploads as evidence.
func document(n int) []byte {
	return append([]byte(fmt.Sprintf("%%PDF-1.7 document %d\n", n)), bytes.Repeat([]byte("evidence "), 500)...)
}

// declaration is the metadata of file as A1.1 evidence (a strategy document,
// Module A) of the AI specialization for customer 1; over replaces fields
// (nil deletes one).
func declaration(file []byte, over map[string]any) map[string]any {
	m := map[string]any{
		"specializationId": aiSpec, "controls": []string{"A1.1"}, "customers": []string{tenant(1)}, "individuals": []string{},
		"kind": "strategy_document", "production": true, "projectCompletedOn": "2026-05-20", "customerSignedOffOn": "2026-06-02",
		"language": "fr", "title": "Stratégie d'adoption du cloud", "fileName": "strategie.pdf", "contentType": "application/pdf",
		"sizeBytes": len(file), "sha256": sha256Hex(file),
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// upload is what POST …/evidence answered: the evidence and its upload.
type upload struct {
	id      string
	method  string
	url     string
	headers map[string]string
	body    map[string]any
}

func (e *env) declare(pid string, decl map[string]any) upload {
	e.t.Helper()
	r := e.do("POST", "/v1/partners/"+pid+"/evidence", e.admin(pid), decl, nil)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("POST evidence: %d %s", r.Status, r.Body)
	}
	m := r.Object(e.t)
	up, _ := m["upload"].(map[string]any)
	u := upload{id: m["id"].(string), method: up["method"].(string), url: up["url"].(string), headers: map[string]string{}, body: m}
	for k, v := range up["headers"].(map[string]any) {
		u.headers[k] = v.(string)
	}
	return u
}

// put sends file to the upload as a partner's tool does.
func (e *env) put(u upload, file []byte) int {
	e.t.Helper()
	return blobtest.Put(e.t, blobUpload(u), file)
}

func (e *env) complete(pid, id string) response {
	e.t.Helper()
	return e.do("POST", "/v1/partners/"+pid+"/evidence/"+id+"/upload-complete", e.admin(pid), nil, nil)
}

// available declares file, uploads it and completes it.
func (e *env) available(pid string, file []byte, over map[string]any) string {
	e.t.Helper()
	u := e.declare(pid, declaration(file, over))
	if code := e.put(u, file); code != http.StatusOK {
		e.t.Fatalf("PUT: %d", code)
	}
	r := e.complete(pid, u.id)
	if r.Status != http.StatusOK || r.Object(e.t)["status"] != "available" {
		e.t.Fatalf("upload-complete: %d %s", r.Status, r.Body)
	}
	return u.id
}

// The whole life of one evidence: declared (201, pending, an upload bound
// to what was declared), uploaded, checked (available, with a download that
// serves the bytes), and checked again to no effect. POST is one write.
func TestEvidenceUploadLifecycle(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 1)
	file := document(1)
	r := e.do("POST", "/v1/partners/1/evidence", e.admin("1"), declaration(file, nil), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST: %d %s", r.Status, r.Body)
	}
	if got := r.Ops["PutItem"] + r.Ops["TransactWriteItems"]; got != 1 {
		t.Errorf("POST evidence wrote %d times (%v), want 1", got, r.Ops)
	}
	m := r.Object(t)
	id := m["id"].(string)
	if m["status"] != "pending_upload" || m["version"] != float64(1) || r.Header.Get("ETag") != `"1"` ||
		r.Header.Get("Location") != "/v1/partners/1/evidence/"+id {
		t.Fatalf("created: %v %v", r.Header, m)
	}
	up := m["upload"].(map[string]any)
	headers := up["headers"].(map[string]any)
	if up["method"] != "PUT" || headers["Content-Type"] != "application/pdf" ||
		headers["x-amz-checksum-sha256"] == nil && headers["X-Amz-Checksum-Sha256"] == nil {
		t.Fatalf("upload: %v", up)
	}
	// The URL is bound to the declaration by signed headers, lives at most
	// 15 minutes, and names a key the server chose under the partner's prefix.
	u, err := url.Parse(up["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	for _, h := range []string{"content-length", "content-type", "host", "x-amz-checksum-sha256"} {
		if !contains(signed, h) {
			t.Errorf("X-Amz-SignedHeaders %v lacks %s", signed, h)
		}
	}
	if s, _ := strconv.Atoi(q.Get("X-Amz-Expires")); s < 1 || s > 900 {
		t.Errorf("X-Amz-Expires %q", q.Get("X-Amz-Expires"))
	}
	if !strings.HasSuffix(u.Path, "/evidence/1/"+id) || q.Get("x-amz-checksum-sha256") != "" {
		t.Errorf("upload URL %s", u)
	}
	// Signed by the wall clock, which S3 checks it against.
	expires, _ := time.Parse(time.RFC3339, up["expiresAt"].(string))
	if d := time.Until(expires); d <= 0 || d > 15*time.Minute {
		t.Errorf("expiresAt %v is %v after now", up["expiresAt"], d)
	}

	path := "/v1/partners/1/evidence/" + id
	if got := e.do("GET", path, e.member("1"), nil, nil).Object(t); got["download"] != nil || got["status"] != "pending_upload" {
		t.Fatalf("before the upload: %v", got)
	}
	e.complete("1", id).Problem(t, http.StatusConflict)

	if code := e.put(upload{method: up["method"].(string), url: up["url"].(string), headers: stringMap(headers)}, file); code != http.StatusOK {
		t.Fatalf("PUT: %d", code)
	}
	done := e.complete("1", id)
	dm := done.Object(t)
	if done.Status != http.StatusOK || dm["status"] != "available" || dm["version"] != float64(2) {
		t.Fatalf("upload-complete: %d %s", done.Status, done.Body)
	}
	dl := dm["download"].(map[string]any)
	dlExpires, _ := time.Parse(time.RFC3339, dl["expiresAt"].(string))
	if d := time.Until(dlExpires); d <= 0 || d > 5*time.Minute {
		t.Errorf("download expiresAt is %v after now", d)
	}
	if got := fetch(t, dl["url"].(string)); !bytes.Equal(got, file) {
		t.Fatalf("the download serves %d bytes, not the file: %q", len(got), got)
	}
	again := e.complete("1", id)
	if again.Object(t)["version"] != float64(2) {
		t.Fatalf("upload-complete again changed the evidence: %s", again.Body)
	}
	// An Idempotency-Key is ignored: a stored answer would replay a stale
	// status and an expired link.
	for range 2 {
		k := e.do("POST", path+"/upload-complete", e.admin("1"), nil, header{"Idempotency-Key": "complete-1"})
		if k.Status != http.StatusOK || k.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("upload-complete with a key: %d %v", k.Status, k.Header)
		}
	}
	got := e.do("GET", path, e.member("1"), nil, nil)
	gm := got.Object(t)
	if gm["status"] != "available" || gm["download"] == nil || got.Header.Get("ETag") != `"2"` {
		t.Fatalf("GET: %s", got.Body)
	}
	if vs := gm["versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["id"] != id {
		t.Fatalf("versions: %v", vs)
	}
	// Never a 304: every answer has a fresh download link.
	if r := e.do("GET", path, e.member("1"), nil, header{"If-None-Match": `"2"`}); r.Status != http.StatusOK || r.Object(t)["download"] == nil {
		t.Fatalf("If-None-Match: %d", r.Status)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func stringMap(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v.(string)
	}
	return out
}

func fetch(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET download: %d %s", resp.StatusCode, b)
	}
	return b
}

// Bytes other than those declared reject the evidence, saying why; a
// rejected file is never served and never counts.
func TestEvidenceTamperedUploadIsRejected(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 1)
	file := document(1)
	tampered := bytes.Clone(file)
	tampered[len(tampered)/2] ^= 0x20
	u := e.declare("1", declaration(file, nil))
	if code := e.put(u, tampered); code != http.StatusOK {
		// An S3 that checks the signed checksum refuses the bytes itself:
		// then nothing is there, and the evidence waits for the right file.
		if e.bucket.Engine == blobtest.EngineGofakes3 {
			t.Fatalf("gofakes3 refused the PUT: %d", code)
		}
		e.complete("1", u.id).Problem(t, http.StatusConflict)
		return
	}
	r := e.complete("1", u.id)
	m := r.Object(t)
	if r.Status != http.StatusOK || m["status"] != "rejected" || !strings.Contains(m["rejectedReason"].(string), "SHA-256") || m["download"] != nil {
		t.Fatalf("upload-complete: %d %s", r.Status, r.Body)
	}
	if got := e.do("GET", "/v1/partners/1/evidence/"+u.id, e.admin("1"), nil, nil).Object(t); got["download"] != nil {
		t.Fatalf("a rejected file is offered for download: %v", got)
	}
	cl := e.do("GET", "/v1/partners/1/specializations/"+aiSpec+"/checklist", e.admin("1"), nil, nil)
	if !strings.Contains(string(cl.Body), `"evidenceId":"`+u.id+`","code":"not_available"`) {
		t.Fatalf("the checklist does not say the rejected evidence is not counted: %s", cl.Body)
	}
}

// A file never uploaded leaves the evidence pending while its URL lives,
// and rejects it once the URL has expired.
func TestEvidenceNeverUploaded(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 1)
	u := e.declare("1", declaration(document(1), nil))
	e.complete("1", u.id).Problem(t, http.StatusConflict)
	e.later(12 * time.Minute)
	m := e.complete("1", u.id).Object(t)
	if m["status"] != "rejected" || !strings.Contains(m["rejectedReason"].(string), "expired") {
		t.Fatalf("after expiry: %v", m)
	}
}

// Bad metadata is a 422 naming the field, and writes nothing.
func TestEvidenceRefusesBadMetadata(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 2)
	e.withProfile("2")
	file := document(1)
	otherSpec := e.available("1", document(2), map[string]any{"specializationId": analyticsSpec})
	e.withCustomers("2", 1)
	othersEvidence := e.available("2", document(3), nil)
	many := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	cases := []struct {
		name  string
		over  map[string]any
		field string
	}{
		{"an unknown control", map[string]any{"controls": []string{"A9.9"}}, "controls[0]"},
		{"a Module B control no seed gives", map[string]any{"controls": []string{"B1.1"}}, "controls[0]"},
		{"a kind the control does not accept", map[string]any{"kind": "sow"}, "kind"},
		{"a scenario on a control without scenarios", map[string]any{"scenario": "postgresql"}, "scenario"},
		{"a customer not on the partner's list", map[string]any{"customers": []string{tenant(9)}}, "customers[0]"},
		{"a sign-off in the future", map[string]any{"customerSignedOffOn": "2026-11-16"}, "customerSignedOffOn"},
		{"a sign-off before the project's completion", map[string]any{"customerSignedOffOn": "2026-05-19"}, "customerSignedOffOn"},
		{"a content type outside the allowlist", map[string]any{"contentType": "text/html"}, "contentType"},
		{"a declared size over 100 MiB", map[string]any{"sizeBytes": 100<<20 + 1}, "sizeBytes"},
		{"a size that is not whole", map[string]any{"sizeBytes": 1.5}, "sizeBytes"},
		{"a checksum that is not SHA-256", map[string]any{"sha256": "abc"}, "sha256"},
		{"an unknown specialization", map[string]any{"specializationId": "nope"}, "specializationId"},
		{"no specialization", map[string]any{"specializationId": nil}, "specializationId"},
		{"a superseded specialization", map[string]any{"specializationId": linuxSpec}, "specializationId"},
		{"supersedes of another specialization's evidence", map[string]any{"supersedes": otherSpec}, "supersedes"},
		{"supersedes of another partner's evidence", map[string]any{"supersedes": othersEvidence}, "supersedes"},
		{"101 controls", map[string]any{"controls": many(101, func(i int) string { return "A1.1" })}, "controls"},
		{"1,001 customers", map[string]any{"customers": many(1001, func(i int) string { return tenant(i) })}, "customers"},
	}
	before := e.do("GET", "/v1/partners/1/evidence", e.admin("1"), nil, nil).Body
	for _, c := range cases {
		r := e.do("POST", "/v1/partners/1/evidence", e.admin("1"), declaration(file, c.over), nil)
		fields := r.Problem(t, http.StatusUnprocessableEntity)
		if _, ok := fields[c.field]; !ok {
			t.Errorf("%s: errors %v do not name %s", c.name, fields, c.field)
		}
	}
	if after := e.do("GET", "/v1/partners/1/evidence", e.admin("1"), nil, nil).Body; !bytes.Equal(before, after) {
		t.Fatalf("a refused POST wrote evidence:\n%s\n%s", before, after)
	}
}

// supersedes makes a new version; the old one is superseded once the new
// one is available, not before. GET shows the versions; DELETE leaves a
// tombstone with its history, and neither counts any more.
func TestEvidenceVersionsAndTombstones(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 2)
	v1 := e.available("1", document(1), nil)
	next := document(2)
	u := e.declare("1", declaration(next, map[string]any{"supersedes": v1}))
	if got := e.do("GET", "/v1/partners/1/evidence/"+v1, e.admin("1"), nil, nil).Object(t); got["status"] != "available" {
		t.Fatalf("v1 before v2 is uploaded: %v", got["status"])
	}
	// A second new version of v1 while v2 is in progress would fork it.
	e.do("POST", "/v1/partners/1/evidence", e.admin("1"), declaration(document(3), map[string]any{"supersedes": v1}), nil).
		Problem(t, http.StatusUnprocessableEntity)
	e.put(u, next)
	e.complete("1", u.id)
	old := e.do("GET", "/v1/partners/1/evidence/"+v1, e.admin("1"), nil, nil).Object(t)
	if old["status"] != "superseded" || old["download"] != nil {
		t.Fatalf("v1 after v2: %v", old)
	}
	cur := e.do("GET", "/v1/partners/1/evidence/"+u.id, e.admin("1"), nil, nil).Object(t)
	vs := cur["versions"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["id"] != v1 || vs[1].(map[string]any)["supersedes"] != v1 {
		t.Fatalf("versions: %v", vs)
	}
	path := "/v1/partners/1/evidence/" + u.id
	e.do("DELETE", path, e.admin("1"), nil, header{"If-Match": `"1"`}).Problem(t, http.StatusPreconditionFailed)
	if r := e.do("DELETE", path, e.admin("1"), nil, header{"If-Match": `"2"`}); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.Status, r.Body)
	}
	if r := e.do("DELETE", path, e.admin("1"), nil, nil); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE again: %d %s", r.Status, r.Body)
	}
	tomb := e.do("GET", path, e.admin("1"), nil, nil).Object(t)
	if tomb["status"] != "deleted" || tomb["download"] != nil || tomb["title"] == nil || len(tomb["versions"].([]any)) != 2 {
		t.Fatalf("tombstone: %v", tomb)
	}
	cl := string(e.do("GET", "/v1/partners/1/specializations/"+aiSpec+"/checklist", e.admin("1"), nil, nil).Body)
	for id, code := range map[string]string{v1: "superseded", u.id: "deleted"} {
		if !strings.Contains(cl, `"evidenceId":"`+id+`","code":"`+code+`"`) {
			t.Errorf("the checklist does not give %s as %s: %s", id, code, cl)
		}
	}
	list := e.do("GET", "/v1/partners/1/evidence?status=deleted", e.admin("1"), nil, nil).Object(t)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != u.id {
		t.Fatalf("?status=deleted: %v", items)
	}
	e.do("DELETE", "/v1/partners/1/evidence/0190f5c2-0000-7000-8000-000000000000", e.admin("1"), nil, nil).Problem(t, http.StatusNotFound)
}

// The list filters by specialization, control, customer and status, and pages.
func TestEvidenceListFilters(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 2)
	a := e.available("1", document(1), nil)
	b := e.available("1", document(2), map[string]any{"controls": []string{"A2.1"}, "kind": "adoption_plan", "customers": []string{tenant(2)}})
	c := e.declare("1", declaration(document(3), map[string]any{"specializationId": analyticsSpec})).id
	ids := func(q string) []string {
		var out []string
		page := e.do("GET", "/v1/partners/1/evidence"+q, e.admin("1"), nil, nil).Object(t)
		for _, it := range page["items"].([]any) {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                            {a, b, c},
		"?specializationId=" + aiSpec: {a, b},
		"?control=A2.1":               {b},
		"?customer=" + strings.ToUpper(tenant(2)): {b},
		"?status=pending_upload":                  {c},
		"?status=available&control=A1.1":          {a},
	} {
		if got := ids(q); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	first := e.do("GET", "/v1/partners/1/evidence?limit=2", e.admin("1"), nil, nil).Object(t)
	next := first["nextCursor"].(string)
	rest := e.do("GET", "/v1/partners/1/evidence?limit=2&cursor="+url.QueryEscape(next), e.admin("1"), nil, nil).Object(t)
	if len(first["items"].([]any)) != 2 || len(rest["items"].([]any)) != 1 || rest["nextCursor"] != nil {
		t.Fatalf("pages: %v / %v", first, rest)
	}
	e.do("GET", "/v1/partners/1/evidence?status=lost", e.admin("1"), nil, nil).Problem(t, http.StatusBadRequest)
	e.do("GET", "/v1/partners/1/evidence?customer=nope", e.admin("1"), nil, nil).Problem(t, http.StatusBadRequest)
}

// Another partner's evidence is a 404 whatever the route, and so is an id
// the partner does not have.
func TestEvidenceOfAnotherPartner(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 1)
	e.withProfile("2")
	id := e.available("1", document(1), nil)
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/partners/1/evidence/" + id},
		{"GET", "/v1/partners/1/evidence"},
		{"DELETE", "/v1/partners/1/evidence/" + id},
		{"POST", "/v1/partners/1/evidence/" + id + "/upload-complete"},
		{"GET", "/v1/partners/1/specializations/" + aiSpec + "/checklist"},
	} {
		e.do(c.method, c.path, e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/partners/2/evidence/" + id},
		{"DELETE", "/v1/partners/2/evidence/" + id},
		{"POST", "/v1/partners/2/evidence/" + id + "/upload-complete"},
	} {
		e.do(c.method, c.path, e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
	}
}

// An auditor reads a partner's evidence (with downloads) and checklists only
// while an audit of that partner assigned to their firm is open: 404
// before, after, and for other partners. They never write; nor does the
// program, which does not read evidence at all.
func TestAuditorAccess(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 1)
	e.withCustomers("2", 1)
	id := e.available("1", document(1), nil)
	auditor := func(firm string) string {
		tok, err := e.key.Sign(auth.TokenSpec{Subject: "auditor@" + firm, Roles: []auth.Role{auth.RoleAuditor}, AuditFirm: firm, TTL: time.Hour, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	issi := auditor("issi")
	reads := []string{"/v1/partners/1/evidence", "/v1/partners/1/evidence/" + id, "/v1/partners/1/specializations/" + aiSpec + "/checklist"}
	for _, p := range reads {
		e.do("GET", p, issi, nil, nil).Problem(t, http.StatusNotFound)
	}
	open := e.openAudit("1", "issi")
	for _, p := range reads {
		if r := e.do("GET", p, issi, nil, nil); r.Status != http.StatusOK {
			t.Fatalf("%s during the audit: %d %s", p, r.Status, r.Body)
		}
	}
	if got := e.do("GET", reads[1], issi, nil, nil).Object(t); got["download"] == nil {
		t.Fatalf("the auditor gets no download: %v", got)
	}
	e.do("GET", "/v1/partners/2/evidence", issi, nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/1/evidence", auditor("another-firm"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("POST", "/v1/partners/1/evidence", issi, declaration(document(2), nil), nil).Problem(t, http.StatusForbidden)
	e.do("DELETE", reads[1], issi, nil, nil).Problem(t, http.StatusForbidden)
	e.do("POST", reads[1]+"/upload-complete", issi, nil, nil).Problem(t, http.StatusForbidden)
	e.do("GET", reads[0], e.program(), nil, nil).Problem(t, http.StatusForbidden)
	e.endAudit(open)
	for _, p := range reads {
		e.do("GET", p, issi, nil, nil).Problem(t, http.StatusNotFound)
	}
}

// The checklist answers for the audit date (today by default, or one to
// come), for the checklist version live then (R-AUD-4), and says where the
// seeds give no Module B; a superseded specialization answers for the days
// it was live, and says what replaced it.
func TestChecklistByAuditDate(t *testing.T) {
	e := newEnv(t)
	e.withCustomers("1", 2)
	e.available("1", document(1), nil)
	e.available("1", document(2), map[string]any{"customers": []string{tenant(2)}})
	r := e.do("GET", "/v1/partners/1/specializations/"+aiSpec+"/checklist", e.member("1"), nil, nil)
	if r.Calls > 2 {
		t.Errorf("the checklist made %d DynamoDB calls, budget 2", r.Calls)
	}
	m := r.Object(t)
	if m["auditDate"] != "2026-11-15" || m["satisfied"] != false {
		t.Fatalf("checklist: %s", r.Body)
	}
	mods := m["modules"].([]any)
	a, b := mods[0].(map[string]any), mods[1].(map[string]any)
	first := a["controls"].([]any)[0].(map[string]any)
	if first["id"] != "A1.1" || first["satisfied"] != true || len(first["customersCounted"].([]any)) != 2 {
		t.Fatalf("A1.1 with two customers' strategy documents: %v", first)
	}
	if b["known"] != false || b["note"] == nil || len(b["controls"].([]any)) != 0 {
		t.Fatalf("Module B of the AI specialization: %v", b)
	}
	future := e.do("GET", "/v1/partners/1/specializations/"+aiSpec+"/checklist?auditDate=2027-03-01", e.member("1"), nil, nil).Object(t)
	if future["auditDate"] != "2027-03-01" {
		t.Fatalf("a planned audit date: %v", future)
	}
	old := e.do("GET", "/v1/partners/1/specializations/"+linuxSpec+"/checklist?auditDate=2022-12-01", e.member("1"), nil, nil).Object(t)
	if old["supersededBy"] != "infra-and-database-migration-to-microsoft-azure" || old["checklistVersion"] == nil {
		t.Fatalf("a superseded specialization on a day it was live: %v", old)
	}
	fields := e.do("GET", "/v1/partners/1/specializations/"+linuxSpec+"/checklist?auditDate=2023-01-09", e.member("1"), nil, nil).
		Problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fields["auditDate"], "infra-and-database-migration-to-microsoft-azure") {
		t.Fatalf("after it was superseded: %v", fields)
	}
	e.do("GET", "/v1/partners/1/specializations/nope/checklist", e.member("1"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/1/specializations/"+aiSpec+"/checklist?auditDate=2026-13-01", e.member("1"), nil, nil).Problem(t, http.StatusBadRequest)
	e.do("GET", "/v1/partners/3/specializations/"+aiSpec+"/checklist", e.member("3"), nil, nil).Problem(t, http.StatusNotFound)
}

// R-AUD-11: B4.2 counts distinct migration scenarios, each with a customer
// of its own, and says what is missing in words; R-AUD-4: a scenario is
// accepted only from the day the checklist added it. Evidence for the
// Linux specialization could be filed only while it was live, so this
// partner prepares its audit in October 2022.
func TestChecklistScenarioGap(t *testing.T) {
	e := newEnvAt(t, time.Date(2022, 10, 3, 9, 0, 0, 0, time.UTC))
	e.withCustomers("1", 3)
	// Completed within the 12 months before both audit dates asked about.
	b42 := func(scenario string, customer int, kind string) map[string]any {
		return map[string]any{"specializationId": linuxSpec, "controls": []string{"B4.2"}, "customers": []string{tenant(customer)},
			"kind": kind, "scenario": scenario, "projectCompletedOn": "2022-02-01", "customerSignedOffOn": "2022-02-10"}
	}
	e.available("1", document(1), b42("postgresql", 1, "sow"))
	e.available("1", document(2), b42("postgresql", 1, "as_built"))
	r := e.do("GET", "/v1/partners/1/specializations/"+linuxSpec+"/checklist", e.member("1"), nil, nil)
	if !strings.Contains(string(r.Body), "has 1: postgresql") {
		t.Fatalf("B4.2's gap does not say what it has: %s", r.Body)
	}
	// Oracle to PostgreSQL counts only from 2022-03-03.
	e.available("1", document(3), b42("oracle_to_postgresql", 2, "sow"))
	e.available("1", document(4), b42("oracle_to_postgresql", 2, "hld_lld"))
	before := string(e.do("GET", "/v1/partners/1/specializations/"+linuxSpec+"/checklist?auditDate=2022-03-02", e.member("1"), nil, nil).Body)
	after := string(e.do("GET", "/v1/partners/1/specializations/"+linuxSpec+"/checklist", e.member("1"), nil, nil).Body)
	if !strings.Contains(before, `"code":"scenario_not_live"`) || strings.Contains(after, "scenario_not_live") {
		t.Fatalf("oracle_to_postgresql before 2022-03-03:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(after, `"scenariosCounted":["oracle_to_postgresql","postgresql"]`) {
		t.Fatalf("two scenarios with a customer each: %s", after)
	}
}

func blobUpload(u upload) blob.Upload {
	return blob.Upload{Method: u.method, URL: u.url, Headers: u.headers}
}
