package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

func TestLoadScoringRules_Embedded(t *testing.T) {
	r, err := LoadScoringRules(MustCertifications())
	if err != nil {
		t.Fatalf("embedded designation catalogue does not load: %v", err)
	}
	if r.Version != "2026-11-01" {
		t.Errorf("Version = %q, want 2026-11-01", r.Version)
	}
	if r.CountsUntil == nil || r.Name == nil {
		t.Fatal("CountsUntil and Name must be set")
	}
	var areas []domain.Area
	for _, a := range r.Areas {
		areas = append(areas, a.Area)
	}
	if !slices.Equal(areas, domain.Areas) {
		t.Errorf("areas = %v, want %v (Score's order)", areas, domain.Areas)
	}
	if MustScoringRules(MustCertifications()).Version != r.Version {
		t.Error("MustScoringRules differs from LoadScoringRules")
	}
}

// TestDesignations_DomainTable holds the step lists to the tables of
// RULES.md, step by step (R-PCS-4, R-PCS-5).
func TestDesignations_DomainTable(t *testing.T) {
	r := MustScoringRules(MustCertifications())
	type step struct {
		names     []string
		minPeople int
		per, max  int
	}
	type metric struct {
		metric domain.Metric
		steps  []step // prerequisites, then the points step
	}
	admin := step{names: []string{"Azure Administrator Associate"}, minPeople: 2}
	architect := step{names: []string{"Azure Solutions Architect Expert"}, minPeople: 2}
	want := []struct {
		area    domain.Area
		name    string
		metrics []metric
	}{
		{domain.AreaDataAI, "Data & AI", []metric{
			{domain.MetricIntermediateCertifications, []step{admin, architect, {names: []string{
				"Azure Database Administrator Associate", "Azure AI Engineer Associate", "Azure Data Scientist Associate",
				"Data Analyst Associate", "Azure Cosmos DB Developer Specialty", "Fabric Analytics Engineer Associate",
				"Fabric Data Engineer Associate", "SQL AI Developer Associate", "Azure AI Apps and Agents Developer Associate",
				"Machine Learning Operations Engineer Associate", "Azure Databricks Data Engineer Associate",
			}, per: 4, max: 40}}},
			// R-PCS-5: no advanced certifications for Data & AI.
		}},
		{domain.AreaInfrastructure, "Infrastructure", []metric{
			{domain.MetricIntermediateCertifications, []step{admin, {names: []string{
				"Azure Network Engineer Associate", "Windows Server Hybrid Administrator Associate",
				// Kept: it counts until its countsUntil (R-PCS-10); the engine asks the dates.
				"Azure Stack Hub Operator Associate",
			}, per: 4, max: 20}}},
			{domain.MetricAdvancedCertifications, []step{architect, {names: []string{
				"Azure Virtual Desktop Specialty", "Azure for SAP Workloads Specialty",
			}, per: 4, max: 20}}},
		}},
		{domain.AreaDigitalAppInnovation, "Digital & App Innovation", []metric{
			{domain.MetricIntermediateCertifications, []step{admin, {names: []string{
				"Azure Developer Associate", "Power Platform Developer Associate",
				"Azure AI Cloud Developer Associate", "GitHub Certified: Agentic AI Developer",
			}, per: 4, max: 20}}},
			{domain.MetricAdvancedCertifications, []step{architect, {names: []string{
				"Azure DevOps Engineer Expert", "Power Platform Solution Architect Expert",
				"GitHub Actions", "GitHub Administration", "GitHub Advanced Security", "GitHub Copilot",
			}, per: 4, max: 20}}},
		}},
	}
	if len(r.Areas) != len(want) {
		t.Fatalf("%d areas, want %d", len(r.Areas), len(want))
	}
	names := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = r.Name(id)
		}
		return out
	}
	for i, w := range want {
		got := r.Areas[i]
		t.Run(string(w.area), func(t *testing.T) {
			if got.Area != w.area || got.Name != w.name {
				t.Fatalf("area %q %q, want %q %q", got.Area, got.Name, w.area, w.name)
			}
			if len(got.Skilling) != len(w.metrics) {
				t.Fatalf("%d skilling metrics, want %d", len(got.Skilling), len(w.metrics))
			}
			for j, wm := range w.metrics {
				gm := got.Skilling[j]
				if gm.Metric != wm.metric {
					t.Errorf("metric %d = %q, want %q", j, gm.Metric, wm.metric)
				}
				if len(gm.Prerequisites)+1 != len(wm.steps) {
					t.Fatalf("%s: %d steps, want %d", gm.Metric, len(gm.Prerequisites)+1, len(wm.steps))
				}
				steps := append(slices.Clone(gm.Prerequisites), gm.Scoring)
				for k, ws := range wm.steps {
					gs := steps[k]
					if n := names(gs.Certifications); !slices.Equal(n, ws.names) {
						t.Errorf("%s step %d certifications = %q, want %q", gm.Metric, k+1, n, ws.names)
					}
					if gs.MinPeople != ws.minPeople || gs.PointsPerPerson != ws.per || gs.MaxPoints != ws.max {
						t.Errorf("%s step %d = min %d, %d/person, max %d; want %d, %d, %d", gm.Metric, k+1,
							gs.MinPeople, gs.PointsPerPerson, gs.MaxPoints, ws.minPeople, ws.per, ws.max)
					}
				}
			}
		})
	}
}

