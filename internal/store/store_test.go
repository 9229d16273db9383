package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return storetest.New(t).Store(nil)
}

// counted runs f with a call counter and returns how many DynamoDB calls it made.
func counted(t *testing.T, f func(ctx context.Context) error) int64 {
	t.Helper()
	ctx, calls := store.WithCalls(context.Background())
	if err := f(ctx); err != nil {
		t.Fatal(err)
	}
	return calls.Load()
}

func TestPartnerVersioningAndCalls(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := domain.Partner{ID: "1234567", Name: "Contoso", Country: "FR", Locations: []domain.Location{{ID: "7654321", Country: "FR"}}}

	rec, created, err := s.PutPartner(ctx, p, store.Precondition{})
	if err != nil || !created || rec.Version != 1 {
		t.Fatalf("first put: %+v created=%v err=%v", rec, created, err)
	}
	p.Name = "Contoso SAS"
	rec, created, err = s.PutPartner(ctx, p, store.Precondition{IfMatch: ptr(int64(1))})
	if err != nil || created || rec.Version != 2 || rec.Name != "Contoso SAS" {
		t.Fatalf("second put: %+v created=%v err=%v", rec, created, err)
	}
	if !rec.CreatedAt.Before(rec.UpdatedAt) && !rec.CreatedAt.Equal(rec.UpdatedAt) {
		t.Fatalf("createdAt %v after updatedAt %v", rec.CreatedAt, rec.UpdatedAt)
	}
	if _, _, err := s.PutPartner(ctx, p, store.Precondition{IfMatch: ptr(int64(1))}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("stale If-Match: %v", err)
	}
	if _, _, err := s.PutPartner(ctx, p, store.Precondition{IfNoneMatch: true}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("If-None-Match on existing: %v", err)
	}
	if _, _, err := s.PutPartner(ctx, domain.Partner{ID: "99", Name: "x", Country: "US"}, store.Precondition{IfMatchAny: true}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("If-Match * on missing: %v", err)
	}

	var got store.PartnerRecord
	if n := counted(t, func(ctx context.Context) (err error) { got, err = s.GetPartner(ctx, p.ID); return }); n != 1 {
		t.Fatalf("GET partner took %d DynamoDB calls, want exactly 1", n)
	}
	if got.Version != 2 || got.Locations[0].ID != "7654321" {
		t.Fatalf("read back %+v", got)
	}
	if _, err := s.GetPartner(ctx, "42"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing partner: %v", err)
	}
}

func TestListPagesWithOneQueryEach(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for i := range 7 {
		ind := domain.Individual{ID: fmt.Sprintf("p%02d", i), DisplayName: "Person", Certifications: []domain.HeldCertification{{ID: "azure-administrator-associate", EarnedOn: domain.MustDate("2025-01-02")}}}
		if _, _, err := s.PutIndividual(ctx, "1", ind, store.Precondition{}); err != nil {
			t.Fatal(err)
		}
	}
	// Another partner's people must never appear.
	if _, _, err := s.PutIndividual(ctx, "2", domain.Individual{ID: "p00", DisplayName: "Other"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		var page store.Page[store.IndividualRecord]
		if n := counted(t, func(ctx context.Context) (err error) { page, err = s.ListIndividuals(ctx, "1", 3, cursor); return }); n != 1 {
			t.Fatalf("a page took %d calls, want 1", n)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == "" {
			if pages != 2 || len(page.Items) != 1 {
				t.Fatalf("last page %d with %d items", pages, len(page.Items))
			}
			break
		}
		cursor = page.NextCursor
	}
	if fmt.Sprint(ids) != "[p00 p01 p02 p03 p04 p05 p06]" {
		t.Fatalf("ids %v", ids)
	}
	if _, err := s.ListIndividuals(ctx, "1", 3, "not-a-cursor!"); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
	// A customers cursor cannot be replayed on the individuals list.
	if _, _, err := s.PutCustomer(ctx, "1", domain.Customer{TenantID: "00000000-0000-0000-0000-000000000001", Name: "a", Association: domain.AssociationDPOR}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PutCustomer(ctx, "1", domain.Customer{TenantID: "00000000-0000-0000-0000-000000000002", Name: "b", Association: domain.AssociationPAL}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	cp, err := s.ListCustomers(ctx, "1", 1, "")
	if err != nil || cp.NextCursor == "" {
		t.Fatalf("customers page: %+v %v", cp, err)
	}
	if _, err := s.ListIndividuals(ctx, "1", 3, cp.NextCursor); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("foreign cursor: %v", err)
	}
}

func TestDeleteIndividual(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "a", DisplayName: "A"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetIndividual(ctx, "1", "a"); err != nil || len(got.Certifications) != 0 {
		t.Fatalf("a person with no certifications reads back as %+v, %v", got, err)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: ptr(int64(7))}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("stale delete: %v", err)
	}
	if n := counted(t, func(ctx context.Context) error {
		return s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: ptr(int64(1))})
	}); n != 1 {
		t.Fatalf("delete took %d calls", n)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: ptr(int64(1))}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete of missing with If-Match: %v", err)
	}
}

