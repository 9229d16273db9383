package domain

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
