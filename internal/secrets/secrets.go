// Package secrets holds the stack's own secrets (the audit firm's webhook
// secret, the key webhook endpoints' secrets are sealed with): in the
// stack, a Secrets Manager secret, read with its previous version too
// while a rotation completes and cached between reads; locally, a value
// given.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// How long values read are used before they are read again, and how soon
// after a read a signature that matches none of them may read them again:
// a rotation reaches every function within TTL at the latest, and sooner
// on its first signature, without a sender of bad signatures making every
// request read the secret.
const (
	TTL          = 5 * time.Minute
	minRefetchAt = 30 * time.Second
)

// ErrNone: no secret is configured, or it holds no value.
var ErrNone = errors.New("secrets: no secret is configured")

// Secret is a secret's current values: the current version first, then
// the previous one while it is still staged (AWSPREVIOUS).
type Secret struct {
	client *secretsmanager.Client // nil: fixed values
	id     string
	now    func() time.Time

	mu      sync.Mutex
	values  [][]byte
	readAt  time.Time
	pending chan struct{} // a read in flight, which others wait for
}

// Fixed is a secret that never changes: the local server's (from
// AUDIT_WEBHOOK_SECRET, or made at start).
func Fixed(value string) *Secret {
	w := &Secret{now: time.Now}
	if value != "" {
		w.values = [][]byte{[]byte(value)}
	}
	return w
}

// FromSecretsManager reads the secret id (a name or ARN) through cfg;
// endpoint, when set, is another Secrets Manager (moto).
func FromSecretsManager(cfg aws.Config, endpoint, id string) *Secret {
	client := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return &Secret{client: client, id: id, now: time.Now}
}

// Values are the values to verify a signature with. stale asks for a read
// of the secret now, if the last one is at least 30 s old: a signature that
// matched none of the cached values may be under a value rotated in since.
func (w *Secret) Values(ctx context.Context, stale bool) ([][]byte, error) {
	if w.client == nil {
		if len(w.values) == 0 {
			return nil, ErrNone
		}
		return w.values, nil
	}
	for {
		w.mu.Lock()
		age := w.now().Sub(w.readAt)
		if w.values != nil && age < TTL && (!stale || age < minRefetchAt) {
			v := w.values
			w.mu.Unlock()
			return v, nil
		}
		if wait := w.pending; wait != nil {
			w.mu.Unlock()
			select {
			case <-wait:
				stale = false // what it read is as fresh as can be
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		w.pending = done
		w.mu.Unlock()

		values, err := w.read(ctx)
		w.mu.Lock()
		w.pending = nil
		if err == nil {
			w.values, w.readAt = values, w.now()
		}
		close(done)
		w.mu.Unlock()
		if err != nil {
			return nil, err
		}
		return values, nil
	}
}

// read gets AWSCURRENT and, if staged, AWSPREVIOUS.
func (w *Secret) read(ctx context.Context) ([][]byte, error) {
	var values [][]byte
	for _, stage := range []string{"AWSCURRENT", "AWSPREVIOUS"} {
		out, err := w.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(w.id), VersionStage: aws.String(stage)})
		var nf *types.ResourceNotFoundException
		switch {
		case errors.As(err, &nf) && stage == "AWSPREVIOUS":
			continue // never rotated
		case err != nil:
			return nil, fmt.Errorf("read the webhook secret %s (%s): %w", w.id, stage, err)
		}
		if v := aws.ToString(out.SecretString); v != "" {
			values = append(values, []byte(v))
		} else if len(out.SecretBinary) > 0 {
			values = append(values, out.SecretBinary)
		}
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: %s holds no value", ErrNone, w.id)
	}
	return values, nil
}
