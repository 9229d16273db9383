package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// candidate is what ranks a person for a certification (see candidates).
type candidate struct {
	id     string
	inArea int // the steps of the area the person is counted in
	// lapsed: the person holds, or held, a certification of the area's steps
	// that no longer counts for them at the end of AsOf (expired, or retired
	// past its countsUntil, R-PCS-10).
	lapsed bool
}

func (pl *planner) indexPeople() {
	inArea := map[string]int{}
	pl.inMetric = map[Metric]map[string]int{}
	for _, m := range pl.score.Metrics {
		in, ok := m.Inputs.(*SkillingInputs)
		if !ok {
			continue
		}
		pl.inMetric[m.Metric] = map[string]int{}
		for _, st := range in.Steps {
			for _, id := range st.People {
				inArea[id]++
				pl.inMetric[m.Metric][id]++
			}
		}
	}
	areaCerts := map[string]bool{}
	for _, r := range pl.ar.Skilling {
		for _, st := range append(slices.Clip(r.Prerequisites), r.Scoring) {
			for _, id := range st.Certifications {
				areaCerts[id] = true
			}
		}
	}
	last := pl.in.AsOf.LastDay()
	byID := make(map[string]int, len(pl.in.Individuals))
	for i := range pl.in.Individuals {
		p := &pl.in.Individuals[i]
		k, seen := byID[p.ID]
		if !seen { // entries sharing an id are one person
			k = len(pl.people)
			byID[p.ID] = k
			pl.people = append(pl.people, candidate{id: p.ID, inArea: inArea[p.ID]})
		}
		for h := range p.Certifications {
			c := &p.Certifications[h]
			if areaCerts[c.ID] && !c.EarnedOn.After(last) && !(c.HeldOn(last) && pl.rules.CountsOn(c.ID, last)) {
				pl.people[k].lapsed = true
			}
		}
	}
	slices.SortFunc(pl.people, func(a, b candidate) int { return strings.Compare(a.id, b.id) })
}

// candidates lists up to maxCandidates people not in the step, the likeliest
// to take it first: those counted in the metric's other steps, then
// elsewhere in the area (they hold related certifications, Azure Solutions
// Architect Expert builds on Azure Administrator Associate, and a person may
// count in several steps, R-PCS-4), then those whose certification of the
// area lapsed or stopped counting (R-PCS-10), then everyone else, by id.
func (pl *planner) candidates(m Metric, step []string) []string {
	same := pl.inMetric[m]
	order := func(a, b candidate) int {
		return cmp.Or(cmp.Compare(same[b.id], same[a.id]), cmp.Compare(b.inArea, a.inArea), cmp.Compare(rank(b.lapsed), rank(a.lapsed)), strings.Compare(a.id, b.id))
	}
	// A bounded insertion keeps the roster unsorted: a large partner has
	// thousands of people and the hint needs ten.
	top := make([]candidate, 0, maxCandidates+1)
	for _, c := range pl.people {
		if _, in := slices.BinarySearch(step, c.id); in {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, c, order)
		if i == maxCandidates {
			continue
		}
		top = slices.Insert(top, i, c)
		top = top[:min(len(top), maxCandidates)]
	}
	ids := make([]string, len(top))
	for i, c := range top {
		ids[i] = c.id
	}
	return ids
}

func rank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// certChoice is the cheapest way to put one more person in a step: the
// step's certifications of the cheapest level that still count (R-PCS-10).
type certChoice struct {
	ids  []string
	cost int
}

func (pl *planner) cheapest(certs []string) certChoice {
	last := pl.in.AsOf.LastDay()
	var c certChoice
	for _, id := range certs {
		if !pl.rules.CountsOn(id, last) {
			continue
		}
		cost := CostCertifyPerson
		if pl.rules.Level != nil && pl.rules.Level(id) == levelExpert {
			cost = CostCertifyExpert
		}
		switch {
		case c.ids == nil || cost < c.cost:
			c = certChoice{[]string{id}, cost}
		case cost == c.cost:
			c.ids = append(c.ids, id)
		}
	}
	return c
}

