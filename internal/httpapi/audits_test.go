package httpapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/webhook"
)

// analytics is aligned with Data & AI, which seedDataAI attains; the
// catalogue holds no performance or knowledge requirement of it, which the
// program then validates on approval.
const analytics = "analytics-on-microsoft-azure"

// openAudit stores an audit of pid approved for firm, through the store's
// own write path (the access tests need an open audit, not readiness).
func (e *env) openAudit(pid, firm string) string {
	e.t.Helper()
	ctx, now := context.Background(), e.now()
	rec, err := e.store.CreateAudit(ctx, pid, analytics, func([]audit.Audit) (audit.Audit, error) {
		return audit.Apply(now, audit.Application{ID: store.NewAuditID(pid, now), PartnerID: pid, SpecializationID: analytics,
			Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en", By: audit.Actor{Party: audit.PartyPartner}})
	})
	if err == nil {
		_, err = e.store.ChangeAudit(ctx, rec.ID, func(a audit.Audit) (audit.Audit, error) {
			return audit.Approve(a, firm, audit.Actor{Party: audit.PartyProgram}, now)
		})
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}

// endAudit withdraws an audit through the store.
func (e *env) endAudit(id string) {
	e.t.Helper()
	if _, err := e.store.ChangeAudit(context.Background(), id, func(a audit.Audit) (audit.Audit, error) {
		return audit.Withdraw(a, audit.Actor{Party: audit.PartyPartner}, e.now())
	}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) auditor(firm string) string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "auditor@" + firm, Roles: []auth.Role{auth.RoleAuditor}, AuditFirm: firm, TTL: time.Hour, Now: e.now()})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// event is an audit firm event's body.
func event(id, typ, auditID string, occurredAt time.Time, data map[string]any) []byte {
	if data == nil {
		data = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"id": id, "type": typ, "auditId": auditID, "occurredAt": occurredAt.Format(time.RFC3339), "data": data})
	return b
}

// signed posts body to the webhook signed with secret at t.
func (e *env) signed(body []byte, secret string, t time.Time) response {
	e.t.Helper()
	return e.do("POST", "/v1/webhooks/audit-firm", "", body, header{webhook.Header: webhook.Sign([]byte(secret), body, t)})
}

// firm posts an event signed now with the right secret, and wants status.
func (e *env) firm(status int, id, typ, auditID string, data map[string]any) response {
	e.t.Helper()
	r := e.signed(event(id, typ, auditID, e.now(), data), webhookSecret, e.now())
	if r.Status != status {
		e.t.Fatalf("%s %s: %d, want %d: %s", id, typ, r.Status, status, r.Body)
	}
	// A state change is 1 GetItem and 1 TransactWriteItems; a refusal 1
	// GetItem and the PutItem of its record.
	want := map[string]int64{"GetItem": 1, "TransactWriteItems": 1}
	if status != http.StatusOK {
		want = map[string]int64{"GetItem": 1, "PutItem": 1}
	}
	if !maps.Equal(r.Ops, want) {
		e.t.Fatalf("%s %s took %v, want %v", id, typ, r.Ops, want)
	}
	return r
}

func (e *env) getAudit(id string) map[string]any {
	e.t.Helper()
	r := e.do("GET", "/v1/partners/"+pid+"/audits/"+id, e.member(pid), nil, nil)
	if r.Status != http.StatusOK || r.Calls != 1 {
		e.t.Fatalf("GET audit: %d, %d calls: %s", r.Status, r.Calls, r.Body)
	}
	return r.Object(e.t)
}

// deadline is the deadline of step (and name prefix) in an audit's answer.
func deadline(t *testing.T, a map[string]any, step int, name string) map[string]any {
	t.Helper()
	for _, d := range a["deadlines"].([]any) {
		m := d.(map[string]any)
		if m["step"] == float64(step) && strings.HasPrefix(m["name"].(string), name) {
			return m
		}
	}
	t.Fatalf("no deadline of step %d %q in %v", step, name, a["deadlines"])
	return nil
}

func wantDeadline(t *testing.T, a map[string]any, step int, name, dueOn, state string) {
	t.Helper()
	d := deadline(t, a, step, name)
	if d["dueOn"] != dueOn || d["state"] != state {
		t.Errorf("step %d %s: due %v %v, want %s %s", step, name, d["dueOn"], d["state"], dueOn, state)
	}
}

// A whole audit, step by step, through the API: the partner admin applies
// (a member may not), the program approves (a partner may not, nor twice),
// the firm's signed events move it on, the partner acknowledges the Gap
// Report, and the program gives the result. Every deadline is worked out by
// hand below, weekends and Thanksgiving (Thursday 2026-11-26) skipped.
//
// R-AUD-2, R-AUD-3, R-AUD-4, R-AUD-5, R-AUD-6, R-AUD-9, R-AUD-10, R-AUD-12.
func TestAuditLifecycle(t *testing.T) {
	e := newEnv(t) // Sunday 2026-11-15, 10:00 UTC
	seedDataAI(e)
	apply := map[string]any{"specializationId": analytics, "modules": []string{"A", "B"}, "language": "fr", "ndaRequested": true}
	e.do("POST", "/v1/partners/"+pid+"/audits", e.member(pid), apply, nil).Problem(t, http.StatusForbidden)
	r := e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), apply, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	// Readiness's read, the slot, the partner's audits, one transaction.
	if want := map[string]int64{"BatchGetItem": 1, "GetItem": 1, "Query": 1, "TransactWriteItems": 1}; !maps.Equal(r.Ops, want) {
		t.Fatalf("apply took %v, want %v", r.Ops, want)
	}
	a := r.Object(t)
	id := a["id"].(string)
	if a["status"] != "applied" || a["fee"].(map[string]any)["usd"] != 3000.0 || a["paid"] != false || a["ndaRequested"] != true || a["language"] != "fr" {
		t.Fatalf("application: %s", r.Body)
	}
	if u := a["unverified"].([]any); len(u) != 2 {
		t.Fatalf("the catalogue holds neither performance nor knowledge of %s: the program verifies both, %v", analytics, u)
	}
	// R-AUD-3: 30 calendar days from the application; the program approves next.
	wantDeadline(t, a, 6, "conduct", "2026-12-15", "pending")
	if n := a["next"].(map[string]any); n["step"] != 3.0 || n["owner"] != "program" || n["dueOn"] != nil {
		t.Fatalf("next: %v", n)
	}
	if r := e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), apply, nil); r.Status != http.StatusConflict {
		t.Fatalf("a second open audit of the specialization: %d %s", r.Status, r.Body)
	}

	approval := map[string]any{"auditFirm": "issi"}
	e.do("POST", "/v1/audits/"+id+"/approval", e.admin(pid), approval, nil).Problem(t, http.StatusForbidden)
	// A firm that is not one would lock the real firm's auditors out.
	if _, ok := e.do("POST", "/v1/audits/"+id+"/approval", e.program(), map[string]any{"auditFirm": "isi"}, nil).Problem(t, http.StatusUnprocessableEntity)["auditFirm"]; !ok {
		t.Fatal("a firm that is not one was not refused at auditFirm")
	}
	if r := e.do("POST", "/v1/audits/"+id+"/approval", e.program(), approval, nil); r.Status != http.StatusOK || r.Calls != 2 {
		t.Fatalf("approve: %d, %d calls: %s", r.Status, r.Calls, r.Body)
	}
	e.do("POST", "/v1/audits/"+id+"/approval", e.program(), approval, nil).Problem(t, http.StatusConflict)
	a = e.getAudit(id)
	// Step 5: 2 business days from Sunday: Monday 16, Tuesday 17.
	wantDeadline(t, a, 5, "schedule", "2026-11-17", "pending")

	e.later(24 * time.Hour) // Monday 16
	e.firm(200, "evt-1", "audit.scheduled", id, map[string]any{"auditOn": "2026-11-23"})
	// R-AUD-2: not before payment; the refusal is kept, the audit unchanged.
	before := e.getAudit(id)
	r = e.firm(409, "evt-2", "audit.conducted", id, map[string]any{"openActionItems": 2})
	if r.Problem(t, http.StatusConflict); r.Object(t)["type"] != "urn:partnerready:problem:audit-not-paid" {
		t.Fatalf("conducted before payment: %s", r.Body)
	}
	if after := e.getAudit(id); after["version"] != before["version"] {
		t.Fatalf("a refused event changed the audit: %v → %v", before["version"], after["version"])
	}
	a = e.getAudit(id)
	wantDeadline(t, a, 5, "schedule", "2026-11-17", "met")
	wantDeadline(t, a, 6, "pay", "2026-11-23", "pending") // before the audit begins
	if a["checklistVersion"] == nil {
		t.Fatalf("the checklist of the audit date is shown once scheduled (R-AUD-4): %v", a)
	}

	e.later(24 * time.Hour) // Tuesday 17
	e.firm(200, "evt-3", "audit.payment_received", id, map[string]any{"amountUsd": 3000})
	e.later(6 * 24 * time.Hour)                                                       // Monday 23
	e.firm(200, "evt-2", "audit.conducted", id, map[string]any{"openActionItems": 2}) // the refused event, sent again
	a = e.getAudit(id)
	// Step 7: 2 business days from Monday 23: Tuesday 24, Wednesday 25.
	wantDeadline(t, a, 7, "send the partner the Gap Report", "2026-11-25", "pending")

	e.later(2 * 24 * time.Hour) // Wednesday 25
	e.firm(200, "evt-4", "gap_report.issued", id, nil)
	a = e.getAudit(id)
	// Step 8: 2 business days from Wednesday 25, Thanksgiving skipped:
	// Friday 27, Monday 30. Step 9: 15 calendar days, 2026-12-10.
	wantDeadline(t, a, 8, "acknowledge", "2026-11-30", "pending")
	wantDeadline(t, a, 9, "hold the Gap Review", "2026-12-10", "pending")
	ack := "/v1/partners/" + pid + "/audits/" + id + "/gap-report-acknowledgement"
	r = e.do("POST", ack, e.member(pid), map[string]any{"gapReviewOn": "2026-12-11"}, nil)
	if _, ok := r.Problem(t, http.StatusUnprocessableEntity)["gapReviewOn"]; !ok {
		t.Fatalf("a Gap Review after its window: %s", r.Body)
	}
	if r := e.do("POST", ack, e.member(pid), map[string]any{"gapReviewOn": "2026-12-02"}, nil); r.Status != http.StatusOK {
		t.Fatalf("acknowledge: %d %s", r.Status, r.Body)
	}

	e.later(7 * 24 * time.Hour) // Wednesday 2 December
	e.firm(200, "evt-5", "gap_review.held", id, map[string]any{"allResolved": true})
	e.later(2 * 24 * time.Hour) // Friday 4
	e.firm(200, "evt-6", "final_report.issued", id, map[string]any{"result": "pass"})
	a = e.getAudit(id)
	// Step 10: 5 business days from the Gap Review (Wednesday 2): 3, 4, 7, 8, 9.
	wantDeadline(t, a, 10, "issue the Final Report", "2026-12-09", "met")
	// Step 11: 2 business days from Friday 4: Monday 7, Tuesday 8.
	wantDeadline(t, a, 11, "tell the partner", "2026-12-08", "pending")
	if n := a["next"].(map[string]any); n["step"] != 11.0 || n["owner"] != "program" || n["dueOn"] != "2026-12-08" {
		t.Fatalf("next: %v", n)
	}

	e.later(3 * 24 * time.Hour) // Monday 7
	e.do("POST", "/v1/audits/"+id+"/conclusion", e.admin(pid), nil, nil).Problem(t, http.StatusForbidden)
	if r := e.do("POST", "/v1/audits/"+id+"/conclusion", e.program(), nil, nil); r.Status != http.StatusOK {
		t.Fatalf("conclusion: %d %s", r.Status, r.Body)
	}
	a = e.getAudit(id)
	out := a["outcome"].(map[string]any)
	passes := out["passes"].([]any)
	if a["status"] != "passed" || out["result"] != "pass" || len(passes) != 2 || a["next"] != nil {
		t.Fatalf("passed: %v", a)
	}
	// R-AUD-6: two years from the Final Report.
	if p := passes[0].(map[string]any); p["passedOn"] != "2026-12-04" || !strings.HasPrefix(p["validUntil"].(string), "2028-12-0") {
		t.Fatalf("pass: %v", p)
	}
	events := []string{}
	for _, x := range a["timeline"].([]any) {
		m := x.(map[string]any)
		events = append(events, m["event"].(string)+"/"+m["actor"].(string))
	}
	want := "applied/partner:user-" + pid + " approved/program:pm audit.scheduled/audit_firm:issi audit.payment_received/audit_firm:issi audit.conducted/audit_firm:issi gap_report.issued/audit_firm:issi gap_report.acknowledged/partner:user-" + pid +
		" gap_review.held/audit_firm:issi final_report.issued/audit_firm:issi audit.passed/program:pm"
	if got := strings.Join(events, " "); got != want {
		t.Fatalf("timeline:\n%s\nwant\n%s", got, want)
	}
	// R-SPEC-5, R-SPEC-6: the pass enrols the partner on the day the program
	// told it, for a year; the window opens 60 days before the anniversary
	// and closes 30 days after it.
	en := e.do("GET", "/v1/partners/"+pid+"/specializations/"+analytics, e.member(pid), nil, nil).Object(t)["enrollment"].(map[string]any)
	if en["status"] != "enrolled" || en["enrolledOn"] != "2026-12-07" || en["anniversary"] != "2027-12-07" || en["validUntil"] != "2028-01-06" ||
		en["renewalWindow"].(map[string]any)["opens"] != "2027-10-08" || en["nextRenewal"] != "telemetry" || en["auditValidUntil"] != "2028-12-03" {
		t.Fatalf("enrollment: %v", en)
	}
	// R-SPEC-1: no consumption is loaded for 2026-11 yet, so the designation
	// is not attained as of then: a risk to the renewal, not a loss.
	if risks := fmt.Sprint(en["risks"]); !strings.Contains(risks, "aligned designation is not attained as of 2026-11") {
		t.Fatalf("risks: %s", risks)
	}
	// R-AUD-1: Module B alone, on the strength of this pass (readiness is
	// now as of 2026-11, which needs its consumption).
	e.later(24 * time.Hour)
	seedDataAIConsumption(e, "2026-11", "2025-11")
	r = e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), map[string]any{"specializationId": "data-warehouse-migration-to-microsoft-azure",
		"modules": []string{"B"}, "moduleAPass": map[string]any{"auditId": id}, "language": "en"}, nil)
	if r.Status != http.StatusCreated || r.Object(t)["fee"].(map[string]any)["usd"] != 2000.0 {
		t.Fatalf("Module B alone: %d %s", r.Status, r.Body)
	}
}

