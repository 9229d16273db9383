// Command coldstart measures how long each Lambda function takes to start
// (its init), against a hello-world floor built the same way:
//
//	go run ./scripts/coldstart -report-only -inittrace
//
// Every binary is built as production builds it, but for this machine's
// architecture, and started -n times as a fresh process against an emulated
// Lambda Runtime API on loopback. Init is the time from just before the exec
// to the process's first GET /next, roughly what Lambda reports as Init
// Duration: everything the process does before it can take an event. The binaries are
// run in turn, floor, each function, floor, ..., so that whatever else the
// machine does lands on all of them alike, and the floor's init is the unit:
// a function's init over the floor's is what carries over to another machine,
// where the absolute times do not.
//
// It exits 1 when a function's init exceeds -budget times the floor's, unless
// -report-only; 2 when something could not be measured at all.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// binList lets -bin be repeated: name=path of a prebuilt bootstrap.
type binList []target

func (l *binList) String() string {
	s := make([]string, len(*l))
	for i, t := range *l {
		s[i] = t.name + "=" + t.path
	}
	return strings.Join(s, ",")
}

func (l *binList) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" || path == "" {
		return fmt.Errorf("want name=path, got %q", v)
	}
	*l = append(*l, target{name: name, path: path})
	return nil
}

const (
	// The deployed functions' memory and timeout (template.yaml, Globals).
	memoryMB        = 256
	functionTimeout = 10 * time.Second
	inittraceTop    = 15
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("coldstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 60, "measured runs of each binary")
	warmup := fs.Int("warmup", 1, "rounds run first and not counted: the first exec of a fresh build also pays for reading it from disk")
	budget := fs.Float64("budget", 1.5, "largest allowed ratio of a function's init median to the floor's")
	reportOnly := fs.Bool("report-only", false, "print the report but exit 0 when a function is over budget")
	inittrace := fs.Bool("inittrace", false, "run each binary once more with GODEBUG=inittrace=1 and list its most expensive package inits")
	timeout := fs.Duration("timeout", 15*time.Second, "longest a single run may take to answer its first event")
	floor := fs.String("floor", "", "prebuilt floor bootstrap (default: build ./scripts/coldstart/hello)")
	var bins binList
	fs.Var(&bins, "bin", "prebuilt function bootstrap as name=path, repeatable (default: build every functions/*/ but local)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "coldstart: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	if *n < 1 || *warmup < 0 || *budget <= 0 {
		fmt.Fprintln(stderr, "coldstart: -n must be at least 1, -warmup at least 0, -budget positive")
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "coldstart: %v\n", err)
		return 2
	}

	work, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(work)
	ctx := context.Background()

	targets, err := prepare(ctx, work, *floor, bins, stderr)
	if err != nil {
		return fail(err)
	}
	b, err := startBench(work)
	if err != nil {
		return fail(err)
	}
	defer b.close()
	failRun := func(err error) int {
		for _, note := range b.oddities() {
			fmt.Fprintln(stderr, "coldstart: warning:", note)
		}
		return fail(err)
	}

	fmt.Fprintf(stderr, "coldstart: %d warm-up round(s) and %d measured runs of %d binaries\n", *warmup, *n, len(targets))
	for round := range *warmup + *n {
		for _, t := range targets {
			s, err := b.runOnce(t, nil, *timeout)
			if err != nil {
				return failRun(fmt.Errorf("%s, run %d: %w", t.name, round+1, err))
			}
			if round >= *warmup {
				t.samples = append(t.samples, s)
			}
		}
	}

	over := report(stdout, targets, *n, *warmup, *budget, *reportOnly)
	if *inittrace {
		for _, t := range targets {
			fmt.Fprintln(stdout)
			s, err := b.runOnce(t, []string{"GODEBUG=inittrace=1"}, *timeout)
			if err != nil {
				return failRun(fmt.Errorf("%s, inittrace run: %w", t.name, err))
			}
			printInittrace(stdout, t.name, s)
		}
	}
	if notes := b.oddities(); len(notes) > 0 {
		fmt.Fprintln(stdout)
		for _, note := range notes {
			fmt.Fprintln(stdout, "warning:", note)
		}
	}
	if over && !*reportOnly {
		return 1
	}
	return 0
}

// A target is one binary under measurement.
type target struct {
	name    string
	path    string
	size    int64
	samples []sample
	// reference: a yardstick beside the floor (the SDK's own cost), not a
	// function, so never held to the budget.
	reference bool
}

// prepare builds (or takes) the floor and the functions, floor first.
func prepare(ctx context.Context, work, floor string, bins binList, stderr io.Writer) ([]*target, error) {
	var root string
	if floor == "" || len(bins) == 0 {
		var err error
		if root, err = moduleRoot(ctx); err != nil {
			return nil, err
		}
	}
	targets := []*target{{name: "floor", path: floor}}
	if floor == "" {
		targets[0].path = filepath.Join(work, "floor", "bootstrap")
		fmt.Fprintln(stderr, "coldstart: building the floor, ./scripts/coldstart/hello")
		if err := build(ctx, root, "./scripts/coldstart/hello", targets[0].path); err != nil {
			return nil, err
		}
	}
	if len(bins) > 0 {
		for _, t := range bins {
			if slices.ContainsFunc(targets, func(o *target) bool { return o.name == t.name }) {
				return nil, fmt.Errorf("-bin: %q given twice (the floor is -floor)", t.name)
			}
			targets = append(targets, &target{name: t.name, path: t.path})
		}
	} else {
		sdk := &target{name: "sdk", path: filepath.Join(work, "sdk", "bootstrap"), reference: true}
		fmt.Fprintln(stderr, "coldstart: building the SDK reference, ./scripts/coldstart/sdk")
		if err := build(ctx, root, "./scripts/coldstart/sdk", sdk.path); err != nil {
			return nil, err
		}
		targets = append(targets, sdk)
		names, err := functionNames(root)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			t := &target{name: name, path: filepath.Join(work, name, "bootstrap")}
			fmt.Fprintf(stderr, "coldstart: building ./functions/%s\n", name)
			if err := build(ctx, root, "./functions/"+name, t.path); err != nil {
				return nil, err
			}
			targets = append(targets, t)
		}
	}
	for _, t := range targets {
		// Absolute, because a relative path would be taken from the
		// working directory the runs get.
		var err error
		if t.path, err = filepath.Abs(t.path); err != nil {
			return nil, err
		}
		fi, err := os.Stat(t.path)
		if err != nil {
			return nil, err
		}
		t.size = fi.Size()
	}
	return targets, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the partnerready module; run from the repository")
	}
	return filepath.Dir(gomod), nil
}

