package blob

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Object is one object an S3 notification reports.
type Object struct {
	Bucket     string
	Key        string // decoded: as stored, as EvidenceKey builds it
	PartnerID  string
	EvidenceID string
	VersionID  string // the version written ("" in an unversioned bucket)
	// Tagged: the notification is of a change of the object's tags
	// (ObjectTagging:Put), not of an upload.
	Tagged bool
}

// Notified reads the records of an S3 event notification sent for bucket.
// Every record must be an ObjectCreated event (an upload) or an
// ObjectTagging:Put event (GuardDuty's scan result, when malware scanning is
// on) of that bucket on an evidence key, or the whole event is refused: anything else means the
// notification is wired to the wrong bucket, prefix or event type, which
// retrying will not fix but an alarm on the function's errors will show.
// The s3:TestEvent S3 sends when a notification is configured has no
// records, and yields none.
func Notified(ev events.S3Event, bucket string) ([]Object, error) {
	objects := make([]Object, 0, len(ev.Records))
	for i, r := range ev.Records {
		if r.EventSource != "aws:s3" || !strings.HasPrefix(r.EventName, "ObjectCreated:") && r.EventName != "ObjectTagging:Put" {
			return nil, fmt.Errorf("%w: record %d is %s %q, not an S3 ObjectCreated or ObjectTagging:Put event", ErrInvalid, i, r.EventSource, r.EventName)
		}
		if r.S3.Bucket.Name != bucket {
			return nil, fmt.Errorf("%w: record %d is for bucket %q, not %q", ErrInvalid, i, r.S3.Bucket.Name, bucket)
		}
		// S3 encodes the key as in a form (a space is '+', anything else
		// special is %XX). Decoded here from Key, not URLDecodedKey, which
		// only aws-lambda-go's JSON decoding fills in.
		key, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: record %d has a malformed key %q: %v", ErrInvalid, i, r.S3.Object.Key, err)
		}
		partnerID, evidenceID, err := ParseEvidenceKey(key)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		objects = append(objects, Object{
			Bucket:     bucket,
			Key:        key,
			PartnerID:  partnerID,
			EvidenceID: evidenceID,
			VersionID:  r.S3.Object.VersionID,
			Tagged:     r.EventName == "ObjectTagging:Put",
		})
	}
	return objects, nil
}
