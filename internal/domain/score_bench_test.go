package domain_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/domain"
)

// benchPartner is a large partner: 2,000 people with a realistic mix of
// certifications (most hold one or two, some none, a few expired or not yet
// earned, some retired ones), 1,000 customers over every association, and 24
// months × 8 services of consumption. The people and
// customers come in no particular order, so the engine's sorting is measured.
func benchPartner() domain.ScoreInput {
	rng := rand.New(rand.NewPCG(1, 2))
	certIDs := []string{}
	for _, a := range rules.Areas {
		for _, r := range a.Skilling {
			for _, p := range r.Prerequisites {
				certIDs = append(certIDs, p.Certifications...)
			}
			certIDs = append(certIDs, r.Scoring.Certifications...)
		}
	}
	day := func(s string) domain.Date { return domain.MustDate(s) }
	people := make([]domain.Individual, 2000)
	for i, n := range rng.Perm(len(people)) {
		p := domain.Individual{ID: fmt.Sprintf("mcp-%07d", n*37+11), DisplayName: fmt.Sprint("Person ", n)}
		for range rng.IntN(4) { // 0..3 certifications
			h := domain.HeldCertification{ID: certIDs[rng.IntN(len(certIDs))], EarnedOn: day("2024-03-01").AddDays(rng.IntN(1000))}
			if rng.IntN(3) == 0 {
				e := h.EarnedOn.AddDays(365)
				h.ExpiresOn = &e
			}
			p.Certifications = append(p.Certifications, h)
		}
		people[i] = p
	}

	assocs := []domain.Association{domain.AssociationCSPTier1, domain.AssociationCSPTier2, domain.AssociationDPOR, domain.AssociationPAL}
	customers := make([]domain.Customer, 1000)
	for i, n := range rng.Perm(len(customers)) {
		customers[i] = domain.Customer{
			TenantID:    fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), n, rng.IntN(4096), rng.IntN(4096), rng.Uint64()&(1<<48-1)),
			Name:        fmt.Sprint("Customer ", n),
			Association: assocs[rng.IntN(len(assocs))],
			Government:  rng.IntN(20) == 0,
			Affiliated:  rng.IntN(50) == 0,
		}
	}
	services := []domain.Service{
		{Name: "Virtual Machines", Group: "Compute"}, {Name: "Azure Kubernetes Service", Group: "Containers"},
		{Name: "Azure SQL Database", Group: "Databases"}, {Name: "Storage", Group: "Storage"},
		{Name: "Azure Cosmos DB", Group: "Databases"}, {Name: "Azure OpenAI", Group: "AI + Machine Learning"},
		{Name: "Azure Monitor", Group: "Management"}, {Name: "Virtual Machines Licenses", Group: "Compute"},
	}
	// A customer buys through one channel (CSP customers under the CSP
	// offer, others mostly pay-as-you-go or an agreement), and a service keeps
	// its offer from month to month; about one customer in ten also runs
	// some services under an offer that does not count.
	offers := []domain.Offer{domain.OfferPAYG, domain.OfferEnterprise, domain.OfferMCA, domain.OfferSponsorship}
	odd := []domain.Offer{domain.OfferTrial, domain.OfferSupport, domain.OfferInternal, domain.OfferBenefit}
	offerOf := make([][]domain.Offer, len(customers))
	for i, c := range customers {
		main := offers[rng.IntN(len(offers))]
		if c.Association == domain.AssociationCSPTier1 || c.Association == domain.AssociationCSPTier2 {
			main = domain.OfferCSP
		}
		offerOf[i] = make([]domain.Offer, len(services))
		for j := range services {
			offerOf[i][j] = main
			if rng.IntN(80) == 0 {
				offerOf[i][j] = odd[rng.IntN(len(odd))]
			}
		}
	}
	asOf := domain.MustMonth("2026-10")
	var recs []domain.ConsumptionRecord
	for m := range 24 {
		month := asOf.AddMonths(-m)
		for i, c := range customers {
			for j, s := range services {
				recs = append(recs, domain.ConsumptionRecord{TenantID: c.TenantID, Month: month, ServiceLevel2: s.Name, ServiceGroup: s.Group,
					Offer: offerOf[i][j], ACR: domain.Cents(rng.IntN(40_000_00))})
			}
		}
	}
	return domain.ScoreInput{AsOf: asOf, Individuals: people, Customers: customers, Usage: domain.NewUsage(recs)}
}

// BenchmarkScore: budget 1 ms a call (all three areas) for this partner.
// "store-order" is what the store hands over (its rosters keep people and
// customers sorted by id); "shuffled" is the worst case, where the engine
// sorts them itself.
func BenchmarkScore(b *testing.B) {
	app.TuneGC() // as every function runs
	shuffled := benchPartner()
	sorted := shuffled
	sorted.Individuals = slices.Clone(shuffled.Individuals)
	slices.SortFunc(sorted.Individuals, func(a, b domain.Individual) int { return strings.Compare(a.ID, b.ID) })
	sorted.Customers = slices.Clone(shuffled.Customers)
	slices.SortFunc(sorted.Customers, func(a, b domain.Customer) int { return strings.Compare(a.TenantID, b.TenantID) })
	for _, bc := range []struct {
		name string
		in   domain.ScoreInput
	}{{"store-order", sorted}, {"shuffled", shuffled}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				domain.Score(rules, bc.in)
			}
		})
	}
}
