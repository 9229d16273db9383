// Package app wires the API from its configuration, for the Lambda functions
// and the local server alike, so both run the same code.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
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
	for name, v := range map[string]string{"TABLE_NAME": c.TableName, "JWT_ISSUER": c.JWTIssuer, "JWT_AUDIENCE": c.JWTAudience, "JWKS_URL": c.JWKSURL} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("missing configuration: %s", strings.Join(missing, ", "))
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

// Parts are the API's collaborators, built from Config or given by the local server.
type Parts struct {
	Store    *store.Store
	Verifier httpapi.Verifier
	Logger   *slog.Logger
	Now      func() time.Time
}

// NewAPI builds the API from Parts.
func NewAPI(p Parts) (*httpapi.API, error) {
	certs, err := catalog.LoadCertifications()
	if err != nil {
		return nil, fmt.Errorf("certification catalogue: %w", err)
	}
	rules, err := catalog.LoadScoringRules(certs)
	if err != nil {
		return nil, fmt.Errorf("scoring rules: %w", err)
	}
	specs, err := catalog.LoadSpecializations()
	if err != nil {
		return nil, fmt.Errorf("specializations: %w", err)
	}
	if p.Store == nil || p.Verifier == nil {
		return nil, errors.New("app: store and verifier are required")
	}
	return httpapi.New(httpapi.Deps{Store: p.Store, Certifications: certs, ScoringRules: rules, Specializations: specs, Verifier: p.Verifier, Logger: p.Logger, Now: p.Now}), nil
}

// FromConfig builds the API a deployed function runs: DynamoDB from the
// config and keys from the JWKS URL.
func FromConfig(ctx context.Context, c Config) (*httpapi.API, error) {
	db, err := store.NewClient(ctx, store.ClientConfig{Endpoint: c.DynamoDBEndpoint, Region: c.Region})
	if err != nil {
		return nil, err
	}
	logger := Logger(os.Stdout, c.LogLevel)
	v, err := auth.NewJWKSVerifier(ctx, auth.Config{Issuer: c.JWTIssuer, Audience: c.JWTAudience}, c.JWKSURL, logger)
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", c.JWKSURL, err)
	}
	return NewAPI(Parts{Store: store.New(db, c.TableName, nil), Verifier: v, Logger: logger})
}
