package domain

import "testing"

// R-SPEC-2: USD 2,000 a month on average over three months, from three or more customers.
func TestReadiness_PerformanceThreshold(t *testing.T) {
	for _, tc := range []struct {
		name      string
		perMonth  map[string]Cents
		met       bool
		detail    string
		shortfall string
	}{
		{"exactly USD 2,000 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00}, true,
			"AI ACR average USD 2,000 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers", ""},
		{"USD 1,999.99 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 399_99}, false,
			"AI ACR average USD 1,999.99 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers",
			"USD 0.03 more AI ACR over 2026-08..2026-10 (USD 0.01 a month on average)"},
		{"USD 1,840 from 3", map[string]Cents{specTenant(1): 1000_00, specTenant(2): 440_00, specTenant(3): 400_00}, false,
			"AI ACR average USD 1,840 over 2026-08..2026-10 from 3 customers; needs USD 2,000 from 3 or more customers",
			"USD 480 more AI ACR over 2026-08..2026-10 (USD 160 a month on average)"},
		{"USD 2,000 from 2", map[string]Cents{specTenant(1): 1600_00, specTenant(2): 400_00}, false,
			"AI ACR average USD 2,000 over 2026-08..2026-10 from 2 customers; needs USD 2,000 from 3 or more customers",
			"1 more customer with AI ACR in the window"},
		{"USD 3,000 from 4", map[string]Cents{specTenant(1): 1600_00, specTenant(2): 400_00, specTenant(3): 500_00, specTenant(4): 500_00}, true,
			"AI ACR average USD 3,000 over 2026-08..2026-10 from 4 customers; needs USD 2,000 from 3 or more customers", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Customers = specCustomers(4, AssociationDPOR)
			in.Usage = NewUsage(specAIRecords(tc.perMonth))
			r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
			if r.Met == nil || *r.Met != tc.met || r.Detail != tc.detail || r.Shortfall != tc.shortfall {
				t.Errorf("met %s\n detail    %q\n want      %q\n shortfall %q\n want      %q", specMet(r), r.Detail, tc.detail, r.Shortfall, tc.shortfall)
			}
		})
	}
}

// The average uses the whole window: a month outside it, or a month with no
// data, changes nothing but the total it contributes (R-SPEC-2).
func TestReadiness_PerformanceWindow(t *testing.T) {
	in := specReadyInput()
	rs := specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})
	rs = append(rs, ConsumptionRecord{TenantID: specTenant(1), Month: MustMonth("2026-07"), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: OfferPAYG, ACR: 9000_00})
	rs = append(rs, ConsumptionRecord{TenantID: specTenant(1), Month: MustMonth("2026-11"), ServiceLevel2: "Azure Machine Learning", ServiceGroup: "AI + Machine Learning", Offer: OfferPAYG, ACR: 9000_00})
	in.Usage = NewUsage(rs)
	r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	p := r.Inputs.(PerformanceInputs)
	if p.TotalUSD != 6000_00 || p.AverageUSD != 2000_00 || len(p.Months) != 3 || p.Months[0] != MustMonth("2026-08") {
		t.Errorf("inputs %+v", p)
	}
	// Only two of the three months have data: the average still divides by three.
	in.Usage = NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})[3:])
	r = specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	if p := r.Inputs.(PerformanceInputs); p.AverageUSD != 1333_33 || specMet(r) != "false" {
		t.Errorf("two months of data: average %s met %s", p.AverageUSD, specMet(r))
	}
}

