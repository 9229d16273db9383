package evidence_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// The tests read the real catalogue: the rules under test are the ones the
// API serves.
var checklists = catalog.MustChecklists(catalog.MustSpecializations())

const (
	linux = "linux-and-open-source-database-migration-to-microsoft-azure"
	aiml  = "ai-and-machine-learning-in-microsoft-azure"
)

func checklistOn(t testing.TB, spec, day string) evidence.Checklist {
	t.Helper()
	cl, err := checklists.For(spec, domain.MustDate(day))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func date(s string) *domain.Date {
	d := domain.MustDate(s)
	return &d
}

// tenant is the n-th test customer's tenant id.
func tenant(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// Customers 1 to 9 are registered and not affiliated; 10 is affiliated; 11
// is not registered (it was removed).
const (
	affiliated   = 10
	unregistered = 11
)

func partnerCustomers() []domain.Customer {
	var cs []domain.Customer
	for n := 1; n <= affiliated; n++ {
		cs = append(cs, domain.Customer{TenantID: tenant(n), Name: fmt.Sprintf("Customer %d", n), Association: domain.AssociationCSPTier1, Affiliated: n == affiliated})
	}
	return cs
}

// The roster: ada, bob and cy; dee has left.
func partnerRoster() []domain.Individual {
	return []domain.Individual{{ID: "ada", DisplayName: "Ada"}, {ID: "bob", DisplayName: "Bob"}, {ID: "cy", DisplayName: "Cy"}}
}

// ev is available Linux evidence for one control, with a project completed
// and signed off a month before auditDay, in production.
func ev(id string, kind evidence.Kind, control string, customers ...int) evidence.Evidence {
	e := evidence.Evidence{
		ID: id, Status: evidence.StatusAvailable, Version: 1,
		Metadata: evidence.Metadata{
			SpecializationID: linux, Controls: []string{control}, Kind: kind, Production: true,
			ProjectCompletedOn: date("2022-09-01"), CustomerSignedOffOn: date("2022-09-15"),
			Language: "en", Title: id, FileName: id + ".pdf", ContentType: "application/pdf", SizeBytes: 1000,
			SHA256: strings.Repeat("ab", 32),
		},
	}
	for _, n := range customers {
		e.Customers = append(e.Customers, tenant(n))
	}
	return e
}

// auditDay is the audit date of most tests: V2.1 is live (R-AUD-4).
const auditDay = "2022-10-03"

func with(e evidence.Evidence, f func(*evidence.Evidence)) evidence.Evidence {
	f(&e)
	return e
}

func wantStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}
