package app_test

import (
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/app"
)

// A function checks its whole configuration at init: what is missing is
// named, and a JWKS URL it would refuse later (plain http off the machine)
// is refused then, not on the first request.
func TestConfigFromEnv(t *testing.T) {
	set := func(env map[string]string) {
		for _, k := range []string{"TABLE_NAME", "AWS_REGION", "JWT_ISSUER", "JWT_AUDIENCE", "JWKS_URL", "DYNAMODB_ENDPOINT", "LOG_LEVEL"} {
			t.Setenv(k, env[k])
		}
	}
	good := map[string]string{"TABLE_NAME": "t", "AWS_REGION": "eu-west-1", "JWT_ISSUER": "https://idp", "JWT_AUDIENCE": "partnerready", "JWKS_URL": "https://idp/jwks"}
	set(good)
	if c, err := app.ConfigFromEnv(); err != nil || c.TableName != "t" || c.Region != "eu-west-1" {
		t.Fatalf("%+v %v", c, err)
	}
	set(map[string]string{"JWKS_URL": "https://idp/jwks"})
	if _, err := app.ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), "TABLE_NAME, AWS_REGION, JWT_ISSUER, JWT_AUDIENCE") {
		t.Fatalf("missing: %v", err)
	}
	bad := map[string]string{}
	for k, v := range good {
		bad[k] = v
	}
	bad["JWKS_URL"] = "http://idp.example.com/jwks"
	set(bad)
	if _, err := app.ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), "https") {
		t.Fatalf("plain http JWKS: %v", err)
	}
}

// The evidence function needs its bucket, and reads MALWARE_SCANNING as on
// or off only: a typo must not silently turn scanning off.
func TestEvidenceConfig(t *testing.T) {
	for k, v := range map[string]string{"TABLE_NAME": "t", "AWS_REGION": "eu-west-1", "JWT_ISSUER": "https://idp", "JWT_AUDIENCE": "partnerready", "JWKS_URL": "https://idp/jwks"} {
		t.Setenv(k, v)
	}
	t.Setenv(app.EvidenceBucketEnv, "")
	t.Setenv("MALWARE_SCANNING", "")
	if _, err := app.ConfigFromEnv(app.EvidenceBucketEnv); err == nil || !strings.Contains(err.Error(), "EVIDENCE_BUCKET") {
		t.Fatalf("no bucket: %v", err)
	}
	t.Setenv(app.EvidenceBucketEnv, "b")
	if c, err := app.ConfigFromEnv(app.EvidenceBucketEnv); err != nil || c.EvidenceBucket != "b" || c.MalwareScanning {
		t.Fatalf("%+v %v", c, err)
	}
	t.Setenv("MALWARE_SCANNING", "on")
	if c, err := app.ConfigFromEnv(app.EvidenceBucketEnv); err != nil || !c.MalwareScanning {
		t.Fatalf("on: %+v %v", c, err)
	}
	t.Setenv("MALWARE_SCANNING", "true")
	if _, err := app.ConfigFromEnv(app.EvidenceBucketEnv); err == nil || !strings.Contains(err.Error(), "MALWARE_SCANNING") {
		t.Fatalf("a typo: %v", err)
	}
}