// skilling prices R-PCS-4/R-PCS-5: the unmet prerequisite steps are a fixed
// cost before any point, then each person in the points step adds
// PointsPerPerson up to MaxPoints.
func (pl *planner) skilling(m MetricScore, r *SkillingRule, in *SkillingInputs) metricLevels {
	l := metricLevels{current: m.Points, options: []levelOption{{levelCost: levelCost{points: m.Points}}}}
	what := fmt.Sprintf("%s %s", pl.ar.Name, metricName(m.Metric))
	type need struct {
		step, n int
		cert    certChoice
	}
	var needs []need
	fixed := 0
	for s, st := range r.Prerequisites {
		have := len(in.Steps[s].People)
		if have >= st.MinPeople {
			continue
		}
		c := pl.cheapest(st.Certifications)
		if c.ids == nil {
			l.stuck = fmt.Sprintf("no certification of step %d of %s counts in %s", s+1, what, pl.in.AsOf)
			return l
		}
		needs = append(needs, need{s, st.MinPeople - have, c})
		fixed += (st.MinPeople - have) * c.cost
	}
	sc := r.Scoring
	ps := len(r.Prerequisites)
	people := in.Steps[ps].People
	potential := 0
	if sc.PointsPerPerson > 0 {
		potential = min(len(people)*sc.PointsPerPerson, sc.MaxPoints)
	}
	c := pl.cheapest(sc.Certifications)

	option := func(k, level int) levelOption {
		o := levelOption{levelCost: levelCost{points: level, cost: fixed + k*c.cost, actions: len(needs)}}
		if k > 0 {
			o.actions++
		}
		o.build = func() []Action {
			var acts []Action
			for i, nd := range needs {
				a := Action{Kind: ActionCertifyPeople, Metric: m.Metric, Count: nd.n, Certifications: nd.cert.ids, Step: nd.step + 1,
					Candidates: pl.candidates(m.Metric, in.Steps[nd.step].People), Cost: nd.n * nd.cert.cost}
				have := len(in.Steps[nd.step].People)
				a.Description = fmt.Sprintf("Certify %d more %s in %s: step %d of %s needs %d and %d %s",
					nd.n, plural(nd.n, "person", "people"), pl.rules.certPhrase(nd.cert.ids), nd.step+1, what,
					r.Prerequisites[nd.step].MinPeople, have, hasIt(have, len(nd.cert.ids)))
				// The last prerequisite unlocks the points of the people
				// already in the points step (R-PCS-4).
				if i == len(needs)-1 && potential > 0 {
					a.Points = potential
					a.Description += fmt.Sprintf("; with every step before %d met, the %d %s already in step %d %s %d points",
						ps+1, len(people), plural(len(people), "person", "people"), ps+1, plural(len(people), "earns", "earn"), potential)
				}
				a.Description += "."
				acts = append(acts, a)
			}
			if k > 0 {
				pts := level - potential
				acts = append(acts, Action{Kind: ActionCertifyPeople, Metric: m.Metric, Count: k, Certifications: c.ids, Step: ps + 1,
					Candidates: pl.candidates(m.Metric, people), Points: pts, Cost: k * c.cost,
					Description: fmt.Sprintf("Certify %d more %s in %s: step %d of %s earns %d points a person, %d more in all.",
						k, plural(k, "person", "people"), pl.rules.certPhrase(c.ids), ps+1, what, sc.PointsPerPerson, pts)})
			}
			return acts
		}
		return o
	}
	if len(needs) > 0 && potential > 0 {
		l.options = append(l.options, option(0, potential))
	}
	if c.ids == nil || sc.PointsPerPerson <= 0 {
		if potential < sc.MaxPoints {
			l.stuck = fmt.Sprintf("no certification of step %d of %s counts in %s", ps+1, what, pl.in.AsOf)
		}
		return l
	}
	for k := 1; (len(people)+k-1)*sc.PointsPerPerson < sc.MaxPoints; k++ {
		l.options = append(l.options, option(k, min((len(people)+k)*sc.PointsPerPerson, sc.MaxPoints)))
	}
	return l
}