// R-AUD-3: an application is refused with every unmet prerequisite, for a
// superseded specialization, and when malformed, naming each field; none
// writes anything.
func TestAuditApplicationRefused(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	post := func(body map[string]any) response {
		return e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), body, nil)
	}
	r := post(map[string]any{"specializationId": aiSpec, "modules": []string{"A", "B"}, "language": "en"})
	r.Problem(t, http.StatusUnprocessableEntity)
	var kinds []string
	for _, u := range r.Object(t)["unmet"].([]any) {
		kinds = append(kinds, u.(map[string]any)["requirement"].(string))
	}
	if strings.Join(kinds, ",") != "performance,knowledge" {
		t.Fatalf("unmet: %s", r.Body)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"specializationId": "linux-and-open-source-database-migration-to-microsoft-azure", "modules": []string{"A", "B"}, "language": "en"}, "specializationId"},
		{map[string]any{"specializationId": "nope", "modules": []string{"A", "B"}, "language": "en"}, "specializationId"},
		{map[string]any{"specializationId": analytics, "modules": []string{"B"}, "language": "en"}, "moduleAPass"},
		{map[string]any{"specializationId": analytics, "modules": []string{"A"}, "language": "en"}, "modules"},
		{map[string]any{"specializationId": analytics, "modules": []string{"A", "B"}, "language": "tlh"}, "language"},
		{map[string]any{"specializationId": analytics, "modules": []string{"B"}, "language": "en", "moduleAPass": map[string]any{"passedOn": "2023-01-10", "version": "V2.0"}}, "moduleAPass"},
		{map[string]any{"specializationId": analytics, "modules": []string{"B"}, "language": "en", "moduleAPass": map[string]any{"passedOn": "2026-01-10", "version": "V1.4"}}, "moduleAPass"},
		{map[string]any{"specializationId": analytics, "language": "en"}, "modules"},
	} {
		r := post(c.body)
		if _, ok := r.Problem(t, http.StatusUnprocessableEntity)[c.field]; !ok {
			t.Errorf("%v: want an error at %s: %s", c.body, c.field, r.Body)
		}
	}
	if l := e.do("GET", "/v1/partners/"+pid+"/audits", e.admin(pid), nil, nil).Object(t); len(l["items"].([]any)) != 0 {
		t.Fatalf("refused applications wrote: %v", l)
	}
}

