package push

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// An endpoint's secret is kept sealed: AES-256-GCM under a key of the
// stack's own (a Secrets Manager secret only the partners and deliverer
// functions may read), so that what reads the table alone (another
// function, a backup, an export) holds no secret a delivery is signed
// with.

// Keys gives the values sealing keys are made from, the current one first
// (secrets.Secret): stale asks for a fresh read, as after a value no key
// opens.
type Keys interface {
	Values(ctx context.Context, stale bool) ([][]byte, error)
}

// Sealer seals and opens endpoint secrets.
type Sealer struct{ Keys Keys }

// sealedPrefix marks a sealed value, and its form's version.
const sealedPrefix = "sealed:v1:"

// ErrUnsealable: no key opens the value (the key was replaced, or the
// value tampered with or copied from another endpoint).
var ErrUnsealable = errors.New("push: no key opens the sealed secret")

func aead(value []byte) (cipher.AEAD, error) {
	k := sha256.Sum256(value) // the secret's value is text; its digest is a 256-bit key
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal is secret sealed under the current key for the endpoint named by
// owner (its partner and id, bound into the seal so that a sealed value
// copied onto another endpoint does not open there): sealed:v1: and base64
// of the nonce and the ciphertext.
func (s Sealer) Seal(ctx context.Context, secret, owner string) (string, error) {
	if s.Keys == nil {
		return "", errors.New("push: no sealing key configured")
	}
	keys, err := s.Keys.Values(ctx, false)
	if err != nil || len(keys) == 0 {
		return "", fmt.Errorf("push: sealing key: %w", err)
	}
	g, err := aead(keys[0])
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return sealedPrefix + base64.StdEncoding.EncodeToString(g.Seal(nonce, nonce, []byte(secret), []byte(sealedPrefix+owner))), nil
}

// Open is the secret inside sealed, sealed for owner, under any key Keys
// gives (the previous one too, during the key's rotation; read again once
// when none opens it). ErrUnsealable when none does: that lasts, where an
// error reading the keys may pass.
func (s Sealer) Open(ctx context.Context, sealed, owner string) (string, error) {
	b64, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", fmt.Errorf("%w: it is not sealed", ErrUnsealable)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", ErrUnsealable
	}
	if s.Keys == nil {
		return "", errors.New("push: no sealing key configured")
	}
	for _, stale := range []bool{false, true} {
		keys, err := s.Keys.Values(ctx, stale)
		if err != nil {
			return "", fmt.Errorf("push: sealing key: %w", err)
		}
		for _, k := range keys {
			g, err := aead(k)
			if err != nil || len(raw) < g.NonceSize() {
				return "", ErrUnsealable
			}
			if plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], []byte(sealedPrefix+owner)); err == nil {
				return string(plain), nil
			}
		}
	}
	return "", ErrUnsealable
}

// Owner names the endpoint a secret is sealed for.
func Owner(partnerID, endpointID string) string { return partnerID + "/" + endpointID }
