package evidence

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// The helpers below write Coverage's reasons and gaps.

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// quantity is n and its noun: "1 unique customer", "3 unique customers".
func quantity(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// listed is ": a, b" after a count, or "" for none.
func listed(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return ": " + strings.Join(items, ", ")
}

func kindList(ks []Kind, sep string) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, sep)
}

// kindsOf names the kinds of a set of kind bits, in Kinds' order.
func kindsOf(set uint32) string {
	var s []string
	for set != 0 {
		i := bits.TrailingZeros32(set)
		s = append(s, string(Kinds[i]))
		set &^= 1 << i
	}
	return strings.Join(s, ", ")
}

// name is a customer's name as the partner registered it, or its tenant id
// when it has none or is no longer registered.
func (cv *coverage) name(t int32) string {
	if c := cv.tenants[t].c; c != nil && c.Name != "" {
		return c.Name
	}
	return cv.tenants[t].id
}

// namesOf lists customers by name after a count.
func (cv *coverage) namesOf(tenants []int32) string {
	return listed(cv.idsOf(tenants, cv.name))
}

// reasonText says a Reason in words, for the control at hand.
func (cv *coverage) reasonText(c *controlRule, e *entry, r Reason) string {
	switch r {
	case ReasonNotAvailable:
		switch e.ev.Status {
		case StatusPendingUpload:
			return "not available yet: its file was not uploaded"
		case StatusScanning:
			return "not available yet: its file is being verified"
		case StatusRejected:
			if e.ev.RejectedReason != "" {
				return "rejected: " + e.ev.RejectedReason
			}
			return "rejected"
		}
		return "not available: unknown status " + strconv.Quote(string(e.ev.Status))
	case ReasonSuperseded:
		return "superseded by a newer version"
	case ReasonDeleted:
		return "deleted"
	case ReasonKindNotAccepted:
		return "its kind " + strconv.Quote(string(e.ev.Kind)) + " is not one " + c.ID + " accepts (" + c.kindsText() + ")"
	case ReasonScenarioMissing:
		return "names no scenario; " + c.ID + " counts evidence by scenario"
	case ReasonScenarioNotAccepted:
		return "scenario " + strconv.Quote(string(e.ev.Scenario)) + " is not one " + c.ID + " accepts"
	case ReasonScenarioNotLive:
		r, _ := c.scenario(e.ev.Scenario)
		return "scenario " + string(e.ev.Scenario) + " counts for " + c.ID + " only in audits from " + r.From.String()
	case ReasonNotProduction:
		return "the project is not deployed to production; " + c.ID + " counts production projects only"
	case ReasonNotSignedOff:
		return "not signed off by the customer; " + c.ID + " counts only evidence the customer signed off"
	case ReasonSignedOffTooEarly:
		return cv.signedTooEarly
	case ReasonSignedOffAfterAudit:
		return "signed off by the customer after the audit date"
	case ReasonNoCompletionDate:
		return "names no project completion date"
	case ReasonCompletedTooEarly:
		return cv.completedTooEarly
	case ReasonCompletedAfterAudit:
		return "project completed after the audit date"
	case ReasonNoCustomer:
		return "names no customer"
	case ReasonCustomerNotRegistered:
		return "no longer a registered customer of the partner"
	case ReasonCustomerAffiliated:
		return "affiliated with the partner: affiliated customers and internal projects never count"
	case ReasonNoIndividual:
		return "names nobody"
	case ReasonIndividualNotOnRoster:
		return "no longer on the partner's roster"
	case ReasonTooFewKinds:
		if c.Count == CountPeople {
			return "each person needs " + kindList(c.PersonKinds, " and ")
		}
		return "the project has fewer than " + strconv.Itoa(c.MinKindsPerProject) + " distinct kinds of evidence for " + c.ID
	}
	return string(r)
}
