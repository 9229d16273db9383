package enrollment_test

import (
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
)

const (
	infra = "infra-and-database-migration-to-microsoft-azure"
	linux = "linux-and-open-source-database-migration-to-microsoft-azure"
)

func day(s string) domain.Date { return domain.MustDate(s) }

// always and never are telemetry met, or not, every month; unknown cannot say.
func always(domain.Month) (bool, bool)  { return true, true }
func never(domain.Month) (bool, bool)   { return false, true }
func unknown(domain.Month) (bool, bool) { return false, false }

// seedAward is seed 002's enrollment: awarded on 1 January 2025, on a
// Final Report of 20 December 2024.
var seedAward = enrollment.Award{SpecializationID: infra, AuditID: "a-1", AwardedOn: day("2025-01-01"), PassedOn: day("2024-12-20")}

func compute(today string, t enrollment.Telemetry, awards ...enrollment.Award) enrollment.Enrollment {
	return enrollment.Compute(enrollment.Input{SpecializationID: infra, Awards: awards, Telemetry: t, Today: day(today)})
}

func kinds(e enrollment.Enrollment) string {
	var ks []string
	for _, h := range e.History {
		ks = append(ks, h.On.String()+" "+h.Kind)
	}
	return strings.Join(ks, ", ")
}

// R-SPEC-6: seed 002's example: enrolled 1 January 2025, the first
// anniversary is 1 January 2026, the window opens 60 days before (2
// November 2025) and closes 30 days after, on the valid-until day, 31
// January 2026. R-AUD-6: the pass satisfies the audit requirement two years
// from its Final Report.
func TestCompute_SeedExample(t *testing.T) {
	e := compute("2025-06-01", never, seedAward)
	if e.Status != enrollment.StatusEnrolled || e.EnrolledOn != day("2025-01-01") || e.Anniversary != day("2026-01-01") ||
		e.ValidUntil != day("2026-01-31") || e.WindowOpens != day("2025-11-02") || e.WindowCloses != day("2026-01-31") ||
		e.Year != 1 || e.NextRenewal != enrollment.RenewalTelemetry || e.AuditValidUntil != day("2026-12-19") {
		t.Fatalf("%+v", e)
	}
}

// R-SPEC-5: the enrollment stands until its valid-until day even when the
// requirements lapse meanwhile, and lapses the day after.
func TestCompute_StandsUntilValidUntil(t *testing.T) {
	if e := compute("2026-01-31", never, seedAward); e.Status != enrollment.StatusEnrolled || e.ValidUntil != day("2026-01-31") {
		t.Fatalf("on the valid-until day: %+v", e)
	}
	e := compute("2026-02-01", never, seedAward)
	if e.Status != enrollment.StatusNotEnrolled || kinds(e) != "2025-01-01 enrolled, 2026-02-01 lapsed" || !strings.Contains(e.History[1].Detail, "were not met") {
		t.Fatalf("the day after: %s %+v", e.Status, e.History)
	}
	if e.EnrolledOn != (domain.Date{}) || e.Year != 0 {
		t.Fatalf("a lapsed enrollment has no term: %+v", e)
	}
	// Requirements the data cannot decide do not renew either, and say so.
	if e := compute("2026-02-01", unknown, seedAward); e.Status != enrollment.StatusNotEnrolled || !strings.Contains(e.History[1].Detail, "could not be shown met") {
		t.Fatalf("unknown telemetry: %+v", e.History)
	}
}

// R-SPEC-7: the first anniversary renews on telemetry met within its
// window; the second needs an audit pass valid on it too, and the pass of
// the enrollment has expired by then (two years from its Final Report, the
// day before the second anniversary of it), so it takes a new audit.
func TestCompute_RenewalByYear(t *testing.T) {
	// Met only as of November 2025, in the first window: renewed.
	nov := func(m domain.Month) (bool, bool) {
		return m == domain.MustMonth("2025-11") || m.LastDay().After(day("2026-06-01")), true
	}
	e := compute("2026-03-01", nov, seedAward)
	if e.Status != enrollment.StatusEnrolled || e.Year != 2 || e.Anniversary != day("2027-01-01") || e.ValidUntil != day("2027-01-31") ||
		e.NextRenewal != enrollment.RenewalTelemetryAndAudit || e.EnrolledOn != day("2025-01-01") {
		t.Fatalf("after the first anniversary: %+v", e)
	}
	if kinds(e) != "2025-01-01 enrolled, 2026-01-01 renewed" || !strings.Contains(e.History[1].Detail, "as of 2025-11") {
		t.Fatalf("history: %+v", e.History)
	}
	// Met only in October 2025, before the window opened: not renewed.
	oct := func(m domain.Month) (bool, bool) { return m == domain.MustMonth("2025-10"), true }
	if e := compute("2026-03-01", oct, seedAward); e.Status != enrollment.StatusNotEnrolled {
		t.Fatalf("met before the window only: %+v", e)
	}

	// The second anniversary without a new audit: lapsed on 1 February 2027.
	e = compute("2027-02-01", always, seedAward)
	if e.Status != enrollment.StatusNotEnrolled || kinds(e) != "2025-01-01 enrolled, 2026-01-01 renewed, 2027-02-01 lapsed" ||
		!strings.Contains(e.History[2].Detail, "needs an audit pass valid on it") {
		t.Fatalf("second anniversary without an audit: %+v", e.History)
	}
	// With a new pass in its window: renewed, the third anniversary on
	// telemetry again; the new pass starts no enrollment of its own.
	renewal := enrollment.Award{SpecializationID: infra, AuditID: "a-2", AwardedOn: day("2026-12-14"), PassedOn: day("2026-12-10")}
	e = compute("2027-02-01", always, seedAward, renewal)
	if e.Status != enrollment.StatusEnrolled || e.Year != 3 || e.Anniversary != day("2028-01-01") || e.NextRenewal != enrollment.RenewalTelemetry ||
		e.AuditValidUntil != day("2028-12-09") || kinds(e) != "2025-01-01 enrolled, 2026-01-01 renewed, 2027-01-01 renewed" {
		t.Fatalf("second anniversary with a new audit: %+v", e)
	}
	// Computed, not remembered: the same inputs on a later day tell the
	// same past.
	later := compute("2029-06-01", always, seedAward, renewal)
	if !strings.HasPrefix(kinds(later), kinds(e)) {
		t.Fatalf("the past changed: %s, then %s", kinds(e), kinds(later))
	}
}