// R-SPEC-2: ACR left out, by reason: unknown customer, offer, association, government via PAL.
func TestReadiness_PerformanceExclusions(t *testing.T) {
	// Three qualifying customers at exactly the bar; every exclusion below adds
	// ACR that must not count, from a fourth tenant so the customer count would
	// show it too.
	base := map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 399_99}
	line := func(tenant int, group string, offer Offer) ConsumptionRecord {
		return ConsumptionRecord{TenantID: specTenant(tenant), Month: specAsOf, ServiceLevel2: "svc " + group, ServiceGroup: group, Offer: offer, ACR: 5000_00}
	}
	for _, tc := range []struct {
		name     string
		customer Customer
		record   ConsumptionRecord
		excluded func(PerformanceExcluded) Cents
	}{
		{"government via PAL", Customer{TenantID: specTenant(4), Association: AssociationPAL, Government: true}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.GovernmentViaPAL }},
		{"ineligible offer", Customer{TenantID: specTenant(4), Association: AssociationCSPTier2}, line(4, "AI + Machine Learning", OfferTrial),
			func(e PerformanceExcluded) Cents { return e.IneligibleOffer }},
		{"unknown customer", Customer{TenantID: specTenant(9), Association: AssociationDPOR}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.UnknownCustomer }},
		{"association not listed", Customer{TenantID: specTenant(4), Association: "RESELLER"}, line(4, "AI + Machine Learning", OfferPAYG),
			func(e PerformanceExcluded) Cents { return e.AssociationNotListed }},
		{"non-AI service", Customer{TenantID: specTenant(4), Association: AssociationDPOR}, line(4, "Compute", OfferPAYG),
			func(PerformanceExcluded) Cents { return 5000_00 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := specReadyInput()
			in.Customers = append(specCustomers(3, AssociationDPOR), tc.customer)
			in.Usage = NewUsage(append(specAIRecords(base), tc.record))
			r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
			p := r.Inputs.(PerformanceInputs)
			if specMet(r) != "false" || p.TotalUSD != 5999_97 || p.Customers != 3 {
				t.Errorf("met %s total %s customers %d: %s", specMet(r), p.TotalUSD, p.Customers, r.Detail)
			}
			if got := tc.excluded(p.ExcludedUSD); got != 5000_00 {
				t.Errorf("excluded %+v", p.ExcludedUSD)
			}
		})
	}
	// Government customers count through other associations, and non-government through PAL.
	in := specReadyInput()
	in.Customers = []Customer{
		{TenantID: specTenant(1), Association: AssociationCSPTier1, Government: true},
		{TenantID: specTenant(2), Association: AssociationPAL},
		{TenantID: specTenant(3), Association: AssociationDPOR, Government: true},
	}
	in.Usage = NewUsage(specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00}))
	if r := specReq(t, Readiness(specAIML(), in), RequirementPerformance); specMet(r) != "true" {
		t.Errorf("government via CSP/DPOR and PAL non-government: %s %s", specMet(r), r.Detail)
	}
}

// Service groups come from partners' exports: "ai + machine learning" is the
// catalogue's "AI + Machine Learning" (R-SPEC-2).
func TestReadiness_PerformanceServiceGroupIgnoresCase(t *testing.T) {
	in := specReadyInput()
	rs := specAIRecords(map[string]Cents{specTenant(1): 1000_00, specTenant(2): 600_00, specTenant(3): 400_00})
	for i := range rs {
		rs[i].ServiceGroup = "ai + machine learning"
	}
	in.Usage = NewUsage(rs)
	r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
	if p := r.Inputs.(PerformanceInputs); specMet(r) != "true" || p.TotalUSD != 6000_00 || p.Customers != 3 {
		t.Errorf("met %s: %s", specMet(r), r.Detail)
	}
}

// A tenant listed twice among the customers counts if any entry qualifies,
// as the score counts it (R-PCS-3), whichever entry comes last (R-SPEC-2).
func TestReadiness_PerformanceTenantListedTwice(t *testing.T) {
	gov := Customer{TenantID: specTenant(1), Association: AssociationPAL, Government: true}
	csp := Customer{TenantID: specTenant(1), Association: AssociationCSPTier1}
	other := Customer{TenantID: specTenant(1), Association: "RESELLER"}
	for _, order := range [][]Customer{{gov, csp}, {csp, gov}} {
		in := specReadyInput()
		in.Customers = append(specCustomers(3, AssociationCSPTier1)[1:], order...)
		r := specReq(t, Readiness(specAIML(), in), RequirementPerformance)
		p := r.Inputs.(PerformanceInputs)
		if specMet(r) != "true" || p.TotalUSD != 6000_00 || p.ExcludedUSD != (PerformanceExcluded{}) {
			t.Errorf("%v then %v: met %s, %+v", order[0].Association, order[1].Association, specMet(r), p.ExcludedUSD)
		}
		if got := eligibleTenants(in.Customers); len(got) != 3 {
			t.Errorf("the score counts %d tenants", len(got))
		}
	}
	// Neither entry counts: the ACR is put down to government via PAL, the
	// reason nearest to counting, whichever comes last.
	for _, order := range [][]Customer{{gov, other}, {other, gov}} {
		in := specReadyInput()
		in.Customers = append(specCustomers(3, AssociationCSPTier1)[1:], order...)
		p := specReq(t, Readiness(specAIML(), in), RequirementPerformance).Inputs.(PerformanceInputs)
		if p.ExcludedUSD != (PerformanceExcluded{GovernmentViaPAL: 3000_00}) {
			t.Errorf("excluded %+v", p.ExcludedUSD)
		}
	}
}
