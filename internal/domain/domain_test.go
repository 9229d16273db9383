package domain

import "testing"

func TestParseMonthStrict(t *testing.T) {
	for _, bad := range []string{"2026-13", "2026-00", "2026-1", "26-01", "2026-01-01", "2026/01", "", " 2026-01"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
	m := MustMonth("2026-01")
	if got := m.AddMonths(-12).String(); got != "2025-01" {
		t.Errorf("2026-01 − 12 = %s", got)
	}
	if got := (Month{1, 1}).AddMonths(-2); got != (Month{0, 11}) {
		t.Errorf("0001-01 − 2 = %v", got)
	}
	if got := m.AddMonths(-1).String(); got != "2025-12" {
		t.Errorf("2026-01 − 1 = %s", got)
	}
	if got := MustMonth("2024-02").LastDay().String(); got != "2024-02-29" {
		t.Errorf("last day of 2024-02 = %s", got)
	}
	if !MustMonth("2025-12").Before(m) || m.Before(m) || !m.After(MustMonth("2025-12")) {
		t.Error("month order")
	}
}

func TestParseDateStrict(t *testing.T) {
	for _, bad := range []string{"2026-02-30", "2026-2-01", "2026-02-01T00:00:00Z", "01/02/2026", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if d := MustDate("2026-02-28").AddDays(1).String(); d != "2026-03-01" {
		t.Errorf("next day %s", d)
	}
}

func TestParseUSDExact(t *testing.T) {
	good := map[string]Cents{"0": 0, "0.1": 10, "0.10": 10, "12": 1200, "12.05": 1205, "1234.5": 123450, "10000000000": 1_000_000_000_000}
	for lit, want := range good {
		got, err := ParseUSD(lit)
		if err != nil || got != want {
			t.Errorf("ParseUSD(%s) = %d, %v; want %d", lit, got, err, want)
		}
		if back, _ := ParseUSD(got.String()); back != got {
			t.Errorf("%s does not round-trip through %s", lit, got.String())
		}
	}
	for _, bad := range []string{"-1", "-0.01", "1.234", "1e3", "1E2", "01", ".5", "5.", "", "10000000000.01", "99999999999999", "abc"} {
		if _, err := ParseUSD(bad); err == nil {
			t.Errorf("ParseUSD(%q) accepted", bad)
		}
	}
	if s := Cents(1205).String(); s != "12.05" {
		t.Errorf("1205 cents = %s", s)
	}
	if s := Cents(1250).String(); s != "12.5" {
		t.Errorf("1250 cents = %s", s)
	}
}

// Every explanation writes money one way: grouped thousands, cents only
// when there are any.
func TestFormatUSD(t *testing.T) {
	for c, want := range map[Cents]string{
		0: "USD 0", 5: "USD 0.05", 1250: "USD 12.50", 99_999: "USD 999.99", 184_000: "USD 1,840", 199_999: "USD 1,999.99",
		-100_000: "USD -1,000", -150: "USD -1.50", 123_456_789_50: "USD 123,456,789.50", MaxCents: "USD 10,000,000,000",
	} {
		if got := FormatUSD(c); got != want {
			t.Errorf("FormatUSD(%d) = %q, want %q", c, got, want)
		}
	}
}

// R-PCS-3: every offer is eligible but Support, Internal, Benefit programs and Trial.
func TestOfferEligibility(t *testing.T) {
	ineligible := map[Offer]bool{OfferSupport: true, OfferInternal: true, OfferBenefit: true, OfferTrial: true}
	for _, o := range Offers {
		if o.Eligible() == ineligible[o] {
			t.Errorf("%s eligible = %v", o, o.Eligible())
		}
	}
	if len(Offers) != 9 {
		t.Errorf("offers %v", Offers)
	}
}

func TestIDs(t *testing.T) {
	if tid, ok := NormalizeTenantID("3F2504E0-4F89-11D3-9A0C-0305E82C3301"); !ok || tid != "3f2504e0-4f89-11d3-9a0c-0305e82c3301" {
		t.Errorf("tenant %q %v", tid, ok)
	}
	for _, bad := range []string{"3F2504E0-4F89-11D3-9A0C-0305E82C330", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "not-a-guid"} {
		if _, ok := NormalizeTenantID(bad); ok {
			t.Errorf("tenant %q accepted", bad)
		}
	}
	if !ValidPartnerID("1234567") || ValidPartnerID("123456789012x") || ValidPartnerID("") || ValidPartnerID("1234567890123") {
		t.Error("partner ids")
	}
	if !ValidIndividualID("MCP.123_a-b") || ValidIndividualID("a b") || ValidIndividualID("") {
		t.Error("individual ids")
	}
	if !ValidCountry("FR") || ValidCountry("fr") || ValidCountry("FRA") {
		t.Error("countries")
	}
}

func TestIdentifiers(t *testing.T) {
	for s, want := range map[string]bool{"FR": true, "AD": true, "ZW": true, "US": true, "ZZ": false, "UK": false, "EU": false, "XK": false, "fr": false, "F": false, "FRA": false, "": false} {
		if ValidCountry(s) != want {
			t.Errorf("ValidCountry(%q) = %v", s, !want)
		}
	}
	if n := len(isoCountries) / 2; n != 249 {
		t.Errorf("%d ISO 3166-1 codes, want 249", n)
	}
	for i := 2; i < len(isoCountries); i += 2 {
		if isoCountries[i-2:i] >= isoCountries[i:i+2] {
			t.Fatalf("codes out of order at %s", isoCountries[i:i+2])
		}
	}
	for s, want := range map[string]bool{"1": true, "123456789012": true, "1234567890123": false, "": false, "12a": false, "-1": false} {
		if ValidPartnerID(s) != want {
			t.Errorf("ValidPartnerID(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{"mcp-1001": true, "A.b_C-9": true, "": false, "a b": false, "a/b": false, "é": false, "a@b": false, "[x]": false, "`": false} {
		if ValidIndividualID(s) != want {
			t.Errorf("ValidIndividualID(%q) = %v", s, !want)
		}
	}
	if got, ok := NormalizeTenantID("3F2504E0-4F89-11D3-9A0C-0305E82C3301"); !ok || got != "3f2504e0-4f89-11d3-9a0c-0305e82c3301" {
		t.Errorf("tenant id: %q %v", got, ok)
	}
	for _, bad := range []string{"3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e0x4f89-11d3-9a0c-0305e82c3301", "3g2504e0-4f89-11d3-9a0c-0305e82c3301", ""} {
		if _, ok := NormalizeTenantID(bad); ok {
			t.Errorf("NormalizeTenantID(%q) accepted", bad)
		}
	}
}
