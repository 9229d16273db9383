package catalog

import (
	_ "embed"
	"errors"
	"fmt"

	"github.com/partnerready/partnerready/internal/domain"
)

// designationsJSON holds the per-area skilling step lists of the tables of
// RULES.md (R-PCS-4, R-PCS-5). The seed leaves the lists out and Microsoft revises them (the 2023
// page had Data & AI's steps 1 and 2 the other way round), so they are data
// versioned by date, like the certification catalogue.
//
//go:embed designations.json
var designationsJSON []byte

type designationsFile struct {
	Version string            `json:"version"`
	Areas   []designationArea `json:"areas"`
}

type designationArea struct {
	Area     string         `json:"area"`
	Name     string         `json:"name"`
	Skilling []skillingRule `json:"skilling"`
}

type skillingRule struct {
	Metric        string         `json:"metric"`
	Prerequisites []skillingStep `json:"prerequisites"`
	Scoring       skillingStep   `json:"scoring"`
}

type skillingStep struct {
	Certifications  []string `json:"certifications"`
	MinPeople       int      `json:"minPeople,omitempty"`
	PointsPerPerson int      `json:"pointsPerPerson,omitempty"`
	MaxPoints       int      `json:"maxPoints,omitempty"`
}

// LoadScoringRules builds the scoring rules from the embedded step lists and
// the certification catalogue, which supplies the dates (R-PCS-10) and names.
func LoadScoringRules(certs *Certifications) (domain.ScoringRules, error) {
	return ParseScoringRules(designationsJSON, certs)
}

// MustScoringRules is LoadScoringRules for program start-up and tests: the
// embedded data is fixed at build time and covered by tests, so an error is
// a build defect, not a condition to serve scores through.
func MustScoringRules(certs *Certifications) domain.ScoringRules {
	r, err := LoadScoringRules(certs)
	if err != nil {
		panic(err)
	}
	return r
}

