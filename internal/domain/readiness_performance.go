package domain

import (
	"fmt"
	"slices"
	"strings"
)

// PerformanceInputs: the ACR counted and the ACR left out, and why, so a
// partner can see which association or offer to fix.
type PerformanceInputs struct {
	Months          []Month               `json:"months"`
	TotalUSD        Cents                 `json:"totalUsd"`
	AverageUSD      Cents                 `json:"averageUsd"`
	Customers       int                   `json:"customers"`
	NeededTotalUSD  Cents                 `json:"neededTotalUsd"`
	NeededCustomers int                   `json:"neededCustomers"`
	ByMonth         []PerformanceMonth    `json:"byMonth"`
	ByCustomer      []PerformanceCustomer `json:"byCustomer"`
	ExcludedUSD     PerformanceExcluded   `json:"excludedUsd"`
}

// PerformanceMonth is the counted ACR of one month.
type PerformanceMonth struct {
	Month Month `json:"month"`
	USD   Cents `json:"usd"`
}

// PerformanceCustomer is the counted ACR of one customer over the window.
type PerformanceCustomer struct {
	TenantID string `json:"tenantId"`
	USD      Cents  `json:"usd"`
}

// PerformanceExcluded is in-scope ACR (the right service groups) that did not count.
type PerformanceExcluded struct {
	UnknownCustomer      Cents `json:"unknownCustomer"`
	IneligibleOffer      Cents `json:"ineligibleOffer"`
	AssociationNotListed Cents `json:"associationNotListed"`
	GovernmentViaPAL     Cents `json:"governmentViaPal"`
}

// specPerformance: ACR of the listed service groups, eligible offers only
// (R-PCS-3), from customers under the listed associations, government
// subscriptions never via PAL unless the requirement allows it (R-SPEC-2).
// The average is total / Months, truncated to the cent for display; met
// compares the exact total against MonthlyAverage × Months, so a displayed
// average below the bar always means unmet.
func specPerformance(p PerformanceRequirement, in ReadinessInput) RequirementStatus {
	label := p.Label
	if label == "" {
		label = "ACR"
	}
	months := max(p.Months, 1)
	window := make([]Month, months)
	for i := range window {
		window[i] = in.AsOf.AddMonths(i - (months - 1))
	}

	// A tenant listed twice counts if any of its entries does, as in the
	// score (eligibleTenants, R-PCS-3): the outcome must not hang on the
	// order of the list. One that never counts is put down to the reason
	// nearest to counting.
	customers := make(map[string]specCustomerStatus, len(in.Customers))
	for _, c := range in.Customers {
		st := specAssociationNotListed
		switch {
		case !slices.Contains(p.Associations, c.Association):
		case c.Government && c.Association == AssociationPAL && !p.GovernmentViaPAL:
			st = specGovernmentViaPAL
		default:
			st = specCounts
		}
		if cur, seen := customers[c.TenantID]; !seen || st > cur {
			customers[c.TenantID] = st
		}
	}
	// Service groups come from partners' exports, whose case and spacing
	// vary; R-SPEC-2 names the group, not a spelling of it.
	inGroup := make([]bool, len(in.Usage.Services))
	for i, svc := range in.Usage.Services {
		inGroup[i] = slices.ContainsFunc(p.ServiceGroups, func(g string) bool {
			return strings.EqualFold(strings.TrimSpace(g), strings.TrimSpace(svc.Group))
		})
	}

	var total, unknownCustomer, ineligibleOffer, notListed, govPAL Cents
	byTenant := map[string]Cents{}
	byMonth := make([]PerformanceMonth, 0, months)
	for _, m := range window {
		var month Cents
		for _, tu := range in.Usage.Months[m] {
			c, known := customers[tu.TenantID]
			for _, l := range tu.Lines {
				if l.Service < 0 || int(l.Service) >= len(inGroup) || !inGroup[l.Service] {
					continue
				}
				switch {
				case !known:
					unknownCustomer += l.ACR
				case !l.Offer.Eligible():
					ineligibleOffer += l.ACR
				case c == specAssociationNotListed:
					notListed += l.ACR
				case c == specGovernmentViaPAL:
					govPAL += l.ACR
				default:
					month += l.ACR
					byTenant[tu.TenantID] += l.ACR
				}
			}
		}
		total += month
		byMonth = append(byMonth, PerformanceMonth{Month: m, USD: month})
	}

	tenants := make([]PerformanceCustomer, 0, len(byTenant))
	for t, acr := range byTenant {
		if acr > 0 {
			tenants = append(tenants, PerformanceCustomer{TenantID: t, USD: acr})
		}
	}
	slices.SortFunc(tenants, func(a, b PerformanceCustomer) int { return strings.Compare(a.TenantID, b.TenantID) })

	average := total / Cents(months)
	needed := p.MonthlyAverage * Cents(months)
	span := window[0].String()
	if months > 1 {
		span += ".." + window[months-1].String()
	}
	r := RequirementStatus{
		Kind: RequirementPerformance,
		Detail: fmt.Sprintf("%s average %s over %s from %s; needs %s from %d or more customers",
			label, FormatUSD(average), span, quantity(len(tenants), "customer", "customers"), FormatUSD(p.MonthlyAverage), p.MinCustomers),
		Inputs: PerformanceInputs{
			Months: window, TotalUSD: total, AverageUSD: average,
			Customers: len(tenants), ByMonth: byMonth, ByCustomer: tenants,
			ExcludedUSD: PerformanceExcluded{
				UnknownCustomer: unknownCustomer, IneligibleOffer: ineligibleOffer,
				AssociationNotListed: notListed, GovernmentViaPAL: govPAL,
			},
			NeededTotalUSD: needed, NeededCustomers: p.MinCustomers,
		},
	}
	var short []string
	if total < needed {
		gap := needed - total
		short = append(short, fmt.Sprintf("%s more %s over %s (%s a month on average)",
			FormatUSD(gap), label, span, FormatUSD((gap+Cents(months)-1)/Cents(months))))
	}
	if len(tenants) < p.MinCustomers {
		n := p.MinCustomers - len(tenants)
		short = append(short, fmt.Sprintf("%s with %s in the window", quantity(n, "more customer", "more customers"), label))
	}
	r.Met = specBool(len(short) == 0)
	r.Shortfall = strings.Join(short, "; ")
	return r
}

// specCustomerStatus is whether a customer's ACR counts for a performance
// requirement, ordered from the furthest from counting to counting.
type specCustomerStatus uint8

const (
	specAssociationNotListed specCustomerStatus = iota
	specGovernmentViaPAL
	specCounts
)
