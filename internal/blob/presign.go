package blob

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Upload is how the client sends one file: Method to URL with exactly Headers
// and the bytes, before ExpiresAt.
type Upload struct {
	Method    string
	URL       string
	Headers   map[string]string
	ExpiresAt time.Time
}

// Download is a link to read one file until ExpiresAt.
type Download struct {
	URL       string
	ExpiresAt time.Time
}

// boundHeaders must be signed headers of every upload URL: S3 then refuses a
// PUT of any other length or content type (403) or of other bytes (400
// BadDigest). The SDK has moved x-amz-checksum-* between the query string,
// where S3 ignores it (aws-sdk-go-v2 #2610), and the signed headers (#3522,
// v1.43.7), so PresignPut checks the URL it hands out instead of trusting
// whichever SDK version is linked.
var boundHeaders = []string{"content-length", "content-type", "host", "x-amz-checksum-sha256", "x-amz-tagging"}

// amzDate is the layout of X-Amz-Date, the signing time.
const amzDate = "20060102T150405Z"

// PresignPut is the upload of the file the partner declared: its URL is
// bound to contentType, size and the SHA-256 (sha256Hex, 64 hex digits) and
// lives for expires (whole seconds, at most MaxUploadExpiry).
func (s *Store) PresignPut(ctx context.Context, key, contentType string, size int64, sha256Hex string, expires time.Duration) (Upload, error) {
	if err := checkKey(key); err != nil {
		return Upload{}, err
	}
	if err := checkContentType(contentType); err != nil {
		return Upload{}, err
	}
	// An empty file could not be bound at all: the signer signs
	// content-length only when it is positive, and the SDK drops the content
	// type of an empty PUT.
	if size < 1 || size > s.maxSize {
		return Upload{}, fmt.Errorf("%w: size %d is not between 1 and %d bytes", ErrInvalid, size, s.maxSize)
	}
	sum, err := decodeSHA256(sha256Hex)
	if err != nil {
		return Upload{}, err
	}
	expires, err = checkExpiry(expires, MaxUploadExpiry)
	if err != nil {
		return Upload{}, err
	}
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(size),
		// The value alone: S3 checks x-amz-checksum-sha256 whenever it is
		// sent. ChecksumAlgorithm would add only x-amz-sdk-checksum-algorithm,
		// which the signer hoists into the query string, unsigned.
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum)),
		// Every upload starts pending: the bucket's lifecycle removes
		// objects still tagged so after two days (never verified).
		Tagging: aws.String(StateTag + "=" + StatePending),
	}, s3.WithPresignExpires(expires))
	if err != nil {
		return Upload{}, fmt.Errorf("presign upload of %s: %w", key, err)
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return Upload{}, fmt.Errorf("presigned upload URL: %w", err)
	}
	query := u.Query()
	signed := strings.Split(query.Get("X-Amz-SignedHeaders"), ";")
	for _, h := range boundHeaders {
		if !slices.Contains(signed, h) {
			return Upload{}, fmt.Errorf("presigned upload URL does not sign %s (signed: %v): refusing an unbound upload", h, signed)
		}
	}
	for name := range query {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") {
			return Upload{}, fmt.Errorf("presigned upload URL carries %s in its query string, where S3 ignores it: refusing an unbound upload", name)
		}
	}
	headers := make(map[string]string, len(req.SignedHeader))
	for name, values := range req.SignedHeader {
		// The client's HTTP library sends Host from the URL (browsers refuse to set it).
		if !strings.EqualFold(name, "host") {
			headers[name] = strings.Join(values, ",")
		}
	}
	expiresAt, err := s.expiresAt(ctx, query)
	if err != nil {
		return Upload{}, err
	}
	return Upload{Method: req.Method, URL: req.URL, Headers: headers, ExpiresAt: expiresAt}, nil
}

