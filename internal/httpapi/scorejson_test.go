package httpapi

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
)

// scorePartner is a partner whose scores use every field of the answer:
// ids and names that need escaping (the engine takes them as given), retired certifications (stoppedCounting), every
// association, months with and without consumption, a growth base or none.
func scorePartner(rng *rand.Rand, people, customers int, base bool) domain.ScoreInput {
	certs := []string{"azure-administrator-associate", "azure-solutions-architect-expert", "azure-ai-engineer-associate",
		"azure-developer-associate", "data-analyst-associate", "azure-network-engineer-associate", "fabric-data-engineer-associate", "github-actions"}
	names := []string{"Ada", `Grace "Amazing" Hopper`, "Zoë <&> ✓", "tab\there\nline", "bad \xff byte", "sep \u2028\u2029", `back\slash`, "\x01\x1f\x7f"}
	in := domain.ScoreInput{AsOf: domain.MustMonth("2026-10")}
	for i := range people {
		p := domain.Individual{ID: fmt.Sprintf("mcp-%05d", rng.IntN(10*people)), DisplayName: names[i%len(names)]}
		if i%10 == 0 {
			p.ID += names[i%len(names)]
		}
		for range rng.IntN(4) {
			h := domain.HeldCertification{ID: certs[rng.IntN(len(certs))], EarnedOn: domain.MustDate("2024-01-01").AddDays(rng.IntN(1100))}
			if rng.IntN(3) == 0 {
				d := h.EarnedOn.AddDays(365)
				h.ExpiresOn = &d
			}
			p.Certifications = append(p.Certifications, h)
		}
		in.Individuals = append(in.Individuals, p)
	}
	var recs []domain.ConsumptionRecord
	services := []domain.Service{{Name: "Virtual Machines", Group: "Compute"}, {Name: "Azure \"SQL\"", Group: "Data & AI"}, {Name: "Storage", Group: "Storage"}, {Name: "Azure OpenAI ✓", Group: "AI"}, {Name: "odd \u2028\u2029 \xff \x01\x1f\x7f\t\\", Group: "\b\f\r"}}
	for c := range customers {
		t := fmt.Sprintf("%08x-0000-4000-8000-%012x", c, rng.Uint64()&(1<<48-1))
		in.Customers = append(in.Customers, domain.Customer{TenantID: t, Name: names[c%len(names)], Association: domain.Associations[c%len(domain.Associations)], Government: c%7 == 0})
		for m := range 14 {
			if m >= 12 && !base {
				continue
			}
			for _, s := range services {
				recs = append(recs, domain.ConsumptionRecord{TenantID: t, Month: in.AsOf.AddMonths(-m), ServiceLevel2: s.Name, ServiceGroup: s.Group,
					Offer: domain.Offers[rng.IntN(len(domain.Offers))], ACR: domain.Cents(rng.IntN(300_000))})
			}
		}
	}
	in.Usage = domain.NewUsage(recs)
	return in
}

// TestScoreWriterMatchesMarshal: the score answers are written by hand for
// speed, and must stay byte for byte what encoding/json writes of the same
// values (marshal), which the contract tests hold to openapi.yaml.
func TestScoreWriterMatchesMarshal(t *testing.T) {
	certs := catalog.MustCertifications()
	rules := catalog.MustScoringRules(certs)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		name              string
		people, customers int
		base              bool
		today             domain.Date
		growthPercent     float64 // 0: as scored
	}{
		{"empty", 0, 0, false, domain.Date{}, 0},
		{"small, no growth base", 5, 3, false, domain.MustDate("2026-10-20"), 0},
		{"large", 2000, 1000, true, domain.MustDate("2026-11-15"), 0},
		{"tiny growth percent", 50, 30, true, domain.MustDate("2026-11-15"), -1.5e-7},
		{"huge growth percent", 50, 30, true, domain.MustDate("2026-11-15"), 2.5e21},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := scorePartner(rng, c.people, c.customers, c.base)
			in.Today = c.today
			areas := domain.Score(rules, in)
			for _, a := range areas {
				for _, m := range a.Metrics {
					if g, ok := m.Inputs.(*domain.GrowthInputs); ok && c.growthPercent != 0 {
						g.GrowthPercent = &c.growthPercent
					}
				}
			}
			out := scoresOutput{AsOf: in.AsOf, Completeness: domain.CompletenessOf(in.AsOf, in.Today), Areas: areas}
			same(t, "scores", out, func(e *scoreWriter) error { return e.scores(out) })
			same(t, "area", areas[0], func(e *scoreWriter) error { return e.oneArea(areas[0]) })
			sim, errs := domain.Simulate(rules, in, domain.Scenario{AddIndividuals: []domain.Individual{{ID: "new-1", DisplayName: "New",
				Certifications: []domain.HeldCertification{{ID: "azure-administrator-associate", EarnedOn: domain.MustDate("2026-01-01")}}}}})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			same(t, "simulation", sim, func(e *scoreWriter) error { return e.simulation(sim) })
		})
	}
	t.Run("values the engine does not make", func(t *testing.T) {
		neg := -0.5
		odd := domain.AreaScore{Metrics: []domain.MetricScore{
			{Inputs: map[string]int{"other": 1}},
			{Inputs: nil},
			{Inputs: (*domain.NetAddsInputs)(nil)},
			{Inputs: &domain.NetAddsInputs{EligibleCustomers: []domain.EligibleCustomer{{TenantID: "t"}}}},
			{Inputs: &domain.GrowthInputs{QualifyingACR: -12345, GrowthPercent: &neg}},
			{Inputs: &domain.DeploymentsInputs{}},
			{Inputs: &domain.SkillingInputs{Steps: []domain.StepInputs{{}}}},
			{Inputs: &domain.SkillingInputs{}},
		}}
		same(t, "odd area", odd, func(e *scoreWriter) error { return e.oneArea(odd) })
		none := domain.AreaScore{AsOf: domain.Month{Year: 12345, Month: 13}}
		same(t, "no metrics", none, func(e *scoreWriter) error { return e.oneArea(none) })
		empty := scoresOutput{}
		same(t, "no areas", empty, func(e *scoreWriter) error { return e.scores(empty) })
		inf := math.Inf(1)
		bad := domain.AreaScore{Metrics: []domain.MetricScore{{Inputs: map[string]float64{"x": inf}}}}
		e := newScoreWriter()
		defer e.release()
		if err := e.oneArea(bad); err == nil {
			t.Error("a value encoding/json refuses was written")
		}
		for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			g := domain.AreaScore{Metrics: []domain.MetricScore{{Inputs: &domain.GrowthInputs{GrowthPercent: &f}}}}
			e := newScoreWriter()
			if err := e.oneArea(g); err == nil {
				t.Errorf("growthPercent %v was written as %s", f, e.b)
			}
			e.release()
		}
	})
}

func same(t *testing.T, what string, v any, write func(*scoreWriter) error) {
	t.Helper()
	want, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	e := newScoreWriter()
	defer e.release()
	if err := write(e); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.b, want) {
		i := 0
		for i < min(len(e.b), len(want)) && e.b[i] == want[i] {
			i++
		}
		t.Fatalf("%s: differs from encoding/json at byte %d of %d:\n got %q\nwant %q", what, i, len(want), e.b[max(0, i-80):min(len(e.b), i+80)], want[max(0, i-80):min(len(want), i+80)])
	}
}
