package evidence_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// encodingJSON is how the API writes JSON: encoding/json, HTML escaping off,
// without the Encoder's newline.
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// AppendJSON writes exactly what encoding/json writes, whatever the strings
// hold.
func TestAppendJSON(t *testing.T) {
	evs, cs, ro := benchEvidence()
	tricky := "quote \" backslash \\ <html> & \u2028\u2029 \x00\x01\x1f \b\f\n\r\t é 日本 🚀 bad \xff\xfe end"
	statuses := map[string]evidence.ChecklistStatus{
		"no evidence":       cover(t, linux, auditDay),
		"every control":     cover(t, linux, auditDay, fullLinux()...),
		"an unknown B":      cover(t, aiml, auditDay, moduleA(aiml, "2022-09-01")...),
		"500 pieces":        evidence.Coverage(checklistOn(t, linux, auditDay), domain.MustDate(auditDay), evs, cs, ro),
		"nil lists":         {SpecializationID: "x", AuditDate: domain.MustDate(auditDay), Modules: []evidence.ModuleStatus{{Controls: []evidence.ControlStatus{{Counted: []evidence.Counted{{}}, NotCounted: []evidence.NotCounted{{}}}}}}},
		"no modules at all": {},
		"strange strings": {
			SpecializationID: tricky, AuditDate: domain.MustDate(auditDay), ChecklistVersion: tricky, ChecklistName: tricky,
			SupersededOn: date("2023-01-09"), SupersededBy: tricky, Satisfied: true,
			Modules: []evidence.ModuleStatus{{Module: tricky, Name: tricky, Version: tricky, Known: true, Note: tricky, Satisfied: true,
				Controls: []evidence.ControlStatus{{ID: tricky, Title: tricky, Satisfied: true,
					Counted:            []evidence.Counted{{EvidenceID: tricky, Customers: []string{tricky}, Individuals: []string{tricky, ""}, Scenario: evidence.Scenario(tricky)}},
					CustomersCounted:   []string{tricky},
					ScenariosCounted:   []evidence.Scenario{evidence.Scenario(tricky)},
					IndividualsCounted: []string{},
					NotCounted:         []evidence.NotCounted{{EvidenceID: tricky, Code: evidence.Reason(tricky), Reason: tricky, Customers: []string{}, Individuals: []string{tricky}}},
					Gaps:               []string{tricky},
				}}}},
		},
	}
	for name, st := range statuses {
		want := encodingJSON(t, st)
		if got := st.AppendJSON([]byte("prefix")); !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// Every byte that needs a look, at every place of strings up to 20 bytes
// long, is written as encoding/json writes it: the eight-bytes-at-a-time
// scan misses none.
func TestAppendJSON_EveryPlace(t *testing.T) {
	for _, special := range []string{`"`, `\`, "\x00", "\x1f", " ", "\x7f", "\x80", "\xff", "é", "\u2028", "\u2029", "🚀", "<", "~", "\xe2\x80"} {
		for n := range 21 {
			for at := 0; at+1 <= n; at++ {
				s := bytes.Repeat([]byte("a"), n)
				s = append(append(s[:at:at], special...), s[at+1:]...)
				st := evidence.ChecklistStatus{SpecializationID: string(s)}
				want := encodingJSON(t, st)
				if got := st.AppendJSON(nil); !bytes.Equal(got, want) {
					t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
				}
			}
		}
	}
}
