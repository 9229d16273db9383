package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Step roles in StepInputs.
const (
	StepRolePrerequisite = "prerequisite"
	StepRolePoints       = "points"
)

// SkillingInputs explains a skilling metric, step by step. StoppedCounting
// names what the steps no longer count: certifications of the metric that
// people hold at the end of the month but that the catalogue retired and
// stopped counting before it (R-PCS-10), so a partner sees whose points went
// and why. A person listed there may still count through another certification.
type SkillingInputs struct {
	Steps           []StepInputs           `json:"steps"`
	StoppedCounting []StoppedCertification `json:"stoppedCounting"`
}

// StoppedCertification is one person's certification that no longer earns
// points: it counted until CountedUntil, the catalogue's countsUntil.
type StoppedCertification struct {
	IndividualID    string `json:"individualId"`
	CertificationID string `json:"certificationId"`
	CountedUntil    Date   `json:"countedUntil"`
}

// StepInputs is one step as counted. People are the individual ids that
// hold (validly, at the end of the month) any of the step's certifications,
// each once, sorted. Met is, for a prerequisite, "at least MinPeople
// people"; for the points step, "earns points": every prerequisite met and
// at least one person counted.
type StepInputs struct {
	Step            int      `json:"step"`
	Role            string   `json:"role"`
	Certifications  []string `json:"certifications"`
	MinPeople       int      `json:"minPeople,omitempty"`
	People          []string `json:"people"`
	Met             bool     `json:"met"`
	PointsPerPerson int      `json:"pointsPerPerson,omitempty"`
	MaxPoints       int      `json:"maxPoints,omitempty"`
}

// scoreSkilling scores every skilling metric of the given areas (nil: an
// area the rules lack) in one pass over the people, since the three areas
// share most certifications and the people list is the largest input.
func scoreSkilling(rules ScoringRules, in ScoreInput, areas []*AreaRules) [][]MetricScore {
	// Flatten every step of every rule: step s of a rule is base+s, the
	// points step coming after its prerequisites.
	type ruleAt struct {
		rule *SkillingRule
		base int
	}
	var ruleList []ruleAt
	nSteps := 0
	for _, ar := range areas {
		if ar == nil {
			continue
		}
		for i := range ar.Skilling {
			r := &ar.Skilling[i]
			ruleList = append(ruleList, ruleAt{r, nSteps})
			nSteps += len(r.Prerequisites) + 1
		}
	}
	step := func(r *SkillingRule, s int) *SkillingStep {
		if s < len(r.Prerequisites) {
			return &r.Prerequisites[s]
		}
		return &r.Scoring
	}

	// Certifications are held at the end of M (DESIGN "Score semantics").
	last := in.AsOf.LastDay()
	// Steps with the same certification list (Azure Administrator Associate
	// is step 1 of three metrics) are counted once and share their people.
	unique := map[string]int{}
	stepOf := make([]int, nSteps)
	var lists [][]string
	for _, ra := range ruleList {
		for s := range len(ra.rule.Prerequisites) + 1 {
			certs := step(ra.rule, s).Certifications
			key := strings.Join(certs, "\x00")
			u, ok := unique[key]
			if !ok {
				u = len(lists)
				unique[key] = u
				lists = append(lists, certs)
			}
			stepOf[ra.base+s] = u
		}
	}
	// uses maps each certification of a step to the unique steps it belongs
	// to and whether it still earns points on that day (R-PCS-10):
	// asked once per id, not once per person.
	uses := map[string]certUse{}
	for u, certs := range lists {
		for _, id := range certs {
			use, seen := uses[id]
			if !seen && !rules.CountsOn(id, last) {
				use.stopped = true
				use.until, _ = rules.CountsUntil(id)
			}
			if n := len(use.steps); n == 0 || use.steps[n-1] != u {
				use.steps = append(use.steps, u)
			}
			uses[id] = use
		}
	}

	uniquePeople := make([][]string, len(lists))
	uniqueStopped := make([][]StoppedCertification, len(lists))
	if len(uses) > 0 {
		countPeople(in.Individuals, last, uses, uniquePeople, uniqueStopped)
	}
	people := make([][]string, nSteps)
	stopped := make([][]StoppedCertification, nSteps)
	for i, u := range stepOf {
		people[i], stopped[i] = uniquePeople[u], uniqueStopped[u]
	}

	out := make([][]MetricScore, len(areas))
	k := 0
	for a, ar := range areas {
		if ar == nil {
			continue
		}
		out[a] = make([]MetricScore, len(ar.Skilling))
		for i := range ar.Skilling {
			ra := ruleList[k]
			k++
			steps := ra.base + len(ra.rule.Prerequisites) + 1
			out[a][i] = skillingMetric(rules, ra.rule, people[ra.base:steps], stopped[ra.base:steps])
		}
	}
	return out
}

