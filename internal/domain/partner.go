// Package domain holds the program's rules and the partner's data as pure Go:
// no I/O, no AWS types, so every rule can be tested with plain values.
package domain

import "strings"

// Association is how a customer's Azure consumption is attributed to the partner (R-PCS-3).
type Association string

const (
	AssociationCSPTier1 Association = "CSP_TIER1"
	AssociationCSPTier2 Association = "CSP_TIER2"
	AssociationDPOR     Association = "DPOR"
	AssociationPAL      Association = "PAL"
)

// Offer is the commercial offer an Azure subscription runs under.
type Offer string

const (
	OfferPAYG        Offer = "PAYG"
	OfferEnterprise  Offer = "ENTERPRISE"
	OfferCSP         Offer = "CSP"
	OfferMCA         Offer = "MCA"
	OfferSponsorship Offer = "SPONSORSHIP"
	OfferSupport     Offer = "SUPPORT"
	OfferInternal    Offer = "INTERNAL"
	OfferBenefit     Offer = "BENEFIT"
	OfferTrial       Offer = "TRIAL"
)

// Offers lists every offer the API accepts, eligible or not.
var Offers = []Offer{OfferPAYG, OfferEnterprise, OfferCSP, OfferMCA, OfferSponsorship, OfferSupport, OfferInternal, OfferBenefit, OfferTrial}

// Associations lists every association the API accepts.
var Associations = []Association{AssociationCSPTier1, AssociationCSPTier2, AssociationDPOR, AssociationPAL}

// Eligible reports whether consumption under this offer counts for the score:
// every offer but Support, Internal, Benefit programs and Trial (R-PCS-3).
func (o Offer) Eligible() bool {
	switch o {
	case OfferSupport, OfferInternal, OfferBenefit, OfferTrial:
		return false
	}
	return true
}

// Partner is one Partner Center account (MPN PGA ID) and its locations (MPN PLA IDs).
// Status is not shared across PGA IDs (seed 000), so the partner id is the tenant key.
type Partner struct {
	ID        string
	Name      string
	Country   string
	Locations []Location
}

type Location struct {
	ID      string
	Country string
}

// Individual is one of the partner's people and the certifications they hold.
type Individual struct {
	ID             string
	DisplayName    string
	Certifications []HeldCertification
}

type HeldCertification struct {
	ID        string
	EarnedOn  Date
	ExpiresOn *Date
}

// HeldOn reports whether the certificate is held on day d: earned by then
// and not expired before it (ExpiresOn is its last valid day). Scores and
// readiness ask it at the end of the month (DESIGN "Score semantics"), so a
// person never counts for one and not for the other in the same month.
func (c *HeldCertification) HeldOn(d Date) bool {
	return !c.EarnedOn.After(d) && (c.ExpiresOn == nil || !c.ExpiresOn.Before(d))
}

// Customer is a customer tenant the partner serves.
type Customer struct {
	TenantID    string
	Name        string
	Association Association
	Government  bool
	Affiliated  bool
}

// ConsumptionRecord is one month of Azure consumed revenue (ACR) of one customer,
// for one service at service level 2, under one offer. It is keyed by all four.
type ConsumptionRecord struct {
	TenantID      string
	Month         Month
	ServiceLevel2 string
	ServiceGroup  string
	Offer         Offer
	ACR           Cents
}

// Key is the record's identity for upserts: (tenant, month, service, offer).
func (r ConsumptionRecord) Key() string {
	return r.Month.String() + "#" + r.TenantID + "#" + r.ServiceLevel2 + "#" + string(r.Offer)
}

// ValidPartnerID: the MPN PGA ID is 1 to 12 digits.
func ValidPartnerID(s string) bool { return len(s) >= 1 && len(s) <= 12 && all(s, isDigit) }

// ValidLocationID: MPN PLA IDs are digits too.
func ValidLocationID(s string) bool { return ValidPartnerID(s) }

// ValidIndividualID: the partner's own id for a person (e.g. an MCP id):
// 1 to 64 letters, digits, '.', '_' or '-'.
func ValidIndividualID(s string) bool {
	return len(s) >= 1 && len(s) <= 64 && all(s, func(c byte) bool {
		return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' || c == '.' || c == '_' || c == '-'
	})
}

// NormalizeTenantID returns the canonical (lower-case) form of an Azure AD tenant
// GUID (8-4-4-4-12 hex digits), so that one tenant is one key whatever case the
// caller used.
func NormalizeTenantID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	for i := range len(s) {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return "", false
			}
		default:
			if c := s[i] | 0x20; !isDigit(s[i]) && (c < 'a' || c > 'f') {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func all(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}
