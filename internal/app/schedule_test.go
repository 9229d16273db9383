package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"testing"

	"github.com/partnerready/partnerready/internal/apitest"
	"github.com/partnerready/partnerready/internal/app"
)

// The sweeper's schedule sends what its handler runs on, and the handler
// runs nothing else: an API Gateway or S3 event reaching it is an error,
// as is a failed run (both show on the function's error alarm).
func TestScheduleHandler(t *testing.T) {
	raw, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^        Input: '(.+)'$`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("no schedule Input in template.yaml")
	}
	logs := &apitest.Log{}
	runs := 0
	h := app.ScheduleHandler("sweep", app.Logger(logs, "info"), func(context.Context) (any, error) { runs++; return map[string]int{"told": 3}, nil })
	if _, err := h(context.Background(), json.RawMessage(m[1])); err != nil || runs != 1 {
		t.Fatalf("the template's schedule event: %v, %d runs", err, runs)
	}
	for _, ev := range []string{`{"version":"2.0","rawPath":"/v1/health"}`, `{"Records":[]}`, `{"run":"other"}`, `[]`} {
		if _, err := h(context.Background(), json.RawMessage(ev)); err == nil {
			t.Errorf("%s was run", ev)
		}
	}
	if runs != 1 {
		t.Fatalf("%d runs", runs)
	}
	failing := app.ScheduleHandler("sweep", app.Logger(logs, "info"), func(context.Context) (any, error) { return nil, errors.New("table gone") })
	if _, err := failing(context.Background(), json.RawMessage(m[1])); err == nil {
		t.Fatal("a failed run answered no error")
	}
}
