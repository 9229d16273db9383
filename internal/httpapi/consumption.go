package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

// MaxConsumptionRecords is the largest batch one POST takes.
const MaxConsumptionRecords = 1000

type consumptionInput struct {
	Records []consumptionRecordInput `json:"records" validate:"required,min=1,max=1000"`
}

type consumptionRecordInput struct {
	TenantID      string `json:"tenantId" validate:"required,tenantid"`
	Month         string `json:"month" validate:"required,month"`
	ServiceLevel2 string `json:"serviceLevel2" validate:"required,max=128,text,nohash"`
	ServiceGroup  string `json:"serviceGroup" validate:"required,max=128,text"`
	Offer         string `json:"offer" validate:"required,offer"`
	ACRUSD        number `json:"acrUsd" validate:"required"`
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

// postConsumption upserts a batch of monthly ACR. The batch is all or nothing
// as far as validation goes: every bad record is named, and nothing is written
// unless every record is good (DESIGN, issue: no partial data).
func (a *API) postConsumption(w http.ResponseWriter, r *http.Request) error {
	var in consumptionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if len(in.Records) > MaxConsumptionRecords {
		return invalid([]FieldError{{Field: "records", Message: fmt.Sprintf("must have at most %d items; split the batch", MaxConsumptionRecords)}})
	}
	errs := check(in)
	recs := make([]domain.ConsumptionRecord, 0, len(in.Records))
	firstIndex := map[string]int{}
	var tenants []string
	seen := map[string]bool{}
	for i, ri := range in.Records {
		field := fmt.Sprintf("records[%d]", i)
		rec, recErrs := a.toRecord(field, ri)
		if len(recErrs) > 0 {
			errs = append(errs, recErrs...)
			continue
		}
		tid := rec.TenantID
		if j, dup := firstIndex[rec.Key()]; dup {
			errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf("repeats records[%d] (same tenantId, month, serviceLevel2 and offer)", j)})
			continue
		}
		firstIndex[rec.Key()] = i
		if !seen[tid] {
			seen[tid] = true
			tenants = append(tenants, tid)
		}
		recs = append(recs, rec)
	}
	pid := r.PathValue("partnerId")
	if len(tenants) > 0 {
		known, err := a.store.KnownCustomers(r.Context(), pid, tenants)
		if err != nil {
			return err
		}
		for i, ri := range in.Records {
			if tid, ok := domain.NormalizeTenantID(ri.TenantID); ok && seen[tid] && !known[tid] {
				errs = append(errs, FieldError{Field: fmt.Sprintf("records[%d].tenantId", i), Message: "is not a customer of this partner; PUT /v1/partners/" + pid + "/customers/" + tid + " first"})
			}
		}
	}
	months := map[domain.Month]bool{}
	for _, rec := range recs {
		months[rec.Month] = true
	}
	if len(months) > store.MaxMonthsPerBatch {
		errs = append(errs, FieldError{Field: "records", Message: fmt.Sprintf("span %d months; at most %d in one call", len(months), store.MaxMonthsPerBatch)})
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(x, y FieldError) int { return recordIndex(x.Field) - recordIndex(y.Field) })
		return invalid(errs)
	}
	err := a.store.UpsertConsumption(r.Context(), pid, recs)
	var tooLarge *store.MonthTooLargeError
	if errors.As(err, &tooLarge) {
		return invalid([]FieldError{{Field: "records", Message: fmt.Sprintf("would give %s %d records; a partner holds at most %d records a month", tooLarge.Month, tooLarge.Records, store.MaxRecordsPerMonth)}})
	}
	if errors.Is(err, store.ErrBatchTooLarge) {
		return invalid([]FieldError{{Field: "records", Message: "touch months too large to rewrite in one transaction; send fewer months a call"}})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"accepted": len(recs)})
}

// toRecord checks one consumption record (its tags, its money, the month
// window) and converts it; field is its JSON path in the request.
func (a *API) toRecord(field string, ri consumptionRecordInput) (domain.ConsumptionRecord, []FieldError) {
	errs := prefixed(field, check(ri))
	cents, msg := ri.ACRUSD.usd()
	if msg != "" {
		errs = append(errs, FieldError{Field: field + ".acrUsd", Message: msg})
	}
	if len(errs) > 0 {
		return domain.ConsumptionRecord{}, errs
	}
	m, thisMonth := domain.MustMonth(ri.Month), domain.MonthOf(a.now())
	if m.After(thisMonth) || m.Before(domain.EarliestMonth) {
		return domain.ConsumptionRecord{}, []FieldError{{Field: field + ".month", Message: fmt.Sprintf("must be from %s to the current month %s", domain.EarliestMonth, thisMonth)}}
	}
	tid, _ := domain.NormalizeTenantID(ri.TenantID)
	return domain.ConsumptionRecord{TenantID: tid, Month: m, ServiceLevel2: ri.ServiceLevel2, ServiceGroup: ri.ServiceGroup, Offer: domain.Offer(ri.Offer), ACR: cents}, nil
}

func recordIndex(field string) int {
	var i int
	if _, err := fmt.Sscanf(field, "records[%d]", &i); err != nil {
		return -1
	}
	return i
}

func (a *API) listConsumption(w http.ResponseWriter, r *http.Request) error {
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
