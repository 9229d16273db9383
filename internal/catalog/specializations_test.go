package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

const (
	specDAI  = domain.AreaDataAI
	specINF  = domain.AreaInfrastructure
	specDAPP = domain.AreaDigitalAppInnovation
	specBA   = domain.AreaBusinessApplications
	specMW   = domain.AreaModernWork
	specSEC  = domain.AreaSecurity
)

// The catalogue against seed 002's mapping table, row by row: the name in
// Microsoft's English, the category and the aligned designations, any one of
// which suffices (R-SPEC-1).
func TestSpecializations_SeedMapping(t *testing.T) {
	s := MustSpecializations()
	type row struct {
		id, name string
		category domain.SpecializationCategory
		des      []domain.Area
	}
	rows := []row{
		{"ai-and-machine-learning-in-microsoft-azure", "AI and Machine Learning in Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specDAPP}},
		{"analytics-on-microsoft-azure", "Analytics on Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI}},
		{"build-and-modernize-ai-apps-with-microsoft-azure", "Build and Modernize AI Apps with Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specDAPP}},
		{"data-warehouse-migration-to-microsoft-azure", "Data Warehouse Migration to Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI}},
		{"accelerate-developer-productivity-with-microsoft-azure", "Accelerate Developer Productivity with Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specDAPP}},
		{"hybrid-cloud-infrastructure-with-microsoft-azure-stack-hci", "Hybrid Cloud Infrastructure with Microsoft Azure Stack HCI", domain.CategoryAzure, []domain.Area{specDAI, specDAPP, specINF}},
		{"infra-and-database-migration-to-microsoft-azure", "Infra and Database Migration to Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specINF}},
		{"kubernetes-on-microsoft-azure", "Kubernetes on Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specDAPP}},
		{"microsoft-azure-virtual-desktop", "Microsoft Azure Virtual Desktop", domain.CategoryAzure, []domain.Area{specINF}},
		{"microsoft-azure-vmware-solution", "Microsoft Azure VMware Solution", domain.CategoryAzure, []domain.Area{specINF}},
		{"migrate-enterprise-applications-to-microsoft-azure", "Migrate Enterprise Applications to Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specDAPP}},
		{"networking-services-in-microsoft-azure", "Networking Services in Microsoft Azure", domain.CategoryAzure, []domain.Area{specINF}},
		{"sap-on-microsoft-azure", "SAP on Microsoft Azure", domain.CategoryAzure, []domain.Area{specINF}},
		{"linux-and-open-source-database-migration-to-microsoft-azure", "Linux and Open-Source Database Migration to Microsoft Azure", domain.CategoryAzure, []domain.Area{specDAI, specINF}},
		{"business-intelligence", "Business Intelligence", domain.CategoryBusinessApplications, []domain.Area{specBA, specDAI}},
		{"finance", "Finance", domain.CategoryBusinessApplications, []domain.Area{specBA}},
		{"intelligent-automation", "Intelligent Automation", domain.CategoryBusinessApplications, []domain.Area{specBA, specDAPP, specMW}},
		{"microsoft-low-code-application-development", "Microsoft Low Code Application Development", domain.CategoryBusinessApplications, []domain.Area{specBA, specDAPP, specMW}},
		{"sales", "Sales", domain.CategoryBusinessApplications, []domain.Area{specBA}},
		{"service", "Service", domain.CategoryBusinessApplications, []domain.Area{specBA}},
		{"small-and-midsize-business-management", "Small and Midsize Business Management", domain.CategoryBusinessApplications, []domain.Area{specBA}},
		{"supply-chain", "Supply Chain", domain.CategoryBusinessApplications, []domain.Area{specBA}},
		{"adoption-and-change-management", "Adoption and Change Management", domain.CategoryModernWork, []domain.Area{specMW}},
		{"calling-for-microsoft-teams", "Calling for Microsoft Teams", domain.CategoryModernWork, []domain.Area{specMW}},
		{"custom-solutions-for-microsoft-teams", "Custom Solutions for Microsoft Teams", domain.CategoryModernWork, []domain.Area{specMW}},
		{"meetings-and-meeting-rooms-for-microsoft-teams", "Meetings and Meeting Rooms for Microsoft Teams", domain.CategoryModernWork, []domain.Area{specMW}},
		{"modernize-endpoints", "Modernize Endpoints", domain.CategoryModernWork, []domain.Area{specMW}},
		{"teamwork-deployment", "Teamwork Deployment", domain.CategoryModernWork, []domain.Area{specMW}},
		{"cloud-security", "Cloud Security", domain.CategorySecurity, []domain.Area{specSEC}},
		{"identity-and-access-management", "Identity and Access Management", domain.CategorySecurity, []domain.Area{specSEC}},
		{"information-protection-and-governance", "Information Protection and Governance", domain.CategorySecurity, []domain.Area{specSEC}},
		{"threat-protection", "Threat Protection", domain.CategorySecurity, []domain.Area{specSEC}},
	}
	all := s.All()
	if len(all) != len(rows) {
		t.Errorf("%d specializations, want %d", len(all), len(rows))
	}
	perCategory := map[domain.SpecializationCategory]int{}
	for _, r := range rows {
		sp, ok := s.Lookup(r.id)
		if !ok {
			t.Errorf("%s missing", r.id)
			continue
		}
		if sp.Name != r.name || sp.Category != r.category || !slices.Equal(sp.Designations, r.des) {
			t.Errorf("%s: %q %s %v, want %q %s %v", r.id, sp.Name, sp.Category, sp.Designations, r.name, r.category, r.des)
		}
		if sp.SupersededBy == "" {
			perCategory[sp.Category]++
		}
	}
	// Seed 002's table: Azure 13, Business Applications 8, Modern Work 6, Security 4 (current ones).
	want := map[domain.SpecializationCategory]int{domain.CategoryAzure: 13, domain.CategoryBusinessApplications: 8, domain.CategoryModernWork: 6, domain.CategorySecurity: 4}
	for c, n := range want {
		if perCategory[c] != n {
			t.Errorf("%s: %d current specializations, want %d", c, perCategory[c], n)
		}
	}
	if s.Version != "2026-11-01" {
		t.Errorf("version %s", s.Version)
	}
	if _, ok := s.Lookup("no-such-specialization"); ok {
		t.Error("unknown id found")
	}
}

// Seed 002: Azure is validated by audit, Modern Work and Security by customer
// reference, Business Applications enrol automatically (R-SPEC-7).
func TestSpecializations_ManualValidationKind(t *testing.T) {
	for _, sp := range MustSpecializations().All() {
		if sp.ManualValidation != domain.ManualValidationFor(sp.Category) {
			t.Errorf("%s: %s", sp.ID, sp.ManualValidation)
		}
		if sp.ID != "ai-and-machine-learning-in-microsoft-azure" && sp.RequirementsKnown != domain.RequirementsPartial {
			t.Errorf("%s claims %s requirements; the seeds detail only AI and Machine Learning", sp.ID, sp.RequirementsKnown)
		}
	}
}

// R-SPEC-2: AI and Machine Learning as seed 001 states it.
func TestSpecializations_AIMachineLearning(t *testing.T) {
	sp, _ := MustSpecializations().Lookup("ai-and-machine-learning-in-microsoft-azure")
	p, k, a := sp.Requirements.Performance, sp.Requirements.Knowledge, sp.Requirements.Audit
	if sp.RequirementsKnown != domain.RequirementsFull || p == nil || k == nil || a == nil {
		t.Fatalf("%+v", sp)
	}
	if !slices.Equal(p.ServiceGroups, []string{"AI + Machine Learning"}) || p.MonthlyAverage != 2000_00 || p.Months != 3 || p.MinCustomers != 3 || p.GovernmentViaPAL ||
		!slices.Equal(p.Associations, []domain.Association{domain.AssociationDPOR, domain.AssociationPAL, domain.AssociationCSPTier1, domain.AssociationCSPTier2}) {
		t.Errorf("performance %+v", p)
	}
	if k.MinPeople != 3 || !k.EachCertificationHeld || !slices.Equal(k.Certifications, []string{"azure-data-scientist-associate", "azure-ai-engineer-associate"}) {
		t.Errorf("knowledge %+v", k)
	}
	if !slices.Equal(a.Modules, []string{"A", "B"}) {
		t.Errorf("audit %+v", a)
	}
}

// R-SPEC-3: Linux and Open-Source Database Migration, superseded and grandfathered.
func TestSpecializations_Superseded(t *testing.T) {
	s := MustSpecializations()
	old, _ := s.Lookup("linux-and-open-source-database-migration-to-microsoft-azure")
	if old.SupersededOn == nil || old.SupersededOn.String() != "2023-01-09" || old.SupersededBy != "infra-and-database-migration-to-microsoft-azure" || !old.Grandfathered {
		t.Errorf("%+v", old)
	}
	// R-AUD-1's controls and the final checklist version (seed 000: no V2.2).
	a := old.Requirements.Audit
	if a == nil || a.ChecklistVersion != "V2.1" || !slices.Equal(a.Modules, []string{"A", "B"}) ||
		strings.Join(a.ModuleAControls, " ") != "1.1 2.1 2.2 3.1 4.1 5.1" ||
		strings.Join(a.ModuleBControls, " ") != "1.1 2.1 3.1 3.2 4.1 4.2 4.3 4.4 5.1 5.2" {
		t.Errorf("audit %+v", a)
	}
	infra, _ := s.Lookup(old.SupersededBy)
	if infra.ValidFrom == nil || infra.ValidFrom.String() != "2023-01-09" || infra.SupersededBy != "" {
		t.Errorf("successor %+v", infra)
	}
	st := domain.Readiness(old, domain.ReadinessInput{AsOf: domain.MustMonth("2026-10")})
	if !st.Superseded || st.SupersededBy != infra.ID || st.Status != domain.ReadinessSuperseded {
		t.Errorf("readiness %+v", st)
	}
}

// R-SPEC-4: the benefit caps per category of seed 002.
func TestSpecializations_BenefitCaps(t *testing.T) {
	s := MustSpecializations()
	want := map[domain.SpecializationCategory]int{domain.CategoryAzure: 5, domain.CategoryBusinessApplications: 1, domain.CategoryModernWork: 3, domain.CategorySecurity: 3}
	for c, n := range want {
		if got := s.BenefitCap(c); got != n {
			t.Errorf("%s cap %d, want %d", c, got, n)
		}
	}
	if s.BenefitCap("dynamics") != 0 {
		t.Error("unknown category has a cap")
	}
	caps := s.BenefitCaps()
	caps[domain.CategoryAzure] = 99
	if s.BenefitCap(domain.CategoryAzure) != 5 {
		t.Error("BenefitCaps exposes the shared map")
	}
	// Seed 002's example: a fourth Security specialization earns no benefit.
	if got := domain.BenefitsGranted(4, s.BenefitCap(domain.CategorySecurity)); got != 3 {
		t.Errorf("four Security specializations: %d benefits", got)
	}
}

func TestSpecializations_ReadOnly(t *testing.T) {
	s := MustSpecializations()
	sp, _ := s.Lookup("ai-and-machine-learning-in-microsoft-azure")
	sp.Designations[0] = "security"
	sp.Requirements.Knowledge.Certifications[0] = "x"
	sp.Requirements.Performance.MonthlyAverage = 1
	all := s.All()
	all[0].Name = "changed"
	again, _ := s.Lookup("ai-and-machine-learning-in-microsoft-azure")
	if again.Designations[0] != specDAI || again.Requirements.Knowledge.Certifications[0] != "azure-data-scientist-associate" ||
		again.Requirements.Performance.MonthlyAverage != 2000_00 || s.All()[0].Name != "AI and Machine Learning in Microsoft Azure" {
		t.Errorf("catalogue changed through a returned value: %+v", again)
	}
}

// Readiness on the catalogue's own entry, with retired certifications: both
// listed ones retired in 2026, yet a certificate that has not expired still
// counts for the specialization (seed 001: "passed"; R-SPEC-2, R-PCS-10).
func TestSpecializations_ReadinessFromCatalogue(t *testing.T) {
	sp, _ := MustSpecializations().Lookup("ai-and-machine-learning-in-microsoft-azure")
	certs := MustCertifications()
	asOf := domain.MustMonth("2026-10")
	for _, id := range sp.Requirements.Knowledge.Certifications {
		if c, _ := certs.Lookup(id); c.CountsOn(asOf.LastDay()) {
			t.Fatalf("%s was expected retired by %s for this test", id, asOf)
		}
	}
	exp := domain.MustDate("2027-03-01")
	held := func(id string, ids ...string) domain.Individual {
		ind := domain.Individual{ID: id}
		for _, c := range ids {
			ind.Certifications = append(ind.Certifications, domain.HeldCertification{ID: c, EarnedOn: domain.MustDate("2025-03-01"), ExpiresOn: &exp})
		}
		return ind
	}
	var records []domain.ConsumptionRecord
	var customers []domain.Customer
	for i := 1; i <= 3; i++ {
		tenant := fmt.Sprintf("00000000-0000-0000-0000-%012d", i)
		customers = append(customers, domain.Customer{TenantID: tenant, Association: domain.AssociationCSPTier2})
		for m := -2; m <= 0; m++ {
			records = append(records, domain.ConsumptionRecord{TenantID: tenant, Month: asOf.AddMonths(m), ServiceLevel2: "Azure OpenAI", ServiceGroup: "AI + Machine Learning", Offer: domain.OfferCSP, ACR: 700_00})
		}
	}
	st := domain.Readiness(sp, domain.ReadinessInput{
		AsOf:         asOf,
		Designations: map[domain.Area]bool{specDAI: false, specDAPP: true},
		Individuals: []domain.Individual{
			held("a", "azure-data-scientist-associate"), held("b", "azure-ai-engineer-associate"), held("c", "azure-ai-engineer-associate"),
		},
		Customers: customers,
		Usage:     domain.NewUsage(records),
	})
	if st.Status != domain.ReadinessReadyForAudit {
		t.Errorf("status %s: %+v", st.Status, st.Requirements)
	}
}

// The catalogue's retirement dates reach readiness through the scoring
// rules: as of 2026-10 both of AI and Machine Learning's certifications have
// retired, so two holders short of three are told nobody can earn one and
// the catalogue needs their successors, not to certify a third person
// (R-SPEC-2, R-PCS-10).
func TestSpecializations_KnowledgeOnceEveryListedCertificationRetired(t *testing.T) {
	sp, _ := MustSpecializations().Lookup("ai-and-machine-learning-in-microsoft-azure")
	rules := MustScoringRules(MustCertifications())
	person := func(id, cert string) domain.Individual {
		return domain.Individual{ID: id, Certifications: []domain.HeldCertification{{ID: cert, EarnedOn: domain.MustDate("2025-03-01")}}}
	}
	in := domain.ScoreInput{AsOf: domain.MustMonth("2026-10"),
		Individuals: []domain.Individual{person("a", "azure-data-scientist-associate"), person("b", "azure-ai-engineer-associate")}}
	var k domain.RequirementStatus
	for _, r := range domain.Readiness(sp, domain.ReadinessInputFor(rules, in)).Requirements {
		if r.Kind == domain.RequirementKnowledge {
			k = r
		}
	}
	if k.Met == nil || *k.Met || !strings.Contains(k.Shortfall, "every listed certification has retired (azure-data-scientist-associate on 2026-06-01, azure-ai-engineer-associate on 2026-06-30)") ||
		!strings.Contains(k.Shortfall, "the catalogue needs their successor certifications") || strings.Contains(k.Shortfall, "more person") {
		t.Errorf("knowledge %+v", k)
	}
	if got := k.Inputs.(domain.KnowledgeInputs).Retired; len(got) != 2 {
		t.Errorf("retired %+v", got)
	}
}

func TestParseSpecializations_Rejects(t *testing.T) {
	certs := MustCertifications()
	good := string(specializationsJSON)
	if _, err := ParseSpecializations([]byte(good), certs); err != nil {
		t.Fatalf("embedded file: %v", err)
	}
	const aiID = `"id": "ai-and-machine-learning-in-microsoft-azure"`
	for name, tc := range map[string]struct{ from, to, wantErr string }{
		"duplicate id":             {`"id": "finance"`, `"id": "sales"`, "duplicate id"},
		"unknown category":         {`"id": "finance", "name": "Finance", "category": "business-applications"`, `"id": "finance", "name": "Finance", "category": "dynamics"`, "unknown category"},
		"unknown designation":      {`"designations": ["security"]`, `"designations": ["azure-security"]`, "unknown designation"},
		"successor missing":        {`"supersededBy": "infra-and-database-migration-to-microsoft-azure"`, `"supersededBy": "no-such-one"`, "not in the catalogue"},
		"unknown certification":    {`"azure-ai-engineer-associate"]`, `"azure-ai-engineer"]`, "not in the certification catalogue"},
		"missing cap":              {`"security": 3}`, `"securityx": 3}`, "security needs a cap"},
		"unknown field":            {aiID, aiID + `, "color": "blue"`, "unknown field"},
		"unknown performance key":  {`"governmentViaPAL": false`, `"governmentViaFairfax": false`, "unknown field"},
		"three decimals":           {`"monthlyAverageUsd": 2000`, `"monthlyAverageUsd": 2000.001`, "at most 2 decimals"},
		"manual validation vs cat": {`"category": "security", "designations": ["security"], "manualValidation": "customer_reference"`, `"category": "security", "designations": ["security"], "manualValidation": "none"`, "seed 002"},
		"bad version":              {`"version": "2026-11-01"`, `"version": "2026-11"`, "version"},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(good, tc.from) {
				t.Fatalf("fixture text %q not in the file", tc.from)
			}
			_, err := ParseSpecializations([]byte(strings.Replace(good, tc.from, tc.to, 1)), certs)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
	cycle := strings.Replace(good, `"id": "infra-and-database-migration-to-microsoft-azure", "name": "Infra and Database Migration to Microsoft Azure", "category": "azure", "designations": ["data-ai", "infrastructure"], "validFrom": "2023-01-09"`,
		`"id": "infra-and-database-migration-to-microsoft-azure", "name": "Infra and Database Migration to Microsoft Azure", "category": "azure", "designations": ["data-ai", "infrastructure"], "validFrom": "2023-01-09", "supersededOn": "2024-01-01", "supersededBy": "linux-and-open-source-database-migration-to-microsoft-azure"`, 1)
	if cycle == good {
		t.Fatal("cycle fixture did not apply")
	}
	if _, err := ParseSpecializations([]byte(cycle), certs); err == nil || !strings.Contains(err.Error(), "loops back") {
		t.Errorf("cycle: %v", err)
	}
	if _, err := ParseSpecializations([]byte(good+"{}"), certs); err == nil {
		t.Error("trailing data accepted")
	}
	if _, err := ParseSpecializations([]byte(good), nil); err == nil {
		t.Error("no certification catalogue accepted")
	}
}

func TestMustSpecializations(t *testing.T) {
	if MustSpecializations() == nil {
		t.Fatal("nil")
	}
}
