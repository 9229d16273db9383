package blob_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/partnerready/partnerready/internal/blob"
)

const bucket = "partnerready-evidence"

// event is an ObjectCreated notification as S3 sends it (event version
// 2.1), with the key as S3 encodes it.
func event(t *testing.T, name, bucketName, key string) events.S3Event {
	t.Helper()
	raw := `{"Records":[{
	  "eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
	  "eventTime":"2026-06-02T10:15:00.123Z","eventName":` + quote(name) + `,
	  "userIdentity":{"principalId":"AWS:AROAEXAMPLE:partnerready-evidence"},
	  "requestParameters":{"sourceIPAddress":"203.0.113.7"},
	  "responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
	  "s3":{"s3SchemaVersion":"1.0","configurationId":"evidence-uploaded",
	    "bucket":{"name":` + quote(bucketName) + `,"ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::` + bucketName + `"},
	    "object":{"key":` + quote(key) + `,"size":482113,"eTag":"0123456789abcdef0123456789abcdef","versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko","sequencer":"0055AED6DCD90281E5"}}}]}`
	var ev events.S3Event
	if err := json.Unmarshal([]byte(raw), &ev); err != nil {
		t.Fatalf("event with key %q: %v", key, err)
	}
	return ev
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestNotifiedReadsTheEvent(t *testing.T) {
	const evidenceID = "0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f"
	for _, key := range []string{
		"evidence/1234567/" + evidenceID,
		// What a form encoding may escape, S3 may: any %XX decodes.
		"evidence%2F1234567%2F0190f5c2%2D7b1e%2D7c3a%2D9d4e%2D1a2b3c4d5e6f",
	} {
		for _, name := range []string{"ObjectCreated:Put", "ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Copy", "ObjectTagging:Put"} {
			got, err := blob.Notified(event(t, name, bucket, key), bucket)
			if err != nil {
				t.Fatalf("%s %s: %v", name, key, err)
			}
			want := blob.Object{
				Bucket: bucket, Key: "evidence/1234567/" + evidenceID, PartnerID: "1234567", EvidenceID: evidenceID,
				VersionID: "096fKKXTRTtl3on89fVO.nfljtsv6qko", Tagged: name == "ObjectTagging:Put",
			}
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s %s: %+v, want %+v", name, key, got, want)
			}
		}
	}
	// S3's configuration test event, and an event built in code rather than
	// decoded from JSON (no URLDecodedKey).
	if got, err := blob.Notified(events.S3Event{}, bucket); err != nil || len(got) != 0 {
		t.Errorf("no records: %v, %v", got, err)
	}
	built := events.S3Event{Records: []events.S3EventRecord{{EventSource: "aws:s3", EventName: "ObjectCreated:Put",
		S3: events.S3Entity{Bucket: events.S3Bucket{Name: bucket}, Object: events.S3Object{Key: "evidence/1234567/abc%2Ddef", Size: 3}}}}}
	if got, err := blob.Notified(built, bucket); err != nil || len(got) != 1 || got[0].Key != "evidence/1234567/abc-def" {
		t.Errorf("built event: %+v, %v", got, err)
	}
}

func TestNotifiedRefusesOtherEvents(t *testing.T) {
	const ok = "evidence/1234567/abc"
	type refusal struct {
		name         string
		ev           events.S3Event
		errSaysAbout string
	}
	cases := []refusal{
		{"another bucket", event(t, "ObjectCreated:Put", "someone-elses-bucket", ok), "someone-elses-bucket"},
		{"a deletion", event(t, "ObjectRemoved:Delete", bucket, ok), "ObjectRemoved:Delete"},
		{"a tag removed", event(t, "ObjectTagging:Delete", bucket, ok), "ObjectTagging:Delete"},
		{"another prefix", event(t, "ObjectCreated:Put", bucket, "uploads/1234567/abc"), "uploads/1234567/abc"},
		// '+' is a space in S3's encoding: no evidence id has one.
		{"a space", event(t, "ObjectCreated:Put", bucket, "evidence/1234567/my+file"), "evidence/1234567/my file"},
		{"an escaped plus", event(t, "ObjectCreated:Put", bucket, "evidence/1234567/a%2Bb"), "evidence/1234567/a+b"},
		{"a traversal", event(t, "ObjectCreated:Put", bucket, "evidence/1234567/..%2F7654321%2Fabc"), "../7654321/abc"},
		{"an extra segment", event(t, "ObjectCreated:Put", bucket, "evidence/1234567/abc/def"), "abc/def"},
	}
	notS3 := event(t, "ObjectCreated:Put", bucket, ok)
	notS3.Records[0].EventSource = "aws:sqs"
	cases = append(cases, refusal{"another source", notS3, "aws:sqs"})
	malformed := events.S3Event{Records: []events.S3EventRecord{{EventSource: "aws:s3", EventName: "ObjectCreated:Put",
		S3: events.S3Entity{Bucket: events.S3Bucket{Name: bucket}, Object: events.S3Object{Key: "evidence/1234567/%zz"}}}}}
	cases = append(cases, refusal{"a malformed escape", malformed, "%zz"})
	// One foreign record refuses the whole event.
	mixed := event(t, "ObjectCreated:Put", bucket, ok)
	mixed.Records = append(mixed.Records, event(t, "ObjectCreated:Put", "someone-elses-bucket", ok).Records...)
	cases = append(cases, refusal{"a foreign second record", mixed, "record 1"})

	for _, c := range cases {
		got, err := blob.Notified(c.ev, bucket)
		if !errors.Is(err, blob.ErrInvalid) || got != nil {
			t.Errorf("%s: %+v, %v; want ErrInvalid", c.name, got, err)
			continue
		}
		if !strings.Contains(err.Error(), c.errSaysAbout) {
			t.Errorf("%s: error %q does not name %q", c.name, err, c.errSaysAbout)
		}
	}
}
