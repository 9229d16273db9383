package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/store"
)

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	return writeBody(w, status, b)
}

// writeBody answers with b, a JSON body as marshal writes it.
func writeBody(w http.ResponseWriter, status int, b []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
}

// marshal is json.Marshal without HTML escaping: this is an API, and
// "Data & AI" should read as such, not as "Data \u0026 AI". It ends in a newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeResource answers a single resource with its ETag; a creation gets 201 and Location.
// A GET is answered as its preconditions say (conditionalRead).
func writeResource(w http.ResponseWriter, r *http.Request, created bool, version int64, v any) error {
	if r.Method == http.MethodGet {
		if done, err := conditionalRead(w, r, version); done || err != nil {
			return err
		}
	}
	w.Header().Set("ETag", etag(version))
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", r.URL.Path)
	}
	return writeJSON(w, status, v)
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// precondition reads If-Match and If-None-Match (RFC 9110 §13.1): "*" or a
// list of entity tags, any of which may match. Our ETags are strong version
// numbers: If-Match compares strongly, so a weak tag or one we never issued
// matches nothing (a 412, not a 400); If-None-Match compares weakly.
func precondition(r *http.Request) (store.Precondition, error) {
	var pre store.Precondition
	if v := r.Header.Values("If-Match"); len(v) > 0 {
		any, versions, ok := entityTags(v, false)
		if !ok {
			return pre, badRequest("If-Match must be * or a list of entity tags.", FieldError{Field: "If-Match", Message: `must be * or entity tags such as "3"`})
		}
		pre.IfMatchAny, pre.IfMatch = any, versions
	}
	if v := r.Header.Values("If-None-Match"); len(v) > 0 {
		any, versions, ok := entityTags(v, true)
		if !ok {
			return pre, badRequest("If-None-Match must be * or a list of entity tags.", FieldError{Field: "If-None-Match", Message: `must be * or entity tags such as "3"`})
		}
		pre.IfNoneMatchAny, pre.IfNoneMatch = any, versions
	}
	return pre, nil
}

// entityTags parses the values of an If-Match or If-None-Match header: "*",
// or entity tags ("3", W/"3") separated by commas. A tag that is not one of
// our versions becomes -1, which no resource is at; weak tags count only
// where weak comparison applies. ok is false when the syntax is wrong.
func entityTags(values []string, weak bool) (any bool, versions []int64, ok bool) {
	for _, v := range values {
		for _, tag := range strings.Split(v, ",") {
			tag = strings.TrimSpace(tag)
			switch {
			case tag == "":
				continue
			case tag == "*":
				any = true
				continue
			}
			isWeak := strings.HasPrefix(tag, "W/")
			opaque := strings.TrimPrefix(tag, "W/")
			if len(opaque) < 2 || opaque[0] != '"' || opaque[len(opaque)-1] != '"' || strings.Contains(opaque[1:len(opaque)-1], `"`) {
				return false, nil, false
			}
			// Compared as the strings they are (RFC 9110 §8.8.3.2): "02"
			// and "+2" are not "2".
			n, err := strconv.ParseInt(opaque[1:len(opaque)-1], 10, 64)
			if err != nil || n < 1 || etag(n) != opaque || (isWeak && !weak) {
				n = -1
			}
			versions = append(versions, n)
		}
	}
	if any && len(versions) > 0 {
		return false, nil, false // "*" stands alone (RFC 9110)
	}
	return any, versions, any || len(versions) > 0
}

// conditionalRead evaluates a GET's preconditions against the version it
// would answer (RFC 9110 §13.2.2): If-Match first, a 412 when it names none
// of it; then If-None-Match, a 304 with the ETag and no body when it names
// it (or is "*"). A malformed header is a 400, as on a write. It reports
// whether it answered.
func conditionalRead(w http.ResponseWriter, r *http.Request, version int64) (bool, error) {
	pre, err := precondition(r)
	if err != nil {
		return false, err
	}
	if pre.IfMatch != nil && !slices.Contains(pre.IfMatch, version) {
		return false, preconditionFailed()
	}
	if pre.IfNoneMatchAny || slices.Contains(pre.IfNoneMatch, version) {
		w.Header().Set("ETag", etag(version))
		w.WriteHeader(http.StatusNotModified)
		return true, nil
	}
	return false, nil
}

// storeError turns the store's sentinel errors into problems; others stay 500s.
func storeError(err error, what string) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound(what)
	case errors.Is(err, store.ErrPreconditionFailed):
		return preconditionFailed()
	case errors.Is(err, store.ErrRosterFull):
		return problem(http.StatusUnprocessableEntity, "partner-too-large", "Partner too large",
			"The partner holds more people, customers or pieces of evidence than this service supports (about 10,000 each, fewer pieces of evidence when each names many customers); nothing was written.")
	case errors.Is(err, store.ErrInvalidCursor):
		return badRequest("The cursor is not one this list handed out.", FieldError{Field: "cursor", Message: "is not a valid cursor for this list"})
	}
	return err
}

// Page sizes (DESIGN: default 50, max 200).
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// pageParams reads ?limit and ?cursor.
func pageParams(r *http.Request) (int, string, error) {
	q := r.URL.Query()
	limit := DefaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, "", badRequest("limit must be a whole number from 1 to 200.", FieldError{Field: "limit", Message: "must be from 1 to 200"})
		}
		limit = n
	}
	return limit, q.Get("cursor"), nil
}

// list is the shape of every list response.
type list[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

func newList[R, T any](p store.Page[R], f func(R) T) list[T] {
	out := list[T]{Items: make([]T, 0, len(p.Items))}
	for _, it := range p.Items {
		out.Items = append(out.Items, f(it))
	}
	if p.NextCursor != "" {
		out.NextCursor = &p.NextCursor
	}
	return out
}

// meta is what every resource response carries.
type meta struct {
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

func metaOf(m store.Meta) meta {
	return meta{Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}
