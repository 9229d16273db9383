package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
)

func sampleEvidence(id string) evidence.Evidence {
	done, signed := domain.MustDate("2026-05-20"), domain.MustDate("2026-06-02")
	return evidence.Evidence{ID: id, Status: evidence.StatusPendingUpload, FileVersion: "3HL4kqtJvjVBH40Nrjfkd", Metadata: evidence.Metadata{
		SpecializationID: "linux-and-open-source-database-migration-to-microsoft-azure",
		Controls:         []string{"B4.2", "B4.1"}, Customers: []string{"0a0b0c0d-0000-0000-0000-000000000001"}, Individuals: []string{},
		Kind: evidence.Kind("solution_design"), Scenario: evidence.Scenario("postgresql"), Production: true,
		ProjectCompletedOn: &done, CustomerSignedOffOn: &signed, Language: "fr", Title: "Conception", FileName: "design.pdf",
		ContentType: "application/pdf", SizeBytes: 482113, SHA256: "ab", Supersedes: "",
	}}
}

// A partner's evidence is one roster: created, read back whole, listed in
// id order with a filter, and changed several at once or not at all.
func TestEvidenceRoster(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1")
	ctx := context.Background()
	var ids []string
	for i := range 3 {
		id := store.NewID(time.Date(2026, 11, 1, 0, 0, i, 0, time.UTC))
		ids = append(ids, id)
		out, err := s.ChangeEvidence(ctx, "1", func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
			if all[id] != nil {
				return nil, errors.New("the id is taken")
			}
			return []evidence.Evidence{sampleEvidence(id)}, nil
		})
		if err != nil || len(out) != 1 || out[0].Version != 1 {
			t.Fatalf("create %d: %+v %v", i, out, err)
		}
	}
	got, err := s.GetEvidence(ctx, "1", ids[1])
	want := sampleEvidence(ids[1])
	want.Version, want.CreatedAt, want.UpdatedAt = 1, got.CreatedAt, got.UpdatedAt
	if err != nil || !reflect.DeepEqual(got, want) || got.CreatedAt.IsZero() {
		t.Fatalf("read back:\n%+v\n%+v %v", got, want, err)
	}
	if _, err := s.GetEvidence(ctx, "1", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	// A new version and the one it supersedes change in one write.
	next := sampleEvidence(store.NewID(time.Now()))
	next.Supersedes, next.Status = ids[0], evidence.StatusAvailable
	out, err := s.ChangeEvidence(ctx, "1", func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		old := *all[ids[0]]
		old.Status = evidence.StatusSuperseded
		return []evidence.Evidence{old, next}, nil
	})
	if err != nil || len(out) != 2 || out[0].Version != 2 || out[1].Version != 1 {
		t.Fatalf("supersede: %+v %v", out, err)
	}
	page, err := s.ListEvidence(ctx, "1", func(e *evidence.Evidence) bool { return e.Status != evidence.StatusSuperseded }, 2, "")
	if err != nil || len(page.Items) != 2 || page.Items[0].ID != ids[1] || page.NextCursor == "" {
		t.Fatalf("first page: %+v %v", page, err)
	}
	page, err = s.ListEvidence(ctx, "1", func(*evidence.Evidence) bool { return true }, 2, page.NextCursor)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != next.ID || page.NextCursor != "" {
		t.Fatalf("second page: %+v %v", page, err)
	}
	// A change that fails writes nothing.
	if _, err := s.ChangeEvidence(ctx, "1", func(map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		return nil, fmt.Errorf("refused")
	}); err == nil {
		t.Fatal("a refused change")
	}
	ctxc, calls := store.WithCalls(ctx)
	d, err := s.LoadEvidenceData(ctxc, "1")
	if err != nil || len(d.Evidence) != 4 || calls.Load() != 1 {
		t.Fatalf("everything a checklist reads, in %d calls: %d evidence %v", calls.Load(), len(d.Evidence), err)
	}
	if _, err := s.LoadEvidenceData(ctx, "2"); !errors.Is(err, store.ErrNoPartner) {
		t.Fatalf("a partner without a profile: %v", err)
	}
}

// Ids made in one millisecond, or by a clock that stepped back, still sort
// in the order they were made, and are UUIDv7.
func TestNewIDIsMonotonic(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	prev := store.NewID(at)
	for i := range 10000 {
		when := at
		if i%100 == 0 {
			when = at.Add(-time.Second)
		}
		id := store.NewID(when)
		if id <= prev || len(id) != 36 || id[14] != '7' || !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("id %d: %s after %s", i, id, prev)
		}
		prev = id
	}
}
