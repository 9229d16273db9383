package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

type partnerInput struct {
	Name      string          `json:"name" validate:"required,max=200,text"`
	Country   string          `json:"country" validate:"required,country"`
	Locations []locationInput `json:"locations" validate:"max=500,dive"`
}

type locationInput struct {
	ID      string `json:"id" validate:"required,locationid"`
	Country string `json:"country" validate:"required,country"`
}

type partnerOutput struct {
	PartnerID string           `json:"partnerId"`
	Name      string           `json:"name"`
	Country   string           `json:"country"`
	Locations []locationOutput `json:"locations"`
	meta
}

type locationOutput struct {
	ID      string `json:"id"`
	Country string `json:"country"`
}

func partnerView(p store.PartnerRecord) partnerOutput {
	out := partnerOutput{PartnerID: p.ID, Name: p.Name, Country: p.Country, Locations: make([]locationOutput, 0, len(p.Locations)), meta: metaOf(p.Meta)}
	for _, l := range p.Locations {
		out.Locations = append(out.Locations, locationOutput(l))
	}
	return out
}

func (a *API) putPartner(w http.ResponseWriter, r *http.Request) error {
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	var in partnerInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	errs := append(check(in), repeats(in.Locations, "locations", "id", func(l locationInput) string { return l.ID })...)
	if len(errs) > 0 {
		return invalid(errs)
	}
	p := domain.Partner{ID: r.PathValue("partnerId"), Name: in.Name, Country: in.Country}
	for _, l := range in.Locations {
		p.Locations = append(p.Locations, domain.Location(l))
	}
	rec, created, err := a.store.PutPartner(r.Context(), p, pre)
	if err != nil {
		return storeError(err, "Partner "+p.ID)
	}
	return writeResource(w, r, created, rec.Version, partnerView(rec))
}

func (a *API) getPartner(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	rec, err := a.store.GetPartner(r.Context(), pid)
	if err != nil {
		return storeError(err, "Partner "+pid)
	}
	return writeResource(w, r, false, rec.Version, partnerView(rec))
}

func (a *API) listPartners(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := a.store.ListPartners(r.Context(), limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, partnerView))
}