// certUse is what scoreSkilling knows of one certification of the steps.
type certUse struct {
	steps   []int // the unique steps listing it
	stopped bool  // retired and no longer counting on the month's last day
	until   Date  // when stopped, the last day it counted
}

// countPeople lists, for every step, the ids of the people holding a valid
// certification of it, each once (R-PCS-4: "once per step"), sorted,
// and the certificates of it held that no longer count (R-PCS-10), sorted by
// person and certification. Entries sharing an id are one person. Sorting
// each step's list rather than the whole roster sorts only the people who count.
func countPeople(individuals []Individual, last Date, uses map[string]certUse, people [][]string, stopped [][]StoppedCertification) {
	lastPerson := make([]int, len(people))
	for i := range lastPerson {
		lastPerson[i] = -1
	}
	for i := range individuals {
		p := &individuals[i]
		for h := range p.Certifications {
			c := &p.Certifications[h]
			use, ok := uses[c.ID]
			if !ok || !c.HeldOn(last) {
				continue
			}
			if use.stopped {
				for _, s := range use.steps {
					stopped[s] = append(stopped[s], StoppedCertification{IndividualID: p.ID, CertificationID: c.ID, CountedUntil: use.until})
				}
				continue
			}
			for _, s := range use.steps {
				if lastPerson[s] != i {
					lastPerson[s] = i
					people[s] = append(people[s], p.ID)
				}
			}
		}
	}
	for s, ids := range people {
		sortIDs(ids)
		people[s] = slices.Compact(ids)
	}
	for s, list := range stopped {
		stopped[s] = sortStopped(list)
	}
}

// sortStopped orders stopped certifications by person, then certification,
// each pair once (entries sharing an id are one person).
func sortStopped(list []StoppedCertification) []StoppedCertification {
	slices.SortFunc(list, func(a, b StoppedCertification) int {
		return cmp.Or(strings.Compare(a.IndividualID, b.IndividualID), strings.Compare(a.CertificationID, b.CertificationID))
	})
	return slices.Compact(list)
}

