package catalog

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"

	"github.com/partnerready/partnerready/internal/domain"
)

// specializations.json is seed 002's mapping table (names in Microsoft's
// English, designations as aligned there, R-SPEC-1) plus the superseded Linux
// and Open-Source Database Migration (seed 000, R-SPEC-3). Only AI and Machine
// Learning has full requirements (seed 001, R-SPEC-2); the others carry what
// the seeds give and say "partial", so readiness answers "unknown" for them
// rather than guess. Seed 000 names no aligned designation for Linux and
// Open-Source Database Migration: it carries its successor's, whose enrollees
// it was folded into.
//
//go:embed specializations.json
var specializationsJSON []byte

// Specializations is a validated, read-only specialization catalogue.
// Version is the date the data was last checked against the seeds and
// Microsoft's pages.
type Specializations struct {
	Version string
	list    []domain.Specialization
	byID    map[string]int
	caps    map[domain.SpecializationCategory]int
}

type specializationsFile struct {
	Version         string                                `json:"version"`
	BenefitCaps     map[domain.SpecializationCategory]int `json:"benefitCaps"`
	Specializations []domain.Specialization               `json:"specializations"`
}

// LoadSpecializations parses and validates the embedded catalogue against the
// embedded certification catalogue.
func LoadSpecializations() (*Specializations, error) {
	certs, err := LoadCertifications()
	if err != nil {
		return nil, err
	}
	return ParseSpecializations(specializationsJSON, certs)
}

// MustSpecializations is LoadSpecializations for program start-up: the
// embedded files are fixed at build time and tested, so an error is a build
// defect.
func MustSpecializations() *Specializations {
	s, err := LoadSpecializations()
	if err != nil {
		panic(err)
	}
	return s
}

// ParseSpecializations validates a catalogue given as JSON, so that a
// deployment's override passes the same checks as the embedded file. It
// reports every problem, not just the first.
//
// Checks: no unknown fields or trailing data; version is YYYY-MM-DD; a benefit
// cap of at least 1 for each of the four categories and no other (R-SPEC-4);
// ids unique slugs; names unique; each entry valid on its own
// (domain.ValidateSpecialization: category, designations, manual validation
// per seed 002, requirement shapes); supersededBy names another entry, and
// succession has no cycle (R-SPEC-3); every certification a knowledge
// requirement lists is in certs, so a typo cannot make a requirement
// unattainable.
func ParseSpecializations(data []byte, certs *Certifications) (*Specializations, error) {
	var f specializationsFile
	if err := decodeStrict(data, &f, "specialization catalogue"); err != nil {
		return nil, err
	}

	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if _, err := domain.ParseDate(f.Version); err != nil {
		fail("version: %v", err)
	}
	for _, c := range domain.SpecializationCategories {
		if n, ok := f.BenefitCaps[c]; !ok || n < 1 {
			fail("benefitCaps: %s needs a cap of at least 1 (R-SPEC-4)", c)
		}
	}
	for c := range f.BenefitCaps {
		if !c.Valid() {
			fail("benefitCaps: unknown category %q", c)
		}
	}
	if len(f.Specializations) == 0 {
		fail("specializations: the list is empty")
	}

	byID := checkEntries(f.Specializations, "specializations", func(s domain.Specialization) (string, string) { return s.ID, s.Name }, fail)
	for i, s := range f.Specializations {
		at := fmt.Sprintf("specializations[%d] (%q)", i, s.ID)
		if err := domain.ValidateSpecialization(s); err != nil {
			fail("%s: %w", at, err)
		}
		if k := s.Requirements.Knowledge; k != nil && certs != nil {
			for _, c := range k.Certifications {
				if _, ok := certs.Lookup(c); !ok {
					fail("%s: knowledge: certification %q is not in the certification catalogue %s", at, c, certs.Version)
				}
			}
		}
	}
	for i, s := range f.Specializations {
		if s.SupersededBy == "" {
			continue
		}
		at := fmt.Sprintf("specializations[%d] (%q)", i, s.ID)
		j, ok := byID[s.SupersededBy]
		if !ok {
			fail("%s: supersededBy %q is not in the catalogue", at, s.SupersededBy)
			continue
		}
		if next := f.Specializations[j]; next.ValidFrom != nil && s.SupersededOn != nil && s.SupersededOn.Before(*next.ValidFrom) {
			fail("%s: superseded on %s by %q, which is valid only from %s", at, s.SupersededOn, next.ID, next.ValidFrom)
		}
		seen := map[string]bool{s.ID: true}
		for next := s.SupersededBy; next != ""; next = f.Specializations[byID[next]].SupersededBy {
			if _, ok := byID[next]; !ok {
				break
			}
			if seen[next] {
				fail("%s: succession loops back to %q", at, next)
				break
			}
			seen[next] = true
		}
	}
	if certs == nil {
		fail("no certification catalogue to check knowledge requirements against")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("specialization catalogue %s: %w", f.Version, errors.Join(errs...))
	}

	list := slices.Clone(f.Specializations)
	slices.SortStableFunc(list, func(a, b domain.Specialization) int {
		return slices.Index(domain.SpecializationCategories, a.Category) - slices.Index(domain.SpecializationCategories, b.Category)
	})
	for i, s := range list {
		byID[s.ID] = i
	}
	caps := make(map[domain.SpecializationCategory]int, len(f.BenefitCaps))
	for c, n := range f.BenefitCaps {
		caps[c] = n
	}
	return &Specializations{Version: f.Version, list: list, byID: byID, caps: caps}, nil
}

