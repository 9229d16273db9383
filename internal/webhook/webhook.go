// Package webhook signs and verifies the audit firm's callbacks (DESIGN,
// Security): the header Audit-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>.<raw body>")>, with several v1 values while a
// secret is rotated, and 300 s of tolerance either way. It works on the raw
// bytes of the body, before anything parses them: a body re-serialised by
// anyone on the way no longer matches, and nothing is read of a request
// whose sender is not known.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header is the signature's header.
const Header = "Audit-Signature"

// Tolerance is how far the signed time may be from ours, either way: an
// older signature is a replay or a stale retry, a later one a clock to fix.
const Tolerance = 300 * time.Second

// Bounds of a header, so that checking one costs a fixed amount: a firm
// rotating its secret sends two signatures, and no sender needs more than a
// few.
const (
	maxHeaderBytes = 1024
	maxSignatures  = 8
)

// Why a signature is refused; each is a 401 to the sender.
var (
	ErrMissing   = errors.New("webhook: no " + Header + " header")
	ErrMalformed = errors.New("webhook: the " + Header + " header is not t=<unix seconds>,v1=<64 hex digits>[,v1=…]")
	ErrStale     = errors.New("webhook: the signature's time is more than 300 s from ours")
	ErrMismatch  = errors.New("webhook: no signature matches the body under a current secret")
)

// Sign is the header value that signs body at t with secret.
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// Verify checks header against body at now, under any of secrets (the
// current one, and the previous one while a rotation completes). Every
// signature is compared with every secret in constant time, and all of them
// are, whatever matched first, so the time taken says nothing of which.
func Verify(header string, body []byte, secrets [][]byte, now time.Time) error {
	if header == "" {
		return ErrMissing
	}
	ts, sigs, err := parse(header)
	if err != nil {
		return err
	}
	t, _ := strconv.ParseInt(ts, 10, 64)
	if d := now.Sub(time.Unix(t, 0)); d > Tolerance || d < -Tolerance {
		return ErrStale
	}
	ok := 0
	for _, secret := range secrets {
		if len(secret) == 0 {
			continue
		}
		want := mac(secret, ts, body)
		for _, s := range sigs {
			if hmac.Equal(want, s) {
				ok = 1
			}
		}
	}
	if ok == 0 {
		return ErrMismatch
	}
	return nil
}

func mac(secret []byte, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// parse reads t and the v1 signatures; other schemes (v0, v2) are ignored,
// as a sender may add them before we know them, but one t and at least one
// v1 are required.
func parse(header string) (string, [][]byte, error) {
	if len(header) > maxHeaderBytes {
		return "", nil, ErrMalformed
	}
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, ErrMalformed
		}
		switch k {
		case "t":
			if ts != "" || !digits(v) {
				return "", nil, ErrMalformed
			}
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size || len(sigs) == maxSignatures {
				return "", nil, ErrMalformed
			}
			sigs = append(sigs, b)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return "", nil, ErrMalformed
	}
	return ts, sigs, nil
}

// digits: 1 to 12 decimal digits, a Unix time up to the year 33658.
func digits(s string) bool {
	if len(s) == 0 || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
