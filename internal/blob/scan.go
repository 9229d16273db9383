package blob

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// StateTag says whether an upload was verified: StatePending from the
// presigned PUT, StateVerified once Verify found it as declared. The
// bucket's lifecycle expires objects still pending after two days
// (template.yaml): uploads nobody completed, and files that did not match.
const (
	StateTag      = "partnerready-state"
	StatePending  = "pending"
	StateVerified = "verified"
)

// MarkVerified sets StateTag to StateVerified on the object under key, of
// version (the current one when ""), keeping its other tags (GuardDuty's
// scan result among them); an object tagged verified already is left as it
// is.
func (s *Store) MarkVerified(ctx context.Context, key, version string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	in := &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key), VersionId: optional(version)}
	out, err := s.client.GetObjectTagging(ctx, in)
	if isNotFound(err) {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return fmt.Errorf("read the tags of %s: %w", key, err)
	}
	tags := []types.Tag{{Key: aws.String(StateTag), Value: aws.String(StateVerified)}}
	for _, t := range out.TagSet {
		if aws.ToString(t.Key) != StateTag {
			tags = append(tags, t)
		} else if aws.ToString(t.Value) == StateVerified {
			// Tagged already: writing again would only raise another
			// ObjectTagging notification (and race GuardDuty's own write).
			return nil
		}
	}
	_, err = s.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key), VersionId: optional(version), Tagging: &types.Tagging{TagSet: tags}})
	if err != nil {
		return fmt.Errorf("tag %s verified: %w", key, err)
	}
	return nil
}

// ScanTag is the object tag GuardDuty Malware Protection for S3 writes when
// it has scanned an object (with tagging enabled on the protection plan).
const ScanTag = "GuardDutyMalwareScanStatus"

// ScanStatus is the value of ScanTag, or ScanPending while there is none.
type ScanStatus string

// The values GuardDuty documents for ScanTag ("S3 object potential scan
// status and result status").
const (
	ScanPending      ScanStatus = ""                 // not scanned yet (or tagging is off)
	ScanClean        ScanStatus = "NO_THREATS_FOUND" // scanned, nothing found
	ScanThreatsFound ScanStatus = "THREATS_FOUND"    // potential malware
	ScanUnsupported  ScanStatus = "UNSUPPORTED"      // skipped, e.g. password-protected or over the scan quotas
	ScanAccessDenied ScanStatus = "ACCESS_DENIED"    // the plan's role cannot read the object
	ScanFailed       ScanStatus = "FAILED"           // GuardDuty's internal error
)

// ScanResult reads the malware scan's tag on the object under key, of
// version (the current one when ""); ErrNotFound when there is none.
func (s *Store) ScanResult(ctx context.Context, key, version string) (ScanStatus, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	out, err := s.client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key), VersionId: optional(version)})
	if isNotFound(err) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return "", fmt.Errorf("read the tags of %s: %w", key, err)
	}
	for _, tag := range out.TagSet {
		if aws.ToString(tag.Key) == ScanTag {
			return ScanStatus(aws.ToString(tag.Value)), nil
		}
	}
	return ScanPending, nil
}

// optional is an S3 parameter given only when set.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
