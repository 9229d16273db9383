package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
)

// ScoringData is everything the score and readiness rules read of a partner.
type ScoringData struct {
	Individuals []domain.Individual
	Customers   []domain.Customer
	Usage       domain.Usage
}

// LoadScoringData reads a partner's people, customers and the months
// from..to in one BatchGetItem (at most 97 months), whatever the partner's
// size: that is what the rosters and month items are for. The profile is
// read with them: a partner without one has no data (ErrNoPartner).
func (s *Store) LoadScoringData(ctx context.Context, pid string, from, to domain.Month) (ScoringData, error) {
	keys := []map[string]types.AttributeValue{rosterKey(pid, skPeople), rosterKey(pid, skCustomers)}
	var months []domain.Month
	for m := from; !m.After(to); m = m.AddMonths(1) {
		months = append(months, m)
		keys = append(keys, key(partnerPK(pid), consumptionSK(m)))
	}
	people := &roster[personEntry]{sk: skPeople, codec: personCodec}
	customers := &roster[customerEntry]{sk: skCustomers, codec: customerCodec}
	d := ScoringData{Usage: domain.Usage{Months: map[domain.Month][]domain.TenantUsage{}}}
	dict := newMonthDict()
	err := s.underProfile(ctx, pid, keys, func(sk string, raw map[string]types.AttributeValue) error {
		switch sk {
		case "":
		case skPeople:
			return decodeRoster(raw, people)
		case skCustomers:
			return decodeRoster(raw, customers)
		default:
			m, err := decodeMonthItem(raw, dict)
			if err != nil {
				return err
			}
			m.data.addTo(&d.Usage, m.month)
		}
		return nil
	})
	if err != nil {
		return ScoringData{}, err
	}
	for _, e := range people.entries {
		d.Individuals = append(d.Individuals, e.individual())
	}
	for _, e := range customers.entries {
		c := e.customer()
		// The months' string for the id: the score merges customers with
		// each month's tenants, and equal ids that are one string compare
		// at once.
		if id, ok := packGUID(c.TenantID); ok {
			if s, ok := dict.tenants[id]; ok {
				c.TenantID = s
			}
		}
		d.Customers = append(d.Customers, c)
	}
	return d, nil
}
