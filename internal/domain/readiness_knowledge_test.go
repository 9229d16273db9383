package domain

import (
	"fmt"
	"strings"
	"testing"
)

// R-SPEC-2: three people, each listed certification held by at least one.
func TestReadiness_Knowledge(t *testing.T) {
	for _, tc := range []struct {
		name      string
		people    []Individual
		met       bool
		shortfall string
	}{
		{"three people, both held", []Individual{specPerson("a", specDS), specPerson("b", specAI), specPerson("c", specDS)}, true, ""},
		{"three people, one certification unheld", []Individual{specPerson("a", specDS), specPerson("b", specDS), specPerson("c", specDS)}, false,
			"nobody holds azure-ai-engineer-associate"},
		{"two people hold both", []Individual{specPerson("a", specDS, specAI), specPerson("b", specDS, specAI)}, false,
			"1 more person holding azure-data-scientist-associate or azure-ai-engineer-associate"},
		{"unlisted certifications do not count", []Individual{specPerson("a", specDS), specPerson("b", specAI), specPerson("c", "azure-solutions-architect-expert")}, false,
			"1 more person holding azure-data-scientist-associate or azure-ai-engineer-associate"},
		{"nobody", nil, false,
			"3 more people holding azure-data-scientist-associate or azure-ai-engineer-associate; nobody holds azure-data-scientist-associate or azure-ai-engineer-associate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Individuals = tc.people
			r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge)
			if specMet(r) != fmt.Sprint(tc.met) || r.Shortfall != tc.shortfall {
				t.Errorf("met %s shortfall %q, want %v %q (%s)", specMet(r), r.Shortfall, tc.met, tc.shortfall, r.Detail)
			}
		})
	}

	in := specReadyInput()
	r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge)
	want := "3 people holding azure-data-scientist-associate or azure-ai-engineer-associate at the end of 2026-10 (azure-data-scientist-associate: 2, azure-ai-engineer-associate: 2); needs 3 or more people and each listed certification held by at least 1"
	if r.Detail != want {
		t.Errorf("detail %q\nwant   %q", r.Detail, want)
	}
	if k := r.Inputs.(KnowledgeInputs); strings.Join(k.People, ",") != "ana,ben,chen" || strings.Join(k.Holders[specAI], ",") != "ben,chen" {
		t.Errorf("inputs %+v", k)
	}
}

// Held means earned by the end of AsOf and expiring no earlier than its last
// day. A certification the catalogue retired (both of these did in 2026) still
// counts while the person's certificate is valid: seed 001 asks who "passed" (R-SPEC-2).
func TestReadiness_KnowledgeDates(t *testing.T) {
	d := func(s string) *Date { x := MustDate(s); return &x }
	cert := func(id, earned string, expires *Date) HeldCertification {
		return HeldCertification{ID: id, EarnedOn: MustDate(earned), ExpiresOn: expires}
	}
	for _, tc := range []struct {
		name string
		c    HeldCertification
		met  bool
	}{
		{"earned on the last day", cert(specAI, "2026-10-31", nil), true},
		{"earned the day after", cert(specAI, "2026-11-01", nil), false},
		{"expires on the last day", cert(specAI, "2025-10-31", d("2026-10-31")), true},
		{"expired the day before", cert(specAI, "2025-10-30", d("2026-10-30")), false},
		{"retired certification, certificate valid", cert(specAI, "2026-03-01", d("2027-03-01")), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Individuals = []Individual{specPerson("a", specDS), specPerson("b", specDS), {ID: "c", Certifications: []HeldCertification{tc.c}}}
			if r := specReq(t, Readiness(specAIML(), in), RequirementKnowledge); specMet(r) != fmt.Sprint(tc.met) {
				t.Errorf("met %s: %s", specMet(r), r.Detail)
			}
		})
	}
}
