package httpapi

import (
	"fmt"
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

type individualInput struct {
	DisplayName    string               `json:"displayName" validate:"required,max=200,text"`
	Certifications []certificationInput `json:"certifications" validate:"max=100,dive"`
}

type certificationInput struct {
	ID        string  `json:"id" validate:"required,max=100"`
	EarnedOn  string  `json:"earnedOn" validate:"required,date"`
	ExpiresOn *string `json:"expiresOn" validate:"omitnil,date"`
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

// toIndividual validates the input fully (tags, then what tags cannot say:
// catalogue membership, repeats, date order) and names every bad field.
func (a *API) toIndividual(id string, in individualInput) (domain.Individual, []FieldError) {
	errs := check(in)
	errs = append(errs, repeats(in.Certifications, "certifications", "id", func(c certificationInput) string { return c.ID })...)
	ind := domain.Individual{ID: id, DisplayName: in.DisplayName}
	today := domain.DateOf(a.now())
	for i, c := range in.Certifications {
		field := fmt.Sprintf("certifications[%d]", i)
		if _, ok := a.certs.Lookup(c.ID); !ok && c.ID != "" {
			errs = append(errs, FieldError{Field: field + ".id", Message: "is not in the certification catalogue (GET /v1/catalog/certifications)"})
		}
		earned, err := domain.ParseDate(c.EarnedOn)
		if err != nil {
			continue // the tags have named it
		}
		hc := domain.HeldCertification{ID: c.ID, EarnedOn: earned}
		// One day of slack: the caller's today may already be tomorrow in UTC+14.
		if earned.After(today.AddDays(1)) {
			errs = append(errs, FieldError{Field: field + ".earnedOn", Message: "must not be in the future"})
		}
		if c.ExpiresOn != nil {
			if exp, err := domain.ParseDate(*c.ExpiresOn); err == nil {
				if !exp.After(earned) {
					errs = append(errs, FieldError{Field: field + ".expiresOn", Message: "must be after earnedOn"})
				}
				hc.ExpiresOn = &exp
			}
		}
		ind.Certifications = append(ind.Certifications, hc)
	}
	return ind, errs
}

func (a *API) putIndividual(w http.ResponseWriter, r *http.Request) error {
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
	ind, errs := a.toIndividual(id, in)
	if len(errs) > 0 {
		return invalid(errs)
	}
	pid := r.PathValue("partnerId")
	rec, created, err := a.store.PutIndividual(r.Context(), pid, ind, pre)
	if err != nil {
		return storeError(err, "Individual "+id)
	}
	return writeResource(w, r, created, rec.Version, individualView(rec))
}

func (a *API) getIndividual(w http.ResponseWriter, r *http.Request) error {
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

func (a *API) deleteIndividual(w http.ResponseWriter, r *http.Request) error {
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

func (a *API) listIndividuals(w http.ResponseWriter, r *http.Request) error {
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
