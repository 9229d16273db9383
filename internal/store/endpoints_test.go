package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
)

func endpoint(i int) store.Endpoint {
	return store.Endpoint{ID: store.NewID(time.Now()), URL: fmt.Sprintf("https://hooks.example.com/%d", i), Secret: "whsec_x"}
}

// The endpoint limit holds under concurrent registrations: of 8 at once,
// exactly MaxEndpoints land and the others are refused, on every engine.
func TestEndpointLimitHoldsUnderRaces(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	if _, err := s.AddEndpoint(ctx, "42", endpoint(0)); !errors.Is(err, store.ErrNoPartner) {
		t.Fatalf("an endpoint of a partner with no profile: %v", err)
	}
	if _, _, err := s.PutPartner(ctx, domain.Partner{ID: "42", Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	var added, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_, err := s.AddEndpoint(ctx, "42", endpoint(i))
			switch {
			case err == nil:
				added.Add(1)
			case errors.Is(err, store.ErrTooManyEndpoints):
				refused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	eps, err := s.Endpoints(ctx, "42")
	if err != nil || added.Load() != store.MaxEndpoints || refused.Load() != 3 || len(eps) != store.MaxEndpoints {
		t.Fatalf("added %d, refused %d, stored %d (%v)", added.Load(), refused.Load(), len(eps), err)
	}
	if err := s.DeleteEndpoint(ctx, "42", eps[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEndpoint(ctx, "42", eps[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting it again: %v", err)
	}
	if _, err := s.AddEndpoint(ctx, "42", endpoint(9)); err != nil {
		t.Fatalf("a registration after a removal: %v", err)
	}
}

// An endpoint's delivery log is read with its own cursors only, and an
// endpoint the partner does not have is not found.
func TestDeliveryLogCursors(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	if _, _, err := s.PutPartner(ctx, domain.Partner{ID: "42", Name: "P", Country: "FR"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	ep, err := s.AddEndpoint(ctx, "42", endpoint(0))
	if err != nil {
		t.Fatal(err)
	}
	if page, err := s.ListDeliveries(ctx, "42", ep.ID, 10, ""); err != nil || len(page.Items) != 0 {
		t.Fatalf("an endpoint with no delivery yet: %+v, %v", page, err)
	}
	if _, err := s.ListDeliveries(ctx, "42", store.NewID(time.Now()), 10, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another endpoint's log: %v", err)
	}
	if _, err := s.ListDeliveries(ctx, "42", ep.ID, 10, "eyJzIjoiUFJPRklMRSJ9"); !errors.Is(err, store.ErrInvalidCursor) {
		t.Fatalf("a profile's cursor: %v", err)
	}
}
