package httpapi

import (
	"fmt"
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
}

// at records message for the field name under path ("records[3]", "acrUsd").
func (e *fieldErrors) at(path, name, message string) {
	if len(e.list) >= maxProblemErrors {
		e.omitted++
		return
	}
	e.list = append(e.list, FieldError{Field: join(path, name), Message: message})
}

func (e *fieldErrors) any() bool { return e.count() > 0 }

// count is the number of errors recorded, listed or not.
func (e *fieldErrors) count() int { return len(e.list) + e.omitted }

// problem is the 422 of the collected errors.
func (e *fieldErrors) problem() *Problem { return invalid(e.list, e.omitted) }

func join(path, name string) string {
	switch {
	case path == "":
		return name
	case name == "":
		return path
	}
	return path + "." + name
}

// index is the path of a list's i-th element.
func index(path, list string, i int) string { return fmt.Sprintf("%s[%d]", join(path, list), i) }

// text checks a required line of human text of at most max characters.
func (e *fieldErrors) text(path, name, s string, max int) {
	if msg := textProblem(s, max); msg != "" {
		e.at(path, name, msg)
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
func (e *fieldErrors) required(path, name, s string) bool {
	if s == "" {
		e.at(path, name, "is required")
		return false
	}
	return true
}

// date reads a required date of the program's era.
func (e *fieldErrors) date(path, name, s string) (domain.Date, bool) {
	if !e.required(path, name, s) {
		return domain.Date{}, false
	}
	return e.dateValue(path, name, s)
}

func (e *fieldErrors) dateValue(path, name, s string) (domain.Date, bool) {
	d, err := domain.ParseDate(s)
	switch {
	case err != nil:
		e.at(path, name, "must be a date YYYY-MM-DD")
		return d, false
	case d.Before(domain.EarliestDate) || d.After(domain.LatestDate):
		e.at(path, name, fmt.Sprintf("must be from %s to %s", domain.EarliestDate, domain.LatestDate))
		return d, false
	}
	return d, true
}

// month reads a required month YYYY-MM.
func (e *fieldErrors) month(path, name, s string) (domain.Month, bool) {
	if !e.required(path, name, s) {
		return domain.Month{}, false
	}
	m, err := domain.ParseMonth(s)
	if err != nil {
		e.at(path, name, "must be a month YYYY-MM")
		return m, false
	}
	return m, true
}

// tenantID reads a required Azure AD tenant id in its canonical form.
func (e *fieldErrors) tenantID(path, name, s string) (string, bool) {
	if !e.required(path, name, s) {
		return "", false
	}
	t, ok := domain.NormalizeTenantID(s)
	if !ok {
		e.at(path, name, "must be an Azure AD tenant id (a GUID)")
	}
	return t, ok
}

func (e *fieldErrors) individualID(path, name, s string) bool {
	if !domain.ValidIndividualID(s) {
		e.at(path, name, "must be 1 to 64 letters, digits, '-', '_' or '.'")
		return false
	}
	return true
}

func (e *fieldErrors) country(path, name, s string) {
	if e.required(path, name, s) && !domain.ValidCountry(s) {
		e.at(path, name, "must be an ISO 3166-1 alpha-2 country code in upper case (e.g. FR)")
	}
}

// oneOf checks a required value against its allowed list.
func oneOf[T ~string](e *fieldErrors, path, name, s string, allowed []T) bool {
	if !e.required(path, name, s) {
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
	e.at(path, name, "must be one of "+strings.Join(names, ", "))
	return false
}

// usd reads a required amount of USD, exactly (domain.ParseUSD).
func (e *fieldErrors) usd(path, name string, n strictjson.Number) (domain.Cents, bool) {
	if !e.required(path, name, string(n)) {
		return 0, false
	}
	c, err := domain.ParseUSD(string(n))
	if err != nil {
		e.at(path, name, err.Error())
		return 0, false
	}
	return c, true
}

// repeats names every element of a list whose key an earlier element already
// has; an empty key is someone else's error and never a repeat.
func repeats[T any](e *fieldErrors, path, list, keyName string, items []T, key func(T) string) {
	first := make(map[string]int, len(items))
	for i, v := range items {
		k := key(v)
		if k == "" {
			continue
		}
		if j, dup := first[k]; dup {
			e.at(index(path, list, i), keyName, fmt.Sprintf("repeats %s", join(index(path, list, j), keyName)))
			continue
		}
		first[k] = i
	}
}