// skillingMetric scores one skilling rule, given the people of its steps
// (prerequisites first, points step last) and the certificates of each step
// that stopped counting.
//
// R-PCS-4: no points until every prerequisite step has its MinPeople, then
// PointsPerPerson for each person of the points step, up to MaxPoints.
// R-PCS-5: advanced certifications are scored the same way on the
// catalogue's lists (two Azure Solutions Architect Experts first, then 4
// points a person up to 20).
func skillingMetric(rules ScoringRules, r *SkillingRule, people [][]string, stopped [][]StoppedCertification) MetricScore {
	sc := r.Scoring
	in := &SkillingInputs{Steps: make([]StepInputs, 0, len(people)), StoppedCounting: []StoppedCertification{}}
	for _, list := range stopped {
		in.StoppedCounting = append(in.StoppedCounting, list...)
	}
	if len(stopped) > 1 {
		in.StoppedCounting = sortStopped(in.StoppedCounting)
	}
	m := MetricScore{Metric: r.Metric, Max: sc.MaxPoints, Inputs: in, Missing: []string{}}
	var unmet []string
	for s, p := range r.Prerequisites {
		n := len(people[s])
		met := n >= p.MinPeople
		in.Steps = append(in.Steps, StepInputs{Step: s + 1, Role: StepRolePrerequisite, Certifications: p.Certifications,
			MinPeople: p.MinPeople, People: orEmpty(people[s]), Met: met})
		if !met {
			unmet = append(unmet, fmt.Sprint(s+1))
			m.Missing = append(m.Missing, fmt.Sprintf("step %d needs %d %s with %s; %d %s",
				s+1, p.MinPeople, plural(p.MinPeople, "person", "people"), rules.certPhrase(p.Certifications), n, hasIt(n, len(p.Certifications))))
		}
	}
	ps := len(r.Prerequisites)
	n := len(people[ps])
	potential := 0
	if sc.PointsPerPerson > 0 {
		potential = min(n*sc.PointsPerPerson, sc.MaxPoints)
	}
	if len(unmet) == 0 {
		m.Points = potential
	}
	in.Steps = append(in.Steps, StepInputs{Step: ps + 1, Role: StepRolePoints, Certifications: sc.Certifications,
		People: orEmpty(people[ps]), Met: len(unmet) == 0 && n > 0, PointsPerPerson: sc.PointsPerPerson, MaxPoints: sc.MaxPoints})

	more := 0
	if sc.PointsPerPerson > 0 {
		more = (sc.MaxPoints - potential + sc.PointsPerPerson - 1) / sc.PointsPerPerson
	}
	switch {
	case len(unmet) == 0 && more > 0:
		m.Missing = append(m.Missing, fmt.Sprintf("step %d needs %d more %s with %s for %s",
			ps+1, more, plural(more, "person", "people"), rules.certPhrase(sc.Certifications), morePoints(sc.MaxPoints-potential)))
	case len(unmet) > 0:
		// Say what the points step is worth once the prerequisites are met,
		// so the cheapest path to 70 can be read off the response.
		line := fmt.Sprintf("step %d earns %d points per person with %s, up to %d, once %s %s %s met; %d %s now (%d %s)",
			ps+1, sc.PointsPerPerson, rules.certPhrase(sc.Certifications), sc.MaxPoints,
			plural(len(unmet), "step", "steps"), joinAnd(unmet), plural(len(unmet), "is", "are"), n, hasIt(n, len(sc.Certifications)), potential, plural(potential, "point", "points"))
		if more > 0 {
			line += fmt.Sprintf(", %d more %s for %d", more, plural(more, "person", "people"), sc.MaxPoints)
		}
		m.Missing = append(m.Missing, line)
	}
	return m
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func hasIt(n, certs int) string {
	obj := "it"
	if certs > 1 {
		obj = "one"
	}
	return plural(n, "has ", "have ") + obj
}

// certPhrase names a step's certifications as the rulebook does.
func (r ScoringRules) certPhrase(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id
		if r.Name != nil {
			if n := r.Name(id); n != "" {
				names[i] = n
			}
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return "any of " + strings.Join(names, ", ")
}

// sortIDs sorts ids as slices.Sort does, about four times faster on the ids
// this engine sorts when they come unsorted (GUIDs; "mcp-000123"): it sorts
// plain integers made of six bytes after the ids' common prefix and the
// id's position, then puts runs with equal bytes in order by the strings.
// Zero padding keeps the integer order consistent with the strings' ("ab"
// before "abc"). Ids already in order, as the store hands them over, cost
// one pass.
func sortIDs(ids []string) {
	const indexBits = 16
	if len(ids) < 2 || slices.IsSorted(ids) {
		return
	}
	if len(ids) > 1<<indexBits {
		slices.Sort(ids)
		return
	}
	lcp := len(ids[0])
	for _, s := range ids[1:] {
		n := min(lcp, len(s))
		i := 0
		for i < n && s[i] == ids[0][i] {
			i++
		}
		lcp = i
	}
	keys := make([]uint64, len(ids))
	for i, s := range ids {
		var k uint64
		for b := range (64 - indexBits) / 8 {
			k <<= 8
			if lcp+b < len(s) {
				k |= uint64(s[lcp+b])
			}
		}
		keys[i] = k<<indexBits | uint64(i)
	}
	slices.Sort(keys)
	sorted := make([]string, len(ids))
	for i, k := range keys {
		sorted[i] = ids[k&(1<<indexBits-1)]
	}
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j]>>indexBits == keys[i]>>indexBits {
			j++
		}
		if j-i > 1 {
			slices.Sort(sorted[i:j])
		}
		i = j
	}
	copy(ids, sorted)
}
