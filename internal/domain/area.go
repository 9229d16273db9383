package domain

import "slices"

// Area is a solution area of the program, and so its Solutions Partner
// designation: a specialization is aligned with designations (R-SPEC-1) and a
// partner capability score is computed per area (R-PCS-8), and both name the
// same thing. The ids are the API's ("data-ai" in a score's path and in a
// specialization's designations).
type Area string

const (
	AreaDataAI               Area = "data-ai"
	AreaInfrastructure       Area = "infrastructure"
	AreaDigitalAppInnovation Area = "digital-app-innovation"
	AreaBusinessApplications Area = "business-applications"
	AreaModernWork           Area = "modern-work"
	AreaSecurity             Area = "security"
)

// Areas are the Azure areas whose partner capability score the engine
// computes, in the order Score answers and the API lists them. Business
// Applications, Modern Work and Security score on other metrics that the
// seeds leave out (RULES.md, R-PCS-1), so they are not scored.
var Areas = []Area{AreaDataAI, AreaInfrastructure, AreaDigitalAppInnovation}

// SolutionAreas lists every area, scored or not: every designation a
// specialization may be aligned with (seed 002).
var SolutionAreas = []Area{
	AreaDataAI, AreaInfrastructure, AreaDigitalAppInnovation,
	AreaBusinessApplications, AreaModernWork, AreaSecurity,
}

// ParseArea accepts exactly the ids of Areas, the scored ones (they appear
// in API paths).
func ParseArea(s string) (Area, bool) {
	for _, a := range Areas {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

// Valid reports whether a is one of SolutionAreas.
func (a Area) Valid() bool { return slices.Contains(SolutionAreas, a) }

// Title is the designation's program name, for readiness explanations.
func (a Area) Title() string {
	switch a {
	case AreaDataAI:
		return "Data & AI (Azure)"
	case AreaInfrastructure:
		return "Infrastructure (Azure)"
	case AreaDigitalAppInnovation:
		return "Digital & App Innovation (Azure)"
	case AreaBusinessApplications:
		return "Business Applications"
	case AreaModernWork:
		return "Modern Work"
	case AreaSecurity:
		return "Security"
	}
	return string(a)
}
