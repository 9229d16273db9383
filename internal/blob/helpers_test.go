package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
)

const partnerID = "1234567"

// key is a fresh evidence key; ids are UUIDv7-shaped like the server's.
func key(t testing.TB, n int) string {
	t.Helper()
	k, err := blob.EvidenceKey(partnerID, "0190f5c2-7b1e-7c3a-9d4e-"+strconv.FormatInt(100000000000+int64(n), 10))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// presign is the upload of body as the partner declares it.
func presign(t testing.TB, bk blobtest.Bucket, k, contentType string, body []byte) blob.Upload {
	t.Helper()
	up, err := bk.Store.PresignPut(context.Background(), k, contentType, int64(len(body)), sha256Hex(body), 10*time.Minute)
	if err != nil {
		t.Fatalf("PresignPut: %v", err)
	}
	return up
}

// send PUTs body to the upload URL with headers (the upload's own, unless
// the test tampers with them) and answers the engine's status code.
// Content-Length is the body's length whatever headers say: net/http
// derives it from the body, as browsers do.
func send(t testing.TB, up blob.Upload, headers map[string]string, body io.Reader, size int64) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), up.Method, up.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	for name, value := range headers {
		if http.CanonicalHeaderKey(name) != "Content-Length" {
			req.Header.Set(name, value)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT: %v", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Logf("PUT answered %d: %s", resp.StatusCode, bytes.TrimSpace(msg))
	}
	return resp.StatusCode
}

func sendBytes(t testing.TB, up blob.Upload, headers map[string]string, body []byte) int {
	t.Helper()
	return send(t, up, headers, bytes.NewReader(body), int64(len(body)))
}
