package httpapi

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/jsonquote"
)

// Score answers are the API's largest: a partner of 2,000 people and 1,000
// customers makes about 850 KB, and encoding/json took longer over them than
// the rest of the request, DynamoDB included. It re-validates and compacts
// whatever a Marshaler returns (every Cents, and any pre-encoded piece), and
// writes the inputs the three areas share three times. scoreWriter writes
// the same bytes as marshal (TestScoreWriterMatchesMarshal holds it to
// that) in one pass, and writes what the areas share once, copying it after.
type scoreWriter struct {
	b []byte
	// The bytes already written for an Inputs pointer or a people list, as
	// [start, end) in b: net adds, growth and deployments are one value in
	// the three areas, and a step's people one slice wherever the step recurs.
	inputs map[any][2]int
	lists  map[idList][2]int
	// err is a value encoding/json would refuse (a NaN or infinite float),
	// returned at the end rather than written as invalid JSON.
	err error
}

type idList struct {
	first *string
	n     int
}

// scoreBuffers keeps the buffers of past answers: a large score is written
// into a buffer the size of the last one instead of growing one from scratch.
var scoreBuffers = sync.Pool{New: func() any { return new([]byte) }}

func newScoreWriter() *scoreWriter {
	return &scoreWriter{b: (*scoreBuffers.Get().(*[]byte))[:0], inputs: map[any][2]int{}, lists: map[idList][2]int{}}
}

// release hands the buffer back once the answer is written.
func (e *scoreWriter) release() {
	b := e.b
	e.b = nil
	scoreBuffers.Put(&b)
}

// scores writes GET /scores' answer and the newline marshal ends with.
func (e *scoreWriter) scores(out scoresOutput) error {
	e.b = append(e.b, `{"asOf":`...)
	e.month(out.AsOf)
	e.completeness(out.Completeness)
	e.b = append(e.b, `,"areas":`...)
	if err := e.areas(out.Areas); err != nil {
		return err
	}
	e.b = append(e.b, "}\n"...)
	return e.err
}

// simulation writes a simulation's answer; its differences are small and
// go through marshal.
func (e *scoreWriter) simulation(sim domain.Simulation) error {
	e.b = append(e.b, `{"asOf":`...)
	e.month(sim.AsOf)
	e.completeness(sim.Completeness)
	e.b = append(e.b, `,"areas":`...)
	if err := e.areas(sim.Areas); err != nil {
		return err
	}
	e.b = append(e.b, `,"differences":`...)
	if err := e.marshaled(sim.Differences); err != nil {
		return err
	}
	e.b = append(e.b, "}\n"...)
	return e.err
}

// oneArea writes GET /scores/{area}'s answer.
func (e *scoreWriter) oneArea(s domain.AreaScore) error {
	if err := e.area(s); err != nil {
		return err
	}
	e.b = append(e.b, '\n')
	return e.err
}

func (e *scoreWriter) areas(areas []domain.AreaScore) error {
	if areas == nil {
		e.b = append(e.b, "null"...)
		return nil
	}
	e.b = append(e.b, '[')
	for i, a := range areas {
		e.comma(i)
		if err := e.area(a); err != nil {
			return err
		}
	}
	e.b = append(e.b, ']')
	return nil
}

func (e *scoreWriter) area(a domain.AreaScore) error {
	e.b = append(e.b, `{"area":`...)
	e.str(string(a.Area))
	e.b = append(e.b, `,"name":`...)
	e.str(a.Name)
	e.b = append(e.b, `,"asOf":`...)
	e.month(a.AsOf)
	e.completeness(a.Completeness)
	e.b = append(e.b, `,"total":`...)
	e.int(a.Total)
	e.b = append(e.b, `,"attained":`...)
	e.bool(a.Attained)
	e.b = append(e.b, `,"metrics":`...)
	if a.Metrics == nil {
		e.b = append(e.b, "null}"...)
		return nil
	}
	e.b = append(e.b, '[')
	for i, m := range a.Metrics {
		e.comma(i)
		e.b = append(e.b, `{"metric":`...)
		e.str(string(m.Metric))
		e.b = append(e.b, `,"points":`...)
		e.int(m.Points)
		e.b = append(e.b, `,"max":`...)
		e.int(m.Max)
		e.b = append(e.b, `,"inputs":`...)
		if err := e.metricInputs(m.Inputs); err != nil {
			return err
		}
		e.b = append(e.b, `,"missing":`...)
		e.strs(m.Missing)
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, "]}"...)
	return nil
}

