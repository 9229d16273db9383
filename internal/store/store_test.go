package store_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return storetest.New(t).Store(nil)
}

// withProfiles gives partners a profile: their data exists only under one.
func withProfiles(t *testing.T, s *store.Store, pids ...string) {
	t.Helper()
	for _, pid := range pids {
		if _, _, err := s.PutPartner(context.Background(), domain.Partner{ID: pid, Name: "P" + pid, Country: "FR"}, store.Precondition{}); err != nil {
			t.Fatal(err)
		}
	}
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
	rec, created, err = s.PutPartner(ctx, p, store.Precondition{IfMatch: []int64{1}})
	if err != nil || created || rec.Version != 2 || rec.Name != "Contoso SAS" {
		t.Fatalf("second put: %+v created=%v err=%v", rec, created, err)
	}
	if !rec.CreatedAt.Before(rec.UpdatedAt) && !rec.CreatedAt.Equal(rec.UpdatedAt) {
		t.Fatalf("createdAt %v after updatedAt %v", rec.CreatedAt, rec.UpdatedAt)
	}
	if _, _, err := s.PutPartner(ctx, p, store.Precondition{IfMatch: []int64{1}}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("stale If-Match: %v", err)
	}
	if _, _, err := s.PutPartner(ctx, p, store.Precondition{IfNoneMatchAny: true}); !errors.Is(err, store.ErrPreconditionFailed) {
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
	withProfiles(t, s, "1", "2")
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
	withProfiles(t, s, "1")
	ctx := context.Background()
	if _, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "a", DisplayName: "A"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetIndividual(ctx, "1", "a"); err != nil || len(got.Certifications) != 0 {
		t.Fatalf("a person with no certifications reads back as %+v, %v", got, err)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: []int64{7}}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("stale delete: %v", err)
	}
	if n := counted(t, func(ctx context.Context) error {
		return s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: []int64{1}})
	}); n != 2 {
		t.Fatalf("delete took %d calls, want 2 (read the roster, write it)", n)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.DeleteIndividual(ctx, "1", "a", store.Precondition{IfMatch: []int64{1}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete of missing with If-Match: %v", err)
	}
}

func acr(tenant string, month string, svc string, cents int64) domain.ConsumptionRecord {
	return domain.ConsumptionRecord{TenantID: tenant, Month: domain.MustMonth(month), ServiceLevel2: svc, ServiceGroup: "AI + Machine Learning", Offer: domain.OfferCSP, ACR: domain.Cents(cents)}
}

func TestConsumptionUpsertAndKnownCustomers(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1", "2")
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
		recs = append(recs, acr(tenant, domain.MustMonth("2024-01").AddMonths(m).String(), "Azure Machine Learning", int64(100*m+1)))
	}
	ctx2, calls := store.WithCalls(ctx)
	if err := s.UpsertConsumption(ctx2, "1", recs); err != nil {
		t.Fatal(err)
	}
	if ops := calls.ByOperation(); ops["BatchGetItem"] != 1 || ops["TransactWriteItems"] != 1 || calls.Load() != 2 {
		t.Fatalf("30 records over 30 months took %v, want 1 BatchGetItem + 1 TransactWriteItems", ops)
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
	if err != nil || len(all.Items) != 30 || all.NextCursor != "" {
		t.Fatalf("all: %d %q %v", len(all.Items), all.NextCursor, err)
	}
	// Another partner's consumption is not in this partner's months.
	if err := s.UpsertConsumption(ctx, "2", []domain.ConsumptionRecord{acr(tenant, "2024-01", "Other", 5)}); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.ListConsumption(ctx, "1", store.ConsumptionFilter{Month: &m}, 50, ""); len(page.Items) != 1 {
		t.Fatalf("partner 2's record leaked: %+v", page.Items)
	}
}

func TestConsumptionPagesAcrossMonths(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	var recs []domain.ConsumptionRecord
	for m := range 5 {
		for _, svc := range []string{"A", "B", "C"} {
			recs = append(recs, acr("00000000-0000-0000-0000-00000000000"+fmt.Sprint(m), domain.MustMonth("2025-01").AddMonths(m).String(), svc, 1))
		}
	}
	if err := s.UpsertConsumption(ctx, "1", recs); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	for pages := 1; ; pages++ {
		page, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{}, 4, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			got = append(got, r.Key())
		}
		if page.NextCursor == "" {
			if pages != 4 {
				t.Fatalf("%d pages", pages)
			}
			break
		}
		cursor = page.NextCursor
	}
	if len(got) != 15 || !slices.IsSorted(got) {
		t.Fatalf("records %v", got)
	}
	m := domain.MustMonth("2025-02")
	if _, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{Month: &m}, 4, cursor); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("a cursor of another month: %v", err)
	}
	if _, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "ada", DisplayName: "Ada"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	ctx2, calls := store.WithCalls(ctx)
	d, err := s.LoadScoringData(ctx2, "1", domain.MustMonth("2024-12"), domain.MustMonth("2025-03"))
	if err != nil || len(d.Usage.Months) != 3 || len(d.Usage.Services) != 3 || len(d.Usage.Records()) != 9 || len(d.Individuals) != 1 || len(d.Customers) != 0 {
		t.Fatalf("scoring data: %+v %v", d, err)
	}
	if calls.Load() != 1 {
		t.Fatalf("scoring data took %d calls, want 1", calls.Load())
	}
}

