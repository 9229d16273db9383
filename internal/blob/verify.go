package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// ProblemCode names one way a stored object differs from its declaration.
type ProblemCode string

const (
	// ProblemMissing: nothing was uploaded (yet). Not a reason to reject:
	// the upload may still be on its way.
	ProblemMissing ProblemCode = "missing"
	// ProblemTooLarge: the object is over MaxObjectSize; it was not read.
	ProblemTooLarge ProblemCode = "too_large"
	// ProblemSize: the object has another length than declared; it was not read.
	ProblemSize ProblemCode = "size_mismatch"
	// ProblemChecksum: the object's SHA-256 is not the declared one.
	ProblemChecksum ProblemCode = "checksum_mismatch"
	// ProblemContentType: the object was stored with another content type.
	ProblemContentType ProblemCode = "content_type_mismatch"
)

// Problem is one mismatch, with a Detail in words the partner can act on.
type Problem struct {
	Code   ProblemCode
	Detail string
}

// Found is what Verify read: SHA256Hex is empty when the object was not read
// (missing, too large, or of the wrong size).
type Found struct {
	Size        int64
	SHA256Hex   string
	ContentType string
	// VersionID is the S3 version read: the one to tag, scan and serve
	// once verified ("" in an unversioned bucket).
	VersionID string
}

// Verdict is the outcome of Verify: no Problems means the object is exactly
// the declared file.
type Verdict struct {
	Problems []Problem
	Found    Found
}

// OK: the object is the declared file.
func (v Verdict) OK() bool { return len(v.Problems) == 0 }

// Missing: no object yet, so the evidence stays pending rather than rejected.
func (v Verdict) Missing() bool { return v.Has(ProblemMissing) }

// Has reports whether the verdict includes a problem of that code.
func (v Verdict) Has(code ProblemCode) bool {
	for _, p := range v.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// Reason is every problem's detail in one sentence, for rejectedReason.
func (v Verdict) Reason() string {
	details := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		details[i] = p.Detail
	}
	return strings.Join(details, "; ")
}

// Verify reads the object under key and compares it with the declaration:
// its size, its SHA-256 (computed here from the bytes, streamed, whatever the
// store claims) and the content type it was stored with. An object that is
// too large or of the wrong size is not read at all. The error is for a
// failure to find out, never for a mismatch.
func (s *Store) Verify(ctx context.Context, key string, wantSize int64, wantSHA256Hex, wantContentType string) (Verdict, error) {
	if err := checkKey(key); err != nil {
		return Verdict{}, err
	}
	wantSum, err := decodeSHA256(wantSHA256Hex)
	if err != nil {
		return Verdict{}, err
	}
	if wantSize < 1 || wantSize > s.maxSize {
		return Verdict{}, fmt.Errorf("%w: declared size %d is not between 1 and %d bytes", ErrInvalid, wantSize, s.maxSize)
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return Verdict{Problems: []Problem{{ProblemMissing,
			"no file has been uploaded for this evidence yet: PUT it to upload.url with exactly upload.headers before upload.expiresAt"}}}, nil
	}
	if err != nil {
		return Verdict{}, fmt.Errorf("read %s: %w", key, err)
	}
	defer out.Body.Close()
	found := Found{
		Size:        aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType),
		VersionID:   aws.ToString(out.VersionId),
	}
	v := Verdict{Found: found}
	switch {
	case found.Size > s.maxSize:
		v.Problems = append(v.Problems, Problem{ProblemTooLarge, fmt.Sprintf(
			"the uploaded file has %d bytes, over the limit of %d bytes for an evidence file: split or compress it, and submit the parts as new evidence",
			found.Size, s.maxSize)})
		return v, nil
	case found.Size != wantSize:
		v.Problems = append(v.Problems, Problem{ProblemSize, fmt.Sprintf(
			"the uploaded file has %d bytes but the evidence declares sizeBytes %d: upload the declared file, or submit this one as new evidence with its own size and SHA-256",
			found.Size, wantSize)})
	}
	if found.ContentType != wantContentType {
		v.Problems = append(v.Problems, Problem{ProblemContentType, fmt.Sprintf(
			"the file was stored with Content-Type %q but the evidence declares contentType %q: upload it again sending exactly upload.headers",
			found.ContentType, wantContentType)})
	}
	if found.Size != wantSize {
		return v, nil
	}
	h := sha256.New()
	// One more byte than declared: a body longer than its Content-Length
	// would be a mismatch too, and is never read to its end.
	n, err := io.Copy(h, io.LimitReader(out.Body, wantSize+1))
	if err != nil {
		return Verdict{}, fmt.Errorf("read %s: %w", key, err)
	}
	if n != wantSize {
		// The stored object is not the length its Content-Length says: a
		// mismatch with the declaration all the same, never a retry.
		v.Problems = append(v.Problems, Problem{ProblemSize, fmt.Sprintf(
			"the uploaded file is not the %d bytes the evidence declares (sizeBytes): upload the declared file", wantSize)})
		return v, nil
	}
	sum := h.Sum(nil)
	v.Found.SHA256Hex = hex.EncodeToString(sum)
	if !bytes.Equal(sum, wantSum) {
		v.Problems = append(v.Problems, Problem{ProblemChecksum, fmt.Sprintf(
			"the uploaded file's SHA-256 is %s but the evidence declares sha256 %s: the bytes differ from the declared file; upload that file, or submit this one as new evidence with its own SHA-256",
			v.Found.SHA256Hex, strings.ToLower(wantSHA256Hex))})
	}
	return v, nil
}

// isNotFound: S3 answers a missing key with NoSuchKey on GET and a bare 404
// (NotFound) on HEAD and tagging reads of some engines.
func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")
}
