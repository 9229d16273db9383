// Package evidence holds the rules of audit evidence as pure Go: what a piece
// of evidence is (its metadata, kinds, scenarios and statuses), whether its
// metadata is valid against the checklist and the partner's data (Validate),
// and how far a partner's evidence covers a checklist on an audit date
// (Coverage). It does no I/O: the store loads the evidence, customers and
// people, the catalogue resolves the checklist, and the HTTP layer maps the
// answers to the wire.
package evidence

import (
	"slices"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/domain"
)

// Kind is what a piece of evidence is; each checklist control accepts some
// kinds (RULES.md, R-AUD-11).
type Kind string

const (
	KindStrategyDocument        Kind = "strategy_document"
	KindAdoptionPlan            Kind = "adoption_plan"
	KindSkillingPlan            Kind = "skilling_plan"
	KindDeploymentTemplate      Kind = "deployment_template"
	KindGovernanceEvidence      Kind = "governance_evidence"
	KindOperationsEvidence      Kind = "operations_evidence"
	KindCertificationProof      Kind = "certification_proof"
	KindProgramMembership       Kind = "program_membership"
	KindEmploymentProof         Kind = "employment_proof"
	KindAssessmentReport        Kind = "assessment_report"
	KindSolutionDesign          Kind = "solution_design"
	KindWellArchitectedReview   Kind = "well_architected_review"
	KindSOW                     Kind = "sow"
	KindProjectPlan             Kind = "project_plan"
	KindArchitectureDiagram     Kind = "architecture_diagram"
	KindHLDLLD                  Kind = "hld_lld"
	KindAsBuilt                 Kind = "as_built"
	KindToolDemonstration       Kind = "tool_demonstration"
	KindAutomationDemonstration Kind = "automation_demonstration"
	KindTestReport              Kind = "test_report"
	KindOperationsDocumentation Kind = "operations_documentation"
	KindOther                   Kind = "other"
)

// Kinds lists every kind, in DESIGN's order. A kind's position is its bit in
// the kind sets Coverage counts distinct kinds with, so there are at most 32.
var Kinds = []Kind{
	KindStrategyDocument, KindAdoptionPlan, KindSkillingPlan, KindDeploymentTemplate,
	KindGovernanceEvidence, KindOperationsEvidence, KindCertificationProof, KindProgramMembership,
	KindEmploymentProof, KindAssessmentReport, KindSolutionDesign, KindWellArchitectedReview,
	KindSOW, KindProjectPlan, KindArchitectureDiagram, KindHLDLLD, KindAsBuilt,
	KindToolDemonstration, KindAutomationDemonstration, KindTestReport, KindOperationsDocumentation,
	KindOther,
}

// kindAt finds a kind by its length and first letter, which no two kinds
// share (TestVocabulary holds them to it): Coverage asks the kind of every
// piece of evidence, and a search of Kinds, or a switch, compares strings.
var kindAt = func() (t [32]['z' - 'a' + 1]int8) {
	for i, k := range Kinds {
		if j, c, ok := kindSlot(k); ok && t[j][c] == 0 {
			t[j][c] = int8(i + 1)
		}
	}
	return t
}()

func kindSlot(k Kind) (int, int, bool) {
	if len(k) == 0 || len(k) >= 32 || k[0] < 'a' || k[0] > 'z' {
		return 0, 0, false
	}
	return len(k), int(k[0] - 'a'), true
}

// index is the kind's position in Kinds, or -1.
func (k Kind) index() int {
	if j, c, ok := kindSlot(k); ok {
		if i := int(kindAt[j][c]) - 1; i >= 0 && Kinds[i] == k {
			return i
		}
	}
	return -1
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k.index() >= 0 }

// bit is the kind's bit in a set of kinds; 0 for a kind not in Kinds.
func (k Kind) bit() uint32 {
	if i := k.index(); i >= 0 {
		return 1 << i
	}
	return 0
}

// Scenario is the migration scenario a piece of evidence is about, for the
// controls that ask for one (B3.1, B4.2).
type Scenario string

const (
	// B4.2's database migrations.
	ScenarioOracleToPostgreSQL Scenario = "oracle_to_postgresql"
	ScenarioPostgreSQL         Scenario = "postgresql"
	ScenarioMariaDB            Scenario = "mariadb"
	ScenarioMySQL              Scenario = "mysql"
	ScenarioCassandra          Scenario = "cassandra"
	ScenarioMongoDB            Scenario = "mongodb"
	// B3.1's solution designs.
	ScenarioLinuxApplications Scenario = "linux_applications"
	ScenarioOSSDatabase       Scenario = "oss_database"
)

