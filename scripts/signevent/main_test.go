package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/webhook"
)

// What signevent prints, and what it posts, verifies under the secret it
// was given, over exactly the bytes it read.
func TestSignevent(t *testing.T) {
	event := `{"id":"evt_1","type":"audit.scheduled","auditId":"a1","occurredAt":"2026-11-20T09:29:00Z","data":{"auditOn":"2026-12-01"}}` + "\n"
	var out, errs bytes.Buffer
	if code := run([]string{"-secret", "s3cret"}, strings.NewReader(event), &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	header, ok := strings.CutPrefix(strings.TrimSpace(out.String()), webhook.Header+": ")
	if !ok || webhook.Verify(header, []byte(event), [][]byte{[]byte("s3cret")}, time.Now()) != nil {
		t.Fatalf("printed %q", out.String())
	}

	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		if webhook.Verify(r.Header.Get(webhook.Header), got, [][]byte{[]byte("s3cret")}, time.Now()) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"applied":true}`)
	}))
	defer srv.Close()
	out.Reset()
	if code := run([]string{"-secret", "s3cret", "-url", srv.URL}, strings.NewReader(event), &out, &errs); code != 0 || string(got) != event {
		t.Fatalf("exit %d, posted %q, printed %q", code, got, out.String())
	}
	out.Reset()
	if code := run([]string{"-secret", "s3cret", "-url", srv.URL, "-t", "1000"}, strings.NewReader(event), &out, &errs); code != 1 || !strings.HasPrefix(out.String(), "401") {
		t.Fatalf("a stale signature: exit %d, %q", code, out.String())
	}
	if code := run([]string{"-secret", ""}, strings.NewReader(event), &out, &errs); code != 2 {
		t.Fatalf("no secret: exit %d", code)
	}
}
