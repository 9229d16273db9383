package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/auth"
)

// Access is who may call a route. Every route declares one; there is no default.
type Access struct {
	Public bool        // no token needed
	Roles  []auth.Role // a token with at least one of these roles
	// OwnPartner: partner roles reach only the {partnerId} of their token;
	// program managers, where listed in Roles, reach every partner.
	OwnPartner bool
}

var (
	public     = Access{Public: true}
	signedIn   = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleAuditor, auth.RoleProgramManager}}
	programOps = Access{Roles: []auth.Role{auth.RoleProgramManager}}
	// partnerRead: the partner's own people, and the program, which sees every partner.
	partnerRead = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleProgramManager}, OwnPartner: true}
	// partnerWrite: only the partner itself writes its data.
	partnerWrite = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember}, OwnPartner: true}
)

// Route is one operation of openapi/openapi.yaml; Path is in the spec's form.
type Route struct {
	Function string // the Lambda function that serves it
	Method   string
	Path     string
	Access   Access
	// Pure: the operation changes nothing, so retrying it is already safe
	// and an Idempotency-Key has nothing to protect (nor needs a write).
	Pure bool
	// Query names the query parameters the route reads; any other is a 400,
	// so that a misspelt ?asof= is not silently answered as the default.
	Query  []string
	handle func(w http.ResponseWriter, r *http.Request) error
}

func route(function, method, path string, access Access, handle func(http.ResponseWriter, *http.Request) error) Route {
	return Route{Function: function, Method: method, Path: path, Access: access, Pure: method == http.MethodGet, handle: handle}
}

func (rt Route) pure() Route { rt.Pure = true; return rt }

func (rt Route) query(names ...string) Route { rt.Query = names; return rt }

// Query parameters shared by routes.
var (
	paging = []string{"limit", "cursor"}
	asOf   = []string{"asOf"}
)

// Routes is the whole API; the contract test holds it equal to the spec.
func (a *API) Routes() []Route {
	const p, sc = "partners", "scoring"
	return []Route{
		route(p, http.MethodGet, "/v1/health", public, a.getHealth),
		route(p, http.MethodGet, "/v1/catalog/certifications", signedIn, a.listCertifications),
		route(p, http.MethodGet, "/v1/partners", programOps, a.listPartners).query(paging...),
		route(p, http.MethodPut, "/v1/partners/{partnerId}", partnerWrite, a.putPartner),
		route(p, http.MethodGet, "/v1/partners/{partnerId}", partnerRead, a.getPartner),
		route(p, http.MethodGet, "/v1/partners/{partnerId}/individuals", partnerRead, a.listIndividuals).query(paging...),
		route(p, http.MethodPut, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.putIndividual),
		route(p, http.MethodGet, "/v1/partners/{partnerId}/individuals/{individualId}", partnerRead, a.getIndividual),
		route(p, http.MethodDelete, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.deleteIndividual),
		route(p, http.MethodGet, "/v1/partners/{partnerId}/customers", partnerRead, a.listCustomers).query(paging...),
		route(p, http.MethodPut, "/v1/partners/{partnerId}/customers/{tenantId}", partnerWrite, a.putCustomer),
		route(p, http.MethodGet, "/v1/partners/{partnerId}/customers/{tenantId}", partnerRead, a.getCustomer),
		route(p, http.MethodDelete, "/v1/partners/{partnerId}/customers/{tenantId}", partnerWrite, a.deleteCustomer),
		route(p, http.MethodPost, "/v1/partners/{partnerId}/consumption", partnerWrite, a.postConsumption),
		route(p, http.MethodPost, "/v1/partners/{partnerId}/consumption/deletions", partnerWrite, a.postConsumptionDeletions),
		route(p, http.MethodGet, "/v1/partners/{partnerId}/consumption", partnerRead, a.listConsumption).query("limit", "cursor", "month", "tenantId"),
		route(sc, http.MethodGet, "/v1/catalog/specializations", signedIn, a.listSpecializations),
		route(sc, http.MethodGet, "/v1/partners/{partnerId}/scores", partnerRead, a.getScores).query(asOf...),
		route(sc, http.MethodGet, "/v1/partners/{partnerId}/scores/{area}", partnerRead, a.getAreaScore).query(asOf...),
		route(sc, http.MethodPost, "/v1/partners/{partnerId}/scores/simulations", partnerRead, a.postSimulation).pure(),
		route(sc, http.MethodGet, "/v1/partners/{partnerId}/scores/{area}/plan", partnerRead, a.getPlan).query(asOf...),
		route(sc, http.MethodGet, "/v1/partners/{partnerId}/specializations", partnerRead, a.listSpecializationStatus).query(asOf...),
		route(sc, http.MethodGet, "/v1/partners/{partnerId}/specializations/{specId}", partnerRead, a.getSpecializationStatus).query(asOf...),
	}
}
