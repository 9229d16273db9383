package evidence

import (
	"time"

	"github.com/partnerready/partnerready/internal/domain"
)

// Evidence recency, counted back from the audit date (R-AUD-7).
const (
	signOffMonths    = 24 // signed off by the customer no earlier than this before the audit
	completionMonths = 12 // project completed within this before the audit
)

// monthsBefore is the same day n months before d. A day the earlier month
// lacks (29 February in a common year) becomes that month's last day, so
// the window of an audit on 29 February 2024 opens on 28 February 2022,
// not in March.
func monthsBefore(d domain.Date, n int) domain.Date {
	t := d.Start()
	first := time.Date(t.Year(), t.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return domain.DateOf(first.AddDate(0, 0, min(t.Day(), last)-1))
}

// AgedOut says why evidence will not count for an audit on auditOn by its
// dates alone, or "" while they still count: signed off before its 24
// months, or its project completed before its 12. A sweep tells partners
// of it before the audit, from the same windows the checklist counts with.
func AgedOut(ev Evidence, auditOn domain.Date) string {
	if s := ev.CustomerSignedOffOn; s != nil && s.Before(monthsBefore(auditOn, signOffMonths)) {
		return "its customer sign-off of " + s.String() + " is more than 24 months before the audit on " + auditOn.String()
	}
	if d := ev.ProjectCompletedOn; d != nil && d.Before(monthsBefore(auditOn, completionMonths)) {
		return "its project, completed on " + d.String() + ", is more than 12 months before the audit on " + auditOn.String()
	}
	return ""
}
