package domain_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

// The window is exactly what the score reads: consumption in M−13 moves net
// adds (last year's eligible customers), consumption in M−14 moves nothing
// (R-PCS-2).
func TestScoreWindow(t *testing.T) {
	w := domain.ScoreWindow(asOf)
	if w.From.String() != "2025-09" || w.To != asOf {
		t.Fatalf("window %s..%s, want 2025-09..2026-10", w.From, w.To)
	}
	score := func(monthsBack int) int {
		in := dataAI(3, 10, 20, 5)
		in.Customers = append(in.Customers, customers(domain.AssociationCSPTier1, 50)...)
		in.Usage = domain.NewUsage(append(in.Usage.Records(), rec(50, monthsBack, "Azure SQL Database", domain.OfferPAYG, "5000")))
		return metricOf(t, domain.ScoreArea(rules, in, domain.AreaDataAI), domain.MetricNetCustomerAdds).Inputs.(*domain.NetAddsInputs).NetAdds
	}
	if at, before := score(13), score(14); at != 2 || before != 3 {
		t.Errorf("net adds with a customer eligible in M−13: %d (want 2); in M−14: %d (want 3, outside the window)", at, before)
	}
}

// A readiness input carries the scored areas' designations, as attained,
// and leaves the others unknown (R-SPEC-1, R-PCS-1).
func TestReadinessInputFor(t *testing.T) {
	in := dataAI(3, 10, 20, 5)
	got := domain.ReadinessInputFor(rules, in)
	want := map[domain.Area]bool{domain.AreaDataAI: true, domain.AreaInfrastructure: false, domain.AreaDigitalAppInnovation: false}
	if !reflect.DeepEqual(got.Designations, want) {
		t.Errorf("designations %v, want %v", got.Designations, want)
	}
	if got.AsOf != in.AsOf || !reflect.DeepEqual(got.Individuals, in.Individuals) || !reflect.DeepEqual(got.Customers, in.Customers) || !reflect.DeepEqual(got.Usage, in.Usage) {
		t.Errorf("readiness input does not carry the score's data: %+v", got)
	}
	if _, known := got.Designations[domain.AreaModernWork]; known {
		t.Error("Modern Work is not scored, so it must stay unknown")
	}
}

// A score says which month it is as of, and whether that month is over: the
// month in progress is incomplete until its last day has passed (R-PCS-9).
func TestCompletenessOf(t *testing.T) {
	m := domain.MustMonth("2026-11")
	for _, tt := range []struct {
		asOf, today string
		complete    bool
		note        string
	}{
		{"2026-10", "2026-11-15", true, ""},
		{"2026-11", "2026-11-15", false, "2026-11 is the month in progress (today is 2026-11-15): its consumption and certifications are not all in until it ends on 2026-11-30, so this answer can still change; 2026-10 is the last complete month."},
		{"2026-11", "2026-11-30", false, "2026-11 is the month in progress (today is 2026-11-30)"},
		{"2026-11", "2026-12-01", true, ""},
		{"2026-12", "2026-11-15", false, "2026-12 has not started (today is 2026-11-15): there is no data for it yet; 2026-10 is the last complete month."},
	} {
		c := domain.CompletenessOf(domain.MustMonth(tt.asOf), domain.MustDate(tt.today))
		if c.Complete != tt.complete || !strings.HasPrefix(c.Note, tt.note) || (tt.note == "") != (c.Note == "") {
			t.Errorf("%s on %s: %+v, want complete %v, note %q", tt.asOf, tt.today, c, tt.complete, tt.note)
		}
	}
	if c := domain.CompletenessOf(m, domain.Date{}); !c.Complete || c.Note != "" {
		t.Errorf("no clock: %+v, want complete", c)
	}
}

// Every answer built from a score input says whether its month is complete:
// the scores, one area, the plan, readiness and a simulation (R-PCS-9).
func TestCompleteness_EveryAnswer(t *testing.T) {
	in := dataAI(3, 10, 20, 5)
	in.Today = domain.MustDate("2026-10-20") // asOf 2026-10 is the month in progress
	want := domain.CompletenessOf(in.AsOf, in.Today)
	if want.Complete {
		t.Fatal("fixture: 2026-10 should be in progress on 2026-10-20")
	}
	sim, _ := domain.Simulate(rules, in, domain.Scenario{})
	sp := domain.Specialization{ID: "s", Name: "S", Category: domain.CategoryAzure, Designations: []domain.Area{domain.AreaDataAI},
		ManualValidation: domain.ManualValidationAudit, RequirementsKnown: domain.RequirementsPartial}
	got := map[string]domain.Completeness{
		"Score":      domain.Score(rules, in)[1].Completeness,
		"ScoreArea":  domain.ScoreArea(rules, in, domain.AreaDataAI).Completeness,
		"PlanArea":   domain.PlanArea(rules, in, domain.AreaInfrastructure).Completeness,
		"Readiness":  domain.Readiness(sp, domain.ReadinessInputFor(rules, in)).Completeness,
		"Simulate":   sim.Completeness,
		"Simulation": sim.Areas[0].Completeness,
	}
	for name, c := range got {
		if c != want {
			t.Errorf("%s: %+v, want %+v", name, c, want)
		}
	}
	b, _ := json.Marshal(domain.PlanArea(rules, in, domain.AreaDataAI))
	if !strings.Contains(string(b), `"asOf":"2026-10","asOfComplete":false,"asOfNote":"2026-10 is the month in progress (today is 2026-10-20)`) {
		t.Errorf("plan JSON %s", b)
	}
	in.Today = domain.MustDate("2026-11-01")
	if b, _ := json.Marshal(domain.ScoreArea(rules, in, domain.AreaDataAI)); !strings.Contains(string(b), `"asOfComplete":true,"total"`) {
		t.Errorf("a complete month has no note: %s", b)
	}
}
