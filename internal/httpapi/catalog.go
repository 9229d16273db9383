package httpapi

import "net/http"

func (a *Partners) getHealth(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *Partners) listCertifications(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"version": a.certs.Version, "items": a.certs.All()})
}

func (a *Scoring) listSpecializations(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"version": a.specs.Version, "benefitCaps": a.specs.BenefitCaps(), "items": a.specs.All()})
}