// R-AUD-6: a withdrawal fails the audit at once; for a week it shows
// "audit failed" and a new application is refused, then it shows "not
// enrolled" and a new one is taken.
func TestAuditWithdrawalAndTheWeekAfter(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	apply := map[string]any{"specializationId": analytics, "modules": []string{"A", "B"}, "language": "en"}
	id := e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), apply, nil).Object(t)["id"].(string)
	e.do("POST", "/v1/partners/"+pid+"/audits/"+id+"/withdrawal", e.member(pid), nil, nil).Problem(t, http.StatusForbidden)
	if r := e.do("POST", "/v1/partners/"+pid+"/audits/"+id+"/withdrawal", e.admin(pid), nil, nil); r.Status != http.StatusOK {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	e.do("POST", "/v1/partners/"+pid+"/audits/"+id+"/withdrawal", e.admin(pid), nil, nil).Problem(t, http.StatusConflict)
	a := e.getAudit(id)
	out := a["outcome"].(map[string]any)
	if a["status"] != "failed" || out["enrollmentStatus"] != "audit_failed" || out["reapplyFrom"] != "2026-11-22" {
		t.Fatalf("withdrawn: %v", a)
	}
	if en := e.do("GET", "/v1/partners/"+pid+"/specializations/"+analytics, e.member(pid), nil, nil).Object(t)["enrollment"].(map[string]any); en["status"] != "audit_failed" || en["reapplyFrom"] != "2026-11-22" {
		t.Fatalf("the specialization's enrollment in the week after: %v", en)
	}
	e.later(6*24*time.Hour + 13*time.Hour) // Saturday 21, 23:00
	r := e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), apply, nil)
	if r.Problem(t, http.StatusConflict); r.Object(t)["type"] != "urn:partnerready:problem:audit-failed" || !strings.Contains(r.Object(t)["detail"].(string), "2026-11-22") {
		t.Fatalf("in the week after: %s", r.Body)
	}
	e.later(time.Hour) // Sunday 22
	if out := e.getAudit(id)["outcome"].(map[string]any); out["enrollmentStatus"] != "not_enrolled" {
		t.Fatalf("after the week: %v", out)
	}
	if en := e.do("GET", "/v1/partners/"+pid+"/specializations/"+analytics, e.member(pid), nil, nil).Object(t)["enrollment"].(map[string]any); en["status"] != "not_enrolled" {
		t.Fatalf("the specialization's enrollment after the week: %v", en)
	}
	if r := e.do("POST", "/v1/partners/"+pid+"/audits", e.admin(pid), apply, nil); r.Status != http.StatusCreated {
		t.Fatalf("after the week: %d %s", r.Status, r.Body)
	}
}

