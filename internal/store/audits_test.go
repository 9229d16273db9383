package store_test

import (
	"context"
	"testing"

	"github.com/partnerready/partnerready/internal/store"
)

// A firm is let in only by an open audit of that partner assigned to it
// (approved to final report, DESIGN's statuses): not by another firm's
// audit, not by a closed, unapproved or unknown one, not by another
// partner's. Firms are compared exactly.
func TestFirmHasOpenAudit(t *testing.T) {
	s := newStore(t)
	withProfiles(t, s, "1", "2")
	ctx := context.Background()
	for _, a := range []store.AuditAccess{
		{AuditID: "a1", PartnerID: "1", Firm: "firm-a", Status: "scheduled"},
		{AuditID: "a2", PartnerID: "1", Firm: "firm-b", Status: "passed"},
		{AuditID: "a3", PartnerID: "2", Firm: "firm-c", Status: "gap_review_held"},
		{AuditID: "a4", PartnerID: "1", Firm: "firm-d", Status: "applied"},
		{AuditID: "a5", PartnerID: "1", Firm: "firm-e", Status: "in_progress"},
		{AuditID: "a6", PartnerID: "1", Firm: "firm-f", Status: ""},
	} {
		if err := s.PutAuditAccess(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		pid, firm string
		want      bool
	}{
		{"1", "firm-a", true}, {"1", "FIRM-A", false},
		{"1", "firm-b", false},                         // its audit is closed
		{"1", "firm-d", false},                         // not approved yet
		{"1", "firm-e", false}, {"1", "firm-f", false}, // not a status of an open audit
		{"1", "firm-c", false}, // its audit is of partner 2
		{"2", "firm-c", true}, {"2", "firm-a", false},
		{"1", "", false}, {"3", "firm-a", false},
	} {
		got, err := s.FirmHasOpenAudit(ctx, c.pid, c.firm)
		if err != nil || got != c.want {
			t.Errorf("FirmHasOpenAudit(%s, %q) = %v, %v; want %v", c.pid, c.firm, got, err, c.want)
		}
	}
	// Closing the audit closes the door.
	if err := s.PutAuditAccess(ctx, store.AuditAccess{AuditID: "a1", PartnerID: "1", Firm: "firm-a", Status: "failed"}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FirmHasOpenAudit(ctx, "1", "firm-a"); err != nil || got {
		t.Fatalf("after failing: %v %v", got, err)
	}
}
