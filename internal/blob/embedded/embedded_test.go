package embedded_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/partnerready/partnerready/internal/blob/embedded"
)

// Tags live beside the object, as in S3: set by an upload's x-amz-tagging,
// replaced whole by PutObjectTagging, gone with the object; and a tagging
// request never touches the object's bytes (gofakes3 alone would store the
// tag set's XML as the object).
func TestTagging(t *testing.T) {
	e := embedded.New()
	if err := e.CreateBucket("b"); err != nil {
		t.Fatal(err)
	}
	var written []string
	e.OnWrite(func(_ context.Context, bucket, key string, tagsOnly bool) {
		written = append(written, fmt.Sprint(bucket, "/", key, " tags only: ", tagsOnly))
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	c := s3.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")}, func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle = aws.String(srv.URL), true
	})
	ctx := context.Background()
	body := []byte("the evidence")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k/1"), Body: bytes.NewReader(body), Tagging: aws.String("state=pending&x=y")}); err != nil {
		t.Fatal(err)
	}
	tags := func() map[string]string {
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("b"), Key: aws.String("k/1")})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, tg := range out.TagSet {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	if got := tags(); len(got) != 2 || got["state"] != "pending" || got["x"] != "y" {
		t.Fatalf("upload's tags: %v", got)
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("b"), Key: aws.String("k/1"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("state"), Value: aws.String("verified")}}}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); len(got) != 1 || got["state"] != "verified" {
		t.Fatalf("after PutObjectTagging: %v", got)
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k/1")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(obj.Body)
	if !bytes.Equal(got, body) {
		t.Fatalf("tagging changed the object: %q", got)
	}
	if _, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("b"), Key: aws.String("nope")}); err == nil {
		t.Fatal("tags of a missing object")
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("b"), Key: aws.String("k/1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k/1"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); len(got) != 0 {
		t.Fatalf("a new object has the old one's tags: %v", got)
	}
	// Notified as S3 notifies: each object written, each tag set put.
	want := []string{"b/k/1 tags only: false", "b/k/1 tags only: true", "b/k/1 tags only: false"}
	if fmt.Sprint(written) != fmt.Sprint(want) {
		t.Fatalf("notified %v, want %v", written, want)
	}
}
