// Package app wires a Lambda function from its environment: configuration,
// logging, the table, token verification, and the runner that serves API
// Gateway events. Each functions/<name>/main.go builds its own service from
// an Env and hands its routes to Env.ServeHTTP, so a binary carries only
// what it serves.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/partnerready/partnerready/internal/auth"
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
}

// ConfigFromEnv reads Config; what is missing is an error naming it.
func ConfigFromEnv() (Config, error) {
	c := Config{
		TableName:        os.Getenv("TABLE_NAME"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		Region:           os.Getenv("AWS_REGION"),
		JWTIssuer:        os.Getenv("JWT_ISSUER"),
		JWTAudience:      os.Getenv("JWT_AUDIENCE"),
		JWKSURL:          os.Getenv("JWKS_URL"),
		LogLevel:         os.Getenv("LOG_LEVEL"),
	}
	var missing []string
	for _, v := range []struct{ name, value string }{
		{"TABLE_NAME", c.TableName}, {"AWS_REGION", c.Region}, {"JWT_ISSUER", c.JWTIssuer}, {"JWT_AUDIENCE", c.JWTAudience}, {"JWKS_URL", c.JWKSURL},
	} {
		if v.value == "" {
			missing = append(missing, v.name)
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
}

// ServeHTTP is a function's whole main: it reads the configuration, and
// exits with a log line when it is incomplete, so that the failure shows in
// the init logs rather than on every request; it then runs the Lambda loop
// for API Gateway HTTP API events on the routes build makes of the Env.
//
// Init does no network I/O and as little work as it can: the Env (the
// DynamoDB client, the verifier, whose JWKS fetch starts then) and the routes
// (the catalogues they load) are built in the background while the runtime
// asks for the first event, which waits for them. Init thus ends as soon as
// the runtime can take an event, and what it would have done overlaps that
// call and the JWKS fetch.
func ServeHTTP(build func(*Env) []httpapi.Route) {
	TuneGC()
	cfg, err := ConfigFromEnv()
	if err != nil {
		slog.Error("config", "error", err.Error())
		os.Exit(1)
	}
	ready := make(chan http.Handler, 1)
	go func() {
		env := newEnv(cfg)
		ready <- env.Server.Handler(build(env))
	}()
	handler := sync.OnceValue(func() http.Handler { return <-ready })
	lambda.Start(LambdaHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler().ServeHTTP(w, r) })))
}

// newEnv builds a function's Env from its configuration.
func newEnv(cfg Config) *Env {
	logger := Logger(os.Stdout, cfg.LogLevel)
	verifier, err := auth.NewJWKSVerifier(context.Background(), auth.Config{Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}, cfg.JWKSURL, logger)
	if err != nil {
		logger.Error("JWKS", "url", cfg.JWKSURL, "error", err.Error())
		os.Exit(1)
	}
	st := store.New(store.NewClient(awsConfig(cfg), cfg.DynamoDBEndpoint), cfg.TableName, nil)
	return &Env{Config: cfg, Logger: logger, Store: st, Server: httpapi.NewServer(httpapi.ServerDeps{Store: st, Verifier: verifier, Logger: logger})}
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