// completeness writes the fields domain.Completeness adds to its container.
func (e *scoreWriter) completeness(c domain.Completeness) {
	e.b = append(e.b, `,"asOfComplete":`...)
	e.bool(c.Complete)
	if c.Note != "" {
		e.b = append(e.b, `,"asOfNote":`...)
		e.str(c.Note)
	}
}

// metricInputs writes one metric's inputs, or copies them when another area
// already wrote the same value. A type of inputs it does not know goes
// through marshal.
func (e *scoreWriter) metricInputs(in any) error {
	switch in.(type) {
	case *domain.NetAddsInputs, *domain.GrowthInputs, *domain.DeploymentsInputs, *domain.SkillingInputs:
		if at, ok := e.inputs[in]; ok {
			e.b = append(e.b, e.b[at[0]:at[1]]...)
			return nil
		}
		start := len(e.b)
		switch v := in.(type) {
		case *domain.NetAddsInputs:
			e.netAdds(v)
		case *domain.GrowthInputs:
			e.growth(v)
		case *domain.DeploymentsInputs:
			e.deployments(v)
		case *domain.SkillingInputs:
			e.skilling(v)
		}
		e.inputs[in] = [2]int{start, len(e.b)}
		return nil
	}
	return e.marshaled(in)
}

func (e *scoreWriter) netAdds(in *domain.NetAddsInputs) {
	if in == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, `{"lastMonth":`...)
	e.month(in.LastMonth)
	e.b = append(e.b, `,"previousMonth":`...)
	e.month(in.PreviousMonth)
	e.b = append(e.b, `,"sameMonthLastYear":`...)
	e.month(in.SameMonthLastYear)
	e.b = append(e.b, `,"monthBeforeThatLastYear":`...)
	e.month(in.MonthBeforeThatLastYear)
	e.b = append(e.b, `,"eligibleCustomers":`...)
	e.eligible(in.EligibleCustomers)
	e.b = append(e.b, `,"eligibleCustomersLastYear":`...)
	e.eligible(in.EligibleCustomersLastYear)
	e.b = append(e.b, `,"netAdds":`...)
	e.int(in.NetAdds)
	e.b = append(e.b, '}')
}

func (e *scoreWriter) eligible(list []domain.EligibleCustomer) {
	if list == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, c := range list {
		e.comma(i)
		e.b = append(e.b, `{"tenantId":`...)
		e.str(c.TenantID)
		e.b = append(e.b, `,"acr":`...)
		if c.ACR == nil {
			e.b = append(e.b, "null}"...)
			continue
		}
		e.b = append(e.b, '[')
		for j, a := range c.ACR {
			e.comma(j)
			e.b = append(e.b, `{"month":`...)
			e.month(a.Month)
			e.b = append(e.b, `,"acrUsd":`...)
			e.cents(a.ACRUSD)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, "]}"...)
	}
	e.b = append(e.b, ']')
}

func (e *scoreWriter) growth(in *domain.GrowthInputs) {
	if in == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, `{"lastMonth":`...)
	e.month(in.LastMonth)
	e.b = append(e.b, `,"sameMonthLastYear":`...)
	e.month(in.SameMonthLastYear)
	e.b = append(e.b, `,"qualifyingAcrUsd":`...)
	e.cents(in.QualifyingACR)
	e.b = append(e.b, `,"qualifyingAcrUsdLastYear":`...)
	e.cents(in.QualifyingACRLastYear)
	e.b = append(e.b, `,"trailing12MonthsAcrUsd":`...)
	e.cents(in.Trailing12MonthsACR)
	e.b = append(e.b, `,"growthPercent":`...)
	if in.GrowthPercent == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.float(*in.GrowthPercent)
	}
	e.b = append(e.b, `,"window":{"from":`...)
	e.month(in.Window.From)
	e.b = append(e.b, `,"to":`...)
	e.month(in.Window.To)
	e.b = append(e.b, "}}"...)
}

func (e *scoreWriter) deployments(in *domain.DeploymentsInputs) {
	if in == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, `{"from":`...)
	e.month(in.From)
	e.b = append(e.b, `,"to":`...)
	e.month(in.To)
	e.b = append(e.b, `,"services":`...)
	if in.Services == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, s := range in.Services {
			e.comma(i)
			e.b = append(e.b, `{"name":`...)
			e.str(s.Name)
			e.b = append(e.b, `,"group":`...)
			e.str(s.Group)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, `,"excluded":`...)
	e.strs(in.Excluded)
	e.b = append(e.b, '}')
}

