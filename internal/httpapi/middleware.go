package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/strictjson"
)

// requestInfo is filled as a request goes through the layers and logged once at the end.
type requestInfo struct {
	id        string
	route     string
	principal *auth.Principal
	err       error // the cause of a 500, for the log only
}

type infoKey struct{}

func info(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

func requestID(ctx context.Context) string { return info(ctx).id }

func principal(ctx context.Context) auth.Principal {
	if p := info(ctx).principal; p != nil {
		return *p
	}
	return auth.Principal{}
}

// RequestIDHeader carries the request id both ways; on Lambda it is API Gateway's.
const RequestIDHeader = "X-Request-Id"

// validRequestID: a caller's request id is echoed and logged only when it is
// 1 to 128 of letters, digits and ._:=- (no regexp: its compiled program,
// built at start-up, was most of a cold start's package init).
func validRequestID(s string) bool {
	return len(s) >= 1 && len(s) <= 128 && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("._:=-", r))
	})
}

// observe is the outermost layer: request id, DynamoDB call count, panic
// recovery and one structured log line per request. Headers and bodies are
// never logged: they carry tokens and partner data.
func (a *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := a.now()
		ri := &requestInfo{id: r.Header.Get(RequestIDHeader)}
		if !validRequestID(ri.id) {
			ri.id = store.NewID(start)
		}
		ctx := context.WithValue(r.Context(), infoKey{}, ri)
		calls := store.CallsFrom(ctx)
		if calls == nil {
			ctx, calls = store.WithCalls(ctx)
		}
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set(RequestIDHeader, ri.id)
		defer func() {
			if v := recover(); v != nil {
				ri.err = fmt.Errorf("panic: %v", v)
				if sw.status == 0 {
					writeProblem(sw, r, errInternal)
				}
			}
			attrs := []slog.Attr{
				slog.String("requestId", ri.id), slog.String("method", r.Method), slog.String("route", ri.route),
				slog.String("path", r.URL.Path), slog.Int("status", sw.status),
				slog.Float64("durationMs", float64(a.now().Sub(start).Microseconds())/1000), slog.Int64("dynamodbCalls", calls.Load()),
				slog.Float64("dynamodbMs", float64(calls.Time().Microseconds())/1000),
				slog.Int64("dynamodbReadBytes", calls.ReadBytes()), slog.Float64("dynamodbReadUnits", calls.ReadUnits()),
				slog.Float64("dynamodbConsumedReadUnits", calls.ConsumedReadUnits()),
			}
			if ri.principal != nil {
				attrs = append(attrs, slog.String("sub", ri.principal.Subject), slog.String("tokenPartnerId", ri.principal.PartnerID))
			}
			level := slog.LevelInfo
			if ri.err != nil {
				level = slog.LevelError
				attrs = append(attrs, slog.String("error", ri.err.Error()))
			}
			a.log.LogAttrs(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
		// What the handler left unread is read and dropped (within a
		// bound), so that the client, which may still be sending, reads
		// the answer rather than a reset connection. The answer goes out
		// first; a client that asked to wait for 100 Continue has sent no
		// body and never will, now that it has its answer.
		if !strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
			_ = http.NewResponseController(sw).Flush()
			_, _ = io.CopyN(io.Discard, r.Body, maxDrainBytes)
		}
	})
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

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// endpoint wraps a route's handler with what every route gets: authentication,
// the route's access rule, the tenant guard, idempotency and error rendering.
func (a *Server) endpoint(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r.Context())
		ri.route = rt.Method + " " + rt.Path
		if !rt.Access.Public {
			// A partner's data must not be kept by a browser or a proxy,
			// whatever the answer (204, 304 and errors included).
			w.Header().Set("Cache-Control", "no-store")
		}
		err := a.authorize(r, rt)
		if err == nil {
			err = checkQuery(r, rt.Query)
		}
		if err == nil {
			if rt.Method == http.MethodPost && !rt.Pure {
				err = a.idempotent(w, r, rt.handle)
			} else {
				err = rt.handle(w, r)
			}
		}
		if err != nil {
			a.fail(w, r, err)
		}
	})
}

