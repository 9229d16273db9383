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

// UsageLine is one consumption record without its tenant and month.
type UsageLine struct {
	Service int // index into Usage.Services
	Offer   Offer
	ACR     Cents
}

// NewUsage interns records: the plain way to build a Usage (fixtures, tools);
// the store decodes its months into one directly, without records between.
// Records with the same key are summed: callers pass distinct keys.
func NewUsage(records []ConsumptionRecord) Usage {
	u := Usage{Months: map[Month][]TenantUsage{}}
	index := map[Service]int{}
	byMonthTenant := map[Month]map[string][]UsageLine{}
	for _, r := range records {
		s := Service{Name: r.ServiceLevel2, Group: r.ServiceGroup}
		i, ok := index[s]
		if !ok {
			i = len(u.Services)
			index[s] = i
			u.Services = append(u.Services, s)
		}
		if byMonthTenant[r.Month] == nil {
			byMonthTenant[r.Month] = map[string][]UsageLine{}
		}
		byMonthTenant[r.Month][r.TenantID] = append(byMonthTenant[r.Month][r.TenantID], UsageLine{Service: i, Offer: r.Offer, ACR: r.ACR})
	}
	for m, tenants := range byMonthTenant {
		list := make([]TenantUsage, 0, len(tenants))
		for t, lines := range tenants {
			list = append(list, TenantUsage{TenantID: t, Lines: lines})
		}
		slices.SortFunc(list, func(a, b TenantUsage) int { return strings.Compare(a.TenantID, b.TenantID) })
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
				out = append(out, ConsumptionRecord{TenantID: t.TenantID, Month: m, ServiceLevel2: s.Name, ServiceGroup: s.Group, Offer: l.Offer, ACR: l.ACR})
			}
		}
	}
	return out
}