func (e *scoreWriter) skilling(in *domain.SkillingInputs) {
	if in == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, `{"steps":`...)
	if in.Steps == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, s := range in.Steps {
			e.comma(i)
			e.b = append(e.b, `{"step":`...)
			e.int(s.Step)
			e.b = append(e.b, `,"role":`...)
			e.str(s.Role)
			e.b = append(e.b, `,"certifications":`...)
			e.strs(s.Certifications)
			if s.MinPeople != 0 {
				e.b = append(e.b, `,"minPeople":`...)
				e.int(s.MinPeople)
			}
			e.b = append(e.b, `,"people":`...)
			e.sharedStrs(s.People)
			e.b = append(e.b, `,"met":`...)
			e.bool(s.Met)
			if s.PointsPerPerson != 0 {
				e.b = append(e.b, `,"pointsPerPerson":`...)
				e.int(s.PointsPerPerson)
			}
			if s.MaxPoints != 0 {
				e.b = append(e.b, `,"maxPoints":`...)
				e.int(s.MaxPoints)
			}
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, `,"stoppedCounting":`...)
	if in.StoppedCounting == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, s := range in.StoppedCounting {
			e.comma(i)
			e.b = append(e.b, `{"individualId":`...)
			e.str(s.IndividualID)
			e.b = append(e.b, `,"certificationId":`...)
			e.str(s.CertificationID)
			e.b = append(e.b, `,"countedUntil":`...)
			e.str(s.CountedUntil.String())
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

// sharedStrs writes a list of ids, copying it when the same slice was
// written before (a step shared by several metrics and areas).
func (e *scoreWriter) sharedStrs(ids []string) {
	if len(ids) == 0 {
		e.strs(ids)
		return
	}
	k := idList{&ids[0], len(ids)}
	if at, ok := e.lists[k]; ok {
		e.b = append(e.b, e.b[at[0]:at[1]]...)
		return
	}
	start := len(e.b)
	e.strs(ids)
	e.lists[k] = [2]int{start, len(e.b)}
}

func (e *scoreWriter) strs(list []string) {
	if list == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, s := range list {
		e.comma(i)
		e.str(s)
	}
	e.b = append(e.b, ']')
}

// marshaled appends what marshal writes for v, without its newline.
func (e *scoreWriter) marshaled(v any) error {
	raw, err := marshal(v)
	if err != nil {
		return err
	}
	e.b = append(e.b, raw[:len(raw)-1]...)
	return nil
}

func (e *scoreWriter) comma(i int) {
	if i > 0 {
		e.b = append(e.b, ',')
	}
}

func (e *scoreWriter) int(n int) { e.b = strconv.AppendInt(e.b, int64(n), 10) }

func (e *scoreWriter) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

// month writes Month.MarshalText as a JSON string: digits and a dash, which
// need no escaping.
func (e *scoreWriter) month(m domain.Month) {
	e.b = append(e.b, '"')
	if m.Year < 1000 || m.Year > 9999 {
		e.b = append(e.b, m.String()...)
	} else {
		e.b = strconv.AppendInt(e.b, int64(m.Year), 10)
		e.b = append(e.b, '-', byte('0'+m.Month/10), byte('0'+m.Month%10))
	}
	e.b = append(e.b, '"')
}

// cents writes Cents.MarshalJSON's number without its string.
func (e *scoreWriter) cents(c domain.Cents) {
	if c < 0 {
		e.b = append(e.b, '-')
		c = -c
	}
	e.b = strconv.AppendInt(e.b, int64(c/100), 10)
	if r := c % 100; r != 0 {
		e.b = append(e.b, '.', byte('0'+r/10))
		if r%10 != 0 {
			e.b = append(e.b, byte('0'+r%10))
		}
	}
}

// float writes a float64 as encoding/json does (ES6 number formatting), and
// refuses what it refuses.
func (e *scoreWriter) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		e.b = append(e.b, "null"...)
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if n := len(e.b); format == 'e' && n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
		e.b[n-2] = e.b[n-1]
		e.b = e.b[:n-1]
	}
}

// str writes a JSON string as encoding/json does without HTML escaping.
func (e *scoreWriter) str(s string) { e.b = jsonquote.Append(e.b, s) }
