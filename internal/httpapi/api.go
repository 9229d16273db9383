// Package httpapi is the HTTP face of partnerready: routes, who may call each,
// and the mechanisms every route shares (auth, errors, limits, idempotency).
// The same handler runs on Lambda (through the API Gateway adapter) and locally.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	pathpkg "path"
	"slices"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

// Verifier checks bearer tokens (auth.Verifier in production and locally).
type Verifier interface {
	Verify(ctx context.Context, raw string) (auth.Principal, error)
}

// API holds what the handlers need. Build it with New.
type API struct {
	store    *store.Store
	certs    *catalog.Certifications
	rules    domain.ScoringRules
	specs    *catalog.Specializations
	verifier Verifier
	log      *slog.Logger
	now      func() time.Time
}

// Deps are the API's collaborators; Now defaults to time.Now.
type Deps struct {
	Store           *store.Store
	Certifications  *catalog.Certifications
	ScoringRules    domain.ScoringRules
	Specializations *catalog.Specializations
	Verifier        Verifier
	Logger          *slog.Logger
	Now             func() time.Time
}

func New(d Deps) *API {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &API{store: d.Store, certs: d.Certifications, rules: d.ScoringRules, specs: d.Specializations, verifier: d.Verifier, log: d.Logger, now: d.Now}
}

// Handler serves the routes of the named functions (all routes when none is
// named): each Lambda function serves its own slice of the API, the local
// server serves them all.
func (a *API) Handler(functions ...string) http.Handler {
	mux := http.NewServeMux()
	methods := map[string][]string{}
	for _, rt := range a.Routes() {
		if len(functions) > 0 && !slices.Contains(functions, rt.Function) {
			continue
		}
		mux.Handle(rt.Method+" "+rt.Path, a.endpoint(rt))
		methods[rt.Path] = append(methods[rt.Path], rt.Method)
	}
	// ServeMux answers unknown paths and methods in plain text; the API
	// promises problem+json everywhere. Paths without methods live in a mux
	// of their own: mixed with the routes, "/scores/simulations" would
	// conflict with "GET /scores/{area}".
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
			// ServeMux would redirect in plain text; an API path is exact.
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
