package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/partnerready/partnerready/internal/strictjson"
)

// MaxBodyBytes is the largest request body accepted (DESIGN: 1 MiB, else 413).
const MaxBodyBytes = 1 << 20

// maxDrainBytes bounds what is read and dropped of a body the API did not
// read (a 413, a 401 before the body): a client still sending when the
// server closes gets a connection reset instead of the answer (observe).
// net/http closes the connection past it.
const maxDrainBytes = 8 << 20

// readBody reads the whole body within MaxBodyBytes; a larger one is a 413.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return readLimited(r, MaxBodyBytes, tooLarge())
}

// readLimited reads the whole body within limit bytes, never more; a
// larger one is the problem over (a 413).
func readLimited(r *http.Request, limit int, over *Problem) ([]byte, error) {
	if r.ContentLength > int64(limit) {
		return nil, over
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	if len(b) > limit {
		return nil, over
	}
	return b, nil
}

func tooLarge() *Problem {
	return problem(http.StatusRequestEntityTooLarge, "too-large", "Request body too large",
		fmt.Sprintf("The request body must be at most %d bytes (1 MiB).", MaxBodyBytes))
}

// mediaType is the Content-Type without its parameters, in lower case; ok
// says it is JSON.
func mediaType(r *http.Request) (string, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt, err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// decodeJSON reads a JSON body into dst strictly (package strictjson): JSON
// content type, one object, known fields each at most once, the declared
// types, valid text, every list within its bound. Type and shape findings are
// a 400, a list past its bound a 422, each naming its JSON path.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if _, ok := mediaType(r); !ok {
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
			"Send the body as application/json.")
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeBody(body, dst)
}

func decodeBody(body []byte, dst any) error {
	err := strictjson.Decode(body, dst, maxProblemErrors)
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err
	}
	errs := make([]FieldError, len(se.Fields))
	for i, f := range se.Fields {
		errs[i] = FieldError{Field: f.Path, Message: f.Message}
	}
	if se.Kind == strictjson.OverBound {
		p := invalid(errs, se.Omitted)
		p.Detail = se.Detail
		return p
	}
	p := badRequest(se.Detail, errs...)
	p.ErrorsOmitted = se.Omitted
	return p
}
