package audit_test

import (
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/audit"
)

// R-AUD-2: Modules A and B USD 3,000; Module A or Module B alone USD 2,000;
// the Gap Review meeting included (no fee of its own).
func TestFee(t *testing.T) {
	for _, c := range []struct {
		m    audit.Modules
		want int64 // USD
	}{
		{audit.Modules{audit.ModuleA, audit.ModuleB}, 3000},
		{audit.Modules{audit.ModuleB, audit.ModuleA}, 3000},
		{audit.Modules{audit.ModuleB}, 2000},
		{audit.Modules{audit.ModuleA}, 2000},
		{nil, 0},
	} {
		if got := audit.Fee(c.m); int64(got) != c.want*100 {
			t.Errorf("Fee(%v) = %s, want %d", c.m, got, c.want)
		}
	}
}

// R-AUD-1: a Module A pass, of this or another Azure specialization,
// satisfies Module A within two years when audited on V2.0 or later (the
// seed's checklist, which RULES.md follows over "the same version"); so
// does Azure Expert MSP V1.9, held to the same two years. Applying on
// 2026-03-01: a pass of 2024-03-01 holds through 2026-02-28 (two years,
// the day before the second anniversary) and has lapsed; one of
// 2024-03-02 holds through 2026-03-01, the day itself.
func TestSatisfiesModuleA(t *testing.T) {
	on := day("2026-03-01")
	for _, c := range []struct {
		name string
		p    audit.Pass
		want string // "" satisfies; else part of the reason
	}{
		{"V2.1, last day", audit.Pass{Module: audit.ModuleA, PassedOn: day("2024-03-02"), Version: "V2.1"}, ""},
		{"another specialization's, V2.0", audit.Pass{Module: audit.ModuleA, SpecializationID: "kubernetes-on-microsoft-azure", PassedOn: day("2025-06-30"), Version: "V2.0"}, ""},
		{"an older Module A version, V2.0 or later", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "v2.0"}, ""},
		{"V3.0", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "V3.0"}, ""},
		{"a catalogue version", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "2022-07-01"}, ""},
		{"lapsed the day before", audit.Pass{Module: audit.ModuleA, PassedOn: day("2024-03-01"), Version: "V2.1"}, "satisfied Module A for two years, until 2026-02-28"},
		{"V1.4", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "V1.4"}, "only a pass on V2.0 or later"},
		{"a catalogue version before V2.0", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "2021-06-30"}, "predates V2.0 (2021-07-01)"},
		{"a version after the pass", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "2025-07-01"}, "starts after the pass"},
		{"not a version", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30"), Version: "latest"}, "neither a name such as V2.1"},
		{"no version", audit.Pass{Module: audit.ModuleA, PassedOn: day("2025-06-30")}, "gives no checklist version"},
		{"no date", audit.Pass{Module: audit.ModuleA, Version: "V2.1"}, "gives no date"},
		{"in the future", audit.Pass{Module: audit.ModuleA, PassedOn: day("2026-03-02"), Version: "V2.1"}, "after today"},
		{"a Module B pass", audit.Pass{Module: audit.ModuleB, PassedOn: day("2025-06-30"), Version: "V2.1"}, "a Module B pass does not satisfy Module A"},
		{"Azure Expert MSP V1.9", audit.Pass{ExpertMSP: true, PassedOn: day("2025-06-30"), Version: "V1.9"}, ""},
		{"Azure Expert MSP V1.8", audit.Pass{ExpertMSP: true, PassedOn: day("2025-06-30"), Version: "V1.8"}, "from version V1.9"},
		{"Azure Expert MSP V1.9, lapsed", audit.Pass{ExpertMSP: true, PassedOn: day("2023-06-30"), Version: "V1.9"}, "until 2025-06-29"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := audit.SatisfiesModuleA(c.p, on)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%v, want %q", err, c.want)
			}
		})
	}
}
