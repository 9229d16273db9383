package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
)

// A partner's evidence is one more roster (roster.go): every evidence of the
// partner, every version and tombstone of it, in one compressed item. A
// checklist reads it with the customers and the people in one BatchGetItem
// whatever the partner holds, and a new version and the one it supersedes
// change in one write. The bound is the roster's: about 10,000 entries, and
// fewer when evidence names many customers (a GUID hardly compresses).

type evidenceEntry struct {
	rosterEntry
	ev evidence.Evidence
}

var evidenceCodec = rosterCodec[evidenceEntry]{
	id: func(e evidenceEntry) string { return e.ID },
	put: func(w *binWriter, e evidenceEntry) {
		e.rosterEntry.put(w)
		ev := e.ev
		w.str(string(ev.Status))
		w.str(ev.SpecializationID)
		putStrings(w, ev.Controls)
		putStrings(w, ev.Customers)
		putStrings(w, ev.Individuals)
		w.str(string(ev.Kind))
		w.str(string(ev.Scenario))
		w.byte(flag(ev.Production))
		w.str(dateText(ev.ProjectCompletedOn))
		w.str(dateText(ev.CustomerSignedOffOn))
		w.str(ev.Language)
		w.str(ev.Title)
		w.str(ev.FileName)
		w.str(ev.ContentType)
		w.num(uint64(ev.SizeBytes))
		w.str(ev.SHA256)
		w.str(ev.Supersedes)
		w.str(ev.RejectedReason)
		w.str(ev.FileVersion)
	},
	get: func(r *binReader) evidenceEntry { return getEvidence(r, true) },
}

// evidenceRulesCodec reads what the rules read (Validate, Coverage) and
// skips the rest (title, file name, checksum, timestamps): a
// checklist reads every evidence of the partner, and those strings were
// most of what decoding 500 of them allocated. It never writes.
var evidenceRulesCodec = rosterCodec[evidenceEntry]{
	id:  evidenceCodec.id,
	put: evidenceCodec.put,
	get: func(r *binReader) evidenceEntry { return getEvidence(r, false) },
}

func getEvidence(r *binReader, full bool) evidenceEntry {
	var e evidenceEntry
	if full {
		e.rosterEntry = getRosterEntry(r)
	} else {
		e.rosterEntry = rosterEntry{ID: r.str(), Version: int64(r.num())}
		r.skip()
		r.skip()
	}
	ev := &e.ev
	ev.ID, ev.Version = e.ID, int(e.Version)
	if full {
		ev.CreatedAt, ev.UpdatedAt = parseTimestamp(e.CreatedAt), parseTimestamp(e.UpdatedAt)
	}
	ev.Status = evidence.Status(r.wordIn(0))
	ev.SpecializationID = r.wordIn(1)
	ev.Controls = getStrings(r)
	ev.Customers = getStrings(r)
	ev.Individuals = getStrings(r)
	ev.Kind = evidence.Kind(r.wordIn(2))
	ev.Scenario = evidence.Scenario(r.wordIn(3))
	ev.Production = r.byte() == 1
	ev.ProjectCompletedOn = dateOf(r.wordIn(4))
	ev.CustomerSignedOffOn = dateOf(r.wordIn(5))
	ev.Language = r.wordIn(6)
	if full {
		ev.Title, ev.FileName = r.str(), r.str()
	} else {
		r.skip()
		r.skip()
	}
	ev.ContentType = r.wordIn(7)
	ev.SizeBytes = int64(r.num())
	if full {
		ev.SHA256 = r.str()
	} else {
		r.skip()
	}
	ev.Supersedes, ev.RejectedReason = r.str(), r.str()
	if full {
		ev.FileVersion = r.str()
	} else {
		r.skip()
	}
	return e
}

func putStrings(w *binWriter, xs []string) {
	w.num(uint64(len(xs)))
	for _, s := range xs {
		w.str(s)
	}
}

func getStrings(r *binReader) []string {
	n := r.num()
	xs := make([]string, 0, min(n, 1024))
	for i := uint64(0); i < n && r.ok(); i++ {
		xs = append(xs, r.word())
	}
	return xs
}

