// Package local runs every function's routes in one process on embedded
// DynamoDB (minidyn) and S3 (gofakes3), for `go run ./functions/local` and its
// tests. It is kept out of package app so no Lambda binary carries the engines.
package local

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/embedded"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/deliver"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/sweep"
	"github.com/partnerready/partnerready/internal/uploads"
	miniserver "github.com/truora/minidyn/server"
)

// Config is the local server's environment; every field has a default
// so that `go run ./functions/local` works on a fresh clone.
type Config struct {
	Addr             string // ADDR, default localhost:8080
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT: use moto, DynamoDB Local or AWS instead of embedded minidyn
	S3Endpoint       string // S3_ENDPOINT: use another S3 instead of embedded gofakes3
	TableName        string // TABLE_NAME, default partnerready-local
	Bucket           string // EVIDENCE_BUCKET, default partnerready-evidence-local
	KeyDir           string // dev key folder, default .local
	LogLevel         string // LOG_LEVEL
	// MalwareScanning: MALWARE_SCANNING=on makes verified evidence wait for
	// a GuardDuty result tag, which locally only you set.
	MalwareScanning string // on, or off (the default)
	// WebhookSecret: AUDIT_WEBHOOK_SECRET, what the audit firm's events
	// are signed with; a random one, printed at start, when unset.
	WebhookSecret string
	AuditCalendar string // AUDIT_CALENDAR: us-federal (the default) or weekends-only
	AuditFirms    string // AUDIT_FIRMS: the firms an approval may assign, comma separated (default issi)
	// SweepEvery is how often the sweep runs (the stack's schedule):
	// SWEEP_EVERY, a Go duration, default 1m; 0 turns it off.
	SweepEvery time.Duration
	// DeliverEvery is how often notifications are pushed to the partners'
	// webhook endpoints (the stack's deliverer schedule): DELIVER_EVERY,
	// default 10s; 0 turns it off. Locally, endpoints may be on loopback.
	DeliverEvery time.Duration
}

// ConfigFromEnv reads Config with its defaults; a SWEEP_EVERY or
// DELIVER_EVERY that is not a duration keeps the default.
func ConfigFromEnv() Config {
	get := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:             get("ADDR", "localhost:8080"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		S3Endpoint:       os.Getenv("S3_ENDPOINT"),
		TableName:        get("TABLE_NAME", "partnerready-local"),
		Bucket:           get("EVIDENCE_BUCKET", "partnerready-evidence-local"),
		KeyDir:           get("DEV_KEY_DIR", ".local"),
		LogLevel:         os.Getenv("LOG_LEVEL"),
		MalwareScanning:  os.Getenv("MALWARE_SCANNING"),
		WebhookSecret:    os.Getenv("AUDIT_WEBHOOK_SECRET"),
		AuditCalendar:    os.Getenv("AUDIT_CALENDAR"),
		AuditFirms:       os.Getenv("AUDIT_FIRMS"),
		SweepEvery:       time.Minute,
		DeliverEvery:     10 * time.Second,
	}
	if d, err := time.ParseDuration(os.Getenv("SWEEP_EVERY")); err == nil && d >= 0 {
		c.SweepEvery = d
	}
	if d, err := time.ParseDuration(os.Getenv("DELIVER_EVERY")); err == nil && d >= 0 {
		c.DeliverEvery = d
	}
	return c
}

// JWKSPath is where the local server publishes its dev key (never in production).
const JWKSPath = "/.well-known/jwks.json"

// Env is the whole API in one process on embedded engines.
type Env struct {
	Handler  http.Handler
	DynamoDB string // the endpoint in use
	S3       string
	// WebhookSecret is the audit firm's signing secret in use, for
	// scripts/signevent.
	WebhookSecret string
	closeFunc     []func()
}

// Close stops the embedded engines.
func (l *Env) Close() {
	for _, f := range l.closeFunc {
		f()
	}
}

