package httpapi

import "net/http"

func (a *API) getHealth(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *API) listCertifications(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"version": a.certs.Version, "items": a.certs.All()})
}

func (a *API) listSpecializations(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"version": a.specs.Version, "benefitCaps": a.specs.BenefitCaps(), "items": a.specs.All()})
}