func dateText(d *domain.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func dateOf(s string) *domain.Date {
	if s == "" {
		return nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return nil
	}
	return &d
}

// EvidenceData is what a checklist and an evidence's validation read of a
// partner: its customers, its people and its evidence, in id order, each
// evidence with what the rules read only (no title, file name, checksum or
// timestamps: evidenceRulesCodec).
type EvidenceData struct {
	Customers   []domain.Customer
	Individuals []domain.Individual
	Evidence    []evidence.Evidence
}

// LoadEvidenceData reads the partner's customers, people and evidence in one
// BatchGetItem (with the profile: ErrNoPartner without one).
func (s *Store) LoadEvidenceData(ctx context.Context, pid string) (EvidenceData, error) {
	people := &roster[personEntry]{sk: skPeople, codec: personCodec}
	customers := &roster[customerEntry]{sk: skCustomers, codec: customerCodec}
	ev := &roster[evidenceEntry]{sk: skEvidence, codec: evidenceRulesCodec}
	keys := []map[string]types.AttributeValue{rosterKey(pid, skPeople), rosterKey(pid, skCustomers), rosterKey(pid, skEvidence)}
	err := s.underProfile(ctx, pid, keys, func(sk string, raw map[string]types.AttributeValue) error {
		switch sk {
		case skPeople:
			return decodeRoster(raw, people)
		case skCustomers:
			return decodeRoster(raw, customers)
		case skEvidence:
			return decodeRoster(raw, ev)
		}
		return nil
	})
	if err != nil {
		return EvidenceData{}, err
	}
	d := EvidenceData{
		Customers:   make([]domain.Customer, 0, len(customers.entries)),
		Individuals: make([]domain.Individual, 0, len(people.entries)),
		Evidence:    make([]evidence.Evidence, 0, len(ev.entries)),
	}
	for _, e := range customers.entries {
		d.Customers = append(d.Customers, e.customer())
	}
	for _, e := range people.entries {
		d.Individuals = append(d.Individuals, e.individual())
	}
	for _, e := range ev.entries {
		d.Evidence = append(d.Evidence, e.ev)
	}
	return d, nil
}

// GetEvidence reads one evidence: 1 BatchGetItem (the profile and the roster).
func (s *Store) GetEvidence(ctx context.Context, pid, id string) (evidence.Evidence, error) {
	r, err := loadRoster(ctx, s, pid, skEvidence, evidenceCodec)
	if err != nil {
		return evidence.Evidence{}, err
	}
	i, ok := r.find(id)
	if !ok {
		return evidence.Evidence{}, ErrNotFound
	}
	return r.entries[i].ev, nil
}

// AllEvidence is every evidence of the partner, every version and
// tombstone, in id order: 1 BatchGetItem (the profile and the roster).
func (s *Store) AllEvidence(ctx context.Context, pid string) ([]evidence.Evidence, error) {
	r, err := loadRoster(ctx, s, pid, skEvidence, evidenceCodec)
	if err != nil {
		return nil, err
	}
	all := make([]evidence.Evidence, len(r.entries))
	for i, e := range r.entries {
		all[i] = e.ev
	}
	return all, nil
}

// ListEvidence pages through the partner's evidence in id order (ids are
// UUIDv7: the order of creation), keeping what keep accepts: 1 BatchGetItem a page.
func (s *Store) ListEvidence(ctx context.Context, pid string, keep func(*evidence.Evidence) bool, limit int, cursor string) (Page[evidence.Evidence], error) {
	r, err := loadRoster(ctx, s, pid, skEvidence, evidenceCodec)
	if err != nil {
		return Page[evidence.Evidence]{}, err
	}
	kept := r.entries[:0:0]
	for _, e := range r.entries {
		if keep(&e.ev) {
			kept = append(kept, e)
		}
	}
	r.entries = kept
	return pageOf(r, limit, cursor, prefixEvidence, func(e evidenceEntry) evidence.Evidence { return e.ev })
}

// EvidenceChange is one write to a partner's evidence: it sees every
// evidence of the partner (read anew after a lost race) and returns the ones
// it changes, each with its new state; an error ends it unwritten.
type EvidenceChange func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error)

// ChangeEvidence applies change in one versioned write of the evidence
// roster: 1 BatchGetItem + 1 conditional PutItem (again after a lost race).
// A new evidence (an id not there yet) gets version 1, a changed one its
// next version; several change together or not at all.
func (s *Store) ChangeEvidence(ctx context.Context, pid string, change EvidenceChange) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		r, err := loadRoster(ctx, s, pid, skEvidence, evidenceCodec)
		if err != nil {
			return nil, err
		}
		all := make(map[string]*evidence.Evidence, len(r.entries))
		for i := range r.entries {
			ev := r.entries[i].ev
			all[ev.ID] = &ev
		}
		changed, err := change(all)
		if err != nil {
			return nil, err
		}
		if len(changed) == 0 {
			return nil, nil
		}
		now := timestamp(s.now())
		out = out[:0]
		for _, ev := range changed {
			var cur *rosterEntry
			if i, ok := r.find(ev.ID); ok {
				cur = &r.entries[i].rosterEntry
			}
			e := evidenceEntry{rosterEntry: nextEntry(ev.ID, cur, now), ev: ev}
			e.ev.Version, e.ev.CreatedAt, e.ev.UpdatedAt = int(e.Version), parseTimestamp(e.CreatedAt), parseTimestamp(e.UpdatedAt)
			r.upsert(e)
			out = append(out, e.ev)
		}
		it, err := r.item(pid)
		if err != nil {
			return nil, err
		}
		return []write{{item: it, read: r.version}}, nil
	})
	return out, err
}
