package evidence_test

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// benchEvidence is a large partner's evidence for the Linux checklist: 500
// pieces over every control, from 60 of its 300 customers and 20 it no
// longer has (a few affiliated), with a realistic share of pieces that do not count (old,
// pending, superseded, not in production), in no particular order.
func benchEvidence() ([]evidence.Evidence, []domain.Customer, []domain.Individual) {
	rng := rand.New(rand.NewPCG(7, 11))
	customers := make([]domain.Customer, 300)
	for i := range customers {
		customers[i] = domain.Customer{TenantID: randomTenant(rng), Name: fmt.Sprint("Customer ", i), Association: domain.AssociationDPOR, Affiliated: i%37 == 0}
	}
	// 20 more tenants that evidence names but the partner no longer has.
	named := make([]string, 0, 80)
	for i := range 60 {
		named = append(named, customers[i*5].TenantID)
	}
	for range 20 {
		named = append(named, randomTenant(rng))
	}
	roster := make([]domain.Individual, 100)
	for i := range roster {
		roster[i] = domain.Individual{ID: fmt.Sprint("person-", i)}
	}
	type spec struct {
		control string
		kinds   []evidence.Kind
		scen    []evidence.Scenario
	}
	docs := []evidence.Kind{evidence.KindSOW, evidence.KindSolutionDesign, evidence.KindProjectPlan, evidence.KindArchitectureDiagram, evidence.KindHLDLLD, evidence.KindAsBuilt}
	specs := []spec{
		{"A1.1", []evidence.Kind{evidence.KindStrategyDocument}, nil}, {"A2.1", []evidence.Kind{evidence.KindAdoptionPlan}, nil},
		{"A2.2", []evidence.Kind{evidence.KindSkillingPlan}, nil}, {"A3.1", []evidence.Kind{evidence.KindDeploymentTemplate}, nil},
		{"A4.1", []evidence.Kind{evidence.KindGovernanceEvidence}, nil}, {"A5.1", []evidence.Kind{evidence.KindOperationsEvidence}, nil},
		{"B1.1", []evidence.Kind{evidence.KindCertificationProof, evidence.KindEmploymentProof}, nil},
		{"B2.1", []evidence.Kind{evidence.KindAssessmentReport}, nil},
		{"B3.1", []evidence.Kind{evidence.KindSolutionDesign}, []evidence.Scenario{evidence.ScenarioLinuxApplications, evidence.ScenarioOSSDatabase}},
		{"B3.2", []evidence.Kind{evidence.KindWellArchitectedReview}, nil},
		{"B4.1", docs, nil},
		{"B4.2", docs, []evidence.Scenario{evidence.ScenarioPostgreSQL, evidence.ScenarioMySQL, evidence.ScenarioMongoDB, evidence.ScenarioOracleToPostgreSQL}},
		{"B4.3", []evidence.Kind{evidence.KindToolDemonstration}, nil}, {"B4.4", []evidence.Kind{evidence.KindAutomationDemonstration}, nil},
		{"B5.1", []evidence.Kind{evidence.KindTestReport}, nil}, {"B5.2", []evidence.Kind{evidence.KindOperationsDocumentation}, nil},
	}
	statuses := []evidence.Status{evidence.StatusPendingUpload, evidence.StatusSuperseded, evidence.StatusDeleted, evidence.StatusRejected}
	evs := make([]evidence.Evidence, 500)
	for i := range evs {
		s := specs[rng.IntN(len(specs))]
		done := domain.MustDate("2021-06-01").AddDays(rng.IntN(480))
		signed := done.AddDays(rng.IntN(30))
		e := evidence.Evidence{
			ID: fmt.Sprintf("01J%023d", rng.Uint64()%1e15), Version: 1, Status: evidence.StatusAvailable,
			Metadata: evidence.Metadata{
				SpecializationID: linux, Controls: []string{s.control}, Kind: s.kinds[rng.IntN(len(s.kinds))],
				Production: rng.IntN(10) > 0, ProjectCompletedOn: &done, CustomerSignedOffOn: &signed,
			},
		}
		if rng.IntN(8) == 0 {
			e.Status = statuses[rng.IntN(len(statuses))]
		}
		if s.scen != nil {
			e.Scenario = s.scen[rng.IntN(len(s.scen))]
		}
		switch {
		case s.control == "B1.1":
			e.Individuals = []string{fmt.Sprint("person-", rng.IntN(110))}
		case s.control == "B4.3" || s.control == "B4.4":
		case s.control == "B4.1" || s.control == "B4.2":
			// Migration projects: a few customers, each with several documents.
			e.Customers = []string{named[rng.IntN(6)]}
		default:
			e.Customers = []string{named[rng.IntN(60)]}
			if rng.IntN(6) == 0 {
				e.Customers = append(e.Customers, named[rng.IntN(len(named))])
			}
		}
		if s.kinds[0] == evidence.KindSolutionDesign && s.scen == nil && rng.IntN(3) == 0 {
			e.Controls = append(e.Controls, "B3.1") // one design for two controls
		}
		evs[i] = e
	}
	// The store keeps customers and people in id order.
	slices.SortFunc(customers, func(a, b domain.Customer) int { return strings.Compare(a.TenantID, b.TenantID) })
	slices.SortFunc(roster, func(a, b domain.Individual) int { return strings.Compare(a.ID, b.ID) })
	return evs, customers, roster
}

func randomTenant(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(4096), rng.IntN(4096), rng.Uint64()&(1<<48-1))
}

// BenchmarkCoverage500 is the checklist of a partner with 500 pieces of
// evidence. The route's budget is three times GET /v1/partners/{id}'s
// handler time at p50 (BenchmarkHandlerOverhead), so p50 is reported the
// same way, and "json" adds writing the answer (AppendJSON), which the route
// does too.
func BenchmarkCoverage500(b *testing.B) {
	// What app.TuneGC sets in every function, and so in the benchmark this
	// one is measured against.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	evs, customers, roster := benchEvidence()
	cl := checklistOn(b, linux, auditDay)
	day := domain.MustDate(auditDay)
	st := evidence.Coverage(cl, day, evs, customers, roster)
	if len(st.Modules) != 2 || len(controlOf(b, st, "B4.2").Counted) == 0 {
		b.Fatal("the fixture counts nothing for B4.2")
	}
	for _, encode := range []bool{false, true} {
		name := "coverage"
		if encode {
			name = "json"
		}
		b.Run(name, func(b *testing.B) {
			samples := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				st := evidence.Coverage(cl, day, evs, customers, roster)
				if encode {
					st.AppendJSON(make([]byte, 0, 96<<10))
				}
				samples = append(samples, time.Since(start))
			}
			slices.Sort(samples)
			b.ReportMetric(float64(samples[len(samples)/2].Microseconds()), "p50-µs")
		})
	}
}
