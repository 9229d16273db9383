package domain

import (
	"strings"
	"testing"
)

// R-SPEC-4: past a category's cap a specialization earns no further benefit.
func TestBenefitsGranted(t *testing.T) {
	// Seed 002: a fourth Security specialization is earned without a benefit (cap 3).
	for _, tc := range []struct{ enrolled, cap, want int }{
		{4, 3, 3}, {3, 3, 3}, {2, 3, 2}, {0, 3, 0}, {-1, 3, 0},
		{6, 5, 5}, // Azure
		{2, 1, 1}, // Business Applications
	} {
		if got := BenefitsGranted(tc.enrolled, tc.cap); got != tc.want {
			t.Errorf("BenefitsGranted(%d, %d) = %d, want %d", tc.enrolled, tc.cap, got, tc.want)
		}
	}
}

// Seed 002's example: enrolled 1 Jan 2025 → enrolled until 31 Jan 2026 with
// the 30-day grace. The seed says the window opens 1 Nov 2025; 60 days before
// 1 Jan 2026 is 2 Nov 2025, which is what is implemented (R-SPEC-5, R-SPEC-6).
func TestRenewalWindow_SeedExample(t *testing.T) {
	opens, anniversary, validUntil := RenewalWindow(MustDate("2025-01-01"), 1)
	if anniversary.String() != "2026-01-01" || validUntil.String() != "2026-01-31" || opens.String() != "2025-11-02" {
		t.Errorf("opens %s anniversary %s valid until %s", opens, anniversary, validUntil)
	}
	// The next year's renewal (seed 002: "明年的续订,即 2027 年 1 月 1 日").
	opens, anniversary, validUntil = RenewalWindow(MustDate("2025-01-01"), 2)
	if anniversary.String() != "2027-01-01" || validUntil.String() != "2027-01-31" || opens.String() != "2026-11-02" {
		t.Errorf("year 2: opens %s anniversary %s valid until %s", opens, anniversary, validUntil)
	}
	// Window length: 60 days before + 30 after, 90 days of the rule's text.
	if n := int(validUntil.t.Sub(opens.t).Hours() / 24); n != 90 {
		t.Errorf("window spans %d days", n)
	}
	if o, a, v := RenewalWindow(MustDate("2025-01-01"), 0); !o.IsZero() || !a.IsZero() || !v.IsZero() {
		t.Error("year 0 has no anniversary")
	}
}

// R-SPEC-6: a 29 February enrollment keeps its anniversary in February.
func TestRenewalWindow_LeapDay(t *testing.T) {
	_, a, _ := RenewalWindow(MustDate("2024-02-29"), 1)
	if a.String() != "2025-02-28" {
		t.Errorf("a 29 February enrollment's anniversary in a common year: %s", a)
	}
	if _, a, _ := RenewalWindow(MustDate("2024-02-29"), 4); a.String() != "2028-02-29" {
		t.Errorf("in a leap year: %s", a)
	}
}

// The enrollment stands until "valid until" even if requirements lapse
// (R-SPEC-5), but not once the aligned designation is lost (R-SPEC-1).
func TestEnrollmentStands(t *testing.T) {
	_, _, validUntil := RenewalWindow(MustDate("2025-01-01"), 1)
	for _, tc := range []struct {
		on          string
		designation bool
		want        bool
	}{
		{"2025-06-30", true, true},
		{"2026-01-31", true, true},
		{"2026-02-01", true, false},
		{"2025-06-30", false, false},
	} {
		if got := EnrollmentStands(validUntil, MustDate(tc.on), tc.designation); got != tc.want {
			t.Errorf("on %s with designation %v: %v", tc.on, tc.designation, got)
		}
	}
}

// R-SPEC-7: even anniversaries need the manual validation, odd ones telemetry only.
func TestNeedsManualValidation(t *testing.T) {
	for anniversary, want := range map[int]bool{0: false, 1: false, 2: true, 3: false, 4: true, 5: false, 6: true, -2: false} {
		if got := NeedsManualValidation(anniversary); got != want {
			t.Errorf("anniversary %d: %v", anniversary, got)
		}
	}
}

// An audit pass (or customer reference) is valid two years: passed at
// enrollment, it covers the first anniversary and lapses before the second,
// which is the one that needs a new manual validation (R-SPEC-7, R-AUD-6).
func TestManualValidationValidUntil(t *testing.T) {
	passed := MustDate("2025-01-01")
	until := ManualValidationValidUntil(passed)
	if until.String() != "2026-12-31" {
		t.Errorf("valid until %s", until)
	}
	_, first, _ := RenewalWindow(passed, 1)
	_, second, _ := RenewalWindow(passed, 2)
	if first.After(until) || !second.After(until) || NeedsManualValidation(1) || !NeedsManualValidation(2) {
		t.Errorf("first %s second %s until %s", first, second, until)
	}
	// Two years from a leap day end on 1 March 2026 (normalised): valid
	// through the day before, 28 February, not 27.
	if got := ManualValidationValidUntil(MustDate("2024-02-29")).String(); got != "2026-02-28" {
		t.Errorf("from a leap day: %s", got)
	}
	if got := ManualValidationValidUntil(MustDate("2026-02-28")).String(); got != "2028-02-27" {
		t.Errorf("to a leap year: %s", got)
	}
}

// R-SPEC-8: notices 120, 90, 60 and 30 days before the anniversary and 30 days after.
func TestRenewalReminders(t *testing.T) {
	got := RenewalReminders(MustDate("2026-01-01"))
	var s []string
	for _, d := range got {
		s = append(s, d.String())
	}
	// 120, 90, 60 and 30 days before the anniversary and 30 after: at least three before.
	if want := "2025-09-03 2025-10-03 2025-11-02 2025-12-02 2026-01-31"; strings.Join(s, " ") != want {
		t.Errorf("reminders %v, want %s", s, want)
	}
	// The 60-day reminder is the day the window opens; the last is the valid-until day.
	opens, _, validUntil := RenewalWindow(MustDate("2025-01-01"), 1)
	if got[2].String() != opens.String() || got[4].String() != validUntil.String() {
		t.Errorf("reminders %v vs window %s..%s", s, opens, validUntil)
	}
}
