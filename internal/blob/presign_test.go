package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
)

// The upload URL must carry the declaration as signed headers: S3 enforces
// what X-Amz-SignedHeaders lists, and ignores x-amz-checksum-* in the query
// string (aws-sdk-go-v2 #2610), which is where some SDK versions put it.
func TestPresignPutBindsTheDeclaration(t *testing.T) {
	bk := blobtest.New(t)
	body := []byte("%PDF-1.7 solution design for Contoso\n")
	k := key(t, 1)
	before := time.Now()
	up := presign(t, bk, k, "application/pdf", body)

	if up.Method != http.MethodPut {
		t.Errorf("method %q, want PUT", up.Method)
	}
	u, err := url.Parse(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	for _, h := range []string{"content-length", "content-type", "host", "x-amz-checksum-sha256", "x-amz-tagging"} {
		if !slices.Contains(signed, h) {
			t.Errorf("X-Amz-SignedHeaders %v lacks %s", signed, h)
		}
	}
	for name := range q {
		if strings.Contains(strings.ToLower(name), "checksum") {
			t.Errorf("query string carries %s=%s, where S3 ignores it", name, q.Get(name))
		}
	}
	if exp, err := strconv.Atoi(q.Get("X-Amz-Expires")); err != nil || exp != 600 || exp > 900 {
		t.Errorf("X-Amz-Expires %q, want 600 (and never over 900)", q.Get("X-Amz-Expires"))
	}
	sum := sha256.Sum256(body)
	want := map[string]string{
		"Content-Length":        strconv.Itoa(len(body)),
		"Content-Type":          "application/pdf",
		"X-Amz-Checksum-Sha256": base64.StdEncoding.EncodeToString(sum[:]),
		"X-Amz-Tagging":         "partnerready-state=pending",
	}
	if len(up.Headers) != len(want) {
		t.Errorf("headers %v, want exactly %v", up.Headers, want)
	}
	for name, value := range want {
		if up.Headers[name] != value {
			t.Errorf("header %s = %q, want %q", name, up.Headers[name], value)
		}
	}
	// Every header the client is told to send is signed, and the other way
	// round (but Host, which its HTTP library sends).
	for name := range up.Headers {
		if !slices.Contains(signed, strings.ToLower(name)) {
			t.Errorf("header %s is handed out but not signed", name)
		}
	}
	if lo, hi := before.Add(10*time.Minute-time.Second), time.Now().Add(10*time.Minute); up.ExpiresAt.Before(lo) || up.ExpiresAt.After(hi) {
		t.Errorf("ExpiresAt %s, want about 10 minutes from %s", up.ExpiresAt, before)
	}

	// The engine takes the declared upload, and the file comes back whole.
	if code := sendBytes(t, up, up.Headers, body); code != http.StatusOK {
		t.Fatalf("%s refused the declared upload: %d", bk.Engine, code)
	}
	v, err := bk.Store.Verify(context.Background(), k, int64(len(body)), sha256Hex(body), "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Found.SHA256Hex != sha256Hex(body) || v.Found.Size != int64(len(body)) || v.Found.ContentType != "application/pdf" {
		t.Fatalf("verdict %+v, want the declared file", v)
	}
	dl, err := bk.Store.PresignGet(context.Background(), k, "", "Conception \"v2\" é.pdf", "application/pdf", 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// The download's headers are the server's, signed into the URL: a
	// browser saves the file under its declared name and type.
	du, _ := url.Parse(dl.URL)
	if cd := du.Query().Get("response-content-disposition"); cd != `attachment; filename="Conception _v2_ _.pdf"; filename*=UTF-8''Conception%20%22v2%22%20%C3%A9.pdf` ||
		du.Query().Get("response-content-type") != "application/pdf" {
		t.Errorf("download URL %s", dl.URL)
	}
	resp, err := http.Get(dl.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(got) != string(body) {
		t.Fatalf("download: %d %q, want 200 %q", resp.StatusCode, got, body)
	}
	if exp := dl.ExpiresAt.Sub(time.Now()); exp > 2*time.Minute || exp < 2*time.Minute-5*time.Second {
		t.Errorf("download ExpiresAt in %s, want 2m", exp)
	}
}

func TestPresignRefusesLongOrNoExpiry(t *testing.T) {
	bk := blobtest.New(t)
	ctx := context.Background()
	body := []byte("x")
	k := key(t, 2)
	for _, d := range []time.Duration{blob.MaxUploadExpiry + time.Second, time.Hour, 0, -time.Minute, 500 * time.Millisecond} {
		if _, err := bk.Store.PresignPut(ctx, k, "text/plain", 1, sha256Hex(body), d); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("upload expiring in %s: err %v, want ErrInvalid", d, err)
		}
	}
	up, err := bk.Store.PresignPut(ctx, k, "text/plain", 1, sha256Hex(body), blob.MaxUploadExpiry)
	if err != nil || !strings.Contains(up.URL, "X-Amz-Expires=900&") {
		t.Errorf("upload expiring in 15m: %v %s, want X-Amz-Expires=900", err, up.URL)
	}
	for _, d := range []time.Duration{blob.MaxDownloadExpiry + time.Second, blob.MaxUploadExpiry, 0, -time.Second} {
		if _, err := bk.Store.PresignGet(ctx, k, "", "f.pdf", "application/pdf", d); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("download expiring in %s: err %v, want ErrInvalid", d, err)
		}
	}
	dl, err := bk.Store.PresignGet(ctx, k, "", "f.pdf", "application/pdf", blob.MaxDownloadExpiry)
	if err != nil || !strings.Contains(dl.URL, "X-Amz-Expires=300&") {
		t.Errorf("download expiring in 5m: %v %s, want X-Amz-Expires=300", err, dl.URL)
	}
}

func TestPresignRefusesWhatCannotBeBound(t *testing.T) {
	bk := blobtest.New(t)
	ctx := context.Background()
	sum := sha256Hex([]byte("x"))
	k := key(t, 3)
	cases := []struct {
		name, key, contentType, sha string
		size                        int64
	}{
		{"empty file (content-length would go unsigned)", k, "text/plain", sha256Hex(nil), 0},
		{"negative size", k, "text/plain", sum, -1},
		{"over 100 MiB", k, "text/plain", sum, blob.MaxObjectSize + 1},
		{"short checksum", k, "text/plain", sum[:62], 1},
		{"checksum not hex", k, "text/plain", strings.Repeat("z", 64), 1},
		{"base64 checksum", k, "text/plain", "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=", 1},
		{"no content type", k, "", sum, 1},
		{"padded content type", k, " text/plain", sum, 1},
		{"content type with a newline", k, "text/plain\r\nX-Evil: 1", sum, 1},
		{"not a media type", k, "pdf", sum, 1},
		{"key outside the evidence prefix", "uploads/1234567/x", "text/plain", sum, 1},
		{"key of no partner", "evidence/acme/x", "text/plain", sum, 1},
		{"key with extra segments", "evidence/1234567/x/../../other", "text/plain", sum, 1},
	}
	for _, c := range cases {
		if _, err := bk.Store.PresignPut(ctx, c.key, c.contentType, c.size, c.sha, time.Minute); !errors.Is(err, blob.ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", c.name, err)
		}
	}
	if _, err := bk.Store.PresignGet(ctx, "uploads/1234567/x", "", "f.pdf", "application/pdf", time.Minute); !errors.Is(err, blob.ErrInvalid) {
		t.Errorf("download outside the evidence prefix: err %v, want ErrInvalid", err)
	}
}
