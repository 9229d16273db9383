package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/deliver"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/openapi"
)

// deliver runs the deliverer once, on the API's clock, allowed to reach
// loopback as the local server's is.
func (e *env) deliver() deliver.Result {
	e.t.Helper()
	d := &deliver.Deliverer{Store: e.store, Client: push.Client(true), Sealer: e.sealer, Loopback: true, Now: e.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res, err := d.Run(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// Registering an endpoint: a Partner Administrator's, https to the
// internet only, at most 2,048 characters, at most 5 a partner; the secret
// is in the registration's answer and in no other; another partner's
// endpoint is a 404.
func TestWebhookEndpointRegistration(t *testing.T) {
	e := newEnv(t)
	e.withProfile(pid, "2")
	path := "/v1/partners/" + pid + "/webhook-endpoints"
	for _, c := range []struct{ url, says string }{
		{"http://93.184.215.14/hooks", "must be https"},
		{"http://127.0.0.1:8080/hooks", "must be https"}, // loopback is the local server's only
		{"https://10.0.0.8/hooks", "inside a network"},
		{"https://169.254.169.254/latest/meta-data", "inside a network"},
		{"https://127.0.0.1:8443/hooks", "inside a network"},
		{"https://[::ffff:192.168.1.1]/hooks", "inside a network"},
		{"https://[64:ff9b::a00:1]/hooks", "inside a network"},
		{"https://localhost/hooks", "inside a network"}, // a name that resolves to loopback
		{"https://ops:hunter2@93.184.215.14/hooks", "user or password"},
		{"https://93.184.215.14/" + strings.Repeat("a", 2030), "longer than 2048"},
		{"hooks.example.com/partnerready", "not an absolute URL"},
		{"https://no-such-host.invalid/hooks", "does not resolve"},
		{"", "is required"},
	} {
		p := e.do("POST", path, e.admin(pid), map[string]any{"url": c.url}, nil).Problem(t, http.StatusUnprocessableEntity)
		if len(p) != 1 || !strings.Contains(p["url"], c.says) {
			t.Errorf("%.60s: %v, want url %q", c.url, p, c.says)
		}
	}
	if p := e.do("POST", path, e.admin(pid), map[string]any{"url": "https://93.184.215.14/h", "description": "a\u202Eb"}, nil).Problem(t, http.StatusUnprocessableEntity); p["description"] == "" {
		t.Errorf("description: %v", p)
	}
	e.do("POST", path, e.member(pid), map[string]any{"url": "https://93.184.215.14/h"}, nil).Problem(t, http.StatusForbidden)
	e.do("POST", path, e.program(), map[string]any{"url": "https://93.184.215.14/h"}, nil).Problem(t, http.StatusForbidden)
	e.do("POST", "/v1/partners/3/webhook-endpoints", e.admin("3"), map[string]any{"url": "https://93.184.215.14/h"}, nil).Problem(t, http.StatusNotFound)

	r := e.do("POST", path, e.admin(pid), map[string]any{"url": "https://93.184.215.14/hooks", "description": "Compliance tracker"}, nil)
	created := r.Object(t)
	secret, _ := created["secret"].(string)
	if r.Status != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") || created["status"] != "active" || r.Calls != 2 {
		t.Fatalf("%d, %d calls: %s", r.Status, r.Calls, r.Body)
	}
	id := created["id"].(string)
	raw, err := e.table.DB.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.table.Name),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "P#" + pid}, "SK": &types.AttributeValueMemberS{Value: "ENDPOINTS"}}})
	if doc, ok := raw.Item["doc"].(*types.AttributeValueMemberB); err != nil || !ok || strings.Contains(string(doc.Value), secret) || !strings.Contains(string(doc.Value), "sealed:v1:") {
		t.Fatalf("the table holds the secret in the clear, or no sealed one (%v)", err)
	}
	if r.Header.Get("Location") != path+"/"+id {
		t.Errorf("Location %q", r.Header.Get("Location"))
	}
	list := e.do("GET", path, e.member(pid), nil, nil)
	one := e.do("GET", path+"/"+id, e.member(pid), nil, nil)
	if list.Calls != 1 || one.Status != http.StatusOK || strings.Contains(string(list.Body)+string(one.Body), "whsec_") {
		t.Fatalf("a read shows the secret, or costs %d calls: %s %s", list.Calls, list.Body, one.Body)
	}
	e.do("GET", "/v1/partners/2/webhook-endpoints/"+id, e.member("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("DELETE", "/v1/partners/2/webhook-endpoints/"+id, e.admin("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", path+"/"+id, e.member("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", path+"/"+id+"/deliveries", e.member("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", "/v1/partners/2/webhook-endpoints/"+id+"/deliveries", e.member("2"), nil, nil).Problem(t, http.StatusNotFound)
	e.do("GET", path+"/nope/deliveries", e.member(pid), nil, nil).Problem(t, http.StatusNotFound)

	for range 4 {
		if r := e.do("POST", path, e.admin(pid), map[string]any{"url": "https://93.184.215.14/more"}, nil); r.Status != http.StatusCreated {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	}
	sixth := e.do("POST", path, e.admin(pid), map[string]any{"url": "https://93.184.215.14/sixth"}, nil)
	if sixth.Problem(t, http.StatusConflict); sixth.Object(t)["type"] != "urn:partnerready:problem:endpoint-limit" {
		t.Fatalf("the sixth: %s", sixth.Body)
	}

	// Rotation: a new secret, shown once; the old one signs for 24 h more.
	rot := e.do("POST", path+"/"+id+"/secret-rotation", e.admin(pid), nil, nil)
	rotated := rot.Object(t)
	if rot.Status != http.StatusOK || rotated["secret"] == secret || !strings.HasPrefix(rotated["secret"].(string), "whsec_") ||
		rotated["previousSecretUntil"] != e.now().Add(24*time.Hour).Format(time.RFC3339) {
		t.Fatalf("rotation: %d %s", rot.Status, rot.Body)
	}
	e.do("POST", path+"/"+id+"/secret-rotation", e.member(pid), nil, nil).Problem(t, http.StatusForbidden)
	again := e.do("POST", path+"/"+id+"/secret-rotation", e.admin(pid), nil, nil)
	if again.Problem(t, http.StatusConflict); again.Object(t)["type"] != "urn:partnerready:problem:rotation-in-progress" {
		t.Fatalf("a rotation within the overlap: %s", again.Body)
	}
	e.later(24 * time.Hour)
	if r := e.do("POST", path+"/"+id+"/secret-rotation", e.admin(pid), nil, nil); r.Status != http.StatusOK || r.Object(t)["secret"] == rotated["secret"] {
		t.Fatalf("a rotation after the overlap: %d %s", r.Status, r.Body)
	}

	if r := e.do("DELETE", path+"/"+id, e.admin(pid), nil, nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	e.do("GET", path+"/"+id, e.member(pid), nil, nil).Problem(t, http.StatusNotFound)
	e.do("DELETE", path+"/"+id, e.admin(pid), nil, nil).Problem(t, http.StatusNotFound)
}

// End to end, as the local server runs it: an audit deadline comes due,
// the sweep tells it, the deliverer pushes it to the partner's tool, which
// verifies each request with the secret it was given, fails twice and then
// accepts; the delivery log shows the three attempts through the API. A
// 410 later disables the endpoint until the partner reactivates it.
func TestNotificationsArePushedToEndpoints(t *testing.T) {
	e := newLoopbackEnv(t) // Sunday 2026-11-15 10:00
	e.withProfile(pid)
	var (
		mu     sync.Mutex
		secret string
		ids    []string
		bad    []string
		answer = []int{503, 500, 200, 410}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := push.Verify(secret, r.Header, body, e.now()); err != nil {
			bad = append(bad, err.Error())
		}
		if err := openapi.ValidateSchema("NotificationEvent", body); err != nil {
			bad = append(bad, err.Error())
		}
		ids = append(ids, r.Header.Get(push.HeaderID))
		w.WriteHeader(answer[min(len(ids), len(answer))-1])
	}))
	defer srv.Close()
	path := "/v1/partners/" + pid + "/webhook-endpoints"
	reg := e.do("POST", path, e.admin(pid), map[string]any{"url": srv.URL + "/partnerready"}, nil)
	if reg.Status != http.StatusCreated {
		t.Fatalf("%d %s", reg.Status, reg.Body)
	}
	mu.Lock()
	secret = reg.Object(t)["secret"].(string)
	mu.Unlock()
	epID := reg.Object(t)["id"].(string)

	e.openAudit(pid, "issi") // step 5 due Tuesday 17
	e.later(15 * time.Hour)  // Monday 16, 01:00: the day before
	if res := e.sweep(); res.Told != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	if res := e.deliver(); res.FannedOut != 1 || res.Retrying != 1 {
		t.Fatalf("first run: %+v", res)
	}
	log := e.do("GET", path+"/"+epID+"/deliveries", e.member(pid), nil, nil)
	d := log.Object(t)["items"].([]any)[0].(map[string]any)
	created := d["createdAt"]
	if log.Calls != 1 || d["status"] != "pending" || d["nextAttemptAt"] != e.now().Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("log after one attempt (%d calls): %s", log.Calls, log.Body)
	}
	e.later(time.Minute)
	e.deliver()
	e.later(5 * time.Minute)
	if res := e.deliver(); res.Delivered != 1 {
		t.Fatalf("third attempt: %+v", res)
	}
	d = e.do("GET", path+"/"+epID+"/deliveries", e.member(pid), nil, nil).Object(t)["items"].([]any)[0].(map[string]any)
	attempts := d["attempts"].([]any)
	notes := e.do("GET", "/v1/partners/"+pid+"/notifications", e.member(pid), nil, nil).Object(t)["items"].([]any)
	noteID := notes[0].(map[string]any)["id"]
	if d["status"] != "delivered" || len(attempts) != 3 || d["webhookId"] != noteID || d["nextAttemptAt"] != nil || d["createdAt"] != created {
		t.Fatalf("log: %v", d)
	}
	for i, want := range []float64{503, 500, 200} {
		if got := attempts[i].(map[string]any)["statusCode"]; got != want {
			t.Errorf("attempt %d: %v, want %v", i+1, got, want)
		}
	}
	mu.Lock()
	if len(bad) != 0 || len(ids) != 3 || ids[0] != noteID || ids[1] != noteID || ids[2] != noteID {
		t.Fatalf("the receiver saw ids %v, refused %v", ids, bad)
	}
	mu.Unlock()

	// The next reminder, once step 5 is overdue, meets a 410.
	e.later(48 * time.Hour)
	if res := e.sweep(); res.Told == 0 {
		t.Fatalf("sweep: %+v", res)
	}
	if res := e.deliver(); res.Failed == 0 {
		t.Fatalf("after a 410: %+v", res)
	}
	ep := e.do("GET", path+"/"+epID, e.member(pid), nil, nil).Object(t)
	if ep["status"] != "disabled" || !strings.Contains(ep["disabledReason"].(string), "410") {
		t.Fatalf("endpoint after a 410: %v", ep)
	}
	if r := e.do("POST", path+"/"+epID+"/reactivation", e.admin(pid), nil, nil); r.Status != http.StatusOK || r.Object(t)["status"] != "active" {
		t.Fatalf("reactivation: %d %s", r.Status, r.Body)
	}
}