// A batch lands whole or not at all, and concurrent batches into the same
// month both land (the loser of the version race re-reads and retries).
func TestConsumptionAtomicAndConcurrent(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	big := make([]domain.ConsumptionRecord, 0, store.MaxRecordsPerMonth+1)
	for i := range store.MaxRecordsPerMonth + 1 {
		big = append(big, acr(fmt.Sprintf("00000000-0000-0000-0000-%012d", i), "2025-06", "A", 1))
	}
	big = append(big, acr("00000000-0000-0000-0000-000000000000", "2025-05", "A", 1))
	var tooLarge *store.MonthTooLargeError
	if err := s.UpsertConsumption(ctx, "1", big); !errors.As(err, &tooLarge) || tooLarge.Month.String() != "2025-06" {
		t.Fatalf("oversized month: %v", err)
	}
	if page, _ := s.ListConsumption(ctx, "1", store.ConsumptionFilter{}, 10, ""); len(page.Items) != 0 {
		t.Fatalf("a refused batch wrote %d records", len(page.Items))
	}

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.UpsertConsumption(ctx, "1", []domain.ConsumptionRecord{acr("00000000-0000-0000-0000-000000000001", "2025-06", fmt.Sprint("svc-", w), 1)})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	m := domain.MustMonth("2025-06")
	if page, _ := s.ListConsumption(ctx, "1", store.ConsumptionFilter{Month: &m}, 50, ""); len(page.Items) != 8 {
		t.Fatalf("concurrent batches: %d of 8 records landed", len(page.Items))
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
	// A claim never completed (its request crashed or timed out) frees itself after its lease.
	if held, err := s.ClaimIdempotencyKey(ctx, "stuck", "h1", 24*time.Hour); err != nil || held != nil {
		t.Fatalf("stuck claim: %+v %v", held, err)
	}
	if held, _ := s.ClaimIdempotencyKey(ctx, "stuck", "h1", 24*time.Hour); held == nil || held.Completed {
		t.Fatalf("within its lease the claim is in progress: %+v", held)
	}
	now = now.Add(store.IdempotencyLease + time.Second)
	if held, err := s.ClaimIdempotencyKey(ctx, "stuck", "h1", 24*time.Hour); err != nil || held != nil {
		t.Fatalf("past its lease the claim is free: %+v %v", held, err)
	}
	// A completed one does not expire with the lease.
	if held, _ := s.ClaimIdempotencyKey(ctx, "scope", "h2", 24*time.Hour); held == nil || !held.Completed {
		t.Fatalf("completed response lost with the lease: %+v", held)
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

// People share one roster item: concurrent writes of different people must
// all land (the losers of the version race re-read and retry), and a stale
// If-Match on one person is still refused.
func TestRosterConcurrentWriters(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: fmt.Sprint("p", i), DisplayName: "P"}, store.Precondition{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListIndividuals(ctx, "1", 50, "")
	if err != nil || len(page.Items) != 10 {
		t.Fatalf("%d of 10 people landed: %v", len(page.Items), err)
	}
	if _, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "p3", DisplayName: "P"}, store.Precondition{IfMatch: []int64{2}}); !errors.Is(err, store.ErrPreconditionFailed) {
		t.Fatalf("stale If-Match: %v", err)
	}
	if rec, _, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "p3", DisplayName: "Q"}, store.Precondition{IfMatch: []int64{1}}); err != nil || rec.Version != 2 {
		t.Fatalf("If-Match on one person while others changed: %+v %v", rec, err)
	}
}

