// Package strictjson decodes a request body into a Go value only after
// checking it, byte by byte, against the shape of that value's type: one JSON
// object, known fields only and each at most once, the JSON type each field
// declares, valid UTF-8 without lone surrogates, and every list within the
// bound its field declares. The check allocates only the field names it reads
// and the errors it reports, and stops reading a list at its bound, so the
// work a body can cause is proportional to its size and to the bounds, never
// to what it asks for.
// encoding/json then decodes a body already known to fit.
//
// Shapes come from struct tags: `json:"name"` names a field (every exported
// field needs one; an embedded struct without one is inlined, as encoding/json
// does) and every slice field must carry `max:"N"`, its bound. A pointer
// field may be null; no other field may. A number is a strictjson.Number (the
// literal, for the caller to read): an int field would let through what
// encoding/json then refuses (1.5, 1e400).
package strictjson

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind says what a failed check means for the request.
type Kind uint8

const (
	// Malformed: not JSON, not the declared types or fields; the HTTP API's 400.
	Malformed Kind = iota + 1
	// OverBound: well-formed, but a list is longer than its bound; a 422.
	OverBound
)

// Field is one finding, at a JSON path into the body (`records[3].acrUsd`).
type Field struct {
	Path    string
	Message string
}

// Error is why a body was refused. Fields holds at most the limit given to
// Decode; Omitted counts the findings beyond it.
type Error struct {
	Kind    Kind
	Detail  string
	Fields  []Field
	Omitted int
}

func (e *Error) Error() string { return e.Detail }

// Number is a JSON number kept as its literal text, so that money can be
// parsed exactly rather than through float64.
type Number string

// UnmarshalJSON keeps the literal; Decode has already checked that it is a number.
func (n *Number) UnmarshalJSON(b []byte) error {
	*n = Number(b)
	return nil
}

// MaxDepth bounds nesting, so that skipping an unknown value cannot recurse
// without end: no request body of this API nests half as deep.
const MaxDepth = 32

// Decode checks body against dst's shape and, when it fits, decodes it into
// dst (a pointer to a struct). maxFields bounds the findings an Error lists.
// The error is always an *Error.
func Decode(body []byte, dst any, maxFields int) error {
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic("strictjson: Decode needs a pointer to a struct")
	}
	s := scanner{b: body, max: maxFields}
	s.document(shapeOf(t.Elem()))
	if err := s.result(); err != nil {
		return err
	}
	if err := json.Unmarshal(body, dst); err != nil {
		// The scan accepts only what encoding/json decodes into this shape;
		// reaching here is a bug in the shape, reported as malformed rather
		// than a 500 so no body can crash a request.
		return &Error{Kind: Malformed, Detail: "The body could not be decoded."}
	}
	return nil
}

// kind is the JSON type a shape admits.
type kind uint8

const (
	kindString kind = iota
	kindNumber
	kindBool
	kindObject
	kindArray
)

func (k kind) String() string {
	return [...]string{"a string", "a number", "a boolean", "an object", "an array"}[k]
}

// shape is what a Go type admits as JSON.
type shape struct {
	kind     kind
	nullable bool
	// objects
	names  map[string]int
	fields []*shape
	// arrays
	elem  *shape
	bound int
}

var (
	shapes     sync.Map // reflect.Type → *shape
	numberType = reflect.TypeFor[Number]()
)

func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s, _ := shapes.LoadOrStore(t, build(t, ""))
	return s.(*shape)
}

// build derives a shape; where names the field for the panic a bad tag
// deserves (a programming error that every test of the route finds).
func build(t reflect.Type, where string) *shape {
	switch {
	case t == numberType:
		return &shape{kind: kindNumber}
	case t.Kind() == reflect.Pointer:
		s := *build(t.Elem(), where)
		s.nullable = true
		return &s
	}
	switch t.Kind() {
	case reflect.String:
		return &shape{kind: kindString}
	case reflect.Bool:
		return &shape{kind: kindBool}
	case reflect.Struct:
		s := &shape{kind: kindObject, names: map[string]int{}}
		addFields(s, t)
		return s
	}
	panic(fmt.Sprintf("strictjson: %s: type %s has no JSON shape here", where, t))
}

func addFields(s *shape, t reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct:
			addFields(s, f.Type)
			continue
		case !f.IsExported():
			continue
		case name == "":
			panic(fmt.Sprintf("strictjson: %s.%s has no json name", t, f.Name))
		}
		where := t.String() + "." + f.Name
		var fs *shape
		if f.Type.Kind() == reflect.Slice {
			bound, err := strconv.Atoi(f.Tag.Get("max"))
			if err != nil || bound < 1 {
				panic(fmt.Sprintf("strictjson: list %s needs a max tag", where))
			}
			fs = &shape{kind: kindArray, elem: build(f.Type.Elem(), where+"[]"), bound: bound}
		} else {
			fs = build(f.Type, where)
		}
		if _, dup := s.names[name]; dup {
			panic(fmt.Sprintf("strictjson: %s: json name %q used twice", where, name))
		}
		s.names[name] = len(s.fields)
		s.fields = append(s.fields, fs)
	}
	if len(s.fields) > 64 {
		panic(fmt.Sprintf("strictjson: %s has more than 64 fields", t))
	}
}

