package domain

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar day (YYYY-MM-DD) with no time zone: the program's dates
// (certification earned, audit date, enrollment) are days, not instants.
type Date struct{ t time.Time }

// ParseDate parses YYYY-MM-DD strictly (2026-02-30 is an error). It reads
// the digits itself: a score parses every certificate date of the partner's
// people, and time.Parse with the check by Format took most of reading them.
func ParseDate(s string) (Date, error) {
	digits := func(s string) (int, bool) {
		n := 0
		for i := range len(s) {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	if len(s) == len(time.DateOnly) && s[4] == '-' && s[7] == '-' {
		y, okY := digits(s[:4])
		m, okM := digits(s[5:7])
		d, okD := digits(s[8:])
		if okY && okM && okD && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d { // not rolled over into the next month
				return Date{t}, nil
			}
		}
	}
	return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
}

// MustDate is ParseDate for constants in data and tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// EarliestDate and LatestDate bound every date the API takes: nothing of the
// partner program (certifications, projects, sign-offs) predates 1990, and a
// date past 2099 is a typo, not a plan.
var (
	EarliestDate = Date{time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
	LatestDate   = Date{time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)}
)

// DateOf is the UTC calendar day of an instant.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string     { return d.t.Format(time.DateOnly) }
func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Compare(o Date) int { return d.t.Compare(o.t) }

// Start is the instant d begins: midnight UTC.
func (d Date) Start() time.Time             { return d.t }
func (d Date) AddDays(n int) Date           { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Month() Month                 { return Month{d.t.Year(), d.t.Month()} }
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Month is a calendar month (YYYY-MM), the unit of consumption and of scores.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth parses YYYY-MM strictly (2026-13 is an error).
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Format("2006-01") != s {
		return Month{}, fmt.Errorf("%q is not a month in the form YYYY-MM", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MustMonth is ParseMonth for constants in data and tests.
func MustMonth(s string) Month {
	m, err := ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MonthOf is the UTC month of an instant.
func MonthOf(t time.Time) Month { return DateOf(t).Month() }

// String is on every hot path of a score's JSON, hence no fmt for real years.
func (m Month) String() string {
	if m.Year < 1000 || m.Year > 9999 {
		return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
	}
	b := strconv.AppendInt(make([]byte, 0, 7), int64(m.Year), 10)
	return string(append(b, '-', byte('0'+m.Month/10), byte('0'+m.Month%10)))
}

// AddMonths moves n months forward (negative: back).
func (m Month) AddMonths(n int) Month {
	i := m.index() + n
	y, r := i/12, i%12
	if r < 0 { // floor, not truncation, before year 0
		y, r = y-1, r+12
	}
	return Month{y, time.Month(r + 1)}
}

func (m Month) Before(o Month) bool { return m.index() < o.index() }
func (m Month) After(o Month) bool  { return m.index() > o.index() }

// FirstDay and LastDay bound the month: a certification earned on LastDay counts for it.
func (m Month) FirstDay() Date { return Date{time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)} }
func (m Month) LastDay() Date  { return m.AddMonths(1).FirstDay().AddDays(-1) }

func (m Month) index() int { return m.Year*12 + int(m.Month) - 1 }

func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

func (m *Month) UnmarshalText(b []byte) error {
	p, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = p
	return nil
}
