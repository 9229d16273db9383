package store

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/partnerready/partnerready/internal/domain"
)

// PartnerRecord is a stored partner profile.
type PartnerRecord struct {
	domain.Partner
	Meta
}

type locationItem struct {
	ID      string
	Country string
}

type partnerItem struct {
	head
	PartnerID string
	Name      string
	Country   string
	Locations []locationItem
}

func (it *partnerItem) attrs() attrs {
	m := attrs{"partnerId": sAttr(it.PartnerID), "name": sAttr(it.Name), "country": sAttr(it.Country)}
	it.head.putAttrs(m)
	if len(it.Locations) > 0 { // never an empty list: minidyn reads one back as a string
		l := make([]types.AttributeValue, len(it.Locations))
		for i, loc := range it.Locations {
			l[i] = &types.AttributeValueMemberM{Value: attrs{"id": sAttr(loc.ID), "country": sAttr(loc.Country)}}
		}
		m["locations"] = &types.AttributeValueMemberL{Value: l}
	}
	return m
}

func (it *partnerItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.PartnerID, it.Name, it.Country = r.str("partnerId"), r.str("name"), r.str("country")
	r.list("locations", func(l *attrReader) {
		it.Locations = append(it.Locations, locationItem{ID: l.str("id"), Country: l.str("country")})
	})
}

func (it partnerItem) record() PartnerRecord {
	p := domain.Partner{ID: it.PartnerID, Name: it.Name, Country: it.Country, Locations: make([]domain.Location, 0, len(it.Locations))}
	for _, l := range it.Locations {
		p.Locations = append(p.Locations, domain.Location{ID: l.ID, Country: l.Country})
	}
	return PartnerRecord{Partner: p, Meta: it.meta()}
}

// GetPartner reads a profile: 1 GetItem.
func (s *Store) GetPartner(ctx context.Context, pid string) (PartnerRecord, error) {
	it, err := getItem[partnerItem](ctx, s, partnerPK(pid), skProfile)
	if err != nil {
		return PartnerRecord{}, err
	}
	return it.record(), nil
}

// PutPartner creates or replaces a profile; created says which.
// 1 GetItem + 1 conditional PutItem (again after a lost race).
func (s *Store) PutPartner(ctx context.Context, p domain.Partner, pre Precondition) (PartnerRecord, bool, error) {
	var locs []locationItem // nil when empty: minidyn misreads an empty list
	for _, l := range p.Locations {
		locs = append(locs, locationItem{ID: l.ID, Country: l.Country})
	}
	pk := partnerPK(p.ID)
	var it *partnerItem
	var created bool
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[head](ctx, s, pk, skProfile)
		if err != nil && err != ErrNotFound {
			return nil, err
		}
		exists := err == nil
		if !pre.Holds(exists, cur.Version) {
			return nil, ErrPreconditionFailed
		}
		it = &partnerItem{
			head:      head{PK: pk, SK: skProfile, GSI1PK: gsi1PartnersIndex, GSI1SK: p.ID, Type: typePartner, CreatedAt: cur.CreatedAt},
			PartnerID: p.ID, Name: p.Name, Country: p.Country, Locations: locs,
		}
		created = !exists
		return []write{{item: it, read: cur.Version}}, nil
	})
	if err != nil {
		return PartnerRecord{}, false, err
	}
	return it.record(), created, nil
}

// ListPartners pages through every profile, in partner id order (program managers).
func (s *Store) ListPartners(ctx context.Context, limit int, cursor string) (Page[PartnerRecord], error) {
	page, err := queryGSI1[partnerItem](ctx, s, gsi1PartnersIndex, limit, cursor)
	return mapPage(page, partnerItem.record), err
}

func mapPage[I, R any](p Page[I], f func(I) R) Page[R] {
	out := Page[R]{NextCursor: p.NextCursor, Items: make([]R, 0, len(p.Items))}
	for _, it := range p.Items {
		out.Items = append(out.Items, f(it))
	}
	return out
}

// underProfile reads items of pid's partition with its profile, in 1
// BatchGetItem (at most 99 keys), and hands each one found but the profile
// to each, by its sort key: a partner's data exists only under its profile,
// so without one it is ErrNoPartner, whatever else was found.
func (s *Store) underProfile(ctx context.Context, pid string, keys []map[string]types.AttributeValue, each func(sk string, item map[string]types.AttributeValue) error) error {
	items, err := s.batchGet(ctx, append([]map[string]types.AttributeValue{key(partnerPK(pid), skProfile)}, keys...))
	if err != nil {
		return err
	}
	profile := false
	for _, raw := range items {
		if sk := skOf(raw); sk == skProfile {
			profile = true
		} else if err := each(sk, raw); err != nil {
			return err
		}
	}
	if !profile {
		return ErrNoPartner
	}
	return nil
}

// hasProfile is ErrNoPartner when pid has no profile: 1 GetItem, for a
// list whose empty first page cannot tell "none yet" from "no partner"
// (a partner's data exists only under its profile).
func (s *Store) hasProfile(ctx context.Context, pid string) error {
	_, err := getItem[head](ctx, s, partnerPK(pid), skProfile)
	if errors.Is(err, ErrNotFound) {
		return ErrNoPartner
	}
	return err
}
