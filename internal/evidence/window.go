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
	t, _ := time.Parse(time.DateOnly, d.String())
	first := time.Date(t.Year(), t.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return domain.DateOf(first.AddDate(0, 0, min(t.Day(), last)-1))
}
