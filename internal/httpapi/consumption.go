package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/strictjson"
)

// Limits of a consumption record (README, Limits).
const maxServiceChars = 128

type consumptionInput struct {
	Records []consumptionRecordInput `json:"records" max:"1000"`
}

type consumptionRecordInput struct {
	TenantID      string            `json:"tenantId"`
	Month         string            `json:"month"`
	ServiceLevel2 string            `json:"serviceLevel2"`
	ServiceGroup  string            `json:"serviceGroup"`
	Offer         string            `json:"offer"`
	ACRUSD        strictjson.Number `json:"acrUsd"`
}

type consumptionOutput struct {
	TenantID      string      `json:"tenantId"`
	Month         string      `json:"month"`
	ServiceLevel2 string      `json:"serviceLevel2"`
	ServiceGroup  string      `json:"serviceGroup"`
	Offer         string      `json:"offer"`
	ACRUSD        jsonLiteral `json:"acrUsd"`
	UpdatedAt     time.Time   `json:"updatedAt"`
}

// jsonLiteral writes pre-formatted JSON (money as an exact decimal number).
type jsonLiteral string

func (j jsonLiteral) MarshalJSON() ([]byte, error) { return []byte(j), nil }

func consumptionView(rec store.ConsumptionRecord) consumptionOutput {
	return consumptionOutput{TenantID: rec.TenantID, Month: rec.Month.String(), ServiceLevel2: rec.ServiceLevel2,
		ServiceGroup: rec.ServiceGroup, Offer: string(rec.Offer), ACRUSD: jsonLiteral(rec.ACR.String()), UpdatedAt: rec.UpdatedAt}
}

// postConsumption upserts a batch of monthly ACR. The batch is all or nothing:
// every bad value of every record is named, repeats and tenants that are not
// registered customers included, and nothing is written unless all is good.
func (a *Partners) postConsumption(w http.ResponseWriter, r *http.Request) error {
	var in consumptionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	if len(in.Records) == 0 {
		e.at(root, "records", "must have at least 1 item")
	}
	// The customers are read before any record is judged, so that each
	// record's errors, its tenant's included, are reported together.
	pid := r.PathValue("partnerId")
	var tenants []string
	for _, ri := range in.Records {
		if t, ok := domain.NormalizeTenantID(ri.TenantID); ok {
			tenants = append(tenants, t)
		}
	}
	known := map[string]bool{}
	if len(tenants) > 0 {
		var err error
		if known, err = a.store.KnownCustomers(r.Context(), pid, tenants); err != nil {
			return err
		}
	}
	b := newBatch(len(in.Records))
	for i, ri := range in.Records {
		p := root.item("records", i)
		before := e.count()
		rec, keyOK := a.toRecord(&e, p, ri)
		if keyOK {
			if !known[rec.TenantID] {
				e.at(p, "tenantId", "is not a customer of this partner; PUT /v1/partners/"+pid+"/customers/"+rec.TenantID+" first")
			}
			b.add(&e, p, i, rec, e.count() == before)
		}
	}
	if b.check(&e); e.any() {
		return e.problem()
	}
	if err := monthsError(a.store.UpsertConsumption(r.Context(), pid, b.records)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"accepted": len(b.records)})
}

// batch is the records of a consumption call as they are checked: the good
// ones, in order, the first index of each key, and the months they touch.
type batch struct {
	records []domain.ConsumptionRecord
	first   map[string]int
	months  map[domain.Month]bool
}

func newBatch(n int) *batch {
	return &batch{records: make([]domain.ConsumptionRecord, 0, n), first: make(map[string]int, n), months: map[domain.Month]bool{}}
}

// add takes the i-th record, whose key is valid, naming it when it repeats an
// earlier one; good says it has no other error, and only then is it kept.
func (b *batch) add(e *fieldErrors, p path, i int, rec domain.ConsumptionRecord, good bool) {
	if j, dup := b.first[rec.Key()]; dup {
		e.at(p, "", fmt.Sprintf("repeats records[%d] (same tenantId, month, serviceLevel2 and offer)", j))
		return
	}
	b.first[rec.Key()] = i
	if good {
		b.records = append(b.records, rec)
		b.months[rec.Month] = true
	}
}

// check holds the batch to what one call may rewrite.
func (b *batch) check(e *fieldErrors) {
	if len(b.months) > store.MaxMonthsPerBatch {
		e.at(root, "records", fmt.Sprintf("span %d months; at most %d in one call", len(b.months), store.MaxMonthsPerBatch))
	}
}

