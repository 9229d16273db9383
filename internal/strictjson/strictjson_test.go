package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

type location struct {
	ID      string `json:"id"`
	Country string `json:"country"`
}

type base struct {
	Note string `json:"note"`
}

type profile struct {
	base
	Name      string     `json:"name"`
	Active    bool       `json:"active"`
	Amount    Number     `json:"amount"`
	Count     Number     `json:"count"`
	ExpiresOn *string    `json:"expiresOn"`
	Locations []location `json:"locations" max:"3"`
	Tags      []string   `json:"tags" max:"2"`
}

func decode(t *testing.T, body string) (profile, *Error) {
	t.Helper()
	var p profile
	err := Decode([]byte(body), &p, 100)
	if err == nil {
		return p, nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *Error", err)
	}
	return p, e
}

func fields(e *Error) map[string]string {
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Path] = f.Message
	}
	return m
}

func TestDecodeAcceptsWhatFits(t *testing.T) {
	p, err := decode(t, `{"note":"n","name":"Contoso","active":true,"amount":12.50,"count":3,"expiresOn":null,
		"locations":[{"id":"1","country":"FR"},{"id":"2","country":"DE"}],"tags":["a"]}`)
	if err != nil {
		t.Fatal(err.Detail, err.Fields)
	}
	want := profile{base: base{Note: "n"}, Name: "Contoso", Active: true, Amount: "12.50", Count: "3",
		Locations: []location{{"1", "FR"}, {"2", "DE"}}, Tags: []string{"a"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("got %+v\nwant %+v", p, want)
	}
	if p, err := decode(t, ` { } `); err != nil || !reflect.DeepEqual(p, profile{}) {
		t.Fatalf("empty object: %+v %v", p, err)
	}
	// encoding/json matches escaped names; so must the check.
	if p, err := decode(t, `{"na\u006de":"x"}`); err != nil || p.Name != "x" {
		t.Fatalf("escaped name: %+v %v", p, err)
	}
	if p, err := decode(t, `{"name":"\ud83d\ude00"}`); err != nil || p.Name != "😀" {
		t.Fatalf("surrogate pair: %+v %v", p, err)
	}
}

// Every finding is named by its exact JSON path, all of them at once.
func TestDecodeNamesEveryFindingByPath(t *testing.T) {
	_, err := decode(t, `{"name":42,"locations":[{"id":"1"},{"id":"2","z":1},{"id":7,"id":"3"}],
		"amount":"10","active":"yes","tags":[1],"expiresOn":5,"Name":"x","count":null}`)
	if err == nil || err.Kind != Malformed {
		t.Fatalf("want Malformed, got %+v", err)
	}
	want := map[string]string{
		"name":            "must be a string",
		"locations[1].z":  "is not a known field",
		"locations[2].id": "appears more than once in its object",
		"amount":          "must be a number",
		"active":          "must be a boolean",
		"tags[0]":         "must be a string",
		"expiresOn":       "must be a string",
		"Name":            "is not a known field",
		"count":           "must be a number, not null",
	}
	got := fields(err)
	// locations[2].id appears twice: once as a wrong type, once as a repeat.
	if len(err.Fields) != len(want)+1 || got["locations[2].id"] == "" {
		t.Fatalf("findings %v", err.Fields)
	}
	for path, msg := range want {
		if path == "locations[2].id" {
			continue
		}
		if got[path] != msg {
			t.Errorf("%s: %q, want %q", path, got[path], msg)
		}
	}
}

func TestDecodeSyntax(t *testing.T) {
	for body, detail := range map[string]string{
		``:                    "A JSON body is required.",
		`   `:                 "A JSON body is required.",
		`[]`:                  "The body must be a JSON object.",
		`"x"`:                 "The body must be a JSON object.",
		`{"name":"x"} {}`:     "there is more after it",
		`{"name":"x"`:         "ends too early",
		`{"name":"x",}`:       "expected a field name",
		`{"name" "x"}`:        "expected ':'",
		`{"name":"a\qb"}`:     "a bad escape",
		`{"name":"a\u12G4"}`:  "a bad \\u escape",
		"{\"name\":\"a\tb\"}": "a control character",
		`{"count":01}`:        "expected ',' or '}'",
		`{"count":1.}`:        "a bad number",
		`{"count":-}`:         "a bad number",
		`{"count":1e}`:        "a bad number",
		`{"active":tru}`:      "not valid JSON",
		`{"tags":["a" "b"]}`:  "expected ',' or ']'",
		`{"x":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`: "nests deeper",
	} {
		_, err := decode(t, body)
		if err == nil || err.Kind != Malformed || !strings.Contains(err.Detail, detail) {
			t.Errorf("%q: %+v, want a Malformed %q", body, err, detail)
		}
	}
}

// Invalid UTF-8 and lone surrogates are refused where they are, not turned
// into U+FFFD as encoding/json would.
func TestDecodeRefusesBrokenText(t *testing.T) {
	for body, path := range map[string]string{
		"{\"name\":\"a\xffb\"}":            "name",
		`{"tags":["ok","\ud800"]}`:         "tags[1]",
		`{"name":"\udc00"}`:                "name",
		`{"name":"\ud800\u0041"}`:          "name",
		`{"locations":[{"id":"\ud800x"}]}`: "locations[0].id",
	} {
		_, err := decode(t, body)
		if err == nil || err.Kind != Malformed || len(err.Fields) != 1 || err.Fields[0].Path != path {
			t.Errorf("%q: %+v, want one finding at %s", body, err, path)
		}
	}
}

// A list is read up to its bound and no further: the element past it is not
// checked, and the finding is the list's own.
func TestDecodeStopsAtTheBound(t *testing.T) {
	_, err := decode(t, `{"locations":[{},{},{},{"bad":1},{"worse":2}],"tags":["a","b"]}`)
	if err == nil || err.Kind != OverBound {
		t.Fatalf("want OverBound, got %+v", err)
	}
	if got := fields(err); len(got) != 1 || got["locations"] != "must have at most 3 items" {
		t.Fatalf("findings %v", err.Fields)
	}
	// A malformed finding wins over a bound: the request is a 400.
	if _, err := decode(t, `{"name":1,"tags":["a","b","c"]}`); err == nil || err.Kind != Malformed || len(err.Fields) != 2 {
		t.Fatalf("want Malformed with both findings, got %+v", err)
	}
}

func TestDecodeBoundsItsFindings(t *testing.T) {
	body := `{"locations":[{"a":1,"b":2,"c":3}],"x":1,"y":2}`
	var p profile
	err := Decode([]byte(body), &p, 2)
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) != 2 || e.Omitted != 3 {
		t.Fatalf("want 2 listed and 3 omitted, got %+v", err)
	}
	if e.Fields[0].Path != "locations[0].a" || e.Fields[1].Path != "locations[0].b" {
		t.Fatalf("the first findings in body order: %v", e.Fields)
	}
}

