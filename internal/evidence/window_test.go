package evidence

import (
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

// R-AUD-7: the recency windows open the same day 24 and 12 months before
// the audit, or on the month's last day when that month lacks the day.
func TestMonthsBefore(t *testing.T) {
	for _, c := range []struct {
		day  string
		n    int
		want string
	}{
		{"2022-10-03", 12, "2021-10-03"},
		{"2022-10-03", 24, "2020-10-03"},
		{"2024-02-29", 12, "2023-02-28"},
		{"2024-02-29", 24, "2022-02-28"},
		{"2024-02-29", 48, "2020-02-29"},
		{"2023-03-31", 1, "2023-02-28"},
		{"2023-01-15", 12, "2022-01-15"},
		{"2023-01-31", 2, "2022-11-30"},
	} {
		if got := monthsBefore(domain.MustDate(c.day), c.n); got.String() != c.want {
			t.Errorf("%d months before %s = %s, want %s", c.n, c.day, got, c.want)
		}
	}
}