// The SDK retries a write whose answer was lost on the way back; the retry of
// a conditional write then fails its own condition. The store must see that
// its first try landed: a created resource is still 201-created, version 1.
func TestLostAnswerToAConditionalWrite(t *testing.T) {
	tb := storetest.New(t)
	lose := map[string]bool{"PutItem": true}
	db := dynamodb.New(tb.DB.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("loseAnswer",
				func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleDeserialize(ctx, in)
					if op := middleware.GetOperationName(ctx); err == nil && lose[op] {
						lose[op] = false
						return out, md, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
					}
					return out, md, err
				}), middleware.After)
		})
	})
	s := store.New(db, tb.Name, nil)
	ctx := context.Background()
	p, created, err := s.PutPartner(ctx, domain.Partner{ID: "1", Name: "C", Country: "FR"}, store.Precondition{})
	if err != nil || !created || p.Version != 1 {
		t.Fatalf("partner: created=%v version=%d err=%v", created, p.Version, err)
	}
	lose["PutItem"] = true
	rec, created, err := s.PutIndividual(ctx, "1", domain.Individual{ID: "ada", DisplayName: "Ada"}, store.Precondition{})
	if err != nil || !created || rec.Version != 1 {
		t.Fatalf("person: created=%v version=%d err=%v", created, rec.Version, err)
	}
	if lose["PutItem"] {
		t.Fatal("no answer was lost: the test did not test")
	}
	// A transaction (two months) whose answer was lost: the SDK's retry
	// meets its own write, and the store sees that it landed.
	lose["TransactWriteItems"] = true
	recs := []domain.ConsumptionRecord{acr("0a0b0c0d-0000-0000-0000-000000000001", "2026-09", "A", 100), acr("0a0b0c0d-0000-0000-0000-000000000001", "2026-10", "A", 200)}
	if err := s.UpsertConsumption(ctx, "1", recs); err != nil {
		t.Fatalf("consumption: %v", err)
	}
	if lose["TransactWriteItems"] {
		t.Fatal("no transaction answer was lost: the test did not test")
	}
	if page, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{}, 10, ""); err != nil || len(page.Items) != 2 {
		t.Fatalf("the consumption written: %+v %v", page.Items, err)
	}
	lose["PutItem"] = true
	if held, err := s.ClaimIdempotencyKey(ctx, "scope", "h", time.Hour); err != nil || held != nil {
		t.Fatalf("a claim whose answer was lost is still ours: %+v %v", held, err)
	}
}

// AWS refuses a transaction over 4 MB (neither minidyn nor moto does): a
// batch whose rewritten months would pass it is refused before any write.
func TestConsumptionBatchTooLargeForOneTransaction(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	var recs []domain.ConsumptionRecord
	for m := range 14 {
		for i := range 12_000 {
			recs = append(recs, acr(fmt.Sprintf("00000000-0000-4000-8000-%012d", i), domain.MustMonth("2025-01").AddMonths(m).String(), "A", 123_456))
		}
	}
	if err := s.UpsertConsumption(context.Background(), "1", recs); !errors.Is(err, store.ErrBatchTooLarge) {
		t.Fatalf("a 14-month batch of 12,000 customers: %v", err)
	}
	if page, _ := s.ListConsumption(context.Background(), "1", store.ConsumptionFilter{}, 10, ""); len(page.Items) != 0 {
		t.Fatal("a refused batch wrote")
	}
}

func TestListPartnersPages(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, id := range []string{"3", "1", "2"} {
		if _, _, err := s.PutPartner(ctx, domain.Partner{ID: id, Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.ListPartners(ctx, 2, "")
	if err != nil || len(first.Items) != 2 || first.NextCursor == "" {
		t.Fatalf("first page: %+v %v", first, err)
	}
	second, err := s.ListPartners(ctx, 2, first.NextCursor)
	if err != nil || len(second.Items) != 1 || second.NextCursor != "" || second.Items[0].ID != "3" {
		t.Fatalf("second page: %+v %v", second, err)
	}
	if _, err := s.ListPartners(ctx, 2, "eyJzIjoiSU5EI3gifQ"); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("a cursor of another list: %v", err)
	}
	// A cursor whose partner id is not one would make a key DynamoDB refuses.
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"PROFILE","g":"` + strings.Repeat("x", 1500) + `"}`))
	if _, err := s.ListPartners(ctx, 2, forged); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("a forged cursor: %v", err)
	}
}

// Creating a table that is there already is success: it is what an SDK retry
// of a create whose answer was lost meets.
func TestCreateTableTwice(t *testing.T) {
	tb := storetest.New(t)
	if err := store.CreateTable(context.Background(), tb.DB, tb.Name, false); err != nil {
		t.Fatal(err)
	}
}

// Deleting consumption that is not there writes nothing: no month is
// rewritten, and none is created.
func TestDeleteAbsentConsumptionWritesNothing(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx, calls := store.WithCalls(context.Background())
	n, err := s.DeleteConsumption(ctx, "1", []domain.ConsumptionRecord{acr("0a0b0c0d-0000-0000-0000-000000000001", "2016-05", "A", 0)})
	if err != nil || n != 0 {
		t.Fatalf("%d deleted, %v", n, err)
	}
	ops := calls.ByOperation()
	if ops["PutItem"]+ops["TransactWriteItems"] != 0 {
		t.Fatalf("a deletion of nothing wrote: %v", ops)
	}
	if page, err := s.ListConsumption(context.Background(), "1", store.ConsumptionFilter{}, 10, ""); err != nil || len(page.Items) != 0 {
		t.Fatalf("%+v %v", page, err)
	}
	data, err := s.LoadScoringData(context.Background(), "1", domain.MustMonth("2016-05"), domain.MustMonth("2016-05"))
	if err != nil || len(data.Usage.Months) != 0 {
		t.Fatalf("a month item was created: %+v %v", data.Usage.Months, err)
	}
}