// segment is one step of a JSON path: a field name, or an index when name is "".
type segment struct {
	name  string
	index int
}

type scanner struct {
	b     []byte
	i     int
	path  []segment
	depth int

	max       int
	fields    []Field
	omitted   int
	malformed bool   // a finding that makes the request a 400
	syntax    string // set once the body is not JSON: scanning stops
}

func (s *scanner) result() error {
	switch {
	case s.syntax != "":
		return &Error{Kind: Malformed, Detail: s.syntax}
	case len(s.fields) == 0 && s.omitted == 0:
		return nil
	case s.malformed:
		return &Error{Kind: Malformed, Detail: "The body does not have the fields and types this operation takes; see errors.", Fields: s.fields, Omitted: s.omitted}
	}
	return &Error{Kind: OverBound, Detail: "A list is longer than this operation takes; see errors. Nothing was written.", Fields: s.fields, Omitted: s.omitted}
}

// maxPathName is the longest name an error repeats: an unknown field's name
// comes from the body, and a megabyte of it must not come back whole.
const maxPathName = 64

// Shorten is a name from a request as an error may repeat it: at most 64
// bytes, cut at a character, and marked as cut.
func Shorten(name string) string {
	if len(name) <= maxPathName {
		return name
	}
	cut := maxPathName
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "…"
}

// pathString renders the current path.
func (s *scanner) pathString() string {
	b := make([]byte, 0, 32)
	for i, seg := range s.path {
		if seg.name == "" {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(seg.index), 10)
			b = append(b, ']')
			continue
		}
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, Shorten(seg.name)...)
	}
	return string(b)
}

// report records a finding at the current path; past the limit it only counts.
func (s *scanner) report(malformed bool, message string) {
	s.malformed = s.malformed || malformed
	if len(s.fields) >= s.max {
		s.omitted++
		return
	}
	s.fields = append(s.fields, Field{Path: s.pathString(), Message: message})
}

func (s *scanner) fail(format string, args ...any) {
	if s.syntax == "" {
		s.syntax = fmt.Sprintf(format, args...)
	}
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) document(sh *shape) {
	s.ws()
	if s.i == len(s.b) {
		s.fail("A JSON body is required.")
		return
	}
	if s.b[s.i] != '{' {
		s.value(nil)
		if s.syntax == "" {
			s.fail("The body must be a JSON object.")
		}
		return
	}
	s.value(sh)
	if s.syntax != "" {
		return
	}
	s.ws()
	if s.i != len(s.b) {
		s.fail("The body must hold exactly one JSON value; there is more after it (at byte %d).", s.i)
	}
}

// value scans one value against sh; a nil sh accepts any value unchecked
// (what is skipped after a finding, or past a bound).
func (s *scanner) value(sh *shape) {
	s.ws()
	if s.i == len(s.b) {
		s.fail("The body is not valid JSON (it ends too early).")
		return
	}
	c := s.b[s.i]
	var got kind
	switch {
	case c == '{':
		got = kindObject
	case c == '[':
		got = kindArray
	case c == '"':
		got = kindString
	case c == 't' || c == 'f':
		got = kindBool
	case c == '-' || '0' <= c && c <= '9':
		got = kindNumber
	case c == 'n':
		s.literal("null")
		if sh != nil && !sh.nullable {
			s.report(true, "must be "+sh.kind.String()+", not null")
		}
		return
	default:
		s.fail("The body is not valid JSON (unexpected %q at byte %d).", c, s.i)
		return
	}
	if sh != nil && sh.kind != got {
		s.report(true, "must be "+sh.kind.String())
		sh = nil
	}
	switch got {
	case kindObject:
		s.object(sh)
	case kindArray:
		s.array(sh)
	case kindString:
		s.str()
	case kindBool:
		if c == 't' {
			s.literal("true")
		} else {
			s.literal("false")
		}
	case kindNumber:
		s.number()
	}
}

func (s *scanner) literal(lit string) {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		s.fail("The body is not valid JSON (at byte %d).", s.i)
		return
	}
	s.i += len(lit)
}

func (s *scanner) enter() bool {
	s.depth++
	if s.depth > MaxDepth {
		s.fail("The body nests deeper than %d levels.", MaxDepth)
		return false
	}
	return true
}

