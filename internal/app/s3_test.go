package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/blob"
)

// One function takes both kinds of event: an S3 notification reaches the
// notification handler with its objects, an HTTP API event the routes.
func TestDispatchSendsEachEventToItsHandler(t *testing.T) {
	var got []blob.Object
	var logs bytes.Buffer
	notified := app.S3Handler("evidence-bucket", slog.New(slog.NewJSONHandler(&logs, nil)), func(_ context.Context, objs []blob.Object) error {
		got = append(got, objs...)
		return nil
	})
	served := 0
	h := app.Dispatch(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
		w.WriteHeader(http.StatusNoContent)
	}), notified)

	s3 := `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1","eventName":"ObjectCreated:Put",
		"s3":{"bucket":{"name":"evidence-bucket"},"object":{"key":"evidence/1234567/0190f5c2-7b1e-7c3a-9d4e-000000000001","size":12}}}]}`
	if _, err := h(context.Background(), json.RawMessage(s3)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].PartnerID != "1234567" || got[0].EvidenceID != "0190f5c2-7b1e-7c3a-9d4e-000000000001" || served != 0 {
		t.Fatalf("S3 notification: %+v, served %d", got, served)
	}
	if !strings.Contains(logs.String(), `"objects":1`) {
		t.Fatalf("no log line of the notification: %s", logs.String())
	}

	api := `{"version":"2.0","routeKey":"$default","rawPath":"/v1/health","headers":{},
		"requestContext":{"http":{"method":"GET","path":"/v1/health"},"requestId":"r1","stage":"$default"}}`
	out, err := h(context.Background(), json.RawMessage(api))
	if err != nil {
		t.Fatal(err)
	}
	if resp, ok := out.(events.APIGatewayV2HTTPResponse); !ok || resp.StatusCode != http.StatusNoContent || served != 1 {
		t.Fatalf("HTTP API event: %#v, served %d", out, served)
	}

	// A notification of another bucket is an error (the alarm shows the
	// miswiring), and reaches no handler.
	foreign := strings.Replace(s3, "evidence-bucket", "another-bucket", 1)
	if _, err := h(context.Background(), json.RawMessage(foreign)); err == nil || len(got) != 1 {
		t.Fatalf("foreign bucket: %v, %d objects", err, len(got))
	}
	if !strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Fatalf("the refusal is not logged as an error: %s", logs.String())
	}
	if _, err := h(context.Background(), json.RawMessage(`[1]`)); err == nil {
		t.Fatal("an event that is not an object")
	}
}
