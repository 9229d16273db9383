package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

func TestLoadCertifications_Embedded(t *testing.T) {
	c, err := LoadCertifications()
	if err != nil {
		t.Fatalf("embedded catalogue does not load: %v", err)
	}
	if c.Version != "2026-11-01" {
		t.Errorf("Version = %q, want 2026-11-01", c.Version)
	}
	all := c.All()
	if len(all) == 0 {
		t.Fatal("catalogue is empty")
	}
	if !slices.IsSortedFunc(all, func(a, b Certification) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("All() is not sorted by id")
	}
	for _, cert := range all {
		got, ok := c.Lookup(cert.ID)
		if !ok || got.ID != cert.ID || got.Name != cert.Name {
			t.Errorf("Lookup(%q) = %+v, %v", cert.ID, got, ok)
		}
	}
	if _, ok := c.Lookup("no-such-certification"); ok {
		t.Error("Lookup of an unknown id succeeded")
	}
}

func TestMustCertifications(t *testing.T) {
	if MustCertifications() == nil {
		t.Fatal("MustCertifications returned nil")
	}
}

// The catalogue against the step tables of RULES.md and the certifications R-SPEC-2
// names, each spelled exactly, with its id, level and dates (R-SPEC-2).
func TestCatalogue_DomainTableNames(t *testing.T) {
	c := MustCertifications()
	type dates struct{ retiresOn, countsUntil string }
	tests := []struct {
		id, name, level string
		dates           dates
	}{
		{"azure-administrator-associate", "Azure Administrator Associate", LevelAssociate, dates{}},
		{"azure-solutions-architect-expert", "Azure Solutions Architect Expert", LevelExpert, dates{}},
		{"azure-database-administrator-associate", "Azure Database Administrator Associate", LevelAssociate, dates{}},
		{"azure-ai-engineer-associate", "Azure AI Engineer Associate", LevelAssociate, dates{"2026-06-30", "2026-06-30"}},
		{"azure-data-scientist-associate", "Azure Data Scientist Associate", LevelAssociate, dates{"2026-06-01", "2026-06-01"}},
		{"data-analyst-associate", "Data Analyst Associate", LevelAssociate, dates{}},
		{"azure-cosmos-db-developer-specialty", "Azure Cosmos DB Developer Specialty", LevelSpecialty, dates{}},
		{"fabric-analytics-engineer-associate", "Fabric Analytics Engineer Associate", LevelAssociate, dates{}},
		{"fabric-data-engineer-associate", "Fabric Data Engineer Associate", LevelAssociate, dates{}},
		{"sql-ai-developer-associate", "SQL AI Developer Associate", LevelAssociate, dates{}},
		{"azure-ai-apps-and-agents-developer-associate", "Azure AI Apps and Agents Developer Associate", LevelAssociate, dates{}},
		{"machine-learning-operations-engineer-associate", "Machine Learning Operations Engineer Associate", LevelAssociate, dates{}},
		{"azure-databricks-data-engineer-associate", "Azure Databricks Data Engineer Associate", LevelAssociate, dates{}},
		{"azure-developer-associate", "Azure Developer Associate", LevelAssociate, dates{"2026-07-31", "2026-07-31"}},
		{"power-platform-developer-associate", "Power Platform Developer Associate", LevelAssociate, dates{}},
		{"azure-ai-cloud-developer-associate", "Azure AI Cloud Developer Associate", LevelAssociate, dates{}},
		{"github-certified-agentic-ai-developer", "GitHub Certified: Agentic AI Developer", LevelGitHub, dates{}},
		{"azure-devops-engineer-expert", "Azure DevOps Engineer Expert", LevelExpert, dates{}},
		{"power-platform-solution-architect-expert", "Power Platform Solution Architect Expert", LevelExpert, dates{}},
		{"github-actions", "GitHub Actions", LevelGitHub, dates{}},
		{"github-administration", "GitHub Administration", LevelGitHub, dates{}},
		{"github-advanced-security", "GitHub Advanced Security", LevelGitHub, dates{}},
		{"github-copilot", "GitHub Copilot", LevelGitHub, dates{}},
		{"azure-network-engineer-associate", "Azure Network Engineer Associate", LevelAssociate, dates{}},
		{"windows-server-hybrid-administrator-associate", "Windows Server Hybrid Administrator Associate", LevelAssociate, dates{}},
		// The public page says "Azure Stack Hub Operator"; the certification's full name carries "Associate".
		{"azure-stack-hub-operator-associate", "Azure Stack Hub Operator Associate", LevelAssociate, dates{"2023-07-31", "2024-07-31"}},
		{"azure-virtual-desktop-specialty", "Azure Virtual Desktop Specialty", LevelSpecialty, dates{}},
		{"azure-for-sap-workloads-specialty", "Azure for SAP Workloads Specialty", LevelSpecialty, dates{}},
	}
	if got := len(c.All()); got != len(tests) {
		t.Errorf("catalogue has %d certifications, the table lists %d: update both together", got, len(tests))
	}
	str := func(d *domain.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, ok := c.Lookup(tt.id)
			if !ok {
				t.Fatalf("%q (%s) is missing", tt.id, tt.name)
			}
			if got.Name != tt.name {
				t.Errorf("name = %q, want %q", got.Name, tt.name)
			}
			if got.Level != tt.level {
				t.Errorf("level = %q, want %q", got.Level, tt.level)
			}
			if r, u := str(got.RetiresOn), str(got.CountsUntil); r != tt.dates.retiresOn || u != tt.dates.countsUntil {
				t.Errorf("retiresOn, countsUntil = %q, %q; want %q, %q", r, u, tt.dates.retiresOn, tt.dates.countsUntil)
			}
		})
	}
}

