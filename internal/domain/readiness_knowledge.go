package domain

import (
	"fmt"
	"slices"
	"strings"
)

// KnowledgeInputs: who holds which listed certification at the end of
// AsOf, and which listed certifications had retired by then.
type KnowledgeInputs struct {
	People  []string               `json:"people"`
	Holders map[string][]string    `json:"holders"`
	Retired []RetiredCertification `json:"retired"`
}

// RetiredCertification is a listed certification that nobody can earn any
// more: Microsoft retired it on RetiredOn.
type RetiredCertification struct {
	CertificationID string `json:"certificationId"`
	RetiredOn       Date   `json:"retiredOn"`
}

// specKnowledge counts certificates held at the end of AsOf: earned on or
// before its last day and expiring no earlier than that day, the same test
// the score engine applies to skilling, so a person never counts for a score
// and not for a specialization in the same month.
//
// A certification the catalogue has retired still satisfies a specialization
// while the person's certificate has not expired: seed 001 asks for people
// who "passed" the certifications, and the catalogue's countsUntil governs
// partner capability score points only (R-PCS-10). Applying countsUntil here
// would make AI and Machine Learning unattainable once both of its listed
// certifications retire (2026), which no seed says.
//
// What a retired certification does change is the shortfall: nobody can
// earn it any more, so it is never what a partner is asked to earn. When
// every listed certification has retired (AI and Machine Learning's both
// have, as of 2026-06), no certification can make up a shortfall, and it
// says that the catalogue needs their successors instead.
func specKnowledge(k KnowledgeRequirement, in ReadinessInput) RequirementStatus {
	end := in.AsOf.LastDay()
	retired := []RetiredCertification{}
	var earnable []string
	for _, id := range k.Certifications {
		if d, ok := in.retiredBy(id, end); ok {
			retired = append(retired, RetiredCertification{CertificationID: id, RetiredOn: d})
		} else {
			earnable = append(earnable, id)
		}
	}
	holders := make(map[string][]string, len(k.Certifications))
	for _, id := range k.Certifications {
		holders[id] = []string{}
	}
	var people []string
	for _, ind := range in.Individuals {
		counted := false
		for _, hc := range ind.Certifications {
			if _, listed := holders[hc.ID]; !listed || !hc.HeldOn(end) {
				continue
			}
			if !slices.Contains(holders[hc.ID], ind.ID) {
				holders[hc.ID] = append(holders[hc.ID], ind.ID)
			}
			counted = true
		}
		if counted {
			people = append(people, ind.ID)
		}
	}
	slices.Sort(people)
	people = slices.Compact(people)
	if people == nil {
		people = []string{}
	}
	var counts, unheld, unheldRetired []string
	for _, id := range k.Certifications {
		slices.Sort(holders[id])
		counts = append(counts, fmt.Sprintf("%s: %d", id, len(holders[id])))
		if len(holders[id]) == 0 {
			if slices.Contains(earnable, id) {
				unheld = append(unheld, id)
			} else {
				unheldRetired = append(unheldRetired, id)
			}
		}
	}
	needs := fmt.Sprintf("needs %d or more people", k.MinPeople)
	if k.EachCertificationHeld {
		needs += " and each listed certification held by at least 1"
	}
	r := RequirementStatus{
		Kind: RequirementKnowledge,
		Detail: fmt.Sprintf("%s holding %s at the end of %s (%s); %s",
			quantity(len(people), "person", "people"), strings.Join(k.Certifications, " or "), in.AsOf, strings.Join(counts, ", "), needs),
		Inputs: KnowledgeInputs{People: people, Holders: holders, Retired: retired},
	}
	if len(retired) > 0 {
		r.Detail += fmt.Sprintf("; retired: %s (certificates already held still count)", retiredList(retired))
	}

	short := 0 // people missing
	if n := k.MinPeople - len(people); n > 0 {
		short = n
	}
	var lines []string
	if len(earnable) == 0 {
		var gaps []string
		if short > 0 {
			gaps = append(gaps, fmt.Sprintf("%s short of the %d needed", quantity(short, "person", "people"), k.MinPeople))
		}
		if k.EachCertificationHeld && len(unheldRetired) > 0 {
			gaps = append(gaps, "nobody holds "+strings.Join(unheldRetired, " or "))
		}
		if len(gaps) > 0 {
			lines = append(lines, fmt.Sprintf("%s; every listed certification has retired (%s), so nobody can earn one now: the catalogue needs their successor certifications",
				strings.Join(gaps, ", and "), retiredList(retired)))
		}
	} else {
		if short > 0 {
			lines = append(lines, fmt.Sprintf("%s holding %s", quantity(short, "more person", "more people"), strings.Join(earnable, " or ")))
		}
		if k.EachCertificationHeld && len(unheld) > 0 {
			lines = append(lines, "nobody holds "+strings.Join(unheld, " or "))
		}
		if k.EachCertificationHeld && len(unheldRetired) > 0 {
			var gone []RetiredCertification
			for _, rc := range retired {
				if slices.Contains(unheldRetired, rc.CertificationID) {
					gone = append(gone, rc)
				}
			}
			when := "on " + gone[0].RetiredOn.String()
			if len(gone) > 1 {
				when = "(" + retiredList(gone) + ")"
			}
			lines = append(lines, fmt.Sprintf("nobody holds %s, which retired %s, so nobody can earn %s now: the catalogue needs %s successor %s",
				strings.Join(unheldRetired, " or "), when, plural(len(gone), "it", "them"), plural(len(gone), "its", "their"), plural(len(gone), "certification", "certifications")))
		}
	}
	r.Met = specBool(len(lines) == 0)
	r.Shortfall = strings.Join(lines, "; ")
	return r
}

// retiredList names retired certifications and their dates
// ("azure-data-scientist-associate on 2026-06-01, ...").
func retiredList(list []RetiredCertification) string {
	parts := make([]string, len(list))
	for i, rc := range list {
		parts[i] = fmt.Sprintf("%s on %s", rc.CertificationID, rc.RetiredOn)
	}
	return strings.Join(parts, ", ")
}