// functionNames are the Lambda functions that serve the API: every
// directory under functions/ but the local server and those a schedule
// runs (app.ServeSchedule: no caller waits on their cold start, and they
// take no API event), so a function added later is measured without
// touching this tool.
func functionNames(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "local" {
			continue
		}
		main, err := os.ReadFile(filepath.Join(root, "functions", e.Name(), "main.go"))
		if err != nil {
			return nil, err
		}
		if !strings.Contains(string(main), "app.ServeSchedule(") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no functions under functions/")
	}
	return names, nil
}

// buildFlags are production's (infra/README.md; template.yaml's TrimGoPath
// adds -trimpath), so the binary measured is the one deployed but for GOARCH.
var buildFlags = []string{"-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w"}

// build compiles pkg for this machine. GOOS and GOARCH are set rather than
// inherited because a shell set up for `sam build` may export GOARCH=arm64,
// which this machine cannot run; GOFLAGS is cleared so that the flags are
// exactly buildFlags whatever the shell exports.
func build(ctx context.Context, dir, pkg, out string) error {
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH, "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// A sample is one run of a binary.
type sample struct {
	init     time.Duration // exec to the first GET /next
	invoke   time.Duration // the event handed out to its response received
	exit     string        // how the process ended: "signal: killed" when we ended it
	response []byte
	stderr   []byte
}

// bench is the world a function starts in: the Runtime API, the JWKS
// endpoint it fetches from in the background, and a DynamoDB endpoint
// nothing should call (init and the health route touch no table).
type bench struct {
	work     string
	api      *runtimeAPI
	servers  []*http.Server
	apiAddr  string
	jwksAddr string
	ddbAddr  string
	ddbHits  atomic.Int64
}

func startBench(work string) (*bench, error) {
	b := &bench{work: work, api: newRuntimeAPI()}
	jwks, err := jwksDocument()
	if err != nil {
		return nil, err
	}
	jwksMux := http.NewServeMux()
	jwksMux.HandleFunc("GET /jwks.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	})
	// The first event is GET /v1/health, which reads no table; a call here
	// means init or that route started touching DynamoDB, and the times
	// would then include an error path, so it is counted and reported.
	ddb := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.ddbHits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"coldstart serves no tables"}`)
	})
	for _, s := range []struct {
		addr *string
		h    http.Handler
	}{{&b.apiAddr, b.api.handler()}, {&b.jwksAddr, jwksMux}, {&b.ddbAddr, ddb}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.close()
			return nil, err
		}
		srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		b.servers = append(b.servers, srv)
		*s.addr = ln.Addr().String()
	}
	return b, nil
}

func (b *bench) close() {
	b.api.shutdown()
	for _, s := range b.servers {
		_ = s.Close()
	}
}

// env is all a function gets: those of the variables Lambda sets for a
// provided.al2023 function that Go, aws-lambda-go or the SDK read, dummy
// credentials, and the function's configuration. Nothing is inherited, so a
// developer's AWS_PROFILE or ~/.aws (there is no HOME, and the working
// directory is empty) cannot change what the SDK does at init.
func (b *bench) env(function string) []string {
	return []string{
		"AWS_LAMBDA_RUNTIME_API=" + b.apiAddr,
		"AWS_LAMBDA_FUNCTION_NAME=" + function,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(memoryMB),
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIACOLDSTARTBENCH00",
		"AWS_SECRET_ACCESS_KEY=coldstart-bench-secret",
		"AWS_SESSION_TOKEN=coldstart-bench-token",
		"TZ=:UTC",
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"TABLE_NAME=bench",
		"JWT_ISSUER=bench",
		"JWT_AUDIENCE=bench",
		"JWKS_URL=http://" + b.jwksAddr + "/jwks.json",
		"DYNAMODB_ENDPOINT=http://" + b.ddbAddr,
		"LOG_LEVEL=info",
		// What some functions name (secrets, the bucket); init reads none of them.
		"AUDIT_WEBHOOK_SECRET_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-audit",
		"ENDPOINT_KEY_SECRET_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-endpoint-key",
		"EVIDENCE_BUCKET=bench-evidence",
	}
}

// runOnce starts t as a fresh process, hands it one GET /v1/health event and
// kills it once it has answered. Lambda would freeze it in its next GET
// /next instead; what happens after the answer is not measured.
func (b *bench) runOnce(t *target, extraEnv []string, timeout time.Duration) (sample, error) {
	function := "bench-" + t.name
	inv, err := newInvocation(function)
	if err != nil {
		return sample{}, err
	}
	b.api.arm(inv)
	defer b.api.disarm(inv)

	var stdout, stderr cappedBuffer
	cmd := exec.Command(t.path)
	cmd.Dir = b.work
	cmd.Env = append(b.env(function), extraEnv...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	exited := make(chan error, 1)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	go func() { exited <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var werr error
	select {
	case <-inv.done:
		_ = cmd.Process.Kill()
		werr = <-exited
	case werr = <-exited:
		select {
		case <-inv.done: // it answered, then ended of itself
		default:
			return sample{}, fmt.Errorf("the process ended (%v) before answering its first event%s", werr, tail(stdout.Bytes(), stderr.Bytes()))
		}
	case <-timer.C:
		_ = cmd.Process.Kill()
		<-exited
		state := "no GET /next"
		if b.api.handedOut(inv) {
			state = "no answer to the event"
		}
		return sample{}, fmt.Errorf("%s after %v%s", state, timeout, tail(stdout.Bytes(), stderr.Bytes()))
	}

	exit := "exit 0"
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return sample{}, werr
		}
		exit = ee.ProcessState.String()
	}
	if inv.result != responded {
		what := "invocation error"
		if inv.result == initFailed {
			what = "init error"
		}
		if inv.errorType != "" {
			what += " " + inv.errorType
		}
		return sample{}, fmt.Errorf("%s reported: %s%s", what, inv.body, tail(stdout.Bytes(), stderr.Bytes()))
	}
	return sample{
		init:     inv.next.Sub(start),
		invoke:   inv.answered.Sub(inv.handout),
		exit:     exit,
		response: inv.body,
		stderr:   stderr.Bytes(),
	}, nil
}

func tail(stdout, stderr []byte) string {
	const keep = 2000
	var s strings.Builder
	for _, o := range []struct {
		name string
		b    []byte
	}{{"stdout", stdout}, {"stderr", stderr}} {
		b := bytes.TrimSpace(o.b)
		if len(b) == 0 {
			continue
		}
		if len(b) > keep {
			b = b[len(b)-keep:]
		}
		fmt.Fprintf(&s, "\n--- %s:\n%s", o.name, b)
	}
	return s.String()
}

// oddities are what the runs did that they should not have.
func (b *bench) oddities() []string {
	var notes []string
	for _, u := range b.api.unexpectedCalls() {
		notes = append(notes, "Runtime API call outside the protocol: "+u)
	}
	if n := b.ddbHits.Load(); n > 0 {
		notes = append(notes, fmt.Sprintf("%d DynamoDB request(s): init or GET /v1/health now calls the table, so the times include a failed call", n))
	}
	return notes
}

// cappedBuffer keeps the first MiB a process writes: enough for an
// inittrace, and a runaway logger cannot fill memory.
type cappedBuffer struct{ bytes.Buffer }

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := 1<<20 - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// jwksDocument is a JWKS with one fresh ES256 public key. The functions only
// fetch and parse it, in the background; no token is ever signed with it.
func jwksDocument() ([]byte, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	pt, err := k.PublicKey.Bytes() // 0x04 || X || Y, 32 bytes each
	if err != nil {
		return nil, err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	return json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": "coldstart",
		"x": b64(pt[1:33]), "y": b64(pt[33:65]),
	}}})
}

// ---------------------------------------------------------------- Runtime API

// The Lambda Runtime API as aws-lambda-go's client uses it
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), for one
// invocation at a time. What the client relies on: GET /next answers 200 with
// the event as the body and the request id, deadline (Unix ms), function ARN
// and trace id as headers, a missing or bad deadline failing the invocation;
// POST .../response and .../error must answer 202 or the client gives up
// and exits. The client streams its response body chunked and declares the
// Lambda-Runtime-Function-Error-Type and -Body trailers, which it fills in
// only when reading the handler's response fails midway, so those trailers
// turn a /response into an error.
const (
	apiPrefix       = "/2018-06-01/runtime/"
	maxResponseSize = 6 << 20 // Lambda's limit for a synchronous invocation's payload
)

type result int

const (
	pending result = iota
	responded
	invokeFailed
	initFailed
)

// An invocation is one event and what became of it. The fields after done
// are written under runtimeAPI.mu and before done closes, so whoever waited
// on done reads them without the lock.
type invocation struct {
	id, arn, traceID string
	event            []byte
	done             chan struct{}

	next      time.Time // the first GET /next arrived: init is over
	handout   time.Time // the event is being written to that GET
	answered  time.Time // the response or error has been read whole
	result    result
	body      []byte
	errorType string
}

func newInvocation(function string) (*invocation, error) {
	var r [36]byte // 16 for the request id, 12 and 8 for the trace id
	if _, err := rand.Read(r[:]); err != nil {
		return nil, err
	}
	u := r[:16]
	u[6] = u[6]&0x0f | 0x40 // a version 4 UUID, as Lambda's request ids are
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u)
	id := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	now := time.Now()
	inv := &invocation{
		id:      id,
		arn:     "arn:aws:lambda:us-east-1:123456789012:function:" + function,
		traceID: fmt.Sprintf("Root=1-%08x-%x;Parent=%x;Sampled=0", now.Unix(), r[16:28], r[28:36]),
		done:    make(chan struct{}),
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: "GET /v1/health",
		RawPath:  "/v1/health",
		Headers: map[string]string{
			"accept":            "application/json",
			"host":              "coldstart.execute-api.us-east-1.amazonaws.com",
			"user-agent":        "coldstart",
			"x-amzn-trace-id":   strings.SplitN(inv.traceID, ";", 2)[0],
			"x-forwarded-for":   "198.51.100.7",
			"x-forwarded-port":  "443",
			"x-forwarded-proto": "https",
		},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     "GET /v1/health",
			AccountID:    "123456789012",
			Stage:        "$default",
			RequestID:    "cs" + id[:8],
			APIID:        "coldstart",
			DomainName:   "coldstart.execute-api.us-east-1.amazonaws.com",
			DomainPrefix: "coldstart",
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "GET", Path: "/v1/health", Protocol: "HTTP/1.1",
				SourceIP: "198.51.100.7", UserAgent: "coldstart",
			},
		},
	}
	var err error
	if inv.event, err = json.Marshal(ev); err != nil {
		return nil, err
	}
	return inv, nil
}

// runtimeAPI serves one armed invocation at a time; runs do not overlap.
type runtimeAPI struct {
	mu         sync.Mutex
	cur        *invocation // and its fields up to done's close
	unexpected []string
	closed     chan struct{}
	closeOnce  sync.Once
}

func newRuntimeAPI() *runtimeAPI { return &runtimeAPI{closed: make(chan struct{})} }

func (a *runtimeAPI) arm(inv *invocation) {
	a.mu.Lock()
	a.cur = inv
	a.mu.Unlock()
}

// handedOut says whether inv's event has gone out, while its run is on.
func (a *runtimeAPI) handedOut(inv *invocation) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !inv.handout.IsZero()
}

func (a *runtimeAPI) disarm(inv *invocation) {
	a.mu.Lock()
	if a.cur == inv {
		a.cur = nil
	}
	a.mu.Unlock()
}

// shutdown releases the GET /next calls parked for an event that never comes.
func (a *runtimeAPI) shutdown() { a.closeOnce.Do(func() { close(a.closed) }) }

func (a *runtimeAPI) unexpectedCalls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.unexpected)
}

func (a *runtimeAPI) noteUnexpected(r *http.Request, why string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.unexpected) < 20 {
		a.unexpected = append(a.unexpected, r.Method+" "+r.URL.Path+": "+why)
	}
}

func (a *runtimeAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"invocation/next", a.next)
	mux.HandleFunc("POST "+apiPrefix+"invocation/{id}/response", a.finish(responded))
	mux.HandleFunc("POST "+apiPrefix+"invocation/{id}/error", a.finish(invokeFailed))
	mux.HandleFunc("POST "+apiPrefix+"init/error", a.finish(initFailed))
	// Anything else (the Extensions API, for one, which aws-lambda-go calls
	// when a function asks for SIGTERM) is not emulated: answered 404 and
	// reported, since it would change what init costs.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.noteUnexpected(r, "not emulated")
		apiError(w, http.StatusNotFound, "UnknownRequest", "coldstart does not emulate "+r.URL.Path)
	})
	return mux
}

func (a *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	a.mu.Lock()
	inv := a.cur
	if inv == nil || !inv.next.IsZero() {
		a.mu.Unlock()
		// The runtime's GET /next after its answer: Lambda would freeze the
		// process here until the next event. The run kills it instead.
		select {
		case <-r.Context().Done():
		case <-a.closed:
		}
		return
	}
	inv.next = now
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(inv.event)))
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(now.Add(functionTimeout).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.arn)
	h.Set("Lambda-Runtime-Trace-Id", inv.traceID)
	inv.handout = time.Now()
	a.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.event)
}

// finish takes a function's answer: the response, an invocation error, or an
// init error, each acknowledged 202 as the client requires.
func (a *runtimeAPI) finish(kind result) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseSize+1))
		now := time.Now()
		if err != nil {
			a.noteUnexpected(r, "reading the body: "+err.Error())
			apiError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
			return
		}
		if len(body) > maxResponseSize {
			a.noteUnexpected(r, "payload over 6 MiB")
			apiError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "payload over 6 MiB")
			return
		}
		errorType := r.Header.Get("Lambda-Runtime-Function-Error-Type")
		if t := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); t != "" {
			// The body failed midway; the trailers carry the error.
			errorType = t
			if b, err := base64.StdEncoding.DecodeString(r.Trailer.Get("Lambda-Runtime-Function-Error-Body")); err == nil {
				body = b
			}
			if kind == responded {
				kind = invokeFailed
			}
		}

		a.mu.Lock()
		inv := a.cur
		var why string
		switch {
		case inv == nil || inv.result != pending:
			why = "no invocation awaits an answer"
		case kind == initFailed && !inv.next.IsZero():
			why = "init error after init ended"
		case kind != initFailed && inv.next.IsZero():
			why = "answer before any GET /next"
		case kind != initFailed && r.PathValue("id") != inv.id:
			why = "unknown request id"
		}
		if why != "" {
			a.mu.Unlock()
			a.noteUnexpected(r, why)
			apiError(w, http.StatusBadRequest, "InvalidRequestID", why)
			return
		}
		inv.answered = now
		inv.result = kind
		inv.body = body
		inv.errorType = errorType
		a.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"status":"OK"}`)
		close(inv.done)
	}
}