// Scenarios lists every scenario; which control accepts which, and from
// when, is checklist data.
var Scenarios = []Scenario{
	ScenarioOracleToPostgreSQL, ScenarioPostgreSQL, ScenarioMariaDB, ScenarioMySQL,
	ScenarioCassandra, ScenarioMongoDB, ScenarioLinuxApplications, ScenarioOSSDatabase,
}

// Valid reports whether s is one of Scenarios.
func (s Scenario) Valid() bool {
	for _, x := range Scenarios {
		if x == s {
			return true
		}
	}
	return false
}

// Status is where a piece of evidence is in its life. Only available
// evidence counts: its object was uploaded and its size and SHA-256 verified.
type Status string

const (
	StatusPendingUpload Status = "pending_upload"
	StatusScanning      Status = "scanning"
	StatusAvailable     Status = "available"
	StatusRejected      Status = "rejected"
	// StatusSuperseded: a newer version of the evidence is available.
	StatusSuperseded Status = "superseded"
	// StatusDeleted is a tombstone: metadata and history kept, never counted.
	StatusDeleted Status = "deleted"
)

// Statuses lists every status.
var Statuses = []Status{StatusPendingUpload, StatusScanning, StatusAvailable, StatusRejected, StatusSuperseded, StatusDeleted}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Metadata is what the partner says about one source document: the fields of
// POST …/evidence, named as DESIGN fixes them. Customers hold canonical
// lower-case tenant ids (domain.NormalizeTenantID) once stored: Coverage
// compares them exactly.
type Metadata struct {
	SpecializationID string   `json:"specializationId"`
	Controls         []string `json:"controls"`
	Customers        []string `json:"customers"`
	Individuals      []string `json:"individuals"`
	Kind             Kind     `json:"kind"`
	Scenario         Scenario `json:"scenario,omitempty"`
	// Production: the project's solution was deployed to production.
	Production          bool         `json:"production"`
	ProjectCompletedOn  *domain.Date `json:"projectCompletedOn,omitempty"`
	CustomerSignedOffOn *domain.Date `json:"customerSignedOffOn,omitempty"`
	Language            string       `json:"language"`
	Title               string       `json:"title"`
	FileName            string       `json:"fileName"`
	ContentType         string       `json:"contentType"`
	SizeBytes           int64        `json:"sizeBytes"`
	SHA256              string       `json:"sha256"`
	// Supersedes is the id of the evidence this one is a new version of.
	Supersedes string `json:"supersedes,omitempty"`
}

// Evidence is stored evidence: its metadata and what the server keeps of it,
// in DESIGN's order (id, status, the metadata, version). Status sits beside
// ID, where Coverage reads it with the fields it reads first.
type Evidence struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	Metadata
	Version        int    `json:"version"`
	RejectedReason string `json:"rejectedReason,omitempty"`
	// FileVersion is the S3 version of the file that was verified, which
	// is the one tagged, scanned and served ("" in an unversioned bucket).
	FileVersion string    `json:"-"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Versions is the history of the document evidence id belongs to: every
// evidence linked to it through supersedes, back to the first version and
// on to the newest (and any attempt beside them, rejected or deleted), in
// id order, which is the order of creation. all is the partner's evidence
// in id order; an id not among it has no history.
func Versions(all []Evidence, id string) []Evidence {
	byID := make(map[string]*Evidence, len(all))
	next := make(map[string][]string)
	for i := range all {
		byID[all[i].ID] = &all[i]
		if s := all[i].Supersedes; s != "" {
			next[s] = append(next[s], all[i].ID)
		}
	}
	first := byID[id]
	if first == nil {
		return nil
	}
	// Back to the first version; a cycle (never written: a new version
	// has a new id) ends the walk all the same.
	for steps := 0; first.Supersedes != "" && byID[first.Supersedes] != nil && steps < len(all); steps++ {
		first = byID[first.Supersedes]
	}
	seen := map[string]bool{first.ID: true}
	out := []Evidence{*first}
	for i := 0; i < len(out); i++ {
		for _, n := range next[out[i].ID] {
			if !seen[n] {
				seen[n] = true
				out = append(out, *byID[n])
			}
		}
	}
	slices.SortFunc(out, func(a, b Evidence) int { return strings.Compare(a.ID, b.ID) })
	return out
}
