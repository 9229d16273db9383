package audit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/partnerready/partnerready/internal/domain"
)

// Module is one module of an audit: A, Cloud Foundation, the same for every
// Azure specialization, or B, the specialization's workload (R-AUD-1).
type Module string

const (
	ModuleA Module = "A"
	ModuleB Module = "B"
)

// Modules is the set of modules one audit covers, A before B.
type Modules []Module

// Has reports whether m covers module x.
func (m Modules) Has(x Module) bool { return slices.Contains(m, x) }

// String is "Modules A and B", "Module B": how the timeline says it.
func (m Modules) String() string {
	switch {
	case m.Has(ModuleA) && m.Has(ModuleB):
		return "Modules A and B"
	case len(m) == 1:
		return "Module " + string(m[0])
	}
	return "no module"
}

// checkModules is the problem with an application's modules, or "": an
// audit is of Modules A and B, or of Module B alone (DESIGN), each once.
// Module A alone has a price (Fee) but validates no specialization, whose
// workload is Module B, so the API takes no application for it.
func checkModules(m Modules) string {
	seen := map[Module]bool{}
	for _, x := range m {
		if x != ModuleA && x != ModuleB {
			return fmt.Sprintf("%q is not a module: an audit is of Modules A and B, or of Module B alone", x)
		}
		if seen[x] {
			return fmt.Sprintf("Module %s is named twice", x)
		}
		seen[x] = true
	}
	if !seen[ModuleB] {
		return "an audit is of Modules A and B, or of Module B alone when an earlier pass satisfies Module A: Module B, the specialization's workload, is always audited"
	}
	return ""
}

// canonical is m in the order A, B.
func (m Modules) canonical() Modules {
	out := Modules{}
	for _, x := range []Module{ModuleA, ModuleB} {
		if m.Has(x) {
			out = append(out, x)
		}
	}
	return out
}

// Fees per audit, in cents. One Gap Review meeting is included in either.
const (
	FeeOneModule  domain.Cents = 2_000_00 // Module A or Module B alone
	FeeTwoModules domain.Cents = 3_000_00 // Modules A and B
)

// Fee is what an audit of modules m costs, paid to the audit firm in full
// before the audit begins (Receive refuses audit.conducted until then). An
// empty set costs nothing: there is no audit.
//
// R-AUD-2: Module A or B alone USD 2,000, A and B together USD 3,000, the
// Gap Review meeting included in both.
func Fee(m Modules) domain.Cents {
	switch n := len(m.canonical()); {
	case n >= 2:
		return FeeTwoModules
	case n == 1:
		return FeeOneModule
	}
	return 0
}

// Pass is a module pass: one this API recorded when an audit passed, or
// one a partner declares from before (DESIGN's moduleAPass, passedOn and
// version), which may be an Azure Expert MSP audit's.
type Pass struct {
	Module           Module
	SpecializationID string // the audit's specialization; "" for a declared pass not audited here
	AuditID          string // the audit's id; "" likewise
	// ExpertMSP: an Azure Expert MSP audit pass, which stands for Module A
	// from V1.9 (Full and Progress).
	ExpertMSP bool
	PassedOn  domain.Date
	// Version is the checklist version the pass was audited on: the
	// program's name ("V2.1") where known, else the catalogue's id of the
	// version, the day it starts ("2022-07-01").
	Version    string
	ValidUntil domain.Date // the last day it satisfies the audit requirement: two years
}

// ModuleAFrom is the day Module A joined the Azure specialization audits
// and checklist V2.0 began (seed 000's fee schedule for audits "comprised of
// both Modules A and B", effective 1 July 2021; seed 001: an audit passed
// before then most likely did not include Module A). A catalogue version,
// named by the day it starts, is V2.0 or later from this day on.
var ModuleAFrom = domain.MustDate("2021-07-01")

// SatisfiesModuleA says why an earlier pass does not stand for Module A in
// an audit applied for on day on, or nil when it does: a Module A pass (of
// this specialization or another Azure specialization) within two years
// and audited on checklist V2.0 or later, or an Azure Expert MSP V1.9 pass
// within two years. RULES.md's R-AUD-1 says why V2.0 or later and not the
// same Module A version, and why Expert MSP passes are held to two years
// too. A Module B pass does not renew Module A: its Module A was itself
// satisfied by an older pass, and chaining them would stretch two years
// without end.
func SatisfiesModuleA(p Pass, on domain.Date) error {
	no := func(format string, args ...any) error {
		return refuse(CodeInvalid, fmt.Sprintf(format, args...))
	}
	switch {
	case p.PassedOn.IsZero():
		return no("the earlier pass gives no date: name the audit it was, or the day it passed and its checklist version")
	case p.PassedOn.After(on):
		return no("the earlier pass is dated %s, after today (%s)", p.PassedOn, on)
	case strings.TrimSpace(p.Version) == "":
		return no("the earlier pass gives no checklist version: a pass satisfies Module A only when audited on V2.0 or later")
	}
	if p.ExpertMSP {
		if major, minor, ok := programVersion(p.Version); !ok || major != 1 || minor != 9 {
			return no("an Azure Expert MSP pass satisfies Module A from version V1.9 (Full and Progress); this one is %s", p.Version)
		}
	} else {
		if p.Module != ModuleA {
			return no("a Module %s pass does not satisfy Module A: only a Module A pass, of any Azure specialization, does", p.Module)
		}
		if err := v2OrLater(p); err != nil {
			return err
		}
	}
	if until := domain.ManualValidationValidUntil(p.PassedOn); on.After(until) {
		return no("the pass of %s satisfied Module A for two years, until %s; it has lapsed, so Module A must be audited again (apply for Modules A and B)", p.PassedOn, until)
	}
	return nil
}

// v2OrLater checks that a pass's version is V2.0 or later: a program name
// "V<major>.<minor>" from 2.0, or a catalogue version, the day it starts, on
// or after ModuleAFrom and not after the pass itself.
func v2OrLater(p Pass) error {
	if major, _, ok := programVersion(p.Version); ok {
		if major < 2 {
			return refuse(CodeInvalid, fmt.Sprintf("the pass was audited on checklist %s: only a pass on V2.0 or later satisfies Module A", p.Version))
		}
		return nil
	}
	d, err := domain.ParseDate(p.Version)
	switch {
	case err != nil:
		return refuse(CodeInvalid, fmt.Sprintf("the checklist version %q is neither a name such as V2.1 nor a version day YYYY-MM-DD", p.Version))
	case d.Before(ModuleAFrom):
		return refuse(CodeInvalid, fmt.Sprintf("checklist version %s predates V2.0 (%s), when Module A joined the audits: only a pass on V2.0 or later satisfies Module A", p.Version, ModuleAFrom))
	case d.After(p.PassedOn):
		return refuse(CodeInvalid, fmt.Sprintf("checklist version %s starts after the pass of %s: an audit is held on the version live that day", p.Version, p.PassedOn))
	}
	return nil
}

// programVersion reads a program's version name, "V2.1" (or "v2.1", "2.1").
func programVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "V"), "v")
	a, b, found := strings.Cut(s, ".")
	if !found || !digits(a) || !digits(b) {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(a)
	minor, _ = strconv.Atoi(b)
	return major, minor, true
}

// digits reports whether s is 1 to 4 decimal digits.
func digits(s string) bool {
	if len(s) == 0 || len(s) > 4 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
