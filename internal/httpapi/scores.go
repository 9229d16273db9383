package httpapi

import (
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
)

// asOf reads ?asOf=YYYY-MM (parseAsOf), a 400 when it is not one.
func (a *Scoring) asOf(r *http.Request) (domain.Month, error) {
	m, fe := a.parseAsOf(r.URL.Query().Get("asOf"))
	if fe != nil {
		return m, badRequest("asOf is not a month this API holds.", *fe)
	}
	return m, nil
}

// parseAsOf reads the month a score is as of, in the query or a body.
// Default: the last complete month (DESIGN). A month after the current one
// has no data yet, one before domain.EarliestMonth none at all.
func (a inputs) parseAsOf(v string) (domain.Month, *FieldError) {
	current := domain.MonthOf(a.now())
	if v == "" {
		return current.AddMonths(-1), nil
	}
	m, err := domain.ParseMonth(v)
	if err != nil {
		return m, &FieldError{Field: "asOf", Message: "must be a month YYYY-MM"}
	}
	if m.After(current) || m.Before(domain.EarliestMonth) {
		return m, &FieldError{Field: "asOf", Message: "must be from " + domain.EarliestMonth.String() + " to the current month " + current.String()}
	}
	return m, nil
}

// scoreInput loads what a score as of ?asOf= reads.
func (a *Scoring) scoreInput(r *http.Request) (domain.ScoreInput, error) {
	m, err := a.asOf(r)
	if err != nil {
		return domain.ScoreInput{}, err
	}
	return a.scoreInputAt(r, m)
}

// scoreInputAt loads what a score as of m reads: 1 BatchGetItem whatever the
// partner's size. Today, from the API's clock, lets every answer say whether
// m is the month in progress: such a month is answered, not refused (a
// partner may watch it fill), and the answer says it can still change.
func (a *Scoring) scoreInputAt(r *http.Request, m domain.Month) (domain.ScoreInput, error) {
	w := domain.ScoreWindow(m)
	d, err := a.store.LoadScoringData(r.Context(), r.PathValue("partnerId"), w.From, w.To)
	if err != nil {
		return domain.ScoreInput{}, err
	}
	return domain.ScoreInput{AsOf: m, Today: domain.DateOf(a.now()), Individuals: d.Individuals, Customers: d.Customers, Usage: d.Usage}, nil
}

type scoresOutput struct {
	AsOf domain.Month `json:"asOf"`
	domain.Completeness
	Areas []domain.AreaScore `json:"areas"`
}

func (a *Scoring) getScores(w http.ResponseWriter, r *http.Request) error {
	in, err := a.scoreInput(r)
	if err != nil {
		return err
	}
	out := scoresOutput{AsOf: in.AsOf, Completeness: domain.CompletenessOf(in.AsOf, in.Today), Areas: domain.Score(a.rules, in)}
	return writeScore(w, func(e *scoreWriter) error { return e.scores(out) })
}

// writeScore answers 200 with what write makes of a score (scorejson.go).
func writeScore(w http.ResponseWriter, write func(*scoreWriter) error) error {
	e := newScoreWriter()
	defer e.release()
	if err := write(e); err != nil {
		return err
	}
	return writeBody(w, http.StatusOK, e.b)
}

// area reads the {area} path parameter.
func area(r *http.Request) (domain.Area, error) {
	ar, ok := domain.ParseArea(r.PathValue("area"))
	if !ok {
		return ar, notFound("The area " + r.PathValue("area") + " (areas: data-ai, infrastructure, digital-app-innovation)")
	}
	return ar, nil
}

func (a *Scoring) getAreaScore(w http.ResponseWriter, r *http.Request) error {
	ar, err := area(r)
	if err != nil {
		return err
	}
	in, err := a.scoreInput(r)
	if err != nil {
		return err
	}
	s := domain.ScoreArea(a.rules, in, ar)
	return writeScore(w, func(e *scoreWriter) error { return e.oneArea(s) })
}

// readinessInput scores the partner as of ?asOf= (the designations a
// specialization needs, R-SPEC-1) from the same single read.
func (a *Scoring) readinessInput(r *http.Request) (domain.ReadinessInput, error) {
	in, err := a.scoreInput(r)
	if err != nil {
		return domain.ReadinessInput{}, err
	}
	return domain.ReadinessInputFor(a.rules, in), nil
}

type readinessList struct {
	AsOf domain.Month `json:"asOf"`
	domain.Completeness
	Items []domain.SpecializationStatus `json:"items"`
}

func (a *Scoring) listSpecializationStatus(w http.ResponseWriter, r *http.Request) error {
	in, err := a.readinessInput(r)
	if err != nil {
		return err
	}
	out := readinessList{AsOf: in.AsOf, Completeness: domain.CompletenessOf(in.AsOf, in.Today), Items: []domain.SpecializationStatus{}}
	for _, s := range a.specs.All() {
		out.Items = append(out.Items, domain.Readiness(s, in))
	}
	return writeJSON(w, http.StatusOK, out)
}
