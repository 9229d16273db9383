package domain

import (
	"fmt"
	"slices"
	"strings"
)

// KnowledgeInputs: who holds which listed certification at the end of AsOf.
type KnowledgeInputs struct {
	People  []string            `json:"people"`
	Holders map[string][]string `json:"holders"`
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
func specKnowledge(k KnowledgeRequirement, in ReadinessInput) RequirementStatus {
	end := in.AsOf.LastDay()
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
	var counts, unheld []string
	for _, id := range k.Certifications {
		slices.Sort(holders[id])
		counts = append(counts, fmt.Sprintf("%s: %d", id, len(holders[id])))
		if len(holders[id]) == 0 {
			unheld = append(unheld, id)
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
		Inputs: KnowledgeInputs{People: people, Holders: holders},
	}
	var short []string
	if n := k.MinPeople - len(people); n > 0 {
		short = append(short, fmt.Sprintf("%s holding %s", quantity(n, "more person", "more people"), strings.Join(k.Certifications, " or ")))
	}
	if k.EachCertificationHeld && len(unheld) > 0 {
		short = append(short, "nobody holds "+strings.Join(unheld, " or "))
	}
	r.Met = specBool(len(short) == 0)
	r.Shortfall = strings.Join(short, "; ")
	return r
}
