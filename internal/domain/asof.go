package domain

import "fmt"

// EarliestMonth is the first month the API holds data for: consumption
// before it is refused and no score is as of an earlier month. The program
// (and Azure consumption data) starts well after it.
var EarliestMonth = MustMonth("2015-01")

// ScoreWindow is the span of months a score as of asOf reads, asOf−13 ..
// asOf: net adds compare M−12 with M−13 (R-PCS-2) and nothing reads older.
// A caller loads these months for ScoreInput.Usage; readiness needs no more
// (its performance windows are the last few months, R-SPEC-2).
func ScoreWindow(asOf Month) MonthRange {
	return MonthRange{From: asOf.AddMonths(-(scanMonths - 1)), To: asOf}
}

// Completeness says whether the month an answer is as of is over: a month
// in progress has only part of its consumption, and certifications may
// still be earned in it, so its answer can still change (R-PCS-9: a score
// says which month it is as of; this says whether that month is done).
// Responses carry it beside asOf.
type Completeness struct {
	Complete bool `json:"asOfComplete"`
	// Note says why the month is not complete and which one is; "" when it is.
	Note string `json:"asOfNote,omitempty"`
}

// CompletenessOf is the completeness of month asOf on day today: complete
// once the month has ended, that is from the first day of the next one. A
// zero today (no clock, as when a tool replays past months) takes asOf as
// complete.
//
// R-PCS-9: a score is always as of a month, and says which month and
// whether it is over, since the program's data for a month comes in late.
func CompletenessOf(asOf Month, today Date) Completeness {
	if today.IsZero() || asOf.Before(today.Month()) {
		return Completeness{Complete: true}
	}
	lastComplete := today.Month().AddMonths(-1)
	if asOf.After(today.Month()) {
		return Completeness{Note: fmt.Sprintf("%s has not started (today is %s): there is no data for it yet; %s is the last complete month.", asOf, today, lastComplete)}
	}
	return Completeness{Note: fmt.Sprintf("%s is the month in progress (today is %s): its consumption and certifications are not all in until it ends on %s, so this answer can still change; %s is the last complete month.",
		asOf, today, asOf.LastDay(), lastComplete)}
}
