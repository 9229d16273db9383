package store

import (
	"context"

	"github.com/partnerready/partnerready/internal/domain"
)

// IndividualRecord is a stored person.
type IndividualRecord struct {
	PartnerID string
	domain.Individual
	Meta
}

type certificationItem struct {
	ID        string `dynamodbav:"id"`
	EarnedOn  string `dynamodbav:"earnedOn"`
	ExpiresOn string `dynamodbav:"expiresOn,omitempty"`
}

type individualItem struct {
	head
	PartnerID      string              `dynamodbav:"partnerId"`
	IndividualID   string              `dynamodbav:"individualId"`
	DisplayName    string              `dynamodbav:"displayName"`
	Certifications []certificationItem `dynamodbav:"certifications,omitempty"`
}

func (it individualItem) record() IndividualRecord {
	ind := domain.Individual{ID: it.IndividualID, DisplayName: it.DisplayName, Certifications: make([]domain.HeldCertification, 0, len(it.Certifications))}
	for _, c := range it.Certifications {
		hc := domain.HeldCertification{ID: c.ID}
		hc.EarnedOn, _ = domain.ParseDate(c.EarnedOn)
		if c.ExpiresOn != "" {
			d, _ := domain.ParseDate(c.ExpiresOn)
			hc.ExpiresOn = &d
		}
		ind.Certifications = append(ind.Certifications, hc)
	}
	return IndividualRecord{PartnerID: it.PartnerID, Individual: ind, Meta: it.meta()}
}

// GetIndividual reads one person: 1 GetItem.
func (s *Store) GetIndividual(ctx context.Context, pid, id string) (IndividualRecord, error) {
	it, err := getItem[individualItem](ctx, s, partnerPK(pid), individualSK(id))
	if err != nil {
		return IndividualRecord{}, err
	}
	return it.record(), nil
}

// PutIndividual creates or replaces a person and their certifications.
func (s *Store) PutIndividual(ctx context.Context, pid string, ind domain.Individual, pre Precondition) (IndividualRecord, bool, error) {
	// nil when empty, so the attribute is left out: minidyn v0.8.2 hands an
	// empty list back as the sort key's string, and an absent list decodes
	// as empty on every engine.
	var certs []certificationItem
	for _, c := range ind.Certifications {
		ci := certificationItem{ID: c.ID, EarnedOn: c.EarnedOn.String()}
		if c.ExpiresOn != nil {
			ci.ExpiresOn = c.ExpiresOn.String()
		}
		certs = append(certs, ci)
	}
	var it individualItem
	meta, created, err := putVersioned(ctx, s, partnerPK(pid), individualSK(ind.ID), typeIndividual, pre, func(h head) any {
		it = individualItem{head: h, PartnerID: pid, IndividualID: ind.ID, DisplayName: ind.DisplayName, Certifications: certs}
		return it
	})
	if err != nil {
		return IndividualRecord{}, false, err
	}
	rec := it.record()
	rec.Meta = meta
	return rec, created, nil
}

// DeleteIndividual removes a person: 1 conditional DeleteItem.
func (s *Store) DeleteIndividual(ctx context.Context, pid, id string, pre Precondition) error {
	return deleteVersioned(ctx, s, partnerPK(pid), individualSK(id), pre)
}

// ListIndividuals pages through the partner's people in id order: 1 Query a page.
func (s *Store) ListIndividuals(ctx context.Context, pid string, limit int, cursor string) (Page[IndividualRecord], error) {
	page, err := runQuery[individualItem](ctx, s, query{pk: partnerPK(pid), prefix: prefixIndividual}, limit, cursor)
	return mapPage(page, individualItem.record), err
}