// PresignGet is a download of the object under key, of version (the
// current one when ""), that lives for expires
// (whole seconds, at most MaxDownloadExpiry). It does not look at the object:
// callers hand it out only for evidence whose file was verified. The answer
// is a download (Content-Disposition: attachment, named fileName) of
// contentType, whatever headers the upload stored beside the signed ones:
// a browser opening the link never renders what an uploader chose.
func (s *Store) PresignGet(ctx context.Context, key, version, fileName, contentType string, expires time.Duration) (Download, error) {
	if err := checkKey(key); err != nil {
		return Download{}, err
	}
	expires, err := checkExpiry(expires, MaxDownloadExpiry)
	if err != nil {
		return Download{}, err
	}
	if err := checkContentType(contentType); err != nil {
		return Download{}, err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key), VersionId: optional(version),
		ResponseContentDisposition: aws.String(attachment(fileName)), ResponseContentType: aws.String(contentType)}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(expires))
	if err != nil {
		return Download{}, fmt.Errorf("presign download of %s: %w", key, err)
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return Download{}, fmt.Errorf("presigned download URL: %w", err)
	}
	expiresAt, err := s.expiresAt(ctx, u.Query())
	if err != nil {
		return Download{}, err
	}
	return Download{URL: req.URL, ExpiresAt: expiresAt}, nil
}

// attachment is the Content-Disposition of a download named fileName
// (RFC 6266): an ASCII fallback, and the name itself in RFC 5987 encoding.
func attachment(fileName string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, fileName)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + url.PathEscape(fileName)
}

// expiresAt reads the deadline from the signed URL itself (signing time plus
// X-Amz-Expires), so it is the one S3 applies. A URL signed with temporary
// credentials (a Lambda role's) dies with them, if that is sooner.
func (s *Store) expiresAt(ctx context.Context, query url.Values) (time.Time, error) {
	signedAt, err := time.Parse(amzDate, query.Get("X-Amz-Date"))
	if err != nil {
		return time.Time{}, fmt.Errorf("presigned URL has no valid X-Amz-Date: %w", err)
	}
	seconds, err := strconv.ParseInt(query.Get("X-Amz-Expires"), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("presigned URL has no valid X-Amz-Expires: %w", err)
	}
	at := signedAt.Add(time.Duration(seconds) * time.Second)
	if provider := s.client.Options().Credentials; provider != nil {
		creds, err := provider.Retrieve(ctx)
		if err != nil {
			return time.Time{}, fmt.Errorf("credentials: %w", err)
		}
		if creds.CanExpire && creds.Expires.Before(at) {
			at = creds.Expires
		}
	}
	return at.UTC(), nil
}

func checkKey(key string) error {
	_, _, err := ParseEvidenceKey(key)
	return err
}

// checkExpiry refuses a lifetime over limit, and one under a second, which
// the SDK would otherwise turn into its default of 15 minutes.
func checkExpiry(d, limit time.Duration) (time.Duration, error) {
	if d < time.Second || d > limit {
		return 0, fmt.Errorf("%w: expiry %s is not between 1s and %s", ErrInvalid, d, limit)
	}
	// X-Amz-Expires counts whole seconds; the SDK drops any fraction.
	return d.Truncate(time.Second), nil
}

// maxContentTypeLen bounds a header the client must echo byte for byte.
const maxContentTypeLen = 255

// checkContentType accepts a media type (RFC 2045) in printable ASCII without
// surrounding spaces: the client must send it exactly, and the signer would
// otherwise trim what the client sends.
func checkContentType(ct string) error {
	if ct == "" || len(ct) > maxContentTypeLen || strings.TrimSpace(ct) != ct {
		return fmt.Errorf("%w: content type %q is empty, too long or padded", ErrInvalid, ct)
	}
	for i := 0; i < len(ct); i++ {
		if ct[i] < 0x20 || ct[i] > 0x7e {
			return fmt.Errorf("%w: content type %q has a character outside printable ASCII", ErrInvalid, ct)
		}
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("%w: content type %q: %v", ErrInvalid, ct, err)
	}
	// ParseMediaType takes a bare token too.
	if typ, sub, ok := strings.Cut(mediaType, "/"); !ok || typ == "" || sub == "" {
		return fmt.Errorf("%w: content type %q is not type/subtype", ErrInvalid, ct)
	}
	return nil
}

func decodeSHA256(h string) ([]byte, error) {
	sum, err := hex.DecodeString(h)
	if err != nil || len(sum) != 32 {
		return nil, fmt.Errorf("%w: SHA-256 %q is not 64 hex digits", ErrInvalid, h)
	}
	return sum, nil
}