func (s *scanner) object(sh *shape) {
	if !s.enter() {
		return
	}
	defer func() { s.depth-- }()
	s.i++ // '{'
	var seen uint64
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return
	}
	for s.syntax == "" {
		s.ws()
		if s.i == len(s.b) || s.b[s.i] != '"' {
			s.fail("The body is not valid JSON (expected a field name at byte %d).", s.i)
			return
		}
		name, ok := s.key()
		if !ok {
			return
		}
		s.ws()
		if s.i == len(s.b) || s.b[s.i] != ':' {
			s.fail("The body is not valid JSON (expected ':' at byte %d).", s.i)
			return
		}
		s.i++
		var fs *shape
		if sh != nil {
			s.path = append(s.path, segment{name: name})
			if n, known := sh.names[name]; !known {
				s.report(true, "is not a known field")
			} else if seen&(1<<n) != 0 {
				s.report(true, "appears more than once in its object")
			} else {
				seen |= 1 << n
				fs = sh.fields[n]
			}
			s.value(fs)
			s.path = s.path[:len(s.path)-1]
		} else {
			s.value(nil)
		}
		if !s.more('}') {
			return
		}
	}
}

func (s *scanner) array(sh *shape) {
	if !s.enter() {
		return
	}
	defer func() { s.depth-- }()
	s.i++ // '['
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return
	}
	for n := 0; s.syntax == ""; n++ {
		var elem *shape
		if sh != nil {
			if n == sh.bound {
				// The bound is where reading stops: the rest is only skipped.
				s.report(false, fmt.Sprintf("must have at most %d items", sh.bound))
				sh = nil
			} else {
				elem = sh.elem
				s.path = append(s.path, segment{index: n})
			}
		}
		s.value(elem)
		if elem != nil {
			s.path = s.path[:len(s.path)-1]
		}
		if !s.more(']') {
			return
		}
	}
}

// more reads what follows a member or an element: a comma (true: another
// follows) or the closing bracket (false; false too on a syntax error).
func (s *scanner) more(closing byte) bool {
	s.ws()
	switch {
	case s.i == len(s.b):
		s.fail("The body is not valid JSON (it ends too early).")
	case s.b[s.i] == ',':
		s.i++
		return true
	case s.b[s.i] == closing:
		s.i++
	default:
		s.fail("The body is not valid JSON (expected ',' or '%c' at byte %d).", closing, s.i)
	}
	return false
}

// key reads a field name, unescaped: encoding/json matches "na\u006de" to
// name, so the check must see the same name it will.
func (s *scanner) key() (string, bool) {
	start := s.i
	escaped := s.str()
	if s.syntax != "" {
		return "", false
	}
	raw := s.b[start+1 : s.i-1]
	if !escaped {
		return string(raw), true
	}
	var name string
	if err := json.Unmarshal(s.b[start:s.i], &name); err != nil {
		s.fail("The body is not valid JSON (at byte %d).", start)
		return "", false
	}
	return name, true
}

// str scans a string: no raw control characters, valid escapes, valid
// UTF-8, and no lone UTF-16 surrogate, which encoding/json would silently
// turn into U+FFFD. It reports whether the string had escapes.
func (s *scanner) str() (escaped bool) {
	s.i++ // '"'
	badText := false
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return escaped
		case c < 0x20:
			s.fail("The body is not valid JSON (a control character inside a string at byte %d).", s.i)
			return escaped
		case c == '\\':
			escaped = true
			if !s.escape(&badText) {
				return escaped
			}
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, size := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && size == 1 && !badText {
				badText = true
				s.report(true, "is not valid UTF-8 text")
			}
			s.i += size
		}
	}
	s.fail("The body is not valid JSON (a string is not closed).")
	return escaped
}

func (s *scanner) escape(badText *bool) bool {
	if s.i+1 >= len(s.b) {
		s.fail("The body is not valid JSON (it ends too early).")
		return false
	}
	switch s.b[s.i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i += 2
		return true
	case 'u':
	default:
		s.fail("The body is not valid JSON (a bad escape at byte %d).", s.i)
		return false
	}
	r, ok := s.hex4(s.i + 2)
	if !ok {
		return false
	}
	s.i += 6
	if !utf16.IsSurrogate(r) {
		return true
	}
	// A high surrogate must be followed by a low one; anything else is a
	// lone surrogate, which is not text.
	if r < 0xDC00 && s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
		if lo, ok := s.hex4(s.i + 2); ok && 0xDC00 <= lo && lo <= 0xDFFF {
			s.i += 6
			return true
		}
		if s.syntax != "" {
			return false
		}
	}
	if !*badText {
		*badText = true
		s.report(true, "is not valid text (a lone UTF-16 surrogate)")
	}
	return true
}

func (s *scanner) hex4(at int) (rune, bool) {
	if at+4 > len(s.b) {
		s.fail("The body is not valid JSON (it ends too early).")
		return 0, false
	}
	var r rune
	for _, c := range s.b[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.fail("The body is not valid JSON (a bad \\u escape at byte %d).", at-2)
			return 0, false
		}
	}
	return r, true
}

// number scans RFC 8259's number grammar.
func (s *scanner) number() {
	start := s.i
	digits := func() int {
		n := 0
		for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case digits() == 0:
		s.fail("The body is not valid JSON (a bad number at byte %d).", start)
		return
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			s.fail("The body is not valid JSON (a bad number at byte %d).", start)
			return
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			s.fail("The body is not valid JSON (a bad number at byte %d).", start)
		}
	}
}
