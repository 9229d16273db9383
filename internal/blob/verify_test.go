package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
)

// Each attack sends something other than the declared file to a genuine
// upload URL. Real S3 refuses all of them (the signed headers, the
// checksum); gofakes3 and moto take them, so whatever the engine did,
// Verify must either find the precise mismatch or find nothing stored.
func TestVerifyCatchesWhatTheEngineLetThrough(t *testing.T) {
	bk := blobtest.New(t)
	// CSV, not PDF: gofakes3 stores no content type when none is sent, and
	// net/http then sniffs one for the response, which for a PDF would be
	// the declared application/pdf.
	const contentType = "text/csv"
	declared := []byte("customer,signedOffOn\ncontoso,2026-06-02\n")
	tampered := []byte("customer,signedOffOn\ncontoso,2026-06-03\n") // same length
	with := func(up blob.Upload, name, value string) map[string]string {
		h := map[string]string{}
		for k, v := range up.Headers {
			h[k] = v
		}
		if value == "" {
			delete(h, name)
		} else {
			h[name] = value
		}
		return h
	}
	otherSum := func(b []byte) string { s := sha256.Sum256(b); return base64.StdEncoding.EncodeToString(s[:]) }
	cases := []struct {
		name string
		send func(up blob.Upload) int
		want blob.ProblemCode
	}{
		{"other bytes of the same length", func(up blob.Upload) int {
			return sendBytes(t, up, up.Headers, tampered)
		}, blob.ProblemChecksum},
		{"other bytes with their own checksum header", func(up blob.Upload) int {
			return sendBytes(t, up, with(up, "X-Amz-Checksum-Sha256", otherSum(tampered)), tampered)
		}, blob.ProblemChecksum},
		{"other bytes and no checksum header", func(up blob.Upload) int {
			return sendBytes(t, up, with(up, "X-Amz-Checksum-Sha256", ""), tampered)
		}, blob.ProblemChecksum},
		{"a bigger file", func(up blob.Upload) int {
			return sendBytes(t, up, up.Headers, append(append([]byte{}, declared...), "and more"...))
		}, blob.ProblemSize},
		{"a smaller file", func(up blob.Upload) int {
			return sendBytes(t, up, up.Headers, declared[:10])
		}, blob.ProblemSize},
		{"another content type", func(up blob.Upload) int {
			return sendBytes(t, up, with(up, "Content-Type", "text/html"), declared)
		}, blob.ProblemContentType},
		{"no content type", func(up blob.Upload) int {
			return sendBytes(t, up, with(up, "Content-Type", ""), declared)
		}, blob.ProblemContentType},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := key(t, 100+i)
			up := presign(t, bk, k, contentType, declared)
			code := c.send(up)
			v, err := bk.Store.Verify(context.Background(), k, int64(len(declared)), sha256Hex(declared), contentType)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case code >= 200 && code < 300:
				t.Logf("%s stored it (%d); verdict: %s", engineName(bk), code, v.Reason())
				if v.OK() || !v.Has(c.want) {
					t.Fatalf("verdict %+v, want %s", v, c.want)
				}
			case code >= 400 && code < 500:
				t.Logf("%s refused it (%d)", engineName(bk), code)
				if !v.Missing() {
					t.Fatalf("refused upload, yet verdict %+v", v)
				}
			default:
				t.Fatalf("%s answered %d", engineName(bk), code)
			}
		})
	}
}

func engineName(bk blobtest.Bucket) string {
	if bk.Engine == blobtest.EngineGofakes3 {
		return "gofakes3"
	}
	return "the engine at " + bk.Engine
}

func TestVerifyVerdicts(t *testing.T) {
	bk := blobtest.New(t)
	ctx := context.Background()
	body := []byte("strategy document v3\n")
	k := key(t, 200)

	v, err := bk.Store.Verify(ctx, k, int64(len(body)), sha256Hex(body), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Missing() || v.OK() || len(v.Problems) != 1 || !strings.Contains(v.Reason(), "upload.url") {
		t.Fatalf("nothing uploaded: verdict %+v, want only missing", v)
	}

	up := presign(t, bk, k, "text/plain", body)
	if code := sendBytes(t, up, up.Headers, body); code != http.StatusOK {
		t.Fatalf("declared upload: %d", code)
	}
	// Against a declaration that is wrong on every count, each mismatch is
	// named with both values, and the too-long file is not read.
	other := []byte("another strategy document\n")
	v, err = bk.Store.Verify(ctx, k, int64(len(other)), sha256Hex(other), "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Has(blob.ProblemSize) || !v.Has(blob.ProblemContentType) || v.Has(blob.ProblemChecksum) || v.Found.SHA256Hex != "" {
		t.Fatalf("verdict %+v, want size and content type mismatches, unread", v)
	}
	for _, s := range []string{"21 bytes", "sizeBytes 26", `"text/plain"`, `contentType "application/pdf"`} {
		if !strings.Contains(v.Reason(), s) {
			t.Errorf("reason %q does not say %s", v.Reason(), s)
		}
	}
	// The declared checksum in capitals is the same checksum.
	v, err = bk.Store.Verify(ctx, k, int64(len(body)), strings.ToUpper(sha256Hex(body)), "text/plain")
	if err != nil || !v.OK() {
		t.Fatalf("declared file: %+v %v", v, err)
	}
	wrong := strings.Repeat("ab", 32)
	v, err = bk.Store.Verify(ctx, k, int64(len(body)), wrong, "text/plain")
	if err != nil || !v.Has(blob.ProblemChecksum) || !strings.Contains(v.Reason(), sha256Hex(body)) || !strings.Contains(v.Reason(), "sha256 "+wrong) {
		t.Fatalf("wrong checksum: %+v %v", v, err)
	}
	for _, bad := range []struct {
		key, sha string
		size     int64
	}{{"other/1/x", sha256Hex(body), 1}, {k, "nothex", 1}, {k, sha256Hex(body), 0}, {k, sha256Hex(body), blob.MaxObjectSize + 1}} {
		if _, err := bk.Store.Verify(ctx, bad.key, bad.size, bad.sha, "text/plain"); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("Verify(%q, %d, %q): %v, want ErrInvalid", bad.key, bad.size, bad.sha, err)
		}
	}
}