// With the common metrics (30 + 20 + 10), each area's skilling maxima bring
// it to exactly 100 (R-PCS-8).
func TestDesignations_Totals100(t *testing.T) {
	for _, a := range MustScoringRules(MustCertifications()).Areas {
		sum := 30 + 20 + 10
		for _, r := range a.Skilling {
			sum += r.Scoring.MaxPoints
		}
		if sum != 100 {
			t.Errorf("%s totals %d, want 100", a.Area, sum)
		}
	}
}

// R-PCS-10: the rules ask the catalogue's dates, names and levels.
func TestScoringRules_CountsOnAndName(t *testing.T) {
	r := MustScoringRules(MustCertifications())
	for _, tt := range []struct {
		id, day string
		want    bool
	}{
		{"azure-stack-hub-operator-associate", "2024-07-31", true},
		{"azure-stack-hub-operator-associate", "2024-08-01", false},
		{"azure-data-scientist-associate", "2026-06-01", true},
		{"azure-data-scientist-associate", "2026-06-02", false},
		{"azure-administrator-associate", "2099-12-31", true},
		{"no-such-certification", "2026-01-01", false},
	} {
		if got := r.CountsOn(tt.id, domain.MustDate(tt.day)); got != tt.want {
			t.Errorf("CountsOn(%s, %s) = %v, want %v", tt.id, tt.day, got, tt.want)
		}
	}
	if until, ok := r.CountsUntil("azure-stack-hub-operator-associate"); !ok || until.String() != "2024-07-31" {
		t.Errorf("CountsUntil(azure-stack-hub-operator-associate) = %s, %v; want 2024-07-31 (the stopped-counting date a score reports)", until, ok)
	}
	if _, ok := r.CountsUntil("azure-administrator-associate"); ok {
		t.Error("a current certification has no CountsUntil")
	}
	if day, ok := r.RetiresOn("azure-stack-hub-operator-associate"); !ok || day.String() != "2023-07-31" {
		t.Errorf("RetiresOn(azure-stack-hub-operator-associate) = %s, %v; want 2023-07-31", day, ok)
	}
	if _, ok := r.RetiresOn("azure-administrator-associate"); ok {
		t.Error("a current certification has no RetiresOn")
	}
	if got := r.Name("azure-administrator-associate"); got != "Azure Administrator Associate" {
		t.Errorf("Name = %q", got)
	}
	if got := r.Name("no-such-certification"); got != "" {
		t.Errorf("Name of an unknown id = %q, want empty", got)
	}
	// PlanArea prices a person's certification by its level.
	if r.Level == nil || r.Level("azure-solutions-architect-expert") != LevelExpert || r.Level("azure-administrator-associate") != LevelAssociate ||
		r.Level("github-copilot") != LevelGitHub || r.Level("no-such-certification") != "" {
		t.Error("Level must give each certification's catalogue level, and \"\" for an unknown id")
	}
}