// New starts embedded DynamoDB (minidyn, in memory) and S3 (gofakes3,
// in memory) on loopback unless endpoints are given, creates the table,
// loads or creates the dev signing key, and builds every function's routes.
func New(ctx context.Context, c Config) (*Env, error) {
	l := &Env{DynamoDB: c.DynamoDBEndpoint, S3: c.S3Endpoint}
	fail := func(err error) (*Env, error) { l.Close(); return nil, err }
	if m := c.MalwareScanning; m != "" && m != "on" && m != "off" {
		return fail(fmt.Errorf("MALWARE_SCANNING is %q: it must be on or off", m))
	}
	calendar, err := audit.CalendarNamed(c.AuditCalendar)
	if err != nil {
		return fail(err)
	}
	if l.WebhookSecret = c.WebhookSecret; l.WebhookSecret == "" {
		l.WebhookSecret = "whsec_" + rand.Text()
	}
	if l.DynamoDB == "" {
		url, stop, err := serveLoopback(miniserver.NewServer())
		if err != nil {
			return fail(fmt.Errorf("embedded DynamoDB: %w", err))
		}
		l.DynamoDB, l.closeFunc = url, append(l.closeFunc, stop)
	}
	// The embedded S3 sends no notifications: it hands what is written to
	// the checker itself, once the checker exists.
	var checker *uploads.Checker
	if l.S3 == "" {
		engine := embedded.New()
		if err := engine.CreateBucket(c.Bucket); err != nil {
			return fail(fmt.Errorf("embedded S3 bucket: %w", err))
		}
		engine.OnWrite(func(ctx context.Context, bucket, key string, tagsOnly bool) {
			pid, id, err := blob.ParseEvidenceKey(key)
			if err != nil || bucket != c.Bucket {
				return
			}
			o := blob.Object{Bucket: bucket, Key: key, PartnerID: pid, EvidenceID: id, Tagged: tagsOnly}
			if err := checker.Notified(ctx, []blob.Object{o}); err != nil {
				slog.Error("check upload", "key", key, "error", err.Error())
			}
		})
		url, stop, err := serveLoopback(engine)
		if err != nil {
			return fail(fmt.Errorf("embedded S3: %w", err))
		}
		l.S3, l.closeFunc = url, append(l.closeFunc, stop)
	}
	awsCfg, err := awsConfig(ctx)
	if err != nil {
		return fail(err)
	}
	db := store.NewClient(awsCfg, l.DynamoDB)
	if err := store.CreateTable(ctx, db, c.TableName, false); err != nil {
		return fail(err)
	}
	key, err := auth.LoadOrCreateDevKey(c.KeyDir)
	if err != nil {
		return fail(fmt.Errorf("dev key: %w", err))
	}
	verifier, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience}, key.JWKS())
	if err != nil {
		return fail(err)
	}
	st := store.New(db, c.TableName, nil)
	certs := catalog.MustCertifications()
	specs := catalog.MustSpecializations()
	blobs := blob.New(awsCfg, l.S3, c.Bucket)
	checker = uploads.NewChecker(st, blobs, c.MalwareScanning == "on", nil)
	// The key endpoint secrets are sealed with: the stack's is a Secrets
	// Manager secret; here a file beside the dev key, so that a table that
	// outlives the process (DYNAMODB_ENDPOINT) keeps its endpoints.
	endpointKey, err := auth.LoadOrCreateDevSecret(c.KeyDir, "endpoint-key")
	if err != nil {
		return fail(fmt.Errorf("endpoint key: %w", err))
	}
	sealer := push.Sealer{Keys: secrets.Fixed(endpointKey)}
	partners := httpapi.NewPartners(st, certs, nil).WithEndpointSecrets(sealer).WithLoopbackEndpoints()
	scoring := httpapi.NewScoring(st, certs, catalog.MustScoringRules(certs), specs, nil)
	evidence := httpapi.NewEvidence(st, blobs, checker, catalog.MustChecklists(specs), nil)
	audits := httpapi.NewAudits(httpapi.AuditsDeps{Store: st, Certs: certs, Rules: catalog.MustScoringRules(certs), Specs: specs,
		Checklists: catalog.MustChecklists(specs), Calendar: calendar, Firms: app.List(c.AuditFirms), Secret: secrets.Fixed(l.WebhookSecret)})
	logger := app.Logger(os.Stdout, c.LogLevel)
	if c.SweepEvery > 0 {
		sw := &sweep.Sweeper{Store: st, Standing: standing.Reader{Store: st, Specs: specs, Rules: catalog.MustScoringRules(certs)},
			Calendar: calendar, Now: time.Now, Log: logger}
		sctx, stop := context.WithCancel(ctx)
		l.closeFunc = append(l.closeFunc, stop)
		go every(sctx, "sweep", c.SweepEvery, func(ctx context.Context) (any, error) { return sw.Run(ctx) }, logger)
	}
	if c.DeliverEvery > 0 {
		d := &deliver.Deliverer{Store: st, Client: push.Client(true), Sealer: sealer, Loopback: true, Now: time.Now, Log: logger}
		dctx, stop := context.WithCancel(ctx)
		l.closeFunc = append(l.closeFunc, stop)
		go every(dctx, "deliver", c.DeliverEvery, func(ctx context.Context) (any, error) { return d.Run(ctx) }, logger)
	}
	server := httpapi.NewServer(httpapi.ServerDeps{Store: st, Verifier: verifier, Logger: logger})
	// Not a ServeMux: it would answer a path with ".", ".." or "//" by a
	// redirect that keeps the method (PUT …/customers/.. would become a PUT
	// of the profile); the API answers those itself, with a 404.
	apiHandler, jwks := server.Handler(partners.Routes(), scoring.Routes(), evidence.Routes(), audits.Routes()), key.JWKS()
	l.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == JWKSPath && r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(jwks)
			return
		}
		apiHandler.ServeHTTP(w, r)
	})
	return l, nil
}

// awsConfig is the SDK's usual configuration (environment, profiles), so that
// DYNAMODB_ENDPOINT may name AWS itself; for a local engine, which takes any
// credentials, dummy ones stand in when none are configured.
func awsConfig(ctx context.Context) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if os.Getenv("AWS_REGION") == "" {
		opts = append(opts, config.WithRegion("us-east-1"))
	}
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws config: %w", err)
	}
	return cfg, nil
}

func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("embedded engine stopped", "error", err.Error())
		}
	}()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// every runs job every d until ctx ends, as the stack's schedules run the
// sweeper and the deliverer; a run that did something is logged.
func every(ctx context.Context, job string, d time.Duration, run func(context.Context) (any, error), log *slog.Logger) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			res, err := run(ctx)
			switch {
			case err != nil:
				log.Error(job, "error", err.Error())
			case res != sweep.Result{} && res != deliver.Result{}:
				log.Info(job, "result", res)
			}
		}
	}
}
