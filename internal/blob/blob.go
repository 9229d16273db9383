// Package blob keeps the evidence files in S3, and is the only package that
// speaks S3. It hands out presigned uploads bound to what the partner
// declared (content type, length and SHA-256, as signed headers), short
// presigned downloads, and checks every stored object itself: a presigned URL
// is only as strict as the store that honours it, and the embedded engine
// (gofakes3) enforces no signature, expiry or checksum at all.
package blob

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	// MaxObjectSize is the largest evidence file: 100 MiB.
	MaxObjectSize int64 = 100 << 20
	// MaxUploadExpiry bounds how long an upload URL lives (DESIGN, Security).
	MaxUploadExpiry = 15 * time.Minute
	// MaxDownloadExpiry bounds how long a download URL lives: minutes, so a
	// link that leaks from an auditor's browser history is soon useless.
	MaxDownloadExpiry = 5 * time.Minute
)

var (
	// ErrInvalid: an argument the caller should have refused already (a key
	// outside the evidence prefix, a malformed checksum, an expiry too long).
	ErrInvalid = errors.New("blob: invalid argument")
	// ErrNotFound: no object under that key.
	ErrNotFound = errors.New("blob: no such object")
)

// Store is the evidence bucket.
type Store struct {
	client  *s3.Client
	presign *s3.PresignClient
	bucket  string
	maxSize int64
}

// New is the evidence bucket from cfg (region, credentials). endpoint, when
// set, is another S3 (gofakes3, moto), addressed path-style since bucket
// subdomains of 127.0.0.1 do not resolve. The SDK's own check of response
// checksums is off (WhenRequired: only for operations that demand it):
// Verify hashes every byte itself and compares with the declaration, which
// is the check that decides; with the SDK's, bytes that do not match the
// checksum stored with them (an engine that stored the declared checksum
// without checking it) were a read error, not the rejection with its reason
// they must be. How the SDK is configured (LoadDefaultConfig reads
// AWS_RESPONSE_CHECKSUM_VALIDATION) no longer changes the outcome.
func New(cfg aws.Config, endpoint, bucket string) *Store {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
	})
	return &Store{client: client, presign: s3.NewPresignClient(client), bucket: bucket, maxSize: MaxObjectSize}
}