func TestConsumptionUpsertAndKnownCustomers(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	tenant := "0a0b0c0d-0000-0000-0000-000000000001"
	if _, _, err := s.PutCustomer(ctx, "1", domain.Customer{TenantID: tenant, Name: "a", Association: domain.AssociationCSPTier1}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	known, err := s.KnownCustomers(ctx, "1", []string{tenant, "0a0b0c0d-0000-0000-0000-000000000002"})
	if err != nil || !known[tenant] || len(known) != 1 {
		t.Fatalf("known %v %v", known, err)
	}
	var recs []domain.ConsumptionRecord
	for m := range 30 {
		recs = append(recs, domain.ConsumptionRecord{TenantID: tenant, Month: domain.MustMonth("2024-01").AddMonths(m), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: domain.OfferCSP, ACR: domain.Cents(100*m + 1)})
	}
	if n := counted(t, func(ctx context.Context) error { return s.UpsertConsumption(ctx, "1", recs) }); n != 2 {
		t.Fatalf("30 records took %d write calls, want 2", n)
	}
	recs[0].ACR = 999
	if err := s.UpsertConsumption(ctx, "1", recs[:1]); err != nil {
		t.Fatal(err)
	}
	m := domain.MustMonth("2024-01")
	page, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{Month: &m, TenantID: tenant}, 50, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].ACR != 999 {
		t.Fatalf("upsert did not replace: %+v %v", page, err)
	}
	all, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{}, 200, "")
	if err != nil || len(all.Items) != 30 {
		t.Fatalf("all: %d %v", len(all.Items), err)
	}
}

func TestIdempotencyClaim(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s := storetest.New(t).Store(func() time.Time { return now })
	ctx := context.Background()
	held, err := s.ClaimIdempotencyKey(ctx, "scope", "h1", 24*time.Hour)
	if err != nil || held != nil {
		t.Fatalf("first claim: %+v %v", held, err)
	}
	held, err = s.ClaimIdempotencyKey(ctx, "scope", "h1", 24*time.Hour)
	if err != nil || held == nil || held.Completed || held.RequestHash != "h1" {
		t.Fatalf("in-progress claim: %+v %v", held, err)
	}
	if err := s.CompleteIdempotencyKey(ctx, "scope", store.IdempotentResponse{RequestHash: "h1", Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: []byte(`{"accepted":1}`)}, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	held, err = s.ClaimIdempotencyKey(ctx, "scope", "h2", 24*time.Hour)
	if err != nil || held == nil || !held.Completed || held.Status != 200 || string(held.Body) != `{"accepted":1}` {
		t.Fatalf("completed claim: %+v %v", held, err)
	}
	now = now.Add(24*time.Hour + time.Second)
	held, err = s.ClaimIdempotencyKey(ctx, "scope", "h2", 24*time.Hour)
	if err != nil || held != nil {
		t.Fatalf("claim after expiry: %+v %v", held, err)
	}
	if err := s.ReleaseIdempotencyKey(ctx, "scope"); err != nil {
		t.Fatal(err)
	}
	if held, err := s.ClaimIdempotencyKey(ctx, "scope", "h3", time.Hour); err != nil || held != nil {
		t.Fatalf("claim after release: %+v %v", held, err)
	}
}

func ptr[T any](v T) *T { return &v }
