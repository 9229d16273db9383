// Package blobtest gives tests a real S3 engine: embedded gofakes3 (package
// embedded, which adds the object tagging gofakes3 lacks) by default, or the
// moto_server whose S3 is at $TEST_S3_ENDPOINT.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/embedded"
)

// EndpointEnv names the variable that points the suites at another engine.
const EndpointEnv = "TEST_S3_ENDPOINT"

// EngineGofakes3 is Bucket.Engine for the embedded engine.
const EngineGofakes3 = "gofakes3"

// Bucket is a fresh bucket for one test.
type Bucket struct {
	Store  *blob.Store
	Name   string
	Engine string // EngineGofakes3 or the endpoint
	// client talks to the engine directly, not through the code under test:
	// for setup, and for what only others do to the bucket (GuardDuty's tags).
	client *s3.Client
}

// New creates an empty bucket, dropped when the test ends.
func New(t testing.TB) Bucket {
	t.Helper()
	endpoint, engine := os.Getenv(EndpointEnv), ""
	if endpoint == "" {
		srv := httptest.NewServer(embedded.New())
		t.Cleanup(srv.Close)
		endpoint, engine = srv.URL, EngineGofakes3
	} else {
		engine = endpoint
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "partnerready-test-" + hex.EncodeToString(b[:])
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("%s: create bucket %s: %v", engine, name, err)
	}
	if engine != EngineGofakes3 {
		// An engine that outlives the test keeps what it is given: empty it.
		t.Cleanup(func() { drop(context.Background(), client, name) })
	}
	return Bucket{Store: blob.New(cfg, endpoint, name), Name: name, Engine: engine, client: client}
}

// EnableVersioning turns the bucket's versioning on, as the stack's bucket has it.
func (b Bucket) EnableVersioning(t testing.TB) {
	t.Helper()
	_, err := b.client.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String(b.Name),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	if err != nil {
		t.Fatalf("%s: versioning of %s: %v", b.Engine, b.Name, err)
	}
}

// VersionTags reads the tags of one version of the object.
func (b Bucket) VersionTags(t testing.TB, key, version string) map[string]string {
	t.Helper()
	out, err := b.client.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(b.Name), Key: aws.String(key), VersionId: aws.String(version)})
	if err != nil {
		t.Fatalf("%s: tags of %s version %s: %v", b.Engine, key, version, err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, tag := range out.TagSet {
		tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return tags
}

// Tag sets the object's tags, as GuardDuty Malware Protection does after a scan.
func (b Bucket) Tag(t testing.TB, key string, tags map[string]string) {
	t.Helper()
	set := make([]types.Tag, 0, len(tags))
	for k, v := range tags {
		set = append(set, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	_, err := b.client.PutObjectTagging(context.Background(), &s3.PutObjectTaggingInput{
		Bucket: aws.String(b.Name), Key: aws.String(key), Tagging: &types.Tagging{TagSet: set},
	})
	if err != nil {
		t.Fatalf("%s: tag %s: %v", b.Engine, key, err)
	}
}

// Tags reads the object's tags.
func (b Bucket) Tags(t testing.TB, key string) map[string]string {
	t.Helper()
	out, err := b.client.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(b.Name), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("%s: tags of %s: %v", b.Engine, key, err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, tag := range out.TagSet {
		tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return tags
}

// Put sends body to an upload as a partner's tool does: its method, its URL
// and exactly its headers. It answers the engine's status code.
func Put(t testing.TB, up blob.Upload, body []byte) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), up.Method, up.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range up.Headers {
		if http.CanonicalHeaderKey(name) != "Content-Length" { // net/http sends the body's
			req.Header.Set(name, value)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT %s: %v", up.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func drop(ctx context.Context, client *s3.Client, bucket string) {
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return
		}
		for _, o := range page.Contents {
			_, _ = client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		}
	}
	_, _ = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
}
