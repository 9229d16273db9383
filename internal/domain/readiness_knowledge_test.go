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

// specRetiring gives the retirement dates of RULES.md's step table to the two
// listed certifications.
func specRetiring(id string) (Date, bool) {
	switch id {
	case specDS:
		return MustDate("2026-06-01"), true
	case specAI:
		return MustDate("2026-06-30"), true
	}
	return Date{}, false
}

// Once every listed certification has retired nobody can earn one, so the
// shortfall asks nobody to: it says the catalogue needs their successors.
// People already holding a valid certificate keep satisfying it
// (R-SPEC-2, R-PCS-10).
func TestReadiness_KnowledgeAllListedRetired(t *testing.T) {
	knowledge := func(asOf string, retires func(string) (Date, bool), people ...Individual) RequirementStatus {
		in := specReadyInput()
		in.AsOf, in.RetiresOn, in.Individuals = MustMonth(asOf), retires, people
		return specReq(t, Readiness(specAIML(), in), RequirementKnowledge)
	}
	two := []Individual{specPerson("a", specDS), specPerson("b", specAI)}

	r := knowledge("2026-10", specRetiring, two...)
	want := "1 person short of the 3 needed; every listed certification has retired (azure-data-scientist-associate on 2026-06-01, " +
		"azure-ai-engineer-associate on 2026-06-30), so nobody can earn one now: the catalogue needs their successor certifications"
	if specMet(r) != "false" || r.Shortfall != want {
		t.Errorf("as of 2026-10: met %s shortfall %q\nwant %q", specMet(r), r.Shortfall, want)
	}
	if strings.Contains(r.Shortfall, "more person") || !strings.Contains(r.Detail, "retired: azure-data-scientist-associate on 2026-06-01") {
		t.Errorf("shortfall %q detail %q", r.Shortfall, r.Detail)
	}
	k := r.Inputs.(KnowledgeInputs)
	if len(k.Retired) != 2 || k.Retired[0] != (RetiredCertification{specDS, MustDate("2026-06-01")}) || k.Retired[1].RetiredOn.String() != "2026-06-30" {
		t.Errorf("retired %+v", k.Retired)
	}

	// June 2026 ends after both retirement days; May before either.
	if r := knowledge("2026-06", specRetiring, two...); !strings.Contains(r.Shortfall, "the catalogue needs their successor certifications") {
		t.Errorf("as of 2026-06: %q", r.Shortfall)
	}
	if r := knowledge("2026-05", specRetiring, two...); r.Shortfall != "1 more person holding azure-data-scientist-associate or azure-ai-engineer-associate" || len(r.Inputs.(KnowledgeInputs).Retired) != 0 {
		t.Errorf("as of 2026-05 both can still be earned: %q", r.Shortfall)
	}

	if r := knowledge("2026-10", specRetiring, specPerson("a", specDS)); r.Shortfall != "2 people short of the 3 needed, and nobody holds azure-ai-engineer-associate; "+
		"every listed certification has retired (azure-data-scientist-associate on 2026-06-01, azure-ai-engineer-associate on 2026-06-30), so nobody can earn one now: "+
		"the catalogue needs their successor certifications" {
		t.Errorf("one holder: %q", r.Shortfall)
	}
	if r := knowledge("2026-10", specRetiring, specPerson("a", specDS), specPerson("b", specAI), specPerson("c", specAI)); specMet(r) != "true" || r.Shortfall != "" {
		t.Errorf("three valid certificates still satisfy it: met %s %q", specMet(r), r.Shortfall)
	}

	// Only one retired: the other is what is asked for, and the retired one
	// nobody holds cannot be earned.
	aiOnly := func(id string) (Date, bool) {
		if id == specAI {
			return MustDate("2026-06-30"), true
		}
		return Date{}, false
	}
	r = knowledge("2026-10", aiOnly, specPerson("a", specDS), specPerson("b", specDS))
	want = "1 more person holding azure-data-scientist-associate; nobody holds azure-ai-engineer-associate, which retired on 2026-06-30, " +
		"so nobody can earn it now: the catalogue needs its successor certification"
	if r.Shortfall != want {
		t.Errorf("one retired:\n%q\nwant\n%q", r.Shortfall, want)
	}
}