// monthsError turns the store's refusals of a batch's months into problems.
func monthsError(err error) error {
	var tooLarge *store.MonthTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return invalid([]FieldError{{Field: "records", Message: fmt.Sprintf("would give %s %d records; a partner holds at most %d records a month", tooLarge.Month, tooLarge.Records, store.MaxRecordsPerMonth)}}, 0)
	case errors.Is(err, store.ErrBatchTooLarge):
		return invalid([]FieldError{{Field: "records", Message: "touch months too large to rewrite in one transaction; send fewer months a call"}}, 0)
	}
	return err
}

// toRecord checks one consumption record under path, every field of it, and
// converts it. keyOK says its key (tenant, month, service, offer) is valid,
// so that repeats are found even among records with other errors.
func (a inputs) toRecord(e *fieldErrors, p path, ri consumptionRecordInput) (rec domain.ConsumptionRecord, keyOK bool) {
	rec, keyOK = a.consumptionKey(e, p, ri.TenantID, ri.Month, ri.ServiceLevel2, ri.Offer)
	e.text(p, "serviceGroup", ri.ServiceGroup, maxServiceChars)
	rec.ServiceGroup = ri.ServiceGroup
	rec.ACR, _ = e.usd(p, "acrUsd", ri.ACRUSD)
	return rec, keyOK
}

// consumptionKey checks the four fields that identify a record.
func (a inputs) consumptionKey(e *fieldErrors, p path, tenant, month, service, offer string) (domain.ConsumptionRecord, bool) {
	before := e.count()
	var rec domain.ConsumptionRecord
	rec.TenantID, _ = e.tenantID(p, "tenantId", tenant)
	if m, ok := e.month(p, "month", month); ok {
		if current := domain.MonthOf(a.now()); m.After(current) || m.Before(domain.EarliestMonth) {
			e.at(p, "month", fmt.Sprintf("must be from %s to the current month %s", domain.EarliestMonth, current))
		}
		rec.Month = m
	}
	e.text(p, "serviceLevel2", service, maxServiceChars)
	if strings.Contains(service, "#") {
		e.at(p, "serviceLevel2", "must not contain '#'")
	}
	rec.ServiceLevel2 = service
	if oneOf(e, p, "offer", offer, domain.Offers) {
		rec.Offer = domain.Offer(offer)
	}
	return rec, e.count() == before
}

type consumptionDeletionsInput struct {
	Records []consumptionKeyInput `json:"records" max:"1000"`
}

// postConsumptionDeletions removes records by their key (tenant, month,
// service, offer), all or none, and says how many were there: the way to
// correct consumption sent by mistake. Deleting what is not there is no
// error, so a retry is harmless.
func (a *Partners) postConsumptionDeletions(w http.ResponseWriter, r *http.Request) error {
	var in consumptionDeletionsInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	if len(in.Records) == 0 {
		e.at(root, "records", "must have at least 1 item")
	}
	b := newBatch(len(in.Records))
	for i, k := range in.Records {
		p := root.item("records", i)
		if rec, ok := a.consumptionKey(&e, p, k.TenantID, k.Month, k.ServiceLevel2, k.Offer); ok {
			b.add(&e, p, i, rec, true)
		}
	}
	if b.check(&e); e.any() {
		return e.problem()
	}
	deleted, err := a.store.DeleteConsumption(r.Context(), r.PathValue("partnerId"), b.records)
	if err := monthsError(err); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"deleted": deleted, "absent": len(b.records) - deleted})
}

func (a *Partners) listConsumption(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	var f store.ConsumptionFilter
	q := r.URL.Query()
	if v := q.Get("month"); v != "" {
		m, err := domain.ParseMonth(v)
		if err != nil {
			return badRequest("month must be YYYY-MM.", FieldError{Field: "month", Message: "must be a month YYYY-MM"})
		}
		f.Month = &m
	}
	if v := q.Get("tenantId"); v != "" {
		tid, ok := domain.NormalizeTenantID(v)
		if !ok {
			return badRequest("tenantId must be a GUID.", FieldError{Field: "tenantId", Message: "must be a GUID"})
		}
		if f.Month == nil {
			return badRequest("tenantId filters within a month: give month too.", FieldError{Field: "tenantId", Message: "requires month"})
		}
		f.TenantID = tid
	}
	page, err := a.store.ListConsumption(r.Context(), r.PathValue("partnerId"), f, limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, consumptionView))
}
