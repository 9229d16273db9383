package domain

import (
	"slices"
	"strings"
)

// Service is an Azure service at service level 2 and its service group.
type Service struct {
	Name  string `json:"name"`
	Group string `json:"group"`
}

// Usage is a partner's consumption over a span of months, interned for
// scoring: services are indexes into one dictionary and each month lists its
// tenants in id order, so the engine walks slices instead of hashing strings
// (the budget is 1 ms for 1,000 customers × 24 months × 8 services).
type Usage struct {
	Services []Service
	Months   map[Month][]TenantUsage
}

// TenantUsage is one customer tenant's consumption in one month.
type TenantUsage struct {
	TenantID string
	Lines    []UsageLine
}

// UsageLine is one consumption record without its tenant and month, in 16
// bytes: a score walks every line of 14 months (over 100,000 for 1,000
// customers), and the memory it reads is most of its time.
type UsageLine struct {
	ACR     Cents
	Service int32 // index into Usage.Services
	Offer   OfferCode
}

// OfferCode is an offer as its index in Offers, as a usage line holds it;
// NoOffer stands for an offer Offers does not list.
type OfferCode uint8

const NoOffer OfferCode = 255

// CodeOf is o's code.
func CodeOf(o Offer) OfferCode {
	if i := slices.Index(Offers, o); i >= 0 {
		return OfferCode(i)
	}
	return NoOffer
}

// Offer is the offer of the code ("" for NoOffer).
func (c OfferCode) Offer() Offer {
	if int(c) < len(Offers) {
		return Offers[c]
	}
	return ""
}

// ineligibleCodes has the bits of the codes of Support, Internal, Benefit
// and Trial, the offers whose consumption does not count (R-PCS-3);
// TestOfferCodes keeps it equal to Offer.Eligible.
const ineligibleCodes = 1<<5 | 1<<6 | 1<<7 | 1<<8

// Eligible is Offer.Eligible of the code's offer, without comparing strings:
// it is asked once per line of a score's 14 months.
func (c OfferCode) Eligible() bool { return ineligibleCodes>>c&1 == 0 }

// NewUsage interns records: the plain way to build a Usage (fixtures, tools);
// the store decodes its months into one directly, without records between.
// Records with the same key become separate lines (every sum counts both):
// callers pass distinct keys.
func NewUsage(records []ConsumptionRecord) Usage {
	u := Usage{Months: map[Month][]TenantUsage{}}
	index := map[Service]int32{}
	byMonthTenant := map[Month]map[string][]UsageLine{}
	for _, r := range records {
		s := Service{Name: r.ServiceLevel2, Group: r.ServiceGroup}
		i, ok := index[s]
		if !ok {
			i = int32(len(u.Services))
			index[s] = i
			u.Services = append(u.Services, s)
		}
		if byMonthTenant[r.Month] == nil {
			byMonthTenant[r.Month] = map[string][]UsageLine{}
		}
		byMonthTenant[r.Month][r.TenantID] = append(byMonthTenant[r.Month][r.TenantID], UsageLine{Service: i, Offer: CodeOf(r.Offer), ACR: r.ACR})
	}
	// Each month's lines go into one array in tenant order, as the store
	// decodes them: the score walks them in that order, and lines scattered
	// over the heap would cost it a cache miss a tenant.
	for m, tenants := range byMonthTenant {
		list := make([]TenantUsage, 0, len(tenants))
		n := 0
		for t, lines := range tenants {
			list = append(list, TenantUsage{TenantID: t, Lines: lines})
			n += len(lines)
		}
		slices.SortFunc(list, func(a, b TenantUsage) int { return strings.Compare(a.TenantID, b.TenantID) })
		all := make([]UsageLine, 0, n)
		for i := range list {
			first := len(all)
			all = append(all, list[i].Lines...)
			list[i].Lines = all[first:len(all):len(all)]
		}
		u.Months[m] = list
	}
	return u
}

// Records lists the usage back as records, in (month, tenant) order.
func (u Usage) Records() []ConsumptionRecord {
	months := make([]Month, 0, len(u.Months))
	for m := range u.Months {
		months = append(months, m)
	}
	slices.SortFunc(months, func(a, b Month) int { return a.index() - b.index() })
	var out []ConsumptionRecord
	for _, m := range months {
		for _, t := range u.Months[m] {
			for _, l := range t.Lines {
				s := u.Services[l.Service]
				out = append(out, ConsumptionRecord{TenantID: t.TenantID, Month: m, ServiceLevel2: s.Name, ServiceGroup: s.Group, Offer: l.Offer.Offer(), ACR: l.ACR})
			}
		}
	}
	return out
}
