package push_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/push"
)

var t0 = time.Unix(1_790_000_000, 0)

// A delivery verifies under its secret, under either secret of a rotation,
// and not when tampered with, re-signed with another secret, replayed out
// of its time, or missing a header.
func TestSignVerify(t *testing.T) {
	old, cur := push.NewSecret(), push.NewSecret()
	if !strings.HasPrefix(cur, "whsec_") || old == cur {
		t.Fatalf("secrets %q %q", old, cur)
	}
	body := []byte(`{"id":"n-1","kind":"deadline_due"}`)
	h := http.Header{}
	if err := push.Sign(h, []string{cur, old}, "msg_1", t0, body); err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(h.Get(push.HeaderSignature)); len(got) != 2 || !strings.HasPrefix(got[0], "v1,") || h.Get(push.HeaderTimestamp) != "1790000000" {
		t.Fatalf("headers %v", h)
	}
	for _, s := range []string{cur, old} {
		if err := push.Verify(s, h, body, t0.Add(time.Minute)); err != nil {
			t.Errorf("under a secret of the rotation: %v", err)
		}
	}
	for name, c := range map[string]struct {
		secret string
		body   string
		now    time.Time
		drop   string
	}{
		"tampered":        {cur, `{"id":"n-2"}`, t0, ""},
		"another secret":  {push.NewSecret(), string(body), t0, ""},
		"stale":           {cur, string(body), t0.Add(6 * time.Minute), ""},
		"from the future": {cur, string(body), t0.Add(-6 * time.Minute), ""},
		"no id":           {cur, string(body), t0, push.HeaderID},
		"no signature":    {cur, string(body), t0, push.HeaderSignature},
	} {
		hh := h.Clone()
		if c.drop != "" {
			hh.Del(c.drop)
		}
		if err := push.Verify(c.secret, hh, []byte(c.body), c.now); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	if err := push.Sign(http.Header{}, []string{"not-a-secret"}, "m", t0, body); err == nil {
		t.Error("signed with a malformed secret")
	}
}

// An endpoint is https, short enough, and not an address inside a network;
// http only to loopback, and only where loopback is allowed (locally).
func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url      string
		loopback bool
		ok       bool
	}{
		{"https://hooks.contoso.com/partnerready", false, true},
		{"http://hooks.contoso.com/x", false, false},
		{"https://10.0.0.7/x", false, false},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://[::ffff:127.0.0.1]/x", false, false},
		{"https://100.64.1.1/x", false, false},
		{"https://user:pw@hooks.contoso.com/x", false, false},
		{"https://hooks.contoso.com/" + strings.Repeat("a", 2048), false, false},
		{"http://127.0.0.1:9000/hook", true, true},
		{"http://localhost:9000/hook", true, true},
		{"http://127.0.0.1:9000/hook", false, false},
		{"ftp://hooks.contoso.com/x", false, false},
		{"hooks.contoso.com/x", false, false},
		{"https://hooks.contoso.com:0/x", false, false},
		{"https://hooks.contoso.com:70000/x", false, false},
		{"https://hooks.contoso.com:8443/x", false, true},
	} {
		if err := push.CheckURL(c.url, c.loopback); (err == nil) != c.ok {
			t.Errorf("CheckURL(%.60s, loopback %v) = %v, want ok %v", c.url, c.loopback, err, c.ok)
		}
	}
	if err := push.Reachable(netip.MustParseAddr("20.190.128.1")); err != nil {
		t.Errorf("a public address: %v", err)
	}
	for _, ip := range []string{"64:ff9b::a00:7", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "::127.0.0.1", "0.0.0.1", "198.18.0.1",
		"192.0.0.170", "255.255.255.255", "fec0::1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1",
		"64:ff9b:1::a00:1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"} {
		if err := push.Reachable(netip.MustParseAddr(ip)); err == nil {
			t.Errorf("%s is inside a network, and was let through", ip)
		}
	}
	if err := push.Reachable(netip.MustParseAddr("2606:4700::6810:84e5")); err != nil {
		t.Errorf("a public IPv6 address: %v", err)
	}
	if err := push.CheckURL("https://:443/x", false); err == nil {
		t.Error("a URL with no host")
	}
}

// The dialer refuses, at connect time, what a name resolved to: a name
// that is fine to check may still lead to loopback.
func TestDialerRefusesNetworkAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DialContext: push.Dialer(false).DialContext}}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL, nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("connected to loopback")
	}
	local := &http.Client{Transport: &http.Transport{DialContext: push.Dialer(true).DialContext}}
	resp, err := local.Do(req.Clone(context.Background()))
	if err != nil {
		t.Fatalf("loopback allowed: %v", err)
	}
	resp.Body.Close()
}

// The retry schedule spans at least a day (a receiver down for 24 hours
// still gets it), and then stops.
func TestRetryScheduleSpansADay(t *testing.T) {
	var total time.Duration
	n := 1
	for ; ; n++ {
		wait, ok := push.RetryAfter(n)
		if !ok {
			break
		}
		if wait <= 0 || (n > 1 && wait < push.Retries[n-2]) {
			t.Fatalf("wait %d is %s", n, wait)
		}
		total += wait
	}
	if n != 8 || total < 24*time.Hour || total != 27*time.Hour+36*time.Minute {
		t.Fatalf("%d attempts over %s", n, total)
	}
	if _, ok := push.RetryAfter(0); ok {
		t.Fatal("a wait before any attempt")
	}
}

func TestJudge(t *testing.T) {
	for status, want := range map[int]push.Verdict{200: push.Delivered, 204: push.Delivered, 299: push.Delivered, 410: push.Gone,
		0: push.Retry, 301: push.Retry, 307: push.Retry, 400: push.Retry, 404: push.Retry, 429: push.Retry, 500: push.Retry, 503: push.Retry} {
		if got := push.Judge(status); got != want {
			t.Errorf("%d: %v, want %v", status, got, want)
		}
	}
}

// A registration resolves the host: a name resolving inside a network is
// refused (unless loopback is allowed and it is loopback), so is one that
// does not resolve; an address was judged by CheckURL.
func TestCheckResolves(t *testing.T) {
	ctx := context.Background()
	if err := push.CheckResolves(ctx, "https://localhost/h", false); err == nil || !strings.Contains(err.Error(), "inside a network") {
		t.Errorf("localhost: %v", err)
	}
	if err := push.CheckResolves(ctx, "http://localhost:8080/h", true); err != nil {
		t.Errorf("localhost, loopback allowed: %v", err)
	}
	if err := push.CheckResolves(ctx, "https://nothing-here.invalid/h", false); err == nil || !strings.Contains(err.Error(), "does not resolve") {
		t.Errorf(".invalid: %v", err)
	}
	if err := push.CheckResolves(ctx, "https://93.184.215.14/h", false); err != nil {
		t.Errorf("an address: %v", err)
	}
}