// A field name from the body comes back in a path shortened to 64 bytes (at
// a character boundary): a megabyte of name must not make a megabyte answer.
func TestLongNamesAreShortened(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	_, err := decode(t, `{"`+long+`":1,"locations":[{"`+long+`":1}]}`)
	if err == nil || len(err.Fields) != 2 {
		t.Fatalf("%+v", err)
	}
	want := strings.Repeat("é", 32) + "…"
	if err.Fields[0].Path != want || err.Fields[1].Path != "locations[0]."+want {
		t.Fatalf("paths %q and %q", err.Fields[0].Path, err.Fields[1].Path)
	}
}

func TestShapesNeedTagsAndBounds(t *testing.T) {
	type unbounded struct {
		List []string `json:"list"`
	}
	type untagged struct {
		Name string
	}
	type mapped struct {
		M map[string]string `json:"m"`
	}
	type integer struct {
		N int `json:"n"`
	}
	for name, v := range map[string]any{"unbounded": &unbounded{}, "untagged": &untagged{}, "mapped": &mapped{}, "integer": &integer{}} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("a shape without its tags must not be built")
				}
			}()
			_ = Decode([]byte(`{}`), v, 10)
		})
	}
}

// The scan agrees with encoding/json on what is JSON at all, except where it
// is stricter on purpose (lone surrogates, invalid UTF-8, depth).
func FuzzScanAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `{"a":"\u00e9"}`, `{"a":1e5,"b":-0.5}`, `{"a":tru}`, `{"a":"\ud800"}`, `{"a":[}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var any struct{}
		sc := scanner{b: []byte(body), max: 10}
		sc.document(shapeOf(reflect.TypeOf(any)))
		valid := json.Valid([]byte(body)) && strings.HasPrefix(strings.TrimLeft(body, " \t\r\n"), "{")
		if sc.syntax == "" && !valid {
			t.Fatalf("scan accepts %q, which is not a JSON object", body)
		}
		if sc.syntax != "" && valid && !strings.Contains(sc.syntax, "nests deeper") {
			t.Fatalf("scan refuses %q: %s", body, sc.syntax)
		}
	})
}
