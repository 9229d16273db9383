package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/strictjson"
)

// maxProblemErrors bounds the errors one problem lists; the rest are counted
// in errorsOmitted, so that the answer stays small whatever the body holds.
const maxProblemErrors = 100

// fieldErrors collects the value errors of a request, in body order. Every
// check of a value names its JSON path; past maxProblemErrors an error is only
// counted, and its path is never built.
type fieldErrors struct {
	list    []FieldError
	omitted int
	seen    map[string]int // repeats' scratch
}

// at records message for the field name under p ("" names p itself).
func (e *fieldErrors) at(p path, name, message string) {
	if e.full() {
		e.omitted++
		return
	}
	e.list = append(e.list, FieldError{Field: p.field(name).String(), Message: message})
}

// full: a further error is only counted.
func (e *fieldErrors) full() bool { return len(e.list) >= maxProblemErrors }

func (e *fieldErrors) any() bool { return e.count() > 0 }

// count is the number of errors recorded, listed or not.
func (e *fieldErrors) count() int { return len(e.list) + e.omitted }

// problem is the 422 of the collected errors.
func (e *fieldErrors) problem() *Problem { return invalid(e.list, e.omitted) }

// path is a JSON path into the request body (`addIndividuals[3].certifications[0].id`),
// kept as its parts on the stack: checking a million values builds no string
// but those of the errors listed.
type path struct {
	n    int
	segs [4]pathSeg
}

// pathSeg is a field name, and an index into it when it is a list (else -1).
type pathSeg struct {
	name  string
	index int
}

var root path

// field is the path of a field under p; "" is p itself.
func (p path) field(name string) path {
	if name == "" {
		return p
	}
	p.segs[p.n] = pathSeg{name: name, index: -1}
	p.n++
	return p
}

// item is the path of the i-th element of the list field under p.
func (p path) item(list string, i int) path {
	p = p.field(list)
	p.segs[p.n-1].index = i
	return p
}

func (p path) String() string {
	b := make([]byte, 0, 48)
	for i, s := range p.segs[:p.n] {
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, s.name...)
		if s.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
		}
	}
	return string(b)
}

// text checks a required line of human text of at most max characters.
func (e *fieldErrors) text(p path, name, s string, max int) {
	if msg := textProblem(s, max); msg != "" {
		e.at(p, name, msg)
	}
}

// textProblem says what is wrong with s as a name, title or label, or "".
// Names are shown to people in lists and reports, so a value must be one
// line with something visible in it: not only spaces or invisible format
// characters (U+200B, U+FEFF), no control characters, and no bidirectional
// overrides or isolates, which make a name read as another (U+202E).
func textProblem(s string, max int) string {
	if s == "" {
		return "is required"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	visible := false
	for _, r := range s {
		switch {
		case r == '\u2028' || r == '\u2029':
			return "must be a single line (no line or paragraph separator)"
		case unicode.IsControl(r):
			return "must not contain control characters"
		case '\u202A' <= r && r <= '\u202E', '\u2066' <= r && r <= '\u2069':
			return "must not contain bidirectional override or isolate characters"
		case r == utf8.RuneError:
			return "must be valid text"
		case !invisible(r):
			visible = true
		}
	}
	if !visible {
		return "must contain a visible character"
	}
	return ""
}

// invisible: white space, format characters (zero-width space, BOM, joiners),
// marks that only combine, and the blank letters that render as nothing.
func invisible(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800':
		return true
	}
	return unicode.IsSpace(r) || unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me)
}

// required records "is required" for an empty value and reports whether it was given.
func (e *fieldErrors) required(p path, name, s string) bool {
	if s == "" {
		e.at(p, name, "is required")
		return false
	}
	return true
}

// date reads a required date of the program's era.
func (e *fieldErrors) date(p path, name, s string) (domain.Date, bool) {
	if !e.required(p, name, s) {
		return domain.Date{}, false
	}
	return e.dateValue(p, name, s)
}

func (e *fieldErrors) dateValue(p path, name, s string) (domain.Date, bool) {
	d, err := domain.ParseDate(s)
	switch {
	case err != nil:
		e.at(p, name, "must be a date YYYY-MM-DD")
		return d, false
	case d.Before(domain.EarliestDate) || d.After(domain.LatestDate):
		e.at(p, name, fmt.Sprintf("must be from %s to %s", domain.EarliestDate, domain.LatestDate))
		return d, false
	}
	return d, true
}

// month reads a required month YYYY-MM.
func (e *fieldErrors) month(p path, name, s string) (domain.Month, bool) {
	if !e.required(p, name, s) {
		return domain.Month{}, false
	}
	m, err := domain.ParseMonth(s)
	if err != nil {
		e.at(p, name, "must be a month YYYY-MM")
		return m, false
	}
	return m, true
}

// tenantID reads a required Azure AD tenant id in its canonical form.
func (e *fieldErrors) tenantID(p path, name, s string) (string, bool) {
	if !e.required(p, name, s) {
		return "", false
	}
	t, ok := domain.NormalizeTenantID(s)
	if !ok {
		e.at(p, name, "must be an Azure AD tenant id (a GUID)")
	}
	return t, ok
}

func (e *fieldErrors) individualID(p path, name, s string) bool {
	if !domain.ValidIndividualID(s) {
		e.at(p, name, "must be 1 to 64 letters, digits, '-', '_' or '.'")
		return false
	}
	return true
}

func (e *fieldErrors) country(p path, name, s string) {
	if e.required(p, name, s) && !domain.ValidCountry(s) {
		e.at(p, name, "must be an ISO 3166-1 alpha-2 country code in upper case (e.g. FR)")
	}
}

// oneOf checks a required value against its allowed list.
func oneOf[T ~string](e *fieldErrors, p path, name, s string, allowed []T) bool {
	if !e.required(p, name, s) {
		return false
	}
	for _, a := range allowed {
		if string(a) == s {
			return true
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	e.at(p, name, "must be one of "+strings.Join(names, ", "))
	return false
}

// usd reads a required amount of USD, exactly (domain.ParseUSD).
func (e *fieldErrors) usd(p path, name string, n strictjson.Number) (domain.Cents, bool) {
	if !e.required(p, name, string(n)) {
		return 0, false
	}
	c, err := domain.ParseUSD(string(n))
	if err != nil {
		e.at(p, name, err.Error())
		return 0, false
	}
	return c, true
}

// repeats names every element of a list whose key an earlier element already
// has; an empty key is someone else's error and never a repeat.
func repeats[T any](e *fieldErrors, p path, list, keyName string, items []T, key func(T) string) {
	if e.seen == nil {
		e.seen = make(map[string]int, len(items))
	}
	clear(e.seen) // reused: one person's list after another's allocates nothing
	for i, v := range items {
		k := key(v)
		if k == "" {
			continue
		}
		if j, dup := e.seen[k]; dup {
			if e.full() {
				e.omitted++
			} else {
				e.at(p.item(list, i), keyName, "repeats "+p.item(list, j).field(keyName).String())
			}
			continue
		}
		e.seen[k] = i
	}
}