func (a *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := asProblem(err)
	if p == nil && errors.Is(err, store.ErrNoPartner) {
		p = noProfile(r.PathValue("partnerId"))
	}
	if p == nil && errors.Is(err, store.ErrBusy) {
		p = problem(http.StatusServiceUnavailable, "busy", "Busy",
			"Other writes to the same data kept winning; nothing of this request was written. Retry it.")
		p.header = http.Header{"Retry-After": {"1"}}
	}
	if p == nil {
		info(r.Context()).err = err
		p = errInternal
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			p = unavailable("1", "The request timed out on our side; it is safe to retry it.")
		}
	}
	writeProblem(w, r, p)
}

// authorize applies the route's Access. Another partner's data answers 404,
// exactly as if it did not exist, so ids cannot be probed across tenants.
func (a *Server) authorize(r *http.Request, rt Route) error {
	if pid := r.PathValue("partnerId"); pid != "" && !domain.ValidPartnerID(pid) {
		return badRequest("The partner id is not an MPN PGA id.", FieldError{Field: "partnerId", Message: "must be 1 to 12 digits"})
	}
	if rt.Access.Public {
		return nil
	}
	raw, ok := auth.BearerToken(r.Header.Get("Authorization"))
	if !ok {
		return unauthorized("A bearer token is required (Authorization: Bearer <JWT>).")
	}
	p, err := a.verifier.Verify(r.Context(), raw)
	if errors.Is(err, auth.ErrKeysUnavailable) {
		// Our side cannot judge the token: not the caller's fault.
		return unavailable("5", "Tokens cannot be verified right now (the issuer's signing keys could not be fetched); retry shortly.")
	}
	if err != nil {
		return unauthorized("The bearer token is not valid: " + err.Error() + ".")
	}
	info(r.Context()).principal = &p
	if !p.HasAny(rt.Access.Roles...) {
		return forbidden("This operation needs one of the roles " + rolesText(rt.Access.Roles) + ".")
	}
	if rt.Access.OwnPartner || rt.Access.AuditedPartner {
		pid := r.PathValue("partnerId")
		ok, err := a.reaches(r.Context(), p, rt.Access, pid)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("Partner " + pid)
		}
	}
	return nil
}

// reaches reports whether p may reach partner pid through one of its roles
// that acc lists: the program every partner, partner roles their own, an
// auditor one its firm has an open audit of (acc.AuditedPartner).
func (a *Server) reaches(ctx context.Context, p auth.Principal, acc Access, pid string) (bool, error) {
	as := func(r auth.Role) bool { return p.Has(r) && slices.Contains(acc.Roles, r) }
	switch {
	case as(auth.RoleProgramManager):
		return true, nil
	case (as(auth.RolePartnerAdmin) || as(auth.RolePartnerMember)) && p.PartnerID == pid:
		return true, nil
	case as(auth.RoleAuditor) && acc.AuditedPartner:
		return a.store.FirmHasOpenAudit(ctx, pid, p.AuditFirm)
	}
	return false, nil
}

// checkQuery refuses a query parameter the route does not read, or one given twice.
func checkQuery(r *http.Request, known []string) error {
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badRequest("The query string is not valid.")
	}
	var e fieldErrors
	for _, name := range slices.Sorted(maps.Keys(q)) {
		switch {
		case !slices.Contains(known, name):
			msg := "is not a parameter of this operation"
			if len(known) > 0 {
				msg += " (it takes " + strings.Join(known, ", ") + ")"
			}
			e.at(root, strictjson.Shorten(name), msg)
		case len(q[name]) > 1:
			e.at(root, name, "must be given at most once")
		}
	}
	if !e.any() {
		return nil
	}
	p := badRequest("The query has parameters this operation does not take.", e.list...)
	p.ErrorsOmitted = e.omitted
	return p
}