// The webhook's attacks: each is refused and leaves the audit exactly as
// it was (DESIGN's Security section).
func TestWebhookRefusesForgeries(t *testing.T) {
	e := newEnv(t)
	id := e.openAudit(pid, "issi")
	before := e.getAudit(id)
	now := e.now()
	body := event("evt-x", "audit.scheduled", id, now, map[string]any{"auditOn": "2026-11-30"})
	post := func(h header, b []byte) response {
		return e.do("POST", "/v1/webhooks/audit-firm", "", b, h)
	}
	sig := func(secret string, t time.Time, b []byte) string { return webhook.Sign([]byte(secret), b, t) }
	reserialised, _ := json.MarshalIndent(json.RawMessage(body), "", "  ")
	for name, c := range map[string]struct {
		h header
		b []byte
	}{
		"unsigned":               {header{}, body},
		"malformed header":       {header{webhook.Header: "v1=abc"}, body},
		"forged":                 {header{webhook.Header: sig("not-the-secret", now, body)}, body},
		"stale":                  {header{webhook.Header: sig(webhookSecret, now.Add(-301*time.Second), body)}, body},
		"from the future":        {header{webhook.Header: sig(webhookSecret, now.Add(301*time.Second), body)}, body},
		"retired secret":         {header{webhook.Header: sig("whsec-retired", now, body)}, body},
		"re-serialised body":     {header{webhook.Header: sig(webhookSecret, now, reserialised)}, body},
		"tampered after signing": {header{webhook.Header: sig(webhookSecret, now, body)}, []byte(strings.Replace(string(body), "2026-11-30", "2026-12-01", 1))},
	} {
		r := post(c.h, c.b)
		if r.Problem(t, http.StatusUnauthorized); r.Object(t)["type"] != "urn:partnerready:problem:bad-signature" {
			t.Errorf("%s: %s", name, r.Body)
		}
	}
	if after := e.getAudit(id); after["version"] != before["version"] {
		t.Fatalf("a refused webhook changed the audit")
	}
	// Signed, but not an audit, or not an event; or an event from the future.
	e.signed(event("evt-f", "audit.scheduled", id, now.Add(time.Hour), map[string]any{"auditOn": "2026-11-30"}), webhookSecret, now).Problem(t, http.StatusUnprocessableEntity)
	e.signed(event("evt-y", "audit.scheduled", pid+"-00000000-0000-7000-8000-000000000000", now, map[string]any{"auditOn": "2026-11-30"}), webhookSecret, now).Problem(t, http.StatusNotFound)
	for _, b := range [][]byte{
		event("evt-z", "audit.exploded", id, now, nil),
		event("evt-z", "audit.scheduled", id, now, nil),
		event("evt-z", "audit.scheduled", id, now, map[string]any{"auditOn": "2026-11-30", "result": "pass"}),
		event("", "audit.scheduled", id, now, map[string]any{"auditOn": "2026-11-30"}),
		[]byte(`{"id":"evt-z","type":"audit.scheduled","auditId":"` + id + `","occurredAt":"yesterday","data":{"auditOn":"2026-11-30"}}`),
	} {
		e.signed(b, webhookSecret, now).Problem(t, http.StatusUnprocessableEntity)
	}
	// Well formed, but its data wrong for the audit: named at its JSON path.
	past := event("evt-p", "audit.scheduled", id, now, map[string]any{"auditOn": "2026-11-01"})
	if _, ok := e.signed(past, webhookSecret, now).Problem(t, http.StatusUnprocessableEntity)["data.auditOn"]; !ok {
		t.Fatal("an audit day before the scheduling is not named at data.auditOn")
	}
	for _, b := range []string{`{"id":"evt-z","id":"evt-q"}`, `[1,2]`, `{"id":`} {
		e.signed([]byte(b), webhookSecret, now).Problem(t, http.StatusBadRequest)
	}
	big := append([]byte(`{"id":"`), make([]byte, httpapi.MaxWebhookBytes)...)
	e.signed(big, webhookSecret, now).Problem(t, http.StatusRequestEntityTooLarge)
	// Replayed: applied once, then a duplicate.
	if r := e.signed(body, webhookSecret, now); r.Status != http.StatusOK || r.Object(t)["duplicate"] != false {
		t.Fatalf("first delivery: %d %s", r.Status, r.Body)
	}
	applied := e.getAudit(id)
	r := e.signed(body, webhookSecret, now.Add(time.Minute))
	if r.Status != http.StatusOK || r.Object(t)["duplicate"] != true {
		t.Fatalf("replay: %d %s", r.Status, r.Body)
	}
	if e.getAudit(id)["version"] != applied["version"] {
		t.Fatalf("a replay changed the audit")
	}
	// Another body under a used id.
	other := event("evt-x", "audit.scheduled", id, now, map[string]any{"auditOn": "2026-12-01"})
	e.signed(other, webhookSecret, now).Problem(t, http.StatusUnprocessableEntity)
	// Out of order: a gap review for an audit not even conducted.
	e.signed(event("evt-w", "gap_review.held", id, now, map[string]any{"allResolved": true}), webhookSecret, now).Problem(t, http.StatusConflict)
	if e.getAudit(id)["version"] != applied["version"] {
		t.Fatalf("a refused event changed the audit")
	}
}