// All returns every specialization, by category in seed 002's order and
// within a category in the file's order (seed 002's), superseded ones
// included: a grandfathered partner still needs to look the old one up. The
// values are deep copies, so the shared catalogue stays read-only.
func (s *Specializations) All() []domain.Specialization {
	out := make([]domain.Specialization, len(s.list))
	for i, sp := range s.list {
		out[i] = cloneSpecialization(sp)
	}
	return out
}

// Lookup finds a specialization by id.
func (s *Specializations) Lookup(id string) (domain.Specialization, bool) {
	i, ok := s.byID[id]
	if !ok {
		return domain.Specialization{}, false
	}
	return cloneSpecialization(s.list[i]), true
}

// BenefitCap is how many specializations of a category earn a product benefit
// (R-SPEC-4); 0 for an unknown category.
func (s *Specializations) BenefitCap(c domain.SpecializationCategory) int { return s.caps[c] }

// BenefitCaps returns every category's cap, for the catalogue endpoint.
func (s *Specializations) BenefitCaps() map[domain.SpecializationCategory]int {
	out := make(map[domain.SpecializationCategory]int, len(s.caps))
	for c, n := range s.caps {
		out[c] = n
	}
	return out
}

func cloneSpecialization(s domain.Specialization) domain.Specialization {
	s.Designations = slices.Clone(s.Designations)
	s.ValidFrom = cloneSpecDate(s.ValidFrom)
	s.SupersededOn = cloneSpecDate(s.SupersededOn)
	if p := s.Requirements.Performance; p != nil {
		c := *p
		c.ServiceGroups = slices.Clone(p.ServiceGroups)
		c.Associations = slices.Clone(p.Associations)
		s.Requirements.Performance = &c
	}
	if k := s.Requirements.Knowledge; k != nil {
		c := *k
		c.Certifications = slices.Clone(k.Certifications)
		s.Requirements.Knowledge = &c
	}
	if a := s.Requirements.Audit; a != nil {
		c := *a
		c.Modules = slices.Clone(a.Modules)
		c.ModuleAControls = slices.Clone(a.ModuleAControls)
		c.ModuleBControls = slices.Clone(a.ModuleBControls)
		s.Requirements.Audit = &c
	}
	return s
}

func cloneSpecDate(d *domain.Date) *domain.Date {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}
