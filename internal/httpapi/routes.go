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
	// AuditedPartner: auditors, where listed in Roles, reach a {partnerId}
	// only while an audit of it assigned to their token's audit firm is
	// open. It is an object-level check, one Query of the partner's audits.
	AuditedPartner bool
}

var (
	public     = Access{Public: true}
	signedIn   = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleAuditor, auth.RoleProgramManager}}
	programOps = Access{Roles: []auth.Role{auth.RoleProgramManager}}
	// partnerRead: the partner's own people, and the program, which sees every partner.
	partnerRead = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleProgramManager}, OwnPartner: true}
	// partnerWrite: only the partner itself writes its data.
	partnerWrite = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember}, OwnPartner: true}
	// auditRead: the partner's own people, and the audit firm of one of its
	// open audits (DESIGN: not the program, which sees scores, not evidence).
	auditRead = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleAuditor}, OwnPartner: true, AuditedPartner: true}
)

// Route is one operation of openapi/openapi.yaml; Path is in the spec's form.
type Route struct {
	Method string
	Path   string
	Access Access
	// Pure: retrying the operation as is is already safe (it changes
	// nothing, or only what the same call again would), so an
	// Idempotency-Key has nothing to protect (nor needs a write).
	Pure bool
	// Query names the query parameters the route reads; any other is a 400,
	// so that a misspelt ?asof= is not silently answered as the default.
	Query  []string
	handle func(w http.ResponseWriter, r *http.Request) error
}

func route(method, path string, access Access, handle func(http.ResponseWriter, *http.Request) error) Route {
	return Route{Method: method, Path: path, Access: access, Pure: method == http.MethodGet, handle: handle}
}

func (rt Route) pure() Route { rt.Pure = true; return rt }

func (rt Route) query(names ...string) Route { rt.Query = names; return rt }

// Query parameters shared by routes.
var (
	paging = []string{"limit", "cursor"}
	asOf   = []string{"asOf"}
)

// Routes is what the partners function serves; the contract test holds
// every service's routes, together, equal to the spec.
func (a *Partners) Routes() []Route {
	return append([]Route{
		route(http.MethodGet, "/v1/health", public, a.getHealth),
		route(http.MethodGet, "/v1/catalog/certifications", signedIn, a.listCertifications),
		route(http.MethodGet, "/v1/partners", programOps, a.listPartners).query(paging...),
		route(http.MethodPut, "/v1/partners/{partnerId}", partnerWrite, a.putPartner),
		route(http.MethodGet, "/v1/partners/{partnerId}", partnerRead, a.getPartner),
		route(http.MethodGet, "/v1/partners/{partnerId}/individuals", partnerRead, a.listIndividuals).query(paging...),
		route(http.MethodPut, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.putIndividual),
		route(http.MethodGet, "/v1/partners/{partnerId}/individuals/{individualId}", partnerRead, a.getIndividual),
		route(http.MethodDelete, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.deleteIndividual),
		route(http.MethodGet, "/v1/partners/{partnerId}/customers", partnerRead, a.listCustomers).query(paging...),
		route(http.MethodPut, "/v1/partners/{partnerId}/customers/{tenantId}", partnerWrite, a.putCustomer),
		route(http.MethodGet, "/v1/partners/{partnerId}/customers/{tenantId}", partnerRead, a.getCustomer),
		route(http.MethodDelete, "/v1/partners/{partnerId}/customers/{tenantId}", partnerWrite, a.deleteCustomer),
		route(http.MethodPost, "/v1/partners/{partnerId}/consumption", partnerWrite, a.postConsumption),
		route(http.MethodPost, "/v1/partners/{partnerId}/consumption/deletions", partnerWrite, a.postConsumptionDeletions),
		route(http.MethodGet, "/v1/partners/{partnerId}/consumption", partnerRead, a.listConsumption).query("limit", "cursor", "month", "tenantId"),
	}, append(a.notificationRoutes(), a.endpointRoutes()...)...)
}

// Routes is what the scoring function serves. It writes nothing, so a
// simulation's POST needs no idempotency key (pure).
func (a *Scoring) Routes() []Route {
	return []Route{
		route(http.MethodGet, "/v1/catalog/specializations", signedIn, a.listSpecializations),
		route(http.MethodGet, "/v1/partners/{partnerId}/scores", partnerRead, a.getScores).query(asOf...),
		route(http.MethodGet, "/v1/partners/{partnerId}/scores/{area}", partnerRead, a.getAreaScore).query(asOf...),
		route(http.MethodPost, "/v1/partners/{partnerId}/scores/simulations", partnerRead, a.postSimulation).pure(),
		route(http.MethodGet, "/v1/partners/{partnerId}/scores/{area}/plan", partnerRead, a.getPlan).query(asOf...),
		route(http.MethodGet, "/v1/partners/{partnerId}/specializations", partnerRead, a.listSpecializationStatus).query(asOf...),
		route(http.MethodGet, "/v1/partners/{partnerId}/specializations/{specId}", partnerRead, a.getSpecializationStatus).query(asOf...),
	}
}
