// Package embedded is the S3 engine of the tests and the local server:
// gofakes3 in memory, plus object tagging, which gofakes3 does not
// implement. Without it a tagging request reaches gofakes3 as an object
// request: PUT …?tagging stores the tag set's XML as the object itself, and
// GET …?tagging answers the object. The evidence check tags what it verified
// (blob.MarkVerified) and reads GuardDuty's scan tag, so the engine must keep
// tags as S3 does: per object, replaced whole by PUT …?tagging or by the
// x-amz-tagging header of an upload, gone with the object. Paths are
// path-style (/bucket/key), as blob.New addresses another S3.
package embedded

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 limits a tag set to 10 tags, and a body of one is small.
const (
	maxTags        = 10
	maxTaggingBody = 64 << 10
)

// Engine is an in-memory S3.
type Engine struct {
	backend *s3mem.Backend
	s3      http.Handler
	mu      sync.Mutex
	tags    map[string]map[string]string // by bucket + "/" + key
	written func(ctx context.Context, bucket, key string, tagsOnly bool)
}

// OnWrite has f called after each object written and each tag set
// replaced, as S3 notifies ObjectCreated and ObjectTagging:Put events: after
// the engine answered, before the client has the answer, so that a client
// that uploads and then reads finds the notification handled. Set it
// before serving.
func (e *Engine) OnWrite(f func(ctx context.Context, bucket, key string, tagsOnly bool)) {
	e.written = f
}

func (e *Engine) notify(r *http.Request, bucket, key string, tagsOnly bool) {
	if e.written != nil {
		e.written(context.WithoutCancel(r.Context()), bucket, key, tagsOnly)
	}
}

// New is an empty engine.
func New() *Engine {
	b := s3mem.New()
	return &Engine{backend: b, s3: gofakes3.New(b).Server(), tags: map[string]map[string]string{}}
}

// CreateBucket makes an empty bucket.
func (e *Engine) CreateBucket(name string) error { return e.backend.CreateBucket(name) }

func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if _, tagging := r.URL.Query()["tagging"]; tagging && key != "" {
		e.tagging(w, r, bucket, key)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	e.s3.ServeHTTP(sw, r)
	if key == "" || sw.status >= 300 {
		return
	}
	switch r.Method {
	case http.MethodPut: // a new object: the upload's tags, or none
		tags, _ := url.ParseQuery(r.Header.Get("X-Amz-Tagging"))
		set := map[string]string{}
		for k, v := range tags {
			set[k] = v[0]
		}
		e.setTags(bucket, key, set)
		e.notify(r, bucket, key, false)
	case http.MethodDelete:
		e.setTags(bucket, key, nil)
	}
}

func (e *Engine) setTags(bucket, key string, tags map[string]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(tags) == 0 {
		delete(e.tags, bucket+"/"+key)
		return
	}
	e.tags[bucket+"/"+key] = tags
}

// tagging is S3's GetObjectTagging, PutObjectTagging and DeleteObjectTagging.
func (e *Engine) tagging(w http.ResponseWriter, r *http.Request, bucket, key string) {
	if _, err := e.backend.HeadObject(bucket, key); err != nil {
		fail(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	switch r.Method {
	case http.MethodGet:
		e.mu.Lock()
		var out tagging
		for k, v := range e.tags[bucket+"/"+key] {
			out.TagSet = append(out.TagSet, tag{Key: k, Value: v})
		}
		e.mu.Unlock()
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, xml.Header)
		_ = xml.NewEncoder(w).Encode(out)
	case http.MethodPut:
		var in tagging
		if err := xml.NewDecoder(io.LimitReader(r.Body, maxTaggingBody)).Decode(&in); err != nil {
			fail(w, http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed.")
			return
		}
		if len(in.TagSet) > maxTags {
			fail(w, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Object tags cannot be greater than %d", maxTags))
			return
		}
		set := map[string]string{}
		for _, t := range in.TagSet {
			set[t.Key] = t.Value
		}
		e.setTags(bucket, key, set)
		e.notify(r, bucket, key, true)
	case http.MethodDelete:
		e.setTags(bucket, key, nil)
		w.WriteHeader(http.StatusNoContent)
	default:
		fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
}

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func fail(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "%s<Error><Code>%s</Code><Message>%s</Message></Error>", xml.Header, code, message)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}