// ParseScoringRules validates step lists given as JSON against a certification
// catalogue. It is exported for the same reason as ParseCertifications: the
// lists are public-docs data a deployment may override, and an override must
// pass the same checks. Every problem is reported, not just the first.
//
// Checks: no unknown fields or trailing data; version is YYYY-MM-DD; each
// area of domain.Areas exactly once, named; skilling metrics are
// intermediate or advanced certifications, each at most once per area; every
// step lists certifications, each known to the catalogue and in no other
// step of the area (see checkStep); prerequisites need at least one person;
// the points step earns at least one point a person and caps at no less than
// one person's worth.
func ParseScoringRules(data []byte, certs *Certifications) (domain.ScoringRules, error) {
	if certs == nil {
		return domain.ScoringRules{}, errors.New("designation catalogue: no certification catalogue to check it against")
	}
	var f designationsFile
	if err := decodeStrict(data, &f, "designation catalogue"); err != nil {
		return domain.ScoringRules{}, err
	}

	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if _, err := domain.ParseDate(f.Version); err != nil {
		fail("version: %v", err)
	}

	// inArea maps each certification of the area being read to its step.
	// The step tables of RULES.md (R-PCS-4, R-PCS-5) never put one in two
	// steps of an area, and domain.PlanArea relies on it: it prices each step's
	// people apart, so a certification that filled two steps at once would
	// make its plan dearer than needed and its projected total wrong.
	checkStep := func(at string, s skillingStep, inArea map[string]string) {
		if len(s.Certifications) == 0 {
			fail("%s: no certifications", at)
		}
		seen := map[string]bool{}
		for _, id := range s.Certifications {
			if _, ok := certs.Lookup(id); !ok {
				fail("%s: %q is not in the certification catalogue %s", at, id, certs.Version)
			}
			switch where, other := inArea[id]; {
			case seen[id]:
				fail("%s: %q is listed twice", at, id)
			case other:
				fail("%s: %q is also in %s: a certification belongs to one step of an area", at, id, where)
			default:
				inArea[id] = at
			}
			seen[id] = true
		}
	}

	rules := domain.ScoringRules{Version: f.Version}
	areaSeen := map[domain.Area]bool{}
	for i, a := range f.Areas {
		at := fmt.Sprintf("areas[%d] (%q)", i, a.Area)
		area, ok := domain.ParseArea(a.Area)
		if !ok {
			fail("%s: unknown area (want one of %v)", at, domain.Areas)
		} else if areaSeen[area] {
			fail("%s: duplicate area", at)
		}
		areaSeen[area] = true
		if a.Name == "" {
			fail("%s: name is empty", at)
		}
		ar := domain.AreaRules{Area: area, Name: a.Name}
		metricSeen := map[domain.Metric]bool{}
		inArea := map[string]string{}
		for j, r := range a.Skilling {
			rat := fmt.Sprintf("%s.skilling[%d] (%q)", at, j, r.Metric)
			m := domain.Metric(r.Metric)
			if m != domain.MetricIntermediateCertifications && m != domain.MetricAdvancedCertifications {
				fail("%s: not a skilling metric", rat)
			} else if metricSeen[m] {
				fail("%s: duplicate metric", rat)
			}
			metricSeen[m] = true
			rule := domain.SkillingRule{Metric: m}
			for k, p := range r.Prerequisites {
				pat := fmt.Sprintf("%s.prerequisites[%d]", rat, k)
				checkStep(pat, p, inArea)
				if p.MinPeople < 1 {
					fail("%s: minPeople must be at least 1", pat)
				}
				if p.PointsPerPerson != 0 || p.MaxPoints != 0 {
					fail("%s: a prerequisite earns no points (R-PCS-4)", pat)
				}
				rule.Prerequisites = append(rule.Prerequisites, domain.SkillingStep{Certifications: p.Certifications, MinPeople: p.MinPeople})
			}
			sat := rat + ".scoring"
			checkStep(sat, r.Scoring, inArea)
			if r.Scoring.PointsPerPerson < 1 {
				fail("%s: pointsPerPerson must be at least 1", sat)
			}
			if r.Scoring.MaxPoints < r.Scoring.PointsPerPerson {
				fail("%s: maxPoints %d is less than one person's points", sat, r.Scoring.MaxPoints)
			}
			if r.Scoring.MinPeople != 0 {
				fail("%s: minPeople belongs to prerequisite steps", sat)
			}
			rule.Scoring = domain.SkillingStep{Certifications: r.Scoring.Certifications,
				PointsPerPerson: r.Scoring.PointsPerPerson, MaxPoints: r.Scoring.MaxPoints}
			ar.Skilling = append(ar.Skilling, rule)
		}
		rules.Areas = append(rules.Areas, ar)
	}
	for _, a := range domain.Areas {
		if !areaSeen[a] {
			fail("area %q is missing: Score answers every area", a)
		}
	}
	if len(errs) > 0 {
		return domain.ScoringRules{}, fmt.Errorf("designation catalogue %s: %w", f.Version, errors.Join(errs...))
	}

	// Resolved once into a plain map: Lookup copies the dates on every call.
	byID := map[string]Certification{}
	for _, c := range certs.All() {
		byID[c.ID] = c
	}
	rules.CountsUntil = func(id string) (domain.Date, bool) {
		c, known := byID[id]
		switch {
		case !known:
			// Never counted: an id the catalogue does not know earns nothing.
			return domain.Date{}, true
		case c.CountsUntil == nil:
			return domain.Date{}, false
		}
		return *c.CountsUntil, true // R-PCS-10
	}
	rules.RetiresOn = func(id string) (domain.Date, bool) {
		if c := byID[id]; c.RetiresOn != nil {
			return *c.RetiresOn, true
		}
		return domain.Date{}, false
	}
	rules.Name = func(id string) string { return byID[id].Name }
	rules.Level = func(id string) string { return byID[id].Level }
	return rules, nil
}
