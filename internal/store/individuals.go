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

// personEntry is a person in the partner's people roster (roster.go).
type personEntry struct {
	rosterEntry
	DisplayName string
	Certs       [][3]string // id, earnedOn, expiresOn or ""
}

var personCodec = rosterCodec[personEntry]{
	id: func(e personEntry) string { return e.ID },
	put: func(w *binWriter, e personEntry) {
		e.rosterEntry.put(w)
		w.str(e.DisplayName)
		w.num(uint64(len(e.Certs)))
		for _, c := range e.Certs {
			w.str(c[0])
			w.str(c[1])
			w.str(c[2])
		}
	},
	get: func(r *binReader) personEntry {
		e := personEntry{rosterEntry: getRosterEntry(r), DisplayName: r.str()}
		n := r.num()
		e.Certs = make([][3]string, 0, min(n, uint64(len(r.b))))
		for i := uint64(0); i < n && r.ok(); i++ {
			e.Certs = append(e.Certs, [3]string{r.word(), r.word(), r.word()})
		}
		return e
	},
}

func personBookkeeping(e personEntry) rosterEntry { return e.rosterEntry }

func (e personEntry) individual() domain.Individual {
	ind := domain.Individual{ID: e.ID, DisplayName: e.DisplayName, Certifications: make([]domain.HeldCertification, 0, len(e.Certs))}
	for _, c := range e.Certs {
		hc := domain.HeldCertification{ID: c[0]}
		hc.EarnedOn, _ = domain.ParseDate(c[1])
		if c[2] != "" {
			d, _ := domain.ParseDate(c[2])
			hc.ExpiresOn = &d
		}
		ind.Certifications = append(ind.Certifications, hc)
	}
	return ind
}

func personRecord(pid string) func(personEntry) IndividualRecord {
	return func(e personEntry) IndividualRecord {
		return IndividualRecord{PartnerID: pid, Individual: e.individual(), Meta: e.meta()}
	}
}

func loadPeople(ctx context.Context, s *Store, pid string) (*roster[personEntry], error) {
	return loadRoster(ctx, s, pid, skPeople, personCodec)
}

// GetIndividual reads one person: 1 BatchGetItem (the profile and the roster).
func (s *Store) GetIndividual(ctx context.Context, pid, id string) (IndividualRecord, error) {
	r, err := loadPeople(ctx, s, pid)
	if err != nil {
		return IndividualRecord{}, err
	}
	i, ok := r.find(id)
	if !ok {
		return IndividualRecord{}, ErrNotFound
	}
	return personRecord(pid)(r.entries[i]), nil
}

// PutIndividual creates or replaces a person and their certifications:
// 1 BatchGetItem + 1 conditional PutItem (more if another write to the roster raced it).
func (s *Store) PutIndividual(ctx context.Context, pid string, ind domain.Individual, pre Precondition) (IndividualRecord, bool, error) {
	next, created, err := changeRoster(ctx, s, pid, skPeople, ind.ID, personCodec, personBookkeeping, pre, func(cur *personEntry, now string) (*personEntry, error) {
		var curEntry *rosterEntry
		if cur != nil {
			curEntry = &cur.rosterEntry
		}
		e := personEntry{rosterEntry: nextEntry(ind.ID, curEntry, now), DisplayName: ind.DisplayName}
		for _, c := range ind.Certifications {
			exp := ""
			if c.ExpiresOn != nil {
				exp = c.ExpiresOn.String()
			}
			e.Certs = append(e.Certs, [3]string{c.ID, c.EarnedOn.String(), exp})
		}
		return &e, nil
	})
	if err != nil {
		return IndividualRecord{}, false, err
	}
	return personRecord(pid)(*next), created, nil
}

// DeleteIndividual removes a person: 1 BatchGetItem + 1 conditional PutItem.
func (s *Store) DeleteIndividual(ctx context.Context, pid, id string, pre Precondition) error {
	return deleteEntry(ctx, s, pid, skPeople, id, personCodec, personBookkeeping, pre)
}

// ListIndividuals pages through the partner's people in id order: 1 BatchGetItem a page.
func (s *Store) ListIndividuals(ctx context.Context, pid string, limit int, cursor string) (Page[IndividualRecord], error) {
	r, err := loadPeople(ctx, s, pid)
	if err != nil {
		return Page[IndividualRecord]{}, err
	}
	return pageOf(r, limit, cursor, prefixIndividual, personRecord(pid))
}