// Two events for the same audit at once never both apply: of several
// "conducted" events with their own ids one applies and the others, judged
// on the audit it left, are refused (on minidyn here, on moto in
// scripts/test's second run).
func TestWebhookConcurrentEvents(t *testing.T) {
	e := newEnv(t)
	id := e.openAudit(pid, "issi")
	e.firm(200, "pay", "audit.payment_received", id, map[string]any{"amountUsd": 3000})
	e.firm(200, "sched", "audit.scheduled", id, map[string]any{"auditOn": e.now().Format(time.DateOnly)})
	const n = 4
	var wg sync.WaitGroup
	got := make([]sent, n)
	for i := range n {
		wg.Go(func() {
			b := event(fmt.Sprint("cond-", i), "audit.conducted", id, e.now(), map[string]any{"openActionItems": i})
			got[i] = e.send("POST", "/v1/webhooks/audit-firm", "", b, header{webhook.Header: webhook.Sign([]byte(webhookSecret), b, e.now())})
		})
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, s := range got {
		switch e.check(s).Status {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Fatalf("%d applied, %d refused; want 1 and %d", ok, conflict, n-1)
	}
}

// The lists: the program sees every audit (by status too), an audit firm
// its own only, a partner its own; another tenant's audit is a 404.
func TestAuditLists(t *testing.T) {
	e := newEnv(t)
	e.withProfile("2")
	a1 := e.openAudit(pid, "issi")
	a2 := e.openAudit("2", "other-firm")
	count := func(path, tok string) int {
		t.Helper()
		r := e.do("GET", path, tok, nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
		return len(r.Object(t)["items"].([]any))
	}
	if n := count("/v1/audits", e.program()); n != 2 {
		t.Fatalf("program: %d", n)
	}
	if n := count("/v1/audits?status=approved", e.program()); n != 2 {
		t.Fatalf("approved: %d", n)
	}
	if n := count("/v1/audits?status=passed", e.program()); n != 0 {
		t.Fatalf("passed: %d", n)
	}
	if n := count("/v1/audits", e.auditor("issi")); n != 1 {
		t.Fatalf("issi: %d", n)
	}
	e.do("GET", "/v1/audits?status=done", e.program(), nil, nil).Problem(t, http.StatusBadRequest)
	// A cursor made up, with a sort key DynamoDB would refuse: a 400, not a 500.
	forged, _ := json.Marshal(map[string]string{"s": "AUDIT#" + a1, "g": strings.Repeat("9", 1500) + "#" + a1})
	e.do("GET", "/v1/audits?cursor="+base64.RawURLEncoding.EncodeToString(forged), e.program(), nil, nil).Problem(t, http.StatusBadRequest)
	e.do("GET", "/v1/audits", e.admin(pid), nil, nil).Problem(t, http.StatusForbidden)
	if n := count("/v1/partners/"+pid+"/audits", e.member(pid)); n != 1 {
		t.Fatalf("partner: %d", n)
	}
	if n := count("/v1/partners/"+pid+"/audits", e.auditor("issi")); n != 1 {
		t.Fatalf("its auditor: %d", n)
	}
	e.do("GET", "/v1/partners/"+pid+"/audits", e.auditor("other-firm"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/"+pid+"/audits/"+a2, e.member(pid), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/2/audits/"+a1, e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("POST", "/v1/audits/"+a1+"/approval", e.program(), map[string]any{"auditFirm": "issi"}, nil).Problem(t, http.StatusConflict)
	e.do("POST", "/v1/audits/"+pid+"-nope/approval", e.program(), map[string]any{"auditFirm": "issi"}, nil).Problem(t, http.StatusNotFound)
	e.do("POST", "/v1/partners/2/audits/"+a1+"/withdrawal", e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
}

// A secret rotation loses no event: while Secrets Manager holds the new
// value and the previous one, a signature under either verifies (and a
// header with both); once the previous one is retired it is a 401.
func TestWebhookDuringRotation(t *testing.T) {
	e := newEnv(t)
	id := e.openAudit(pid, "issi")
	e.secret.set("whsec-new", webhookSecret)
	now := e.now()
	b1 := event("evt-old", "audit.payment_received", id, now, map[string]any{"amountUsd": 1000})
	if r := e.signed(b1, webhookSecret, now); r.Status != http.StatusOK || r.Object(t)["duplicate"] != false {
		t.Fatalf("signed with the previous value during the rotation: %d %s", r.Status, r.Body)
	}
	b2 := event("evt-both", "audit.payment_received", id, now, map[string]any{"amountUsd": 1000})
	both := webhook.Sign([]byte("whsec-new"), b2, now) + ",v1=" + strings.SplitN(webhook.Sign([]byte(webhookSecret), b2, now), "v1=", 2)[1]
	if r := e.do("POST", "/v1/webhooks/audit-firm", "", b2, header{webhook.Header: both}); r.Status != http.StatusOK {
		t.Fatalf("signed with both values: %d %s", r.Status, r.Body)
	}
	e.secret.set("whsec-new")
	b3 := event("evt-late", "audit.payment_received", id, now, map[string]any{"amountUsd": 1000})
	e.signed(b3, webhookSecret, now).Problem(t, http.StatusUnauthorized)
	if r := e.signed(b3, "whsec-new", now); r.Status != http.StatusOK {
		t.Fatalf("signed with the new value: %d %s", r.Status, r.Body)
	}
}

// Each deadline is met, pending or overdue as of now (R-AUD-12): the firm's
// 2 business days to schedule run out on the third, and the audit then
// waits on the firm.
func TestAuditDeadlineOverdue(t *testing.T) {
	e := newEnv(t) // Sunday 2026-11-15
	id := e.openAudit(pid, "issi")
	wantDeadline(t, e.getAudit(id), 5, "schedule", "2026-11-17", "pending")
	e.later(2*24*time.Hour + 13*time.Hour) // Tuesday 17, 23:00: still the last day
	wantDeadline(t, e.getAudit(id), 5, "schedule", "2026-11-17", "pending")
	e.later(time.Hour) // Wednesday 18
	a := e.getAudit(id)
	wantDeadline(t, a, 5, "schedule", "2026-11-17", "overdue")
	if n := a["next"].(map[string]any); n["step"] != 5.0 || n["owner"] != "audit_firm" {
		t.Fatalf("next: %v", n)
	}
	// Scheduled late: met, on the day it happened.
	e.firm(200, "evt-1", "audit.scheduled", id, map[string]any{"auditOn": "2026-11-25"})
	d := deadline(t, e.getAudit(id), 5, "schedule")
	if d["state"] != "met" || d["metOn"] != "2026-11-18" {
		t.Fatalf("scheduled late: %v", d)
	}
}

// An event dated a little ahead of the API's clock (within the signature's
// tolerance) happened now as far as order goes: the partner may withdraw
// right after it.
func TestWebhookEventDatedAhead(t *testing.T) {
	e := newEnv(t)
	seedDataAI(e)
	id := e.openAudit(pid, "issi")
	now := e.now()
	b := event("evt-ahead", "audit.payment_received", id, now.Add(4*time.Minute), map[string]any{"amountUsd": 3000})
	if r := e.signed(b, webhookSecret, now); r.Status != http.StatusOK {
		t.Fatalf("dated 4 minutes ahead: %d %s", r.Status, r.Body)
	}
	if r := e.do("POST", "/v1/partners/"+pid+"/audits/"+id+"/withdrawal", e.admin(pid), nil, nil); r.Status != http.StatusOK {
		t.Fatalf("withdrawal after it: %d %s", r.Status, r.Body)
	}
}
