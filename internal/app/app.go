// Package app wires a Lambda function from its environment: configuration,
// logging, the table, the evidence bucket, token verification, and the
// runners that serve API Gateway events and the bucket's S3 notifications.
// Each functions/<name>/main.go builds its own service from an Env and
// hands what it serves to Serve (or ServeHTTP), so a binary carries only
// that.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/store"
)

// Config is the environment of a function (template.yaml sets it).
type Config struct {
	TableName        string // TABLE_NAME
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT: moto, DynamoDB Local; empty for AWS
	Region           string // AWS_REGION
	JWTIssuer        string // JWT_ISSUER
	JWTAudience      string // JWT_AUDIENCE
	JWKSURL          string // JWKS_URL
	LogLevel         string // LOG_LEVEL: debug, info, warn, error
	// The evidence function's: the bucket, another S3 for tests, and
	// whether GuardDuty scans the bucket (verified evidence then waits for
	// its result).
	EvidenceBucket  string // EVIDENCE_BUCKET
	S3Endpoint      string // S3_ENDPOINT: moto, gofakes3; empty for AWS
	MalwareScanning bool   // MALWARE_SCANNING: on or off (the default)
	// The audits function's: the Secrets Manager secret audit firms sign
	// their events with, another Secrets Manager for tests, and the
	// business calendar of the audit clocks.
	WebhookSecretID        string         // AUDIT_WEBHOOK_SECRET_ARN
	SecretsManagerEndpoint string         // SECRETSMANAGER_ENDPOINT: moto; empty for AWS
	AuditCalendar          audit.Calendar // AUDIT_CALENDAR: us-federal (the default) or weekends-only
	// AuditFirms are the firms an approval may assign: AUDIT_FIRMS, comma
	// separated; empty is httpapi.DefaultAuditFirms.
	AuditFirms []string
	// EndpointKeyID is the Secrets Manager secret webhook endpoints'
	// secrets are sealed with (push.Sealer): the partners and deliverer
	// functions'.
	EndpointKeyID string // ENDPOINT_KEY_SECRET_ARN
}

// EvidenceBucketEnv names the evidence bucket's variable, which only the
// evidence function needs (ConfigFromEnv's also).
const EvidenceBucketEnv = "EVIDENCE_BUCKET"

// WebhookSecretEnv names the webhook secret's variable, which only the
// audits function needs.
const WebhookSecretEnv = "AUDIT_WEBHOOK_SECRET_ARN"

// EndpointKeyEnv names the endpoint key's variable, which only the
// partners and deliverer functions need.
const EndpointKeyEnv = "ENDPOINT_KEY_SECRET_ARN"