// A file over the limit is refused by its length alone: it is never read.
func TestVerifyRefusesAnObjectOverTheLimit(t *testing.T) {
	bk := blobtest.New(t)
	blob.SetMaxSize(bk.Store, 1024)
	declared := make([]byte, 1000)
	k := key(t, 300)
	up := presign(t, bk, k, "application/octet-stream", declared)
	code := sendBytes(t, up, up.Headers, make([]byte, 4096))
	v, err := bk.Store.Verify(context.Background(), k, 1000, sha256Hex(declared), "application/octet-stream")
	if err != nil {
		t.Fatal(err)
	}
	if code == http.StatusOK && (!v.Has(blob.ProblemTooLarge) || len(v.Problems) != 1 || v.Found.Size != 4096 || v.Found.SHA256Hex != "") {
		t.Fatalf("verdict %+v, want only too large, unread", v)
	}
	if !strings.Contains(v.Reason(), "4096 bytes, over the limit of 1024 bytes") {
		t.Errorf("reason %q", v.Reason())
	}
}

// largeObject is size deterministic pseudo-random bytes, produced as a
// stream so that the test never holds them either.
func largeObject(size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'p', 'r'}), size)
}

// uploadLarge uploads a streamed object of size bytes and answers its SHA-256.
func uploadLarge(tb testing.TB, bk blobtest.Bucket, k string, size int64) string {
	tb.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, largeObject(size)); err != nil {
		tb.Fatal(err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	up, err := bk.Store.PresignPut(context.Background(), k, "application/zip", size, sum, time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	if code := send(tb, up, up.Headers, largeObject(size), size); code != http.StatusOK {
		tb.Fatalf("upload of %d bytes: %d", size, code)
	}
	return sum
}

// verifyAllocs is what the process allocates, in bytes, while Verify reads
// the object: the engine's side too when it is embedded.
func verifyAllocs(tb testing.TB, bk blobtest.Bucket, k string, size int64, sum string) uint64 {
	tb.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v, err := bk.Store.Verify(context.Background(), k, size, sum, "application/zip")
	runtime.ReadMemStats(&after)
	if err != nil || !v.OK() {
		tb.Fatalf("verdict %+v, %v", v, err)
	}
	return after.TotalAlloc - before.TotalAlloc
}

// maxVerifyAllocs bounds what verifying one object may allocate, whatever its
// size: buffers, not the file.
const maxVerifyAllocs = 1 << 20

// The object is streamed through SHA-256, never held. 20 MiB in the normal
// run is 20 times the bound, so a buffered read could not pass; the 100 MiB
// of the largest evidence file are measured by BenchmarkVerify100MiB, kept
// out of scripts/test's race-detector run, where gofakes3 holding 100 MiB in
// the test process would cost several times that on a shared machine.
func TestVerifyStreamsTheObject(t *testing.T) {
	bk := blobtest.New(t)
	const size = 20 << 20
	k := key(t, 400)
	sum := uploadLarge(t, bk, k, size)
	allocated := verifyAllocs(t, bk, k, size, sum)
	t.Logf("verifying %d MiB on %s allocated %d KiB", size>>20, engineName(bk), allocated>>10)
	if allocated > maxVerifyAllocs {
		t.Fatalf("verifying %d bytes allocated %d bytes, over %d: is the object buffered?", size, allocated, maxVerifyAllocs)
	}
}

// go test -run '^$' -bench Verify100MiB -benchmem ./internal/blob/
func BenchmarkVerify100MiB(b *testing.B) {
	bk := blobtest.New(b)
	size := blob.MaxObjectSize
	k := key(b, 500)
	sum := uploadLarge(b, bk, k, size)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		v, err := bk.Store.Verify(context.Background(), k, size, sum, "application/zip")
		if err != nil || !v.OK() {
			b.Fatalf("verdict %+v, %v", v, err)
		}
	}
}
