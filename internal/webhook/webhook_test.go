package webhook_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/webhook"
)

var (
	now     = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	current = []byte("whsec-current")
	old     = []byte("whsec-previous")
	body    = []byte(`{"id":"evt_1","type":"audit.scheduled","auditId":"a1","occurredAt":"2026-11-20T09:29:00Z","data":{"auditOn":"2026-12-01"}}`)
)

// What the firm signs verifies, under the current secret or the previous
// one during a rotation, with one signature or one per secret, anywhere in
// the 300 s either side of our clock.
func TestVerifyAccepts(t *testing.T) {
	both := [][]byte{current, old}
	rotating := webhook.Sign(old, body, now) + "," + strings.Split(webhook.Sign(current, body, now), ",")[1]
	for name, c := range map[string]struct {
		header  string
		secrets [][]byte
		at      time.Time
	}{
		"current secret":            {webhook.Sign(current, body, now), both, now},
		"previous secret, rotating": {webhook.Sign(old, body, now), both, now},
		"two signatures":            {rotating, [][]byte{current}, now},
		"300 s late":                {webhook.Sign(current, body, now), both, now.Add(300 * time.Second)},
		"300 s early":               {webhook.Sign(current, body, now), both, now.Add(-300 * time.Second)},
		"a scheme we do not know":   {"v0=abc," + webhook.Sign(current, body, now), both, now},
	} {
		if err := webhook.Verify(c.header, body, c.secrets, c.at); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Forged, stale, future-dated, re-signed with a retired secret, unsigned,
// malformed, or over other bytes than those received: each is refused, and
// says which.
func TestVerifyRefuses(t *testing.T) {
	good := webhook.Sign(current, body, now)
	reserialised := []byte(strings.ReplaceAll(string(body), `":"`, `": "`))
	tampered := []byte(strings.Replace(string(body), "2026-12-01", "2026-12-02", 1))
	sig := strings.Split(good, ",")[1]
	for name, c := range map[string]struct {
		header string
		body   []byte
		at     time.Time
		want   error
	}{
		"no header":               {"", body, now, webhook.ErrMissing},
		"forged":                  {webhook.Sign([]byte("guess"), body, now), body, now, webhook.ErrMismatch},
		"retired secret":          {webhook.Sign(old, body, now), body, now, webhook.ErrMismatch},
		"tampered body":           {good, tampered, now, webhook.ErrMismatch},
		"re-serialised body":      {good, reserialised, now, webhook.ErrMismatch},
		"stale (301 s)":           {good, body, now.Add(301 * time.Second), webhook.ErrStale},
		"future-dated (301 s)":    {good, body, now.Add(-301 * time.Second), webhook.ErrStale},
		"time re-signed, old mac": {"t=" + itoa(now.Unix()+10) + "," + sig, body, now, webhook.ErrMismatch},
		"no t":                    {sig, body, now, webhook.ErrMalformed},
		"no v1":                   {"t=" + itoa(now.Unix()), body, now, webhook.ErrMalformed},
		"two t":                   {"t=1," + good, body, now, webhook.ErrMalformed},
		"t not a number":          {"t=soon," + sig, body, now, webhook.ErrMalformed},
		"v1 not hex":              {"t=" + itoa(now.Unix()) + ",v1=zz", body, now, webhook.ErrMalformed},
		"v1 too short":            {"t=" + itoa(now.Unix()) + ",v1=abcd", body, now, webhook.ErrMalformed},
		"no =":                    {"t," + sig, body, now, webhook.ErrMalformed},
		"too many signatures":     {"t=" + itoa(now.Unix()) + strings.Repeat(","+sig, 9), body, now, webhook.ErrMalformed},
		"a huge header":           {good + strings.Repeat(",x=y", 300), body, now, webhook.ErrMalformed},
	} {
		if err := webhook.Verify(c.header, c.body, [][]byte{current}, c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if err := webhook.Verify(good, body, [][]byte{nil, {}}, now); !errors.Is(err, webhook.ErrMismatch) {
		t.Errorf("no secret configured: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
