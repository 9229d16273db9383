package httpapi

import (
	"fmt"
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

type individualInput struct {
	DisplayName    string               `json:"displayName"`
	Certifications []certificationInput `json:"certifications" max:"100"`
}

type certificationInput struct {
	ID        string  `json:"id"`
	EarnedOn  string  `json:"earnedOn"`
	ExpiresOn *string `json:"expiresOn"`
}

type individualOutput struct {
	PartnerID      string                `json:"partnerId"`
	IndividualID   string                `json:"individualId"`
	DisplayName    string                `json:"displayName"`
	Certifications []certificationOutput `json:"certifications"`
	meta
}

type certificationOutput struct {
	ID        string       `json:"id"`
	EarnedOn  domain.Date  `json:"earnedOn"`
	ExpiresOn *domain.Date `json:"expiresOn,omitempty"`
}

func individualView(rec store.IndividualRecord) individualOutput {
	out := individualOutput{PartnerID: rec.PartnerID, IndividualID: rec.ID, DisplayName: rec.DisplayName,
		Certifications: make([]certificationOutput, 0, len(rec.Certifications)), meta: metaOf(rec.Meta)}
	for _, c := range rec.Certifications {
		out.Certifications = append(out.Certifications, certificationOutput(c))
	}
	return out
}

// individualID reads the path's person id.
func individualID(r *http.Request) (string, error) {
	id := r.PathValue("individualId")
	if !domain.ValidIndividualID(id) {
		return "", badRequest("The individual id is not valid.", FieldError{Field: "individualId", Message: "must be 1 to 64 letters, digits, '-', '_' or '.'"})
	}
	return id, nil
}

// toIndividual checks a person under p (every bad value at once: the
// catalogue, dates of the program's era, not in the future nor after the
// certification retired, expiry after earning, repeats) and converts it.
func (a inputs) toIndividual(e *fieldErrors, p path, id string, in individualInput) domain.Individual {
	e.text(p, "displayName", in.DisplayName, MaxNameChars)
	ind := domain.Individual{ID: id, DisplayName: in.DisplayName, Certifications: make([]domain.HeldCertification, 0, len(in.Certifications))}
	// One day of slack: the caller's today may already be tomorrow in UTC+14.
	latest := domain.DateOf(a.now()).AddDays(1)
	for i, c := range in.Certifications {
		cp := p.item("certifications", i)
		cert, known := a.certs.Lookup(c.ID)
		if e.required(cp, "id", c.ID) && !known {
			e.at(cp, "id", "is not in the certification catalogue (GET /v1/catalog/certifications)")
		}
		earned, ok := e.date(cp, "earnedOn", c.EarnedOn)
		switch {
		case !ok:
			earned = domain.Date{}
		case earned.After(latest):
			e.at(cp, "earnedOn", "must not be in the future")
		case known && cert.RetiresOn != nil && earned.After(*cert.RetiresOn):
			e.at(cp, "earnedOn", fmt.Sprintf("is after %s, when %s retired: it could not be earned then", cert.RetiresOn, cert.Name))
		}
		hc := domain.HeldCertification{ID: c.ID, EarnedOn: earned}
		if c.ExpiresOn != nil {
			if exp, ok := e.dateValue(cp, "expiresOn", *c.ExpiresOn); ok {
				if !earned.IsZero() && !exp.After(earned) {
					e.at(cp, "expiresOn", "must be after earnedOn")
				}
				hc.ExpiresOn = &exp
			}
		}
		ind.Certifications = append(ind.Certifications, hc)
	}
	repeats(e, p, "certifications", "id", in.Certifications, func(c certificationInput) string { return c.ID })
	return ind
}

func (a *Partners) putIndividual(w http.ResponseWriter, r *http.Request) error {
	id, err := individualID(r)
	if err != nil {
		return err
	}
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	var in individualInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	ind := a.toIndividual(&e, root, id, in)
	if e.any() {
		return e.problem()
	}
	pid := r.PathValue("partnerId")
	rec, created, err := a.store.PutIndividual(r.Context(), pid, ind, pre)
	if err != nil {
		return storeError(err, "Individual "+id)
	}
	return writeResource(w, r, created, rec.Version, individualView(rec))
}

func (a *Partners) getIndividual(w http.ResponseWriter, r *http.Request) error {
	id, err := individualID(r)
	if err != nil {
		return err
	}
	rec, err := a.store.GetIndividual(r.Context(), r.PathValue("partnerId"), id)
	if err != nil {
		return storeError(err, "Individual "+id)
	}
	return writeResource(w, r, false, rec.Version, individualView(rec))
}

func (a *Partners) deleteIndividual(w http.ResponseWriter, r *http.Request) error {
	id, err := individualID(r)
	if err != nil {
		return err
	}
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	if err := a.store.DeleteIndividual(r.Context(), r.PathValue("partnerId"), id, pre); err != nil {
		return storeError(err, "Individual "+id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *Partners) listIndividuals(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := a.store.ListIndividuals(r.Context(), r.PathValue("partnerId"), limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, individualView))
}
