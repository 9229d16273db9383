// Package standing reads a partner's standing in one specialization from
// the store: its readiness as of a month and its enrollment as of a day,
// worked out by the pure domain and enrollment packages from the
// partner's data and audits. The scoring route and the sweep share it.
package standing

import (
	"context"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/enrollment"
	"github.com/partnerready/partnerready/internal/store"
)

// Reader reads standings.
type Reader struct {
	Store *store.Store
	Specs *catalog.Specializations
	Rules domain.ScoringRules
}

// Standing is a specialization's readiness as of a month and the
// partner's enrollment in it as of a day.
type Standing struct {
	Readiness  domain.SpecializationStatus
	Enrollment enrollment.Enrollment
}

// MaxMonths is how many months one read takes with the partner's rosters
// (store.LoadScoringData): renewal windows up to eight years back.
const MaxMonths = 97

// Read reads partner pid's standing in s: readiness as of asOf, the
// enrollment as of today. 1 Query of the partner's audits and 1
// BatchGetItem of its data, from the first renewal window on with asOf's
// own months (2 when asOf is too far from them for one read).
func (rd Reader) Read(ctx context.Context, pid string, s domain.Specialization, asOf domain.Month, today domain.Date) (Standing, error) {
	audits, err := rd.Store.PartnerAudits(ctx, pid)
	if err != nil {
		return Standing{}, err
	}
	in := enrollment.Input{SpecializationID: s.ID, Today: today}
	for _, p := range rd.Specs.All() {
		if p.SupersededBy == s.ID && p.Grandfathered && p.SupersededOn != nil {
			in.CarriedFrom, in.CarriedOn = append(in.CarriedFrom, p.ID), *p.SupersededOn
		}
	}
	for _, x := range audits {
		switch {
		case x.Status == audit.StatusPassed:
			in.Awards = append(in.Awards, enrollment.Award{SpecializationID: x.SpecializationID, AuditID: x.ID, AwardedOn: x.ConcludedOn, PassedOn: x.FinalReportOn})
		case x.Status == audit.StatusFailed && x.SpecializationID == s.ID:
			from, _ := audit.ReapplyFrom(x)
			in.Failures = append(in.Failures, enrollment.Failure{AuditID: x.ID, FailedOn: domain.DateOf(x.EndedAt), ReapplyFrom: from})
		}
	}
	// The months to read: those of the renewal windows since the first
	// award, up to the last complete month, at most MaxMonths; and asOf's
	// score window, in the same read when both fit in one.
	window := domain.ScoreWindow(asOf)
	from, to := window.From, window.To
	if first := firstAward(in); !first.IsZero() {
		opens, _, _ := domain.RenewalWindow(first, 1)
		from, to = domain.ScoreWindow(opens.Month()).From, today.Month().AddMonths(-1)
		if span := to.AddMonths(-(MaxMonths - 1)); from.Before(span) {
			from = span
		}
	}
	lo, hi := minMonth(from, window.From), maxMonth(to, window.To)
	var renewals, ready store.ScoringData
	if monthsBetween(lo, hi) <= MaxMonths {
		renewals, err = rd.Store.LoadScoringData(ctx, pid, lo, hi)
		ready = renewals
	} else {
		// An asOf far from the renewals: its window in a read of its own.
		// (A read's usage lines index its own services: two reads are
		// kept apart, never merged.)
		if renewals, err = rd.Store.LoadScoringData(ctx, pid, from, to); err == nil {
			ready, err = rd.Store.LoadScoringData(ctx, pid, window.From, window.To)
		}
	}
	if err != nil {
		return Standing{}, err
	}
	readinessAt := func(d store.ScoringData, m domain.Month) domain.SpecializationStatus {
		return domain.Readiness(s, domain.ReadinessInputFor(rd.Rules, domain.ScoreInput{AsOf: m, Today: today, Individuals: d.Individuals, Customers: d.Customers, Usage: d.Usage}))
	}
	in.Telemetry = func(m domain.Month) (bool, bool) {
		if domain.ScoreWindow(m).From.Before(from) {
			// Older than one read holds: a renewal of then is taken as
			// made, rather than an enrollment of years lapsing for want
			// of its data.
			return true, true
		}
		if m.After(to) {
			return false, false
		}
		return telemetryMet(readinessAt(renewals, m))
	}
	return Standing{Readiness: readinessAt(ready, asOf), Enrollment: enrollment.Compute(in)}, nil
}

func firstAward(in enrollment.Input) domain.Date {
	var first domain.Date
	for _, a := range in.Awards {
		if first.IsZero() || a.AwardedOn.Before(first) {
			first = a.AwardedOn
		}
	}
	return first
}

// telemetryMet reads a readiness answer as a renewal does: met when no
// requirement is known unmet and the aligned designation is attained;
// unknown when the designation cannot be decided. Requirements the
// catalogue lacks are the program's to check, as for an application
// (audit.Prerequisites).
func telemetryMet(st domain.SpecializationStatus) (met, known bool) {
	unmet, _ := audit.Prerequisites(st)
	for _, req := range st.Requirements {
		if req.Kind == domain.RequirementDesignation {
			if req.Met == nil {
				return false, false
			}
			return *req.Met && len(unmet) == 0, true
		}
	}
	return false, false
}

func minMonth(a, b domain.Month) domain.Month {
	if a.Before(b) {
		return a
	}
	return b
}

func maxMonth(a, b domain.Month) domain.Month {
	if a.After(b) {
		return a
	}
	return b
}

// monthsBetween counts the months from a to b, both included.
func monthsBetween(a, b domain.Month) int {
	return (b.Year-a.Year)*12 + int(b.Month-a.Month) + 1
}
