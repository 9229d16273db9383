package jsonquote_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/partnerready/partnerready/internal/jsonquote"
)

func marshal(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Append writes what encoding/json writes, byte for byte, in every case the
// escaping rules tell apart, inside and across the eight-byte fast path.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", "0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f", `a"b\c`, "tab\there\nnew\rline\b\f",
		"\x00\x01\x1f\x7f", "Data & AI <b>", "é日本語", "\u2028\u2029", "bad \xff utf-8 \xc3", "12345678\"12345678",
		"1234567\xff", "\U0001F600 emoji"}
	for _, s := range cases {
		if got, want := jsonquote.Append(nil, s), marshal(s); !bytes.Equal(got, want) {
			t.Errorf("%q: %s, encoding/json %s", s, got, want)
		}
	}
}

func FuzzAppend(f *testing.F) {
	f.Add("seed \u2028 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := jsonquote.Append(nil, s), marshal(s); !bytes.Equal(got, want) {
			t.Fatalf("%q: %s, encoding/json %s", s, got, want)
		}
	})
}