func TestParseScoringRules_Rejects(t *testing.T) {
	certs := MustCertifications()
	const step1 = `{"certifications": ["azure-administrator-associate"], "minPeople": 2}`
	const points = `{"certifications": ["azure-network-engineer-associate"], "pointsPerPerson": 4, "maxPoints": 20}`
	rule := func(metric, prereq, scoring string) string {
		return `{"metric": "` + metric + `", "prerequisites": [` + prereq + `], "scoring": ` + scoring + `}`
	}
	okRule := rule("intermediate_certifications", step1, points)
	area := func(id string, rules ...string) string {
		return `{"area": "` + id + `", "name": "N", "skilling": [` + strings.Join(rules, ",") + `]}`
	}
	doc := func(areas ...string) string {
		return `{"version": "2026-11-01", "areas": [` + strings.Join(areas, ",") + `]}`
	}
	others := []string{area("infrastructure", okRule), area("digital-app-innovation", okRule)}
	with := func(a string) string { return doc(append([]string{a}, others...)...) }

	tests := []struct{ name, json, wantErr string }{
		{"unknown certification", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": ["azure-wizard"], "pointsPerPerson": 4, "maxPoints": 40}`))), `"azure-wizard" is not in the certification catalogue`},
		{"empty prerequisite", with(area("data-ai", rule("intermediate_certifications",
			`{"certifications": [], "minPeople": 2}`, points))), "no certifications"},
		{"empty scoring step", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": [], "pointsPerPerson": 4, "maxPoints": 40}`))), "no certifications"},
		{"zero minPeople", with(area("data-ai", rule("intermediate_certifications",
			`{"certifications": ["azure-administrator-associate"]}`, points))), "minPeople must be at least 1"},
		{"prerequisite with points", with(area("data-ai", rule("intermediate_certifications",
			`{"certifications": ["azure-administrator-associate"], "minPeople": 2, "pointsPerPerson": 4}`, points))), "earns no points"},
		{"no points per person", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": ["azure-network-engineer-associate"], "maxPoints": 20}`))), "pointsPerPerson"},
		{"max below one person", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": ["azure-network-engineer-associate"], "pointsPerPerson": 4, "maxPoints": 2}`))), "less than one person"},
		{"repeated certification", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": ["azure-network-engineer-associate", "azure-network-engineer-associate"], "pointsPerPerson": 4, "maxPoints": 20}`))), "listed twice"},
		// R-PCS-4: the planner prices each step of an area apart.
		{"certification in two steps of a metric", with(area("data-ai", rule("intermediate_certifications", step1,
			`{"certifications": ["azure-network-engineer-associate", "azure-administrator-associate"], "pointsPerPerson": 4, "maxPoints": 20}`))),
			`.scoring: "azure-administrator-associate" is also in areas[0] ("data-ai").skilling[0] ("intermediate_certifications").prerequisites[0]`},
		{"certification in two metrics of an area", with(area("data-ai", okRule, rule("advanced_certifications",
			`{"certifications": ["azure-solutions-architect-expert"], "minPeople": 2}`,
			`{"certifications": ["azure-network-engineer-associate"], "pointsPerPerson": 4, "maxPoints": 20}`))),
			`skilling[1] ("advanced_certifications").scoring: "azure-network-engineer-associate" is also in areas[0] ("data-ai").skilling[0] ("intermediate_certifications").scoring`},
		{"not a skilling metric", with(area("data-ai", rule("usage_growth", step1, points))), "not a skilling metric"},
		{"duplicate metric", with(area("data-ai", okRule, okRule)), "duplicate metric"},
		{"unknown area", with(area("modern-work", okRule)), "unknown area"},
		{"missing area", doc(others...), `"data-ai" is missing`},
		{"duplicate area", doc(append([]string{area("data-ai", okRule), area("data-ai", okRule)}, others...)...), "duplicate area"},
		{"empty name", with(`{"area": "data-ai", "name": "", "skilling": [` + okRule + `]}`), "name is empty"},
		{"unknown field", with(`{"area": "data-ai", "name": "N", "skilling": [], "extra": 1}`), "unknown field"},
		{"bad version", `{"version": "latest", "areas": []}`, "version"},
		{"trailing data", with(area("data-ai", okRule)) + `[]`, "after the JSON"},
		{"not JSON", `areas`, "designation catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScoringRules([]byte(tt.json), certs)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}

	if _, err := ParseScoringRules([]byte(with(area("data-ai", okRule))), certs); err != nil {
		t.Errorf("the valid base document is rejected: %v", err)
	}
	if _, err := ParseScoringRules(designationsJSON, nil); err == nil {
		t.Error("accepted without a certification catalogue")
	}
}
