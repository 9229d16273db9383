package domain

import "time"

// Enrollment calendar of a specialization (R-SPEC-4 to R-SPEC-8, seed 002).

const (
	// RenewalWindowOpensDays: the window opens 60 days before the anniversary
	// (R-SPEC-6). Seed 002's example says "1 Nov" for a 1 Jan anniversary,
	// which is 61 days: it rounds to whole months. The rule's text says 60
	// days, and that is what is implemented (1 Jan 2026 → 2 Nov 2025).
	RenewalWindowOpensDays = 60
	// RenewalGraceDays: the window closes 30 days after the anniversary, on
	// the "valid until" date (R-SPEC-6).
	RenewalGraceDays = 30
	// ManualValidationYears: an audit pass or an approved customer reference
	// stays valid two years (R-SPEC-7, R-AUD-6).
	ManualValidationYears = 2
)

// RenewalReminderOffsets are the days from the anniversary on which renewal
// notices go to the partner admins (R-SPEC-8).
var RenewalReminderOffsets = []int{-120, -90, -60, -30, 30}

// RenewalWindow gives the year-th anniversary of an enrollment (year 1 is the
// first), the day its renewal window opens, and the "valid until" day the
// enrollment stands until even if requirements lapse (R-SPEC-5, R-SPEC-6).
// Seed 002: enrolled 2025-01-01 → anniversary 2026-01-01, valid until
// 2026-01-31, window opens 2025-11-02. A 29 February enrollment has its
// anniversary on 28 February in common years, so it never slips into March.
// year < 1 has no anniversary: all three dates are zero.
//
// R-SPEC-6: the renewal window opens 60 days before the anniversary and
// closes 30 days after it, on the "valid until" date.
func RenewalWindow(enrolledOn Date, year int) (opens, anniversary, validUntil Date) {
	if year < 1 || enrolledOn.IsZero() {
		return Date{}, Date{}, Date{}
	}
	anniversary = specAddYears(enrolledOn, year)
	return anniversary.AddDays(-RenewalWindowOpensDays), anniversary, anniversary.AddDays(RenewalGraceDays)
}

// EnrollmentStands reports whether an enrollment is still in force on day on:
// up to and including validUntil regardless of the other requirements
// (R-SPEC-5), but never without an aligned designation, whose loss loses the
// specialization at once (R-SPEC-1; seed 000: "keep their active, aligned
// Solutions Partner status at all times").
//
// R-SPEC-5: an enrollment stands until its "valid until" day even if the
// requirements lapse meanwhile.
func EnrollmentStands(validUntil, on Date, alignedDesignation bool) bool {
	return alignedDesignation && !on.After(validUntil)
}

// NeedsManualValidation reports whether renewing at the given anniversary
// (1st, 2nd, …) needs an audit or customer reference besides telemetry.
//
// R-SPEC-7: odd anniversaries renew on telemetry alone, even ones also need
// the manual validation (an audit or a customer reference).
func NeedsManualValidation(anniversary int) bool {
	return anniversary >= 2 && anniversary%2 == 0
}

// ManualValidationValidUntil is the last day an audit pass or customer
// reference approved on passedOn still satisfies the requirement: the day
// before its second anniversary (two years, R-SPEC-7, R-AUD-6). That is why
// only every other renewal needs a new one.
//
// The anniversary here is normalised, not clamped as RenewalWindow's is: a
// pass on 29 February 2024 reaches two years on 1 March 2026 (there is no
// 29 February 2026), so it holds through 28 February. Clamping to 28
// February first and then taking the day before would cut a day off the
// two years.
func ManualValidationValidUntil(passedOn Date) Date {
	return Date{passedOn.t.AddDate(ManualValidationYears, 0, 0)}.AddDays(-1)
}

// RenewalReminders lists the days renewal notices are due for an anniversary,
// in date order.
//
// R-SPEC-8: notices 120, 90, 60 and 30 days before the anniversary and 30
// days after it.
func RenewalReminders(anniversary Date) []Date {
	out := make([]Date, len(RenewalReminderOffsets))
	for i, d := range RenewalReminderOffsets {
		out[i] = anniversary.AddDays(d)
	}
	return out
}

// BenefitsGranted is how many of the specializations enrolled in one category
// earn a product benefit: at most the category's cap; the rest are earned
// without a further benefit.
//
// R-SPEC-4: past its category's cap a specialization is earned, but brings
// no further product benefit.
func BenefitsGranted(enrolledInCategory, benefitCap int) int {
	return max(0, min(enrolledInCategory, benefitCap))
}

// specAddYears moves a day n years on, keeping 29 February in February.
func specAddYears(d Date, n int) Date {
	y, m, day := d.t.Date()
	if m == time.February && day == 29 && !specLeap(y+n) {
		day = 28
	}
	return Date{time.Date(y+n, m, day, 0, 0, 0, 0, time.UTC)}
}

func specLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