// ConfigFromEnv reads Config; what is missing is an error naming it. also
// names the variables a function needs beyond those every function does.
func ConfigFromEnv(also ...string) (Config, error) {
	c := Config{
		TableName:        os.Getenv("TABLE_NAME"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		Region:           os.Getenv("AWS_REGION"),
		JWTIssuer:        os.Getenv("JWT_ISSUER"),
		JWTAudience:      os.Getenv("JWT_AUDIENCE"),
		JWKSURL:          os.Getenv("JWKS_URL"),
		LogLevel:         os.Getenv("LOG_LEVEL"),
		EvidenceBucket:   os.Getenv(EvidenceBucketEnv),
		S3Endpoint:       os.Getenv("S3_ENDPOINT"),

		WebhookSecretID:        os.Getenv(WebhookSecretEnv),
		SecretsManagerEndpoint: os.Getenv("SECRETSMANAGER_ENDPOINT"),
		EndpointKeyID:          os.Getenv(EndpointKeyEnv),
	}
	c.AuditFirms = List(os.Getenv("AUDIT_FIRMS"))
	switch v := os.Getenv("MALWARE_SCANNING"); v {
	case "on":
		c.MalwareScanning = true
	case "off", "":
	default:
		return c, fmt.Errorf("MALWARE_SCANNING is %q: it must be on or off", v)
	}
	calendar, err := audit.CalendarNamed(os.Getenv("AUDIT_CALENDAR"))
	if err != nil {
		return c, err
	}
	c.AuditCalendar = calendar
	var missing []string
	for _, v := range []struct{ name, value string }{
		{"TABLE_NAME", c.TableName}, {"AWS_REGION", c.Region}, {"JWT_ISSUER", c.JWTIssuer}, {"JWT_AUDIENCE", c.JWTAudience}, {"JWKS_URL", c.JWKSURL},
	} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	for _, name := range also {
		if os.Getenv(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("missing configuration: %s", strings.Join(missing, ", "))
	}
	if err := auth.CheckJWKS(auth.Config{Issuer: c.JWTIssuer, Audience: c.JWTAudience}, c.JWKSURL); err != nil {
		return c, fmt.Errorf("JWT_ISSUER, JWT_AUDIENCE, JWKS_URL: %w", err)
	}
	return c, nil
}

// List reads a comma-separated variable: its non-empty items, trimmed.
func List(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Logger is the JSON logger every function uses (CloudWatch reads one object a line).
func Logger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil || level == "" {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// Env is what every function is built from.
type Env struct {
	Config Config
	Logger *slog.Logger
	Store  *store.Store
	Server *httpapi.Server // the routes' shared layer: auth, errors, limits, idempotency
	// Blobs is the evidence bucket; nil unless EVIDENCE_BUCKET is set.
	Blobs *blob.Store
	// AWS is the function's AWS configuration, for the clients only some
	// functions need (Secrets Manager).
	AWS aws.Config
}

// Handlers is what a function serves: API routes, and for the evidence
// function the bucket's S3 notifications (Notified, nil elsewhere).
type Handlers struct {
	Routes   []httpapi.Route
	Notified func(context.Context, []blob.Object) error
}

// ServeHTTP is Serve for a function that serves API routes only.
func ServeHTTP(build func(*Env) []httpapi.Route, also ...string) {
	Serve(func(env *Env) Handlers { return Handlers{Routes: build(env)} }, also...)
}

// Serve is a function's whole main: it reads the configuration (also: the
// variables this function needs beyond every function's), and exits with a
// log line when it is incomplete, so that the failure shows in the init logs
// rather than on every request; it then runs the Lambda loop for what build
// makes of the Env: API Gateway HTTP API events, and S3 notifications.
//
// Init does no network I/O and as little work as it can: the Env (the
// DynamoDB client, the verifier, whose JWKS fetch starts then) and the
// handlers (the catalogues they load) are built in the background while the
// runtime asks for the first event, which waits for them. Init thus ends as
// soon as the runtime can take an event, and what it would have done
// overlaps that call and the JWKS fetch.
func Serve(build func(*Env) Handlers, also ...string) {
	TuneGC()
	cfg, err := ConfigFromEnv(also...)
	if err != nil {
		slog.Error("config", "error", err.Error())
		os.Exit(1)
	}
	type built struct {
		http     http.Handler
		notified func(context.Context, events.S3Event) error
	}
	ready := make(chan built, 1)
	go func() {
		env := newEnv(cfg)
		h := build(env)
		b := built{http: env.Server.Handler(h.Routes)}
		if h.Notified != nil {
			b.notified = S3Handler(cfg.EvidenceBucket, env.Logger, h.Notified)
		}
		ready <- b
	}()
	handlers := sync.OnceValue(func() built { return <-ready })
	lambda.Start(Dispatch(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handlers().http.ServeHTTP(w, r) }),
		func(ctx context.Context, ev events.S3Event) error {
			if n := handlers().notified; n != nil {
				return n(ctx, ev)
			}
			return errors.New("this function serves no S3 notifications")
		}))
}

// newEnv builds a function's Env from its configuration.
func newEnv(cfg Config) *Env {
	logger := Logger(os.Stdout, cfg.LogLevel)
	verifier, err := auth.NewJWKSVerifier(context.Background(), auth.Config{Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}, cfg.JWKSURL, logger)
	if err != nil {
		logger.Error("JWKS", "url", cfg.JWKSURL, "error", err.Error())
		os.Exit(1)
	}
	aws := awsConfig(cfg)
	st := store.New(store.NewClient(aws, cfg.DynamoDBEndpoint), cfg.TableName, nil)
	env := &Env{Config: cfg, Logger: logger, Store: st, AWS: aws, Server: httpapi.NewServer(httpapi.ServerDeps{Store: st, Verifier: verifier, Logger: logger})}
	if cfg.EvidenceBucket != "" {
		env.Blobs = blob.New(aws, cfg.S3Endpoint, cfg.EvidenceBucket)
	}
	return env
}

// awsConfig is the AWS configuration Lambda gives a function: its region and
// its role's credentials, in the environment. Built by hand rather than by
// the SDK's config package, whose loaders (profiles, SSO, STS) a function
// never uses but would initialise on every cold start.
func awsConfig(c Config) aws.Config {
	return aws.Config{
		Region: c.Region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))),
	}
}
