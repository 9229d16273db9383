package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

type customerInput struct {
	Name        string `json:"name"`
	Association string `json:"association"`
	Government  bool   `json:"government"`
	Affiliated  bool   `json:"affiliated"`
}

// check names every bad value of a customer under path.
func (in customerInput) check(e *fieldErrors, p path) {
	e.text(p, "name", in.Name, MaxNameChars)
	oneOf(e, p, "association", in.Association, domain.Associations)
}

type customerOutput struct {
	PartnerID   string `json:"partnerId"`
	TenantID    string `json:"tenantId"`
	Name        string `json:"name"`
	Association string `json:"association"`
	Government  bool   `json:"government"`
	Affiliated  bool   `json:"affiliated"`
	meta
}

func customerView(rec store.CustomerRecord) customerOutput {
	return customerOutput{PartnerID: rec.PartnerID, TenantID: rec.TenantID, Name: rec.Name, Association: string(rec.Association),
		Government: rec.Government, Affiliated: rec.Affiliated, meta: metaOf(rec.Meta)}
}

// tenantID reads the path's tenant id in its canonical lower-case form.
func tenantID(r *http.Request) (string, error) {
	t, ok := domain.NormalizeTenantID(r.PathValue("tenantId"))
	if !ok {
		return "", badRequest("The tenant id is not an Azure AD tenant id.", FieldError{Field: "tenantId", Message: "must be a GUID"})
	}
	return t, nil
}

func (a *Partners) putCustomer(w http.ResponseWriter, r *http.Request) error {
	tid, err := tenantID(r)
	if err != nil {
		return err
	}
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	var in customerInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	if in.check(&e, root); e.any() {
		return e.problem()
	}
	c := domain.Customer{TenantID: tid, Name: in.Name, Association: domain.Association(in.Association), Government: in.Government, Affiliated: in.Affiliated}
	rec, created, err := a.store.PutCustomer(r.Context(), r.PathValue("partnerId"), c, pre)
	if err != nil {
		return storeError(err, "Customer "+tid)
	}
	return writeResource(w, r, created, rec.Version, customerView(rec))
}

func (a *Partners) getCustomer(w http.ResponseWriter, r *http.Request) error {
	tid, err := tenantID(r)
	if err != nil {
		return err
	}
	rec, err := a.store.GetCustomer(r.Context(), r.PathValue("partnerId"), tid)
	if err != nil {
		return storeError(err, "Customer "+tid)
	}
	return writeResource(w, r, false, rec.Version, customerView(rec))
}

// deleteCustomer removes a customer. Its consumption is kept but no longer
// counts (only registered customers' does); registering it again makes it
// count again, and POST …/consumption/deletions erases it.
func (a *Partners) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	tid, err := tenantID(r)
	if err != nil {
		return err
	}
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	if err := a.store.DeleteCustomer(r.Context(), r.PathValue("partnerId"), tid, pre); err != nil {
		return storeError(err, "Customer "+tid)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *Partners) listCustomers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := a.store.ListCustomers(r.Context(), r.PathValue("partnerId"), limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, customerView))
}
