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
	handle   func(w http.ResponseWriter, r *http.Request) error
}

// Routes is the whole API; the contract test holds it equal to the spec.
func (a *API) Routes() []Route {
	const p, sc = "partners", "scoring"
	return []Route{
		{p, http.MethodGet, "/v1/health", public, a.getHealth},
		{p, http.MethodGet, "/v1/catalog/certifications", signedIn, a.listCertifications},
		{p, http.MethodGet, "/v1/partners", programOps, a.listPartners},
		{p, http.MethodPut, "/v1/partners/{partnerId}", partnerWrite, a.putPartner},
		{p, http.MethodGet, "/v1/partners/{partnerId}", partnerRead, a.getPartner},
		{p, http.MethodGet, "/v1/partners/{partnerId}/individuals", partnerRead, a.listIndividuals},
		{p, http.MethodPut, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.putIndividual},
		{p, http.MethodGet, "/v1/partners/{partnerId}/individuals/{individualId}", partnerRead, a.getIndividual},
		{p, http.MethodDelete, "/v1/partners/{partnerId}/individuals/{individualId}", partnerWrite, a.deleteIndividual},
		{p, http.MethodGet, "/v1/partners/{partnerId}/customers", partnerRead, a.listCustomers},
		{p, http.MethodPut, "/v1/partners/{partnerId}/customers/{tenantId}", partnerWrite, a.putCustomer},
		{p, http.MethodGet, "/v1/partners/{partnerId}/customers/{tenantId}", partnerRead, a.getCustomer},
		{p, http.MethodPost, "/v1/partners/{partnerId}/consumption", partnerWrite, a.postConsumption},
		{p, http.MethodGet, "/v1/partners/{partnerId}/consumption", partnerRead, a.listConsumption},
		{sc, http.MethodGet, "/v1/catalog/specializations", signedIn, a.listSpecializations},
		{sc, http.MethodGet, "/v1/partners/{partnerId}/scores", partnerRead, a.getScores},
		{sc, http.MethodGet, "/v1/partners/{partnerId}/scores/{area}", partnerRead, a.getAreaScore},
		{sc, http.MethodGet, "/v1/partners/{partnerId}/specializations", partnerRead, a.listSpecializationStatus},
		{sc, http.MethodGet, "/v1/partners/{partnerId}/specializations/{specId}", partnerRead, a.getSpecializationStatus},
	}
}
