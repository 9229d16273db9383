package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

// MaxNameChars bounds a name or display name (README, Limits). List bounds
// are the max tags of the input types: strictjson reads them from there.
const MaxNameChars = 200

type partnerInput struct {
	Name      string          `json:"name"`
	Country   string          `json:"country"`
	Locations []locationInput `json:"locations" max:"500"`
}

type locationInput struct {
	ID      string `json:"id"`
	Country string `json:"country"`
}

// check names every bad value of a profile.
func (in partnerInput) check() *fieldErrors {
	var e fieldErrors
	e.text(root, "name", in.Name, MaxNameChars)
	e.country(root, "country", in.Country)
	for i, l := range in.Locations {
		p := root.item("locations", i)
		if e.required(p, "id", l.ID) && !domain.ValidLocationID(l.ID) {
			e.at(p, "id", "must be an MPN PLA id (1 to 12 digits)")
		}
		e.country(p, "country", l.Country)
	}
	repeats(&e, root, "locations", "id", in.Locations, func(l locationInput) string { return l.ID })
	return &e
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

func (a *Partners) putPartner(w http.ResponseWriter, r *http.Request) error {
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	var in partnerInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if e := in.check(); e.any() {
		return e.problem()
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

func (a *Partners) getPartner(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	rec, err := a.store.GetPartner(r.Context(), pid)
	if err != nil {
		return storeError(err, "Partner "+pid)
	}
	return writeResource(w, r, false, rec.Version, partnerView(rec))
}

func (a *Partners) listPartners(w http.ResponseWriter, r *http.Request) error {
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