// TestCountsOn: a retired certification keeps earning points through
// its stated grace period and not a day longer (R-PCS-10, seed 003).
func TestCountsOn(t *testing.T) {
	c := MustCertifications()
	hub, ok := c.Lookup("azure-stack-hub-operator-associate")
	if !ok {
		t.Fatal("Azure Stack Hub Operator is missing")
	}
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2023-07-31", true}, // retirement day
		{"2023-08-01", true}, // retired, in the grace period
		{"2024-07-31", true}, // last day of the grace period
		{"2024-08-01", false},
		{"2026-11-01", false},
	} {
		if got := hub.CountsOn(domain.MustDate(tt.day)); got != tt.want {
			t.Errorf("Azure Stack Hub Operator CountsOn(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}

	// Without a stated grace period a certification counts through its retirement day.
	aiEng, _ := c.Lookup("azure-ai-engineer-associate")
	if !aiEng.CountsOn(domain.MustDate("2026-06-30")) || aiEng.CountsOn(domain.MustDate("2026-07-01")) {
		t.Error("Azure AI Engineer Associate must count on 2026-06-30 and not on 2026-07-01")
	}

	// A current certification counts forever.
	admin, _ := c.Lookup("azure-administrator-associate")
	for _, day := range []string{"2000-01-01", "2026-11-01", "9999-12-31"} {
		if !admin.CountsOn(domain.MustDate(day)) {
			t.Errorf("Azure Administrator Associate does not count on %s", day)
		}
	}
}

func TestAll_ReturnsCopies(t *testing.T) {
	c := MustCertifications()
	all := c.All()
	for i := range all {
		all[i].Name = "changed"
		if all[i].CountsUntil != nil {
			*all[i].CountsUntil = domain.MustDate("1999-01-01")
		}
	}
	hub, _ := c.Lookup("azure-stack-hub-operator-associate")
	if hub.Name == "changed" || hub.CountsUntil.String() != "2024-07-31" {
		t.Errorf("changing All()'s result changed the catalogue: %+v", hub)
	}
}

func TestParseCertifications_Rejects(t *testing.T) {
	const ok = `{"id": "azure-administrator-associate", "name": "Azure Administrator Associate", "level": "associate"}`
	doc := func(entries ...string) string {
		return `{"version": "2026-11-01", "certifications": [` + strings.Join(entries, ",") + `]}`
	}
	tests := []struct {
		name, json, wantErr string
	}{
		{"duplicate id", doc(ok, `{"id": "azure-administrator-associate", "name": "Other", "level": "associate"}`), "duplicate id"},
		{"uppercase slug", doc(`{"id": "Azure-Admin", "name": "X", "level": "associate"}`), "kebab-case"},
		{"underscore slug", doc(`{"id": "azure_admin", "name": "X", "level": "associate"}`), "kebab-case"},
		{"double hyphen slug", doc(`{"id": "azure--admin", "name": "X", "level": "associate"}`), "kebab-case"},
		{"trailing hyphen slug", doc(`{"id": "azure-admin-", "name": "X", "level": "associate"}`), "kebab-case"},
		{"empty id", doc(`{"id": "", "name": "X", "level": "associate"}`), "kebab-case"},
		{"countsUntil before retiresOn", doc(`{"id": "x", "name": "X", "level": "associate", "retiresOn": "2024-07-31", "countsUntil": "2024-07-30"}`), "before retiresOn"},
		{"retiresOn without countsUntil", doc(`{"id": "x", "name": "X", "level": "associate", "retiresOn": "2024-07-31"}`), "together"},
		{"countsUntil without retiresOn", doc(`{"id": "x", "name": "X", "level": "associate", "countsUntil": "2024-07-31"}`), "together"},
		{"empty name", doc(`{"id": "x", "name": "  ", "level": "associate"}`), "name is empty"},
		{"duplicate name", doc(ok, `{"id": "x", "name": "Azure Administrator Associate", "level": "associate"}`), "also used by"},
		{"unknown level", doc(`{"id": "x", "name": "X", "level": "intermediate"}`), "unknown level"},
		{"bad date", doc(`{"id": "x", "name": "X", "level": "associate", "retiresOn": "2024-02-30", "countsUntil": "2024-03-01"}`), "YYYY-MM-DD"},
		{"unknown field", doc(`{"id": "x", "name": "X", "level": "associate", "retired": true}`), "unknown field"},
		{"bad version", `{"version": "v1", "certifications": [` + ok + `]}`, "version"},
		{"empty list", doc(), "empty"},
		{"trailing data", doc(ok) + `{}`, "after the JSON"},
		{"not JSON", `certifications`, "certification catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCertifications([]byte(tt.json))
			if err == nil {
				t.Fatalf("accepted: %+v", c.All())
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseCertifications_ReportsEveryProblem(t *testing.T) {
	_, err := ParseCertifications([]byte(`{"version": "2026-11-01", "certifications": [
		{"id": "Bad_Slug", "name": "A", "level": "associate"},
		{"id": "b", "name": "B", "level": "associate", "retiresOn": "2024-07-31", "countsUntil": "2023-07-31"}]}`))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"kebab-case", "before retiresOn"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestParseCertifications_SortsByID(t *testing.T) {
	c, err := ParseCertifications([]byte(`{"version": "2026-11-01", "certifications": [
		{"id": "b", "name": "B", "level": "expert"},
		{"id": "a", "name": "A", "level": "associate", "retiresOn": "2024-07-31", "countsUntil": "2024-07-31"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	all := c.All()
	if len(all) != 2 || all[0].ID != "a" || all[1].ID != "b" {
		t.Fatalf("All() = %+v, want a then b", all)
	}
	if b, ok := c.Lookup("b"); !ok || b.Name != "B" {
		t.Errorf("Lookup(b) = %+v, %v", b, ok)
	}
}
