// Package httpapi is the HTTP face of partnerready: routes, who may call each,
// and the mechanisms every route shares (auth, errors, limits, idempotency).
// Each Lambda function serves the routes of one service (Partners, Scoring),
// through a Server that holds what every route shares; the local server
// serves them all. The same handler runs on Lambda (through the API Gateway
// adapter) and locally.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	pathpkg "path"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/store"
)

// Verifier checks bearer tokens (auth.Verifier in production and locally).
type Verifier interface {
	Verify(ctx context.Context, raw string) (auth.Principal, error)
}

// Server is what every route shares: who is calling, the log, the clock, and
// the table that keeps idempotency keys.
type Server struct {
	store    *store.Store
	verifier Verifier
	log      *slog.Logger
	now      func() time.Time
}

// ServerDeps builds a Server; Logger defaults to slog's, Now to time.Now.
type ServerDeps struct {
	Store    *store.Store
	Verifier Verifier
	Logger   *slog.Logger
	Now      func() time.Time
}

func NewServer(d ServerDeps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Server{store: d.Store, verifier: d.Verifier, log: d.Logger, now: d.Now}
}

// inputs checks what requests carry against the catalogue and the clock: the
// partner data and the simulations take the same people and records.
type inputs struct {
	certs *catalog.Certifications
	now   func() time.Time
}

// Partners serves the partner's own data: profiles, people, customers,
// consumption, and the certification catalogue they refer to.
type Partners struct {
	inputs
	store    *store.Store
	sealer   push.Sealer // WithEndpointSecrets
	loopback bool        // WithLoopbackEndpoints
}

func NewPartners(st *store.Store, certs *catalog.Certifications, now func() time.Time) *Partners {
	return &Partners{inputs: newInputs(certs, now), store: st}
}

// Scoring serves what is computed from that data, and only reads it: scores,
// simulations, plans, specialization readiness and their catalogue.
type Scoring struct {
	inputs
	store *store.Store
	rules domain.ScoringRules
	specs *catalog.Specializations
}

func NewScoring(st *store.Store, certs *catalog.Certifications, rules domain.ScoringRules, specs *catalog.Specializations, now func() time.Time) *Scoring {
	return &Scoring{inputs: newInputs(certs, now), store: st, rules: rules, specs: specs}
}

func newInputs(certs *catalog.Certifications, now func() time.Time) inputs {
	if now == nil {
		now = time.Now
	}
	return inputs{certs: certs, now: now}
}

// Handler serves the given routes. ServeMux answers unknown paths and
// methods in plain text, and redirects unclean ones; the API promises
// problem+json everywhere, so it answers those itself.
func (a *Server) Handler(routes ...[]Route) http.Handler {
	mux := http.NewServeMux()
	methods := map[string][]string{}
	for _, list := range routes {
		for _, rt := range list {
			mux.Handle(rt.Method+" "+rt.Path, a.endpoint(rt))
			methods[rt.Path] = append(methods[rt.Path], rt.Method)
		}
	}
	// Paths without methods live in a mux of their own: mixed with the
	// routes, "/scores/simulations" would conflict with "GET /scores/{area}".
	paths := http.NewServeMux()
	for path, ms := range methods {
		allow := ms
		paths.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			p := problem(http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", r.Method+" is not allowed here.")
			p.header = http.Header{"Allow": {strings.Join(allow, ", ")}}
			writeProblem(w, r, p)
		})
	}
	paths.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, notFound("The path "+r.URL.Path))
	})
	return a.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A route serves the request only if no other path matches it more
		// closely: GET .../scores/simulations fits "GET .../scores/{area}", but
		// the path it names is the simulations one, which takes only POST.
		if p := r.URL.Path; p != "/" && p != pathpkg.Clean(p) {
			writeProblem(w, r, notFound("The path "+p+" (not in canonical form)"))
			return
		}
		_, route := mux.Handler(r)
		_, path := paths.Handler(r)
		if _, routePath, _ := strings.Cut(route, " "); route != "" && routePath == path {
			mux.ServeHTTP(w, r)
			return
		}
		paths.ServeHTTP(w, r)
	}))
}
