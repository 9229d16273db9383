package domain_test

import (
	"reflect"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

// The window is exactly what the score reads: consumption in M−13 moves net
// adds (last year's eligible customers, R-PCS-2), consumption in M−14 moves
// nothing.
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

// R-SPEC-1: a readiness input carries the scored areas' designations, as
// attained by R-PCS-1, and leaves the others unknown.
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