// After a lapse a new pass starts a new enrollment, with its own calendar.
func TestCompute_NewEnrollmentAfterALapse(t *testing.T) {
	again := enrollment.Award{SpecializationID: infra, AuditID: "a-3", AwardedOn: day("2026-05-20"), PassedOn: day("2026-05-15")}
	e := compute("2026-06-01", never, seedAward, again)
	if e.Status != enrollment.StatusEnrolled || e.EnrolledOn != day("2026-05-20") || e.Anniversary != day("2027-05-20") || e.Year != 1 ||
		kinds(e) != "2025-01-01 enrolled, 2026-02-01 lapsed, 2026-05-20 enrolled" {
		t.Fatalf("%+v", e)
	}
}

// R-AUD-6: a No Pass shows "audit failed" until the failure's reapply day
// (the audit's week) when the partner is not enrolled, then "not
// enrolled"; an enrollment in force stays enrolled.
func TestCompute_AuditFailed(t *testing.T) {
	in := enrollment.Input{SpecializationID: infra, Failures: []enrollment.Failure{{AuditID: "a-9", FailedOn: day("2026-03-01"), ReapplyFrom: day("2026-03-08")}}, Telemetry: never}
	for _, c := range []struct {
		today string
		want  enrollment.Status
	}{{"2026-02-28", enrollment.StatusNotEnrolled}, {"2026-03-01", enrollment.StatusAuditFailed}, {"2026-03-07", enrollment.StatusAuditFailed}, {"2026-03-08", enrollment.StatusNotEnrolled}} {
		in.Today = day(c.today)
		if e := enrollment.Compute(in); e.Status != c.want || (c.want == enrollment.StatusAuditFailed && e.ReapplyFrom != day("2026-03-08")) {
			t.Errorf("%s: %s (reapply from %s), want %s", c.today, e.Status, e.ReapplyFrom, c.want)
		}
	}
	in.Awards, in.Today = []enrollment.Award{seedAward}, day("2026-01-05")
	in.Failures[0].FailedOn, in.Failures[0].ReapplyFrom = day("2026-01-02"), day("2026-01-09")
	if e := enrollment.Compute(in); e.Status != enrollment.StatusEnrolled {
		t.Fatalf("a failed audit while enrolled: %s", e.Status)
	}
}

// R-SPEC-3: an enrollment in the replaced Linux specialization carries
// over to Infra and Database Migration, with its own dates; a pass of the
// replaced one after the replacement carries nothing.
func TestCompute_CarriedOver(t *testing.T) {
	old := enrollment.Award{SpecializationID: linux, AuditID: "l-1", AwardedOn: day("2022-06-01"), PassedOn: day("2022-05-20")}
	in := enrollment.Input{SpecializationID: infra, CarriedFrom: []string{linux}, CarriedOn: day("2023-01-09"), Awards: []enrollment.Award{old}, Telemetry: always, Today: day("2023-03-01")}
	e := enrollment.Compute(in)
	if e.Status != enrollment.StatusEnrolled || e.EnrolledOn != day("2022-06-01") || e.Anniversary != day("2023-06-01") ||
		!strings.Contains(e.History[0].Detail, "carried over to "+infra+" on 2023-01-09") {
		t.Fatalf("%+v", e)
	}
	in.Awards[0].AwardedOn = day("2023-02-01")
	if e := enrollment.Compute(in); e.Status != enrollment.StatusNotEnrolled {
		t.Fatalf("a pass of the replaced specialization after the replacement: %+v", e)
	}
}

// R-SPEC-7: an anniversary renews as soon as its window sees the
// requirements met, judged on the months complete by today: the next term
// shows from then, not only once the window has closed.
func TestCompute_RenewsWithinTheWindow(t *testing.T) {
	if e := compute("2025-11-20", always, seedAward); e.Year != 1 || e.Anniversary != day("2026-01-01") {
		t.Fatalf("no month of the window complete yet: %+v", e)
	}
	e := compute("2025-12-15", always, seedAward) // November, in the window, is complete and met
	if e.Status != enrollment.StatusEnrolled || e.Year != 2 || e.Anniversary != day("2027-01-01") || e.ValidUntil != day("2027-01-31") ||
		kinds(e) != "2025-01-01 enrolled, 2026-01-01 renewed" {
		t.Fatalf("renewed within the window: %+v", e)
	}
}
