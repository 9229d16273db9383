package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// The floor, a real aws-lambda-go binary, runs its init and one invocation
// against the emulator: if the emulator got the protocol wrong, the client
// would exit or never answer.
func TestFloorAnswersThroughTheEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := build(t.Context(), ".", "./hello", bin); err != nil {
		t.Fatal(err)
	}
	b, err := startBench(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.close)

	s, err := b.runOnce(&target{name: "floor", path: bin}, nil, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(s.response, &resp); err != nil {
		t.Fatalf("response %q: %v", s.response, err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"status":"ok"}` || resp.Headers["content-type"] != "application/json" {
		t.Errorf("response %s", s.response)
	}
	if s.init <= 0 || s.invoke <= 0 {
		t.Errorf("init %v, first invoke %v: want both positive", s.init, s.invoke)
	}
	if s.exit != "signal: killed" {
		t.Errorf("exit %q, want the kill after the answer", s.exit)
	}
	if notes := b.oddities(); len(notes) > 0 {
		t.Errorf("oddities: %q", notes)
	}
}

// The emulator's side of the protocol, driven by hand: the headers the
// client needs, the 202s it insists on, and errors.
func TestRuntimeAPIByHand(t *testing.T) {
	api := newRuntimeAPI()
	srv := httptest.NewServer(api.handler())
	t.Cleanup(func() { api.shutdown(); srv.Close() })
	base := srv.URL + apiPrefix

	post := func(path, body string, header http.Header) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	inv, err := newInvocation("bench-test")
	if err != nil {
		t.Fatal(err)
	}
	api.arm(inv)
	if got := post("invocation/"+inv.id+"/response", "{}", nil); got != http.StatusBadRequest {
		t.Errorf("response before GET /next: %d, want 400", got)
	}
	resp, err := http.Get(base + "invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	event, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /next: %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Lambda-Runtime-Aws-Request-Id"); got != inv.id {
		t.Errorf("request id %q, want %q", got, inv.id)
	}
	deadline, err := strconv.ParseInt(resp.Header.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	if until := time.Until(time.UnixMilli(deadline)); err != nil || until < 5*time.Second || until > functionTimeout {
		t.Errorf("deadline %q: %v from now (%v)", resp.Header.Get("Lambda-Runtime-Deadline-Ms"), until, err)
	}
	if got := resp.Header.Get("Lambda-Runtime-Invoked-Function-Arn"); got != "arn:aws:lambda:us-east-1:123456789012:function:bench-test" {
		t.Errorf("function ARN %q", got)
	}
	if got := resp.Header.Get("Lambda-Runtime-Trace-Id"); !strings.HasPrefix(got, "Root=1-") || !strings.Contains(got, ";Parent=") {
		t.Errorf("trace id %q", got)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(event, &ev); err != nil || ev.Version != "2.0" || ev.RawPath != "/v1/health" || ev.RequestContext.HTTP.Method != http.MethodGet {
		t.Errorf("event %s (%v)", event, err)
	}

	if got := post("invocation/not-"+inv.id+"/error", "{}", nil); got != http.StatusBadRequest {
		t.Errorf("error for an unknown request id: %d, want 400", got)
	}
	if got := post("init/error", "{}", nil); got != http.StatusBadRequest {
		t.Errorf("init error after GET /next: %d, want 400", got)
	}
	errBody := `{"errorMessage":"boom","errorType":"errorString"}`
	if got := post("invocation/"+inv.id+"/error", errBody, http.Header{"Lambda-Runtime-Function-Error-Type": {"errorString"}}); got != http.StatusAccepted {
		t.Fatalf("error: %d, want 202", got)
	}
	select {
	case <-inv.done:
	default:
		t.Fatal("the error did not end the invocation")
	}
	if inv.result != invokeFailed || string(inv.body) != errBody || inv.errorType != "errorString" {
		t.Errorf("result %v, body %s, type %q", inv.result, inv.body, inv.errorType)
	}
	if got := post("invocation/"+inv.id+"/response", "{}", nil); got != http.StatusBadRequest {
		t.Errorf("second answer: %d, want 400", got)
	}
	api.disarm(inv)

	// An init error ends the invocation before any event.
	inv, err = newInvocation("bench-test")
	if err != nil {
		t.Fatal(err)
	}
	api.arm(inv)
	if got := post("init/error", `{"errorMessage":"no config","errorType":"Runtime.ExitError"}`, nil); got != http.StatusAccepted {
		t.Fatalf("init error: %d, want 202", got)
	}
	if inv.result != initFailed {
		t.Errorf("result %v, want initFailed", inv.result)
	}
	api.disarm(inv)

	// A response whose body failed midway: aws-lambda-go sends it chunked
	// and puts the error in the trailers.
	inv, err = newInvocation("bench-test")
	if err != nil {
		t.Fatal(err)
	}
	api.arm(inv)
	resp, err = http.Get(base + "invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	truncated := `{"errorMessage":"read failed","errorType":"Runtime.TruncatedResponse"}`
	req, err := http.NewRequest(http.MethodPost, base+"invocation/"+inv.id+"/response", io.MultiReader(strings.NewReader(`{"statusCode":2`)))
	if err != nil {
		t.Fatal(err)
	}
	req.Trailer = http.Header{
		"Lambda-Runtime-Function-Error-Type": {"Runtime.TruncatedResponse"},
		"Lambda-Runtime-Function-Error-Body": {base64.StdEncoding.EncodeToString([]byte(truncated))},
	}
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("truncated response: %d, want 202", resp.StatusCode)
	}
	if inv.result != invokeFailed || inv.errorType != "Runtime.TruncatedResponse" || string(inv.body) != truncated {
		t.Errorf("truncated response: result %v, type %q, body %s", inv.result, inv.errorType, inv.body)
	}
	api.disarm(inv)

	if got := len(api.unexpectedCalls()); got != 4 {
		t.Errorf("%d calls noted as outside the protocol, want 4: %q", got, api.unexpectedCalls())
	}
}

func TestMedianAndP90(t *testing.T) {
	ms := func(vs ...float64) []time.Duration {
		ds := make([]time.Duration, len(vs))
		for i, v := range vs {
			ds[i] = time.Duration(v * float64(time.Millisecond))
		}
		return ds
	}
	for _, c := range []struct {
		in          []time.Duration
		median, p90 time.Duration
	}{
		{nil, 0, 0},
		{ms(7), ms(7)[0], ms(7)[0]},
		{ms(3, 1, 2), ms(2)[0], ms(3)[0]},
		{ms(4, 1, 3, 2), ms(2.5)[0], ms(4)[0]},
		// 10 values: the 9th smallest is the first with 90 % at or below it.
		{ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), ms(5.5)[0], ms(9)[0]},
		// 11 values: rank ceil(9.9) = 10.
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100), ms(6)[0], ms(10)[0]},
		{ms(5, 5, 5, 1), ms(5)[0], ms(5)[0]},
	} {
		if got := median(c.in); got != c.median {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.median)
		}
		if got := percentile(c.in, 90); got != c.p90 {
			t.Errorf("p90(%v) = %v, want %v", c.in, got, c.p90)
		}
	}
	in := ms(3, 1, 2)
	median(in)
	percentile(in, 90)
	if in[0] != ms(3)[0] {
		t.Error("median or percentile sorted its argument in place")
	}
}

func TestParseInittrace(t *testing.T) {
	stderr := []byte(`init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs
some log line
init github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas @2.1 ms, 0.58 ms clock, 586696 bytes, 3151 allocs
init main @12 ms, 14 ms clock, 10 bytes, 1 allocs
`)
	got := parseInittrace(stderr)
	want := []pkgInit{
		{"internal/bytealg", 0, 0, 0},
		{"github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas", 0.58, 586696, 3151},
		{"main", 14, 10, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: got %v, want %v", i, got[i], want[i])
		}
	}
}
