// Package catalog holds the partner program's reference data (certifications,
// and later specializations and checklists) as versioned JSON embedded in the
// binary.
//
// The lists change on Microsoft's schedule, not ours (RULES.md, R-PCS-4: the
// step lists are data versioned by date), so they live in data files that
// can be reviewed and replaced without touching the rules in internal/domain.
// Embedding them keeps every Lambda self-contained: no cold-start fetch, no
// drift between functions built from the same commit.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/partnerready/partnerready/internal/domain"
)

//go:embed certifications.json
var certificationsJSON []byte

// Levels a certification may have. GitHub certifications get their own level
// because Microsoft lists them beside, not within, its associate/expert ladder.
const (
	LevelFundamentals = "fundamentals"
	LevelAssociate    = "associate"
	LevelExpert       = "expert"
	LevelSpecialty    = "specialty"
	LevelGitHub       = "github"
)

var knownLevels = map[string]bool{
	LevelFundamentals: true,
	LevelAssociate:    true,
	LevelExpert:       true,
	LevelSpecialty:    true,
	LevelGitHub:       true,
}

// slugPattern keeps ids stable and URL-safe: partners send them in
// individuals' certification lists and they appear in API paths and store keys.
// A slug is lowercase kebab-case: words of a-z and 0-9 joined by single '-'.
func validSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') })
}

// Certification is one Microsoft certification the program recognises.
//
// It carries dates, not just a name, because a retired certification can keep
// earning points for a while (R-PCS-10): the Name alone cannot tell the
// scorer whether a person's certificate still counts in a given month.
type Certification struct {
	ID   string `json:"id"`
	Name string `json:"name"` // exactly as RULES.md writes it, so API output matches the rulebook
	// Level is informational (catalogue display, filtering); which certification
	// earns points where is decided by the per-area step lists, not by Level.
	Level string `json:"level"`
	// RetiresOn is when Microsoft retires the certification; nil while current.
	RetiresOn *domain.Date `json:"retiresOn,omitempty"`
	// CountsUntil is the last day (inclusive) the certification still earns
	// partner capability score points. It is separate from RetiresOn because
	// the program may extend eligibility past retirement (seed 003: retired
	// 31 July 2023, counted until July 2024). Set exactly when RetiresOn is.
	CountsUntil *domain.Date `json:"countsUntil,omitempty"`
}

// CountsOn reports whether the certification still earns points on day d
// (R-PCS-10): true up to and including CountsUntil, and always when
// there is no CountsUntil (a current certification).
func (c Certification) CountsOn(d domain.Date) bool {
	return c.CountsUntil == nil || !d.After(*c.CountsUntil)
}

// clone detaches the date pointers so that callers cannot alter the shared
// catalogue through a returned value.
func (c Certification) clone() Certification {
	if c.RetiresOn != nil {
		d := *c.RetiresOn
		c.RetiresOn = &d
	}
	if c.CountsUntil != nil {
		d := *c.CountsUntil
		c.CountsUntil = &d
	}
	return c
}

// Certifications is a validated, read-only certification catalogue.
//
// Version is the date the data was last checked against Microsoft's pages; the
// API reports it so a partner can tell which edition of the lists a score used.
type Certifications struct {
	Version string
	list    []Certification
	byID    map[string]int
}

// certificationsFile is the on-disk shape of certifications.json.
type certificationsFile struct {
	Version        string          `json:"version"`
	Certifications []Certification `json:"certifications"`
}

// LoadCertifications parses and validates the catalogue embedded in the binary.
func LoadCertifications() (*Certifications, error) {
	return ParseCertifications(certificationsJSON)
}

// MustCertifications is LoadCertifications for program start-up: the embedded
// file is fixed at build time and covered by tests, so an error here is a
// build defect and should stop the process rather than serve wrong scores.
func MustCertifications() *Certifications {
	c, err := LoadCertifications()
	if err != nil {
		panic(err)
	}
	return c
}

