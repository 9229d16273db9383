package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ValidateSpecialization checks one entry on its own; the catalogue adds the
// checks that need the other entries and the certification catalogue.
func ValidateSpecialization(s Specialization) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		fail("name is empty")
	}
	if !s.Category.Valid() {
		fail("unknown category %q", s.Category)
	} else if want := ManualValidationFor(s.Category); s.ManualValidation != want {
		fail("manualValidation %q, but seed 002 gives %q to category %s", s.ManualValidation, want, s.Category)
	}
	if len(s.Designations) == 0 {
		fail("no aligned designation (R-SPEC-1)")
	}
	for i, d := range s.Designations {
		if !d.Valid() {
			fail("unknown designation %q", d)
		} else if slices.Contains(s.Designations[:i], d) {
			fail("designation %q listed twice", d)
		}
	}
	if (s.SupersededOn == nil) != (s.SupersededBy == "") {
		fail("supersededOn and supersededBy must be given together (R-SPEC-3)")
	}
	if s.SupersededBy == s.ID && s.ID != "" {
		fail("supersededBy names itself")
	}
	if s.Grandfathered && s.SupersededBy == "" {
		fail("grandfathered without a successor")
	}
	if s.ValidFrom != nil && s.SupersededOn != nil && !s.ValidFrom.Before(*s.SupersededOn) {
		fail("validFrom %s is not before supersededOn %s", s.ValidFrom, s.SupersededOn)
	}
	switch s.RequirementsKnown {
	case RequirementsFull:
		if s.Requirements.Performance == nil || s.Requirements.Knowledge == nil {
			fail("requirementsKnown full needs performance and knowledge")
		}
		if s.ManualValidation == ManualValidationAudit && (s.Requirements.Audit == nil || len(s.Requirements.Audit.Modules) == 0) {
			fail("requirementsKnown full needs the audit modules")
		}
	case RequirementsPartial:
	default:
		fail("requirementsKnown %q is neither full nor partial", s.RequirementsKnown)
	}
	if p := s.Requirements.Performance; p != nil {
		if len(p.ServiceGroups) == 0 {
			fail("performance: no service group")
		}
		if p.MonthlyAverage <= 0 || p.Months < 1 || p.MinCustomers < 1 {
			fail("performance: monthlyAverageUsd, months and minCustomers must be positive")
		}
		if len(p.Associations) == 0 {
			fail("performance: no association")
		}
		for _, a := range p.Associations {
			if !slices.Contains(Associations, a) {
				fail("performance: unknown association %q", a)
			}
		}
	}
	if k := s.Requirements.Knowledge; k != nil {
		if k.MinPeople < 1 || len(k.Certifications) == 0 {
			fail("knowledge: minPeople and certifications must not be empty")
		}
		for i, c := range k.Certifications {
			if slices.Contains(k.Certifications[:i], c) {
				fail("knowledge: certification %q listed twice", c)
			}
		}
	}
	if a := s.Requirements.Audit; a != nil {
		if s.ManualValidation != ManualValidationAudit {
			fail("audit requirements on a specialization validated by %q", s.ManualValidation)
		}
		for i, m := range a.Modules {
			if m != "A" && m != "B" {
				fail("audit: unknown module %q (R-AUD-1)", m)
			} else if slices.Contains(a.Modules[:i], m) {
				fail("audit: module %q listed twice", m)
			}
		}
	}
	return errors.Join(errs...)
}
