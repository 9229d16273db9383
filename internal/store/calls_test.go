package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

// What a request read is counted on every engine, from the items returned:
// their bytes and the read units DynamoDB prices them at; an engine that
// reports consumed capacity (moto, AWS) has it counted apart.
func TestCallsCountWhatReadsRead(t *testing.T) {
	tb := storetest.New(t)
	s := tb.Store(nil)
	withProfiles(t, s, "1")
	ctx := context.Background()
	var recs []domain.ConsumptionRecord
	for c := range 400 { // about 10 KB a month: 3 read units
		for _, svc := range []string{"A", "B"} {
			recs = append(recs, acr(fmt.Sprintf("00000000-0000-0000-0000-%012d", c), "2025-02", svc, int64(c)))
		}
	}
	if err := s.UpsertConsumption(ctx, "1", recs); err != nil {
		t.Fatal(err)
	}

	read := func(f func(ctx context.Context) error) *store.Calls {
		t.Helper()
		ctx, calls := store.WithCalls(ctx)
		if err := f(ctx); err != nil {
			t.Fatal(err)
		}
		if calls.ReadBytes() <= 0 {
			t.Errorf("%d bytes read", calls.ReadBytes())
		}
		if reported := tb.Engine != "minidyn"; reported != (calls.ConsumedReadUnits() > 0) {
			t.Errorf("%s reported %v read units consumed", tb.Engine, calls.ConsumedReadUnits())
		}
		return calls
	}
	get := read(func(ctx context.Context) error { _, err := s.GetPartner(ctx, "1"); return err })
	if get.ReadUnits() != 1 || get.ReadBytes() > 4096 {
		t.Errorf("GetItem of a profile: %d bytes, %v units; want under 4 KB, 1 unit", get.ReadBytes(), get.ReadUnits())
	}
	// The profile, no people, no customers, one month of about 10 KB, an empty one.
	score := read(func(ctx context.Context) error {
		_, err := s.LoadScoringData(ctx, "1", domain.MustMonth("2025-01"), domain.MustMonth("2025-02"))
		return err
	})
	if score.ReadBytes() < 8192 || score.ReadBytes() > 12288 || score.ReadUnits() != 1+1+1+3+1 {
		t.Errorf("scoring data: %d bytes, %v units; want 8 to 12 KB, 7 units", score.ReadBytes(), score.ReadUnits())
	}
	list := read(func(ctx context.Context) error {
		_, err := s.ListConsumption(ctx, "1", store.ConsumptionFilter{}, 10, "")
		return err
	})
	if list.ReadUnits() != 3 || list.ReadBytes() != score.ReadBytes()-get.ReadBytes() {
		t.Errorf("Query of the months: %d bytes, %v units; want the month's bytes, 3 units", list.ReadBytes(), list.ReadUnits())
	}
	partners := read(func(ctx context.Context) error { _, err := s.ListPartners(ctx, 10, ""); return err })
	if partners.ReadUnits() != 0.5 || partners.ReadBytes() != get.ReadBytes() {
		t.Errorf("GSI Query of the partners: %d bytes, %v units; want the profile's bytes, 0.5 units", partners.ReadBytes(), partners.ReadUnits())
	}
}