func apiError(w http.ResponseWriter, status int, errorType, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": errorType, "errorMessage": msg})
}

// ---------------------------------------------------------------- report

// median of ds (the mean of the two middle values when there are an even
// number of them); 0 when there are none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}

// percentile by nearest rank: the smallest value with at least p % of the
// values at or below it, so always a value that was measured.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	rank := int(float64(len(s))*p/100 + 0.999999999)
	return s[min(max(rank, 1), len(s))-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// report prints the table and the budget verdict, and says whether any
// function is over budget.
func report(w io.Writer, targets []*target, n, warmup int, budget float64, reportOnly bool) bool {
	fmt.Fprintf(w, "%d runs of each binary, interleaved run by run, after %d warm-up round(s); each a fresh process, killed after its first answer\n", n, warmup)
	fmt.Fprintf(w, "built for %s/%s: CGO_ENABLED=0 go build %s\n", runtime.GOOS, runtime.GOARCH, strings.ReplaceAll(strings.Join(buildFlags, " "), "-s -w", `"-s -w"`))
	fmt.Fprintln(w, "production runs linux/arm64 (Graviton), which this machine cannot run: the absolute times are this machine's, the ratios to the floor are what carries over")
	fmt.Fprintln(w, "init: exec to the first GET /next; first invoke: GET /v1/health handed out to its response received;")
	fmt.Fprintln(w, "answer: the status of that response (a function without the health route answers 404, also without touching the table)")
	fmt.Fprintln(w, "sdk: the floor plus the AWS SDK's DynamoDB client, a reference for what the SDK alone costs (not held to the budget)")
	fmt.Fprintln(w)

	inits := func(t *target) []time.Duration {
		ds := make([]time.Duration, len(t.samples))
		for i, s := range t.samples {
			ds[i] = s.init
		}
		return ds
	}
	floorInit := median(inits(targets[0]))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Names padded by hand: tabwriter aligns every column one way, and the
	// numbers read best right-aligned.
	width := len("binary")
	for _, t := range targets {
		width = max(width, len(t.name))
	}
	fmt.Fprintf(tw, "%-*s\tsize (bytes)\tsize (MiB)\tinit p50\tinit p90\tfirst invoke p50\tinit / floor\tanswer\t  exit\n", width, "binary")
	ratios := map[string]float64{}
	for _, t := range targets {
		invokes := make([]time.Duration, len(t.samples))
		exits := map[string]int{}
		statuses := map[string]bool{}
		for i, s := range t.samples {
			invokes[i] = s.invoke
			exits[s.exit]++
			statuses[answerStatus(s.response)] = true
		}
		var exit []string
		for _, e := range slices.Sorted(maps.Keys(exits)) {
			exit = append(exit, fmt.Sprintf("%s %d/%d", e, exits[e], len(t.samples)))
		}
		in := median(inits(t))
		ratio := float64(in) / float64(floorInit)
		ratios[t.name] = ratio
		fmt.Fprintf(tw, "%-*s\t%d\t%.2f\t%s\t%s\t%s\t%.2f\t%s\t  %s\n", width, t.name, t.size, float64(t.size)/(1<<20),
			ms(in), ms(percentile(inits(t), 90)), ms(median(invokes)), ratio,
			strings.Join(slices.Sorted(maps.Keys(statuses)), ","), strings.Join(exit, ", "))
	}
	_ = tw.Flush()
	fmt.Fprintln(w)

	var over, within []string
	for _, t := range targets[1:] {
		if t.reference {
			continue
		}
		s := fmt.Sprintf("%s %.2fx", t.name, ratios[t.name])
		if ratios[t.name] > budget {
			over = append(over, s)
		} else {
			within = append(within, s)
		}
	}
	verdict := fmt.Sprintf("budget init <= %.2g x floor: ", budget)
	switch {
	case len(over) == 0:
		verdict += "met (" + strings.Join(within, ", ") + ")"
	case reportOnly:
		verdict += "over for " + strings.Join(over, ", ") + " (-report-only: not a failure)"
	default:
		verdict += "over for " + strings.Join(over, ", ")
	}
	fmt.Fprintln(w, verdict)
	return len(over) > 0
}

// answerStatus is the statusCode of an API Gateway response payload.
func answerStatus(payload []byte) string {
	var r struct {
		StatusCode int `json:"statusCode"`
	}
	if err := json.Unmarshal(payload, &r); err != nil || r.StatusCode == 0 {
		return "?"
	}
	return strconv.Itoa(r.StatusCode)
}

// A pkgInit is one line of GODEBUG=inittrace=1: a package's init functions
// as the runtime timed them, before main.
type pkgInit struct {
	pkg    string
	clock  float64 // ms
	bytes  int64
	allocs int64
}

var inittraceLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs$`)

func parseInittrace(stderr []byte) []pkgInit {
	var inits []pkgInit
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	for sc.Scan() {
		m := inittraceLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		clock, _ := strconv.ParseFloat(m[2], 64)
		b, _ := strconv.ParseInt(m[3], 10, 64)
		allocs, _ := strconv.ParseInt(m[4], 10, 64)
		inits = append(inits, pkgInit{pkg: m[1], clock: clock, bytes: b, allocs: allocs})
	}
	return inits
}

func printInittrace(w io.Writer, name string, s sample) {
	inits := parseInittrace(s.stderr)
	var clock float64
	var b, allocs int64
	for _, i := range inits {
		clock += i.clock
		b += i.bytes
		allocs += i.allocs
	}
	fmt.Fprintf(w, "== %s, GODEBUG=inittrace=1 (one run; init %s): %d package inits, %.2f ms clock, %d bytes, %d allocs in all\n",
		name, ms(s.init), len(inits), clock, b, allocs)
	if len(inits) == 0 {
		fmt.Fprintln(w, "   no inittrace lines on stderr")
		return
	}
	// Clock first; the runtime prints it to two digits, so ties are common
	// and the allocations settle them.
	slices.SortStableFunc(inits, func(x, y pkgInit) int {
		switch {
		case x.clock != y.clock:
			if x.clock > y.clock {
				return -1
			}
			return 1
		case x.bytes != y.bytes:
			if x.bytes > y.bytes {
				return -1
			}
			return 1
		}
		return 0
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ms clock\tbytes\tallocs\t  package")
	for _, i := range inits[:min(inittraceTop, len(inits))] {
		fmt.Fprintf(tw, "%.3f\t%d\t%d\t  %s\n", i.clock, i.bytes, i.allocs, i.pkg)
	}
	_ = tw.Flush()
}
