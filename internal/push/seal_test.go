package push_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
)

// keys is a key secret during a rotation: its values, current first, and
// how often it was asked to read them again.
type keys struct {
	values [][]byte
	stale  int
}

func (k *keys) Values(_ context.Context, stale bool) ([][]byte, error) {
	if stale {
		k.stale++
	}
	return k.values, nil
}

// A sealed secret opens under its key, and under the same key once it is
// the previous one; it holds nothing of the secret in the clear, differs
// each time, and does not open when tampered with or under another key.
func TestSealOpen(t *testing.T) {
	ctx := context.Background()
	s := push.Sealer{Keys: secrets.Fixed("key one")}
	secret, owner := push.NewSecret(), push.Owner("1234567", "0190b6c8-0000-7000-8000-000000000001")
	a, err := s.Seal(ctx, secret, owner)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Seal(ctx, secret, owner)
	if a == b || strings.Contains(a, strings.TrimPrefix(secret, "whsec_")) || !strings.HasPrefix(a, "sealed:v1:") {
		t.Fatalf("sealed %q, %q", a, b)
	}
	if got, err := s.Open(ctx, a, owner); err != nil || got != secret {
		t.Fatalf("open: %q, %v", got, err)
	}
	rotated := push.Sealer{Keys: &keys{values: [][]byte{[]byte("key two"), []byte("key one")}}}
	if got, err := rotated.Open(ctx, a, owner); err != nil || got != secret {
		t.Fatalf("open under the previous key: %q, %v", got, err)
	}
	other := &keys{values: [][]byte{[]byte("key three")}}
	if _, err := (push.Sealer{Keys: other}).Open(ctx, a, owner); !errors.Is(err, push.ErrUnsealable) || other.stale != 1 {
		t.Fatalf("another key: %v (read again %d times)", err, other.stale)
	}
	tampered := a[:len(a)-4] + "AAA="
	if _, err := s.Open(ctx, tampered, owner); !errors.Is(err, push.ErrUnsealable) {
		t.Fatalf("tampered: %v", err)
	}
	if _, err := s.Open(ctx, secret, owner); !errors.Is(err, push.ErrUnsealable) {
		t.Fatalf("a secret in the clear: %v", err)
	}
	if _, err := s.Open(ctx, a, push.Owner("1234567", "0190b6c8-0000-7000-8000-000000000002")); !errors.Is(err, push.ErrUnsealable) {
		t.Fatalf("copied onto another endpoint: %v", err)
	}
	if _, err := (push.Sealer{}).Seal(ctx, secret, owner); err == nil {
		t.Fatal("sealed with no key")
	}
}
