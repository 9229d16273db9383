package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/partnerready/partnerready/internal/secrets"
)

// EndpointEnv names the Secrets Manager the suite runs on (scripts/test's
// moto_server); without it the suite starts a moto_server of its own.
const EndpointEnv = "TEST_SECRETSMANAGER_ENDPOINT"

func endpoint(t *testing.T) string {
	t.Helper()
	if ep := os.Getenv(EndpointEnv); ep != "" {
		return ep
	}
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Fatalf("no Secrets Manager: set %s, or put moto_server on the PATH (scripts/test installs it)", EndpointEnv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ep := fmt.Sprintf("http://127.0.0.1:%d", port)
	for range 100 {
		if resp, err := http.Get(ep + "/moto-api/"); err == nil {
			resp.Body.Close()
			return ep
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("moto_server did not answer on %s", ep)
	return ""
}

var cfg = aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}

// The secret is read with its previous version while a rotation completes,
// and cached: for 5 minutes, or 30 s when a signature matched none of the
// values (a rotation then reaches the function on its first signature).
func TestWebhookSecretRotation(t *testing.T) {
	ep := endpoint(t)
	ctx := context.Background()
	sm := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(ep) })
	name := fmt.Sprintf("partnerready-webhook-%d", time.Now().UnixNano())
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v1")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = sm.DeleteSecret(context.Background(), &secretsmanager.DeleteSecretInput{SecretId: aws.String(name), ForceDeleteWithoutRecovery: aws.Bool(true)})
	})
	var mu sync.Mutex
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	w := secrets.FromSecretsManager(cfg, ep, name)
	secrets.SetClock(w, func() time.Time { mu.Lock(); defer mu.Unlock(); return at })
	later := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); at = at.Add(d) }
	values := func(stale bool) string {
		t.Helper()
		v, err := w.Values(ctx, stale)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s", v)
	}
	if got := values(false); got != "[v1]" {
		t.Fatalf("never rotated: %s", got)
	}
	if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String("v2")}); err != nil {
		t.Fatal(err)
	}
	if got := values(false); got != "[v1]" {
		t.Fatalf("within the cache: %s", got)
	}
	if got := values(true); got != "[v1]" {
		t.Fatalf("a mismatch right after a read reads nothing: %s", got)
	}
	later(31 * time.Second)
	if got := values(true); got != "[v2 v1]" {
		t.Fatalf("a mismatch 31 s after a read: %s", got)
	}
	if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String("v3")}); err != nil {
		t.Fatal(err)
	}
	later(4 * time.Minute)
	if got := values(false); got != "[v2 v1]" {
		t.Fatalf("before the TTL: %s", got)
	}
	later(time.Minute)
	if got := values(false); got != "[v3 v2]" {
		t.Fatalf("after the TTL: %s", got)
	}
	// Concurrent callers share one read.
	later(10 * time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if v, err := w.Values(ctx, false); err != nil || len(v) != 2 {
				t.Errorf("concurrent: %v %v", v, err)
			}
		})
	}
	wg.Wait()

	missing := secrets.FromSecretsManager(cfg, ep, "no-such-secret")
	if _, err := missing.Values(ctx, false); err == nil {
		t.Fatal("a secret that does not exist")
	}
}

// Locally the secret is the one given; none is an error, never an empty key.
func TestFixedSecret(t *testing.T) {
	if v, err := secrets.Fixed("dev").Values(context.Background(), true); err != nil || string(v[0]) != "dev" || len(v) != 1 {
		t.Fatalf("%s %v", v, err)
	}
	if _, err := secrets.Fixed("").Values(context.Background(), false); !errors.Is(err, secrets.ErrNone) {
		t.Fatalf("no secret: %v", err)
	}
}
