package evidence

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the status as JSON: byte for byte what encoding/json
// writes with HTML escaping off, as the API answers, without the newline an
// Encoder adds. A checklist of 500 pieces of evidence is some 80 KB of JSON,
// which reflection takes twice as long to write as Coverage to compute.
func (st *ChecklistStatus) AppendJSON(b []byte) []byte {
	b = append(b, `{"specializationId":`...)
	b = appendString(b, st.SpecializationID)
	b = append(b, `,"auditDate":"`...)
	b = append(b, st.AuditDate.String()...)
	b = append(b, `","checklistVersion":`...)
	b = appendString(b, st.ChecklistVersion)
	if st.ChecklistName != "" {
		b = append(b, `,"checklistName":`...)
		b = appendString(b, st.ChecklistName)
	}
	if st.SupersededOn != nil {
		b = append(b, `,"supersededOn":"`...)
		b = append(b, st.SupersededOn.String()...)
		b = append(b, '"')
	}
	if st.SupersededBy != "" {
		b = append(b, `,"supersededBy":`...)
		b = appendString(b, st.SupersededBy)
	}
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, st.Satisfied)
	b = append(b, `,"modules":`...)
	b = appendList(b, st.Modules, (*ModuleStatus).appendJSON)
	return append(b, '}')
}

func (m *ModuleStatus) appendJSON(b []byte) []byte {
	b = append(b, `{"module":`...)
	b = appendString(b, m.Module)
	b = append(b, `,"name":`...)
	b = appendString(b, m.Name)
	if m.Version != "" {
		b = append(b, `,"version":`...)
		b = appendString(b, m.Version)
	}
	b = append(b, `,"known":`...)
	b = strconv.AppendBool(b, m.Known)
	if m.Note != "" {
		b = append(b, `,"note":`...)
		b = appendString(b, m.Note)
	}
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, m.Satisfied)
	b = append(b, `,"controls":`...)
	b = appendList(b, m.Controls, (*ControlStatus).appendJSON)
	return append(b, '}')
}

func (c *ControlStatus) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, c.ID)
	b = append(b, `,"title":`...)
	b = appendString(b, c.Title)
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, c.Satisfied)
	b = append(b, `,"counted":`...)
	b = appendList(b, c.Counted, (*Counted).appendJSON)
	b = append(b, `,"customersCounted":`...)
	b = appendStrings(b, c.CustomersCounted)
	b = append(b, `,"scenariosCounted":`...)
	b = appendStrings(b, c.ScenariosCounted)
	b = append(b, `,"individualsCounted":`...)
	b = appendStrings(b, c.IndividualsCounted)
	b = append(b, `,"notCounted":`...)
	b = appendList(b, c.NotCounted, (*NotCounted).appendJSON)
	b = append(b, `,"gaps":`...)
	b = appendStrings(b, c.Gaps)
	return append(b, '}')
}

func (k *Counted) appendJSON(b []byte) []byte {
	b = append(b, `{"evidenceId":`...)
	b = appendString(b, k.EvidenceID)
	b = append(b, `,"customers":`...)
	b = appendStrings(b, k.Customers)
	if len(k.Individuals) > 0 {
		b = append(b, `,"individuals":`...)
		b = appendStrings(b, k.Individuals)
	}
	if k.Scenario != "" {
		b = append(b, `,"scenario":`...)
		b = appendString(b, k.Scenario)
	}
	return append(b, '}')
}

func (n *NotCounted) appendJSON(b []byte) []byte {
	b = append(b, `{"evidenceId":`...)
	b = appendString(b, n.EvidenceID)
	b = append(b, `,"code":`...)
	b = appendString(b, n.Code)
	b = append(b, `,"reason":`...)
	b = appendString(b, n.Reason)
	if len(n.Customers) > 0 {
		b = append(b, `,"customers":`...)
		b = appendStrings(b, n.Customers)
	}
	if len(n.Individuals) > 0 {
		b = append(b, `,"individuals":`...)
		b = appendStrings(b, n.Individuals)
	}
	return append(b, '}')
}

// appendList writes a list as encoding/json does: null for a nil slice.
func appendList[T any](b []byte, xs []T, each func(*T, []byte) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(&xs[i], b)
	}
	return append(b, ']')
}

func appendStrings[S ~string](b []byte, xs []S) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

const hex = "0123456789abcdef"

// plain reports whether none of the eight bytes of w needs escaping or a
// UTF-8 check: each is from 0x20 to 0x7f and neither '"' nor '\\'. (The
// classic bit tricks: a byte below n, or equal to n, sets its top bit.)
func plain(w uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	below := (w - ones*0x20) &^ w
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	return (w|below|((quote-ones)&^quote)|((backslash-ones)&^backslash))&tops == 0
}

// appendString quotes s as encoding/json does with HTML escaping off:
// quotes, backslashes and control characters escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped for JavaScript's sake.
func appendString[S ~string](b []byte, s S) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look: most strings are
		// ids and plain words.
		if i+8 <= len(s) && plain(uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56) {
			i += 8
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