// ParseCertifications validates a catalogue given as JSON. It is exported, not
// only used for the embedded file, because the public-docs lists are data a
// deployment may override (RULES.md, Sources); an override must pass the same
// checks. It reports every problem found, not just the first, so a bad edit is
// fixed in one round.
//
// Checks: no unknown fields or trailing data; version is YYYY-MM-DD; at least
// one entry; ids unique and in slug form; names non-empty and unique; level
// known; retiresOn and countsUntil given together, with countsUntil not before
// retiresOn (a certification cannot stop counting before it retires).
func ParseCertifications(data []byte) (*Certifications, error) {
	var f certificationsFile
	if err := decodeStrict(data, &f, "certification catalogue"); err != nil {
		return nil, err
	}

	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if _, err := domain.ParseDate(f.Version); err != nil {
		fail("version: %v", err)
	}
	if len(f.Certifications) == 0 {
		fail("certifications: the list is empty")
	}

	byID := checkEntries(f.Certifications, "certifications", func(c Certification) (string, string) { return c.ID, c.Name }, fail)
	for i, c := range f.Certifications {
		at := fmt.Sprintf("certifications[%d] (%q)", i, c.ID)
		if !knownLevels[c.Level] {
			fail("%s: unknown level %q", at, c.Level)
		}
		switch {
		case (c.RetiresOn == nil) != (c.CountsUntil == nil):
			fail("%s: retiresOn and countsUntil must be given together (countsUntil equals retiresOn when no grace period is stated)", at)
		case c.RetiresOn != nil && c.CountsUntil.Before(*c.RetiresOn):
			fail("%s: countsUntil %s is before retiresOn %s", at, c.CountsUntil, c.RetiresOn)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("certification catalogue %s: %w", f.Version, errors.Join(errs...))
	}

	list := slices.Clone(f.Certifications)
	slices.SortFunc(list, func(a, b Certification) int { return strings.Compare(a.ID, b.ID) })
	for i, c := range list {
		byID[c.ID] = i
	}
	return &Certifications{Version: f.Version, list: list, byID: byID}, nil
}

// All returns every certification sorted by id. The slice and its dates are
// copies, so the shared catalogue stays read-only.
func (c *Certifications) All() []Certification {
	out := make([]Certification, len(c.list))
	for i, cert := range c.list {
		out[i] = cert.clone()
	}
	return out
}

// Lookup finds a certification by id. Unknown ids are reported rather than
// guessed at: a partner's typo must not silently earn or lose points.
func (c *Certifications) Lookup(id string) (Certification, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Certification{}, false
	}
	return c.list[i].clone(), true
}

// checkEntries enforces what every catalogue list shares: each id a
// kebab-case slug, used once; each name given, used once. It returns the
// index of every id.
func checkEntries[T any](list []T, kind string, idName func(T) (string, string), fail func(string, ...any)) map[string]int {
	byID := make(map[string]int, len(list))
	names := make(map[string]string, len(list))
	for i, e := range list {
		id, name := idName(e)
		at := fmt.Sprintf("%s[%d] (%q)", kind, i, id)
		if !validSlug(id) {
			fail("%s: id must be lowercase kebab-case (a-z, 0-9, single '-' between words)", at)
		}
		if _, dup := byID[id]; dup {
			fail("%s: duplicate id", at)
		}
		byID[id] = i
		if strings.TrimSpace(name) == "" {
			fail("%s: name is empty", at)
		} else if other, dup := names[name]; dup {
			fail("%s: name %q is also used by %q", at, name, other)
		} else {
			names[name] = id
		}
	}
	return byID
}

// decodeStrict reads one JSON object with no unknown field and nothing after
// it: a typo in catalogue data must fail loading, not be silently ignored.
func decodeStrict(data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: unexpected data after the JSON object", what)
	}
	return nil
}