func rolesText(rs []auth.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// IdempotencyTTL is how long a POST's first response is replayed (DESIGN: 24 h).
const IdempotencyTTL = 24 * time.Hour

// validIdempotencyKey: 1 to 255 visible ASCII characters.
func validIdempotencyKey(s string) bool {
	return len(s) >= 1 && len(s) <= 255 && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// maxReplayBytes keeps a stored response well inside DynamoDB's 400 KB item.
const maxReplayBytes = 300 << 10

// idempotent runs a POST at most once per Idempotency-Key: the first
// successful response is stored and replayed for 24 h; the same key with
// another body is a 422, and while the first request is still running a 409.
// Only 2xx answers are kept: a 4xx may depend on state the client can fix
// (a customer not registered yet), and a 5xx is ours, so either frees the key
// for a retry. Keys are scoped to the caller and the path.
func (a *Server) idempotent(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request) error) (err error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return h(w, r)
	}
	if !validIdempotencyKey(k) {
		return badRequest("The Idempotency-Key header must be 1 to 255 printable ASCII characters.", FieldError{Field: "Idempotency-Key", Message: "must be 1 to 255 printable ASCII characters"})
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p := principal(r.Context())
	scope := digest(p.Subject, r.Method, r.URL.Path, k)
	// The media type, not its parameters: "; charset=utf-8" on the same body
	// is the same request.
	mt, _ := mediaType(r)
	hash := digest(mt, string(body))
	held, err := a.store.ClaimIdempotencyKey(r.Context(), scope, hash, IdempotencyTTL)
	if err != nil {
		return err
	}
	if held != nil {
		return replay(w, held, hash)
	}
	release := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
		defer cancel()
		if err := a.store.ReleaseIdempotencyKey(ctx, scope); err != nil {
			a.log.ErrorContext(r.Context(), "release idempotency key", "requestId", requestID(r.Context()), "error", err.Error())
		}
	}
	defer func() {
		if v := recover(); v != nil {
			release()
			panic(v)
		}
	}()
	rec := &bufferedWriter{header: http.Header{}}
	if herr := h(rec, r); herr != nil {
		rec = &bufferedWriter{header: http.Header{}}
		a.fail(rec, r, herr)
	}
	if rec.status < 200 || rec.status > 299 || rec.body.Len() > maxReplayBytes {
		release()
	} else {
		saved := map[string]string{}
		for _, name := range []string{"Content-Type", "Etag", "Location"} {
			if v := rec.header.Get(name); v != "" {
				saved[name] = v
			}
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
		defer cancel()
		resp := store.IdempotentResponse{RequestHash: hash, Status: rec.status, Header: saved, Body: rec.body.Bytes()}
		if err := a.store.CompleteIdempotencyKey(ctx, scope, resp, IdempotencyTTL); err != nil {
			// The work is done: answer it, and free the key rather than leave it in progress.
			a.log.ErrorContext(r.Context(), "complete idempotency key", "requestId", requestID(r.Context()), "error", err.Error())
			release()
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
	return nil
}

// replay answers from what a key already holds.
func replay(w http.ResponseWriter, held *store.IdempotentResponse, hash string) error {
	switch {
	case held.RequestHash != hash:
		return problem(http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency key reused",
			"This Idempotency-Key was used with a different request body; use a new key for a new request.",
			FieldError{Field: "Idempotency-Key", Message: "was used with a different body"})
	case !held.Completed:
		return problem(http.StatusConflict, "idempotency-in-progress", "Request in progress",
			"A request with this Idempotency-Key is still being processed; retry shortly.")
	case held.Status < 200 || held.Status > 299:
		return errors.New("stored idempotent response has no 2xx status") // never written so: a 500, not a panic
	}
	for k, v := range held.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(held.Status)
	_, _ = w.Write(held.Body)
	return nil
}

type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		_ = binary.Write(h, binary.BigEndian, uint64(len(p)))
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}
