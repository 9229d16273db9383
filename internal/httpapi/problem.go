package httpapi

import (
	"errors"
	"fmt"
	"net/http"
)

// FieldError names one bad value: field is a JSON path into the request
// (`records[3].acrUsd`) or the name of a path or query parameter.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem detail. Handlers return it as an error;
// anything else they return is a 500 whose cause is logged, never shown.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	RequestID string       `json:"requestId"`
	Errors    []FieldError `json:"errors,omitempty"`
	// ErrorsOmitted counts the errors past the first maxProblemErrors, which
	// are not listed: a body of a million bad entries answers in kilobytes.
	ErrorsOmitted int `json:"errorsOmitted,omitempty"`
	// Unmet lists the prerequisites an audit application lacks (R-AUD-3).
	Unmet []unmetOutput `json:"unmet,omitempty"`

	header http.Header // extra response headers (WWW-Authenticate, Allow)
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

func problem(status int, slug, title, detail string, errs ...FieldError) *Problem {
	return &Problem{Type: "urn:partnerready:problem:" + slug, Title: title, Status: status, Detail: detail, Errors: errs}
}

func badRequest(detail string, errs ...FieldError) *Problem {
	return problem(http.StatusBadRequest, "bad-request", "Bad request", detail, errs...)
}

func invalid(errs []FieldError, omitted int) *Problem {
	p := problem(http.StatusUnprocessableEntity, "validation", "Invalid values",
		"One or more values are invalid; see errors for each field. Nothing was written.", errs...)
	p.ErrorsOmitted = omitted
	return p
}

// unavailable is a 503 of our side, with when to retry: what the request
// needed (a dependency, its own time) failed, not the caller.
func unavailable(retryAfter, detail string) *Problem {
	p := problem(http.StatusServiceUnavailable, "unavailable", "Service unavailable", detail)
	p.header = http.Header{"Retry-After": {retryAfter}}
	return p
}

func notFound(what string) *Problem {
	return problem(http.StatusNotFound, "not-found", "Not found", what+" was not found.")
}

// noProfile: a partner's data, scores and readiness exist only under its
// profile, so a partner without one has none of them.
func noProfile(pid string) *Problem {
	return problem(http.StatusNotFound, "no-profile", "Partner has no profile",
		"Partner "+pid+" has no profile yet: create it first with PUT /v1/partners/"+pid+"; its people, customers, consumption, scores and readiness live under it.")
}

func preconditionFailed() *Problem {
	return problem(http.StatusPreconditionFailed, "precondition-failed", "Precondition failed",
		"The resource has changed since the version in If-Match (or If-None-Match: * met an existing one); read it again and retry.")
}

func unauthorized(detail string) *Problem {
	p := problem(http.StatusUnauthorized, "unauthorized", "Unauthorized", detail)
	p.header = http.Header{"Www-Authenticate": {`Bearer realm="partnerready"`}}
	return p
}

func forbidden(detail string) *Problem {
	return problem(http.StatusForbidden, "forbidden", "Forbidden", detail)
}

var errInternal = problem(http.StatusInternalServerError, "internal", "Internal error",
	"The request failed on our side; nothing was written unless said otherwise. Retry, and quote the requestId if it persists.")

// writeProblem sends p as application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	out := *p
	out.RequestID = requestID(r.Context())
	if out.ErrorsOmitted > 0 {
		out.Detail += fmt.Sprintf(" The first %d of %d errors are listed.", len(out.Errors), len(out.Errors)+out.ErrorsOmitted)
	}
	for k, vs := range p.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(out.Status)
	b, _ := marshal(out) // a Problem always encodes
	_, _ = w.Write(b)
}

// asProblem returns err as a Problem, or nil if it is not one.
func asProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return nil
}
