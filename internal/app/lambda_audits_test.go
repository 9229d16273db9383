package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/secrets"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/webhook"
)

// The audit firm's webhook as API Gateway delivers it: a payload 2.0 event
// with no Authorization, the signature in a lower-case header, the body as
// text or base64. The signature is checked on the bytes the firm sent,
// which the adapter hands over decoded.
func TestLambdaAuditFirmWebhook(t *testing.T) {
	t.Parallel()
	const secret = "whsec-lambda"
	e := newLambdaEnvOf(t, func(st *store.Store) []httpapi.Route {
		certs := catalog.MustCertifications()
		specs := catalog.MustSpecializations()
		return httpapi.NewAudits(httpapi.AuditsDeps{Store: st, Certs: certs, Rules: catalog.MustScoringRules(certs), Specs: specs,
			Checklists: catalog.MustChecklists(specs), Secret: secrets.Fixed(secret)}).Routes()
	})
	st := e.store
	now := time.Now()
	rec, err := st.CreateAudit(context.Background(), partnerID, "analytics-on-microsoft-azure", func([]audit.Audit) (audit.Audit, error) {
		return audit.Apply(now, audit.Application{ID: store.NewAuditID(partnerID, now), PartnerID: partnerID,
			SpecializationID: "analytics-on-microsoft-azure", Modules: audit.Modules{audit.ModuleA, audit.ModuleB}, Language: "en"})
	})
	if err == nil {
		_, err = st.ChangeAudit(context.Background(), rec.ID, func(a audit.Audit) (audit.Audit, error) {
			return audit.Approve(a, "issi", audit.Actor{Party: audit.PartyProgram}, now)
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	body := func(id string) []byte {
		b, _ := json.Marshal(map[string]any{"id": id, "type": "audit.payment_received", "auditId": rec.ID,
			"occurredAt": now.UTC().Format(time.RFC3339), "data": map[string]any{"amountUsd": 1500}})
		return b
	}
	deliver := func(b []byte, base64 bool, signature string) lambdaResult {
		ev := e.event("audit_firm_webhook.json", map[string]string{"SIGNATURE": signature})
		setBody(&ev, b, base64)
		return e.invoke(ev)
	}
	sign := func(b []byte) string { return webhook.Sign([]byte(secret), b, time.Now()) }

	b := body("evt-1")
	if got := deliver(b, false, sign(b)).want(t, http.StatusOK); got["duplicate"] != false || got["status"] != "approved" {
		t.Fatalf("first delivery: %v", got)
	}
	if got := deliver(b, true, sign(b)).want(t, http.StatusOK); got["duplicate"] != true {
		t.Fatalf("the same event, base64-encoded by the gateway: %v", got)
	}
	b2 := body("evt-2")
	if got := deliver(b2, true, sign(b2)).want(t, http.StatusOK); got["duplicate"] != false {
		t.Fatalf("a second payment, base64: %v", got)
	}
	deliver(b2, false, sign(b)).want(t, http.StatusUnauthorized)
	deliver(b2, false, "").want(t, http.StatusUnauthorized)
	got, err := st.GetAudit(context.Background(), rec.ID)
	if err != nil || got.Received != 3000_00 || !got.Paid() {
		t.Fatalf("two payments of USD 1,500 applied once each: received %v (%v)", got.Received, err)
	}
}
