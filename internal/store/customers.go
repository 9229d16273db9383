package store

import (
	"context"

	"github.com/partnerready/partnerready/internal/domain"
)

// CustomerRecord is a stored customer.
type CustomerRecord struct {
	PartnerID string
	domain.Customer
	Meta
}

// customerEntry is a customer in the partner's customer roster (roster.go).
type customerEntry struct {
	rosterEntry
	Name        string
	Association string
	Government  bool
	Affiliated  bool
}

var customerCodec = rosterCodec[customerEntry]{
	id: func(e customerEntry) string { return e.ID },
	put: func(w *binWriter, e customerEntry) {
		e.rosterEntry.put(w)
		w.str(e.Name)
		w.str(e.Association)
		w.byte(flag(e.Government) | flag(e.Affiliated)<<1)
	},
	get: func(r *binReader) customerEntry {
		e := customerEntry{rosterEntry: getRosterEntry(r), Name: r.str(), Association: r.word()}
		f := r.byte()
		e.Government, e.Affiliated = f&1 != 0, f&2 != 0
		return e
	},
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func customerBookkeeping(e customerEntry) rosterEntry { return e.rosterEntry }

func (e customerEntry) customer() domain.Customer {
	return domain.Customer{TenantID: e.ID, Name: e.Name, Association: domain.Association(e.Association), Government: e.Government, Affiliated: e.Affiliated}
}

func customerRecord(pid string) func(customerEntry) CustomerRecord {
	return func(e customerEntry) CustomerRecord {
		return CustomerRecord{PartnerID: pid, Customer: e.customer(), Meta: e.meta()}
	}
}

func loadCustomers(ctx context.Context, s *Store, pid string) (*roster[customerEntry], error) {
	return loadRoster(ctx, s, pid, skCustomers, customerCodec)
}

// GetCustomer reads one customer: 1 BatchGetItem (the profile and the roster).
func (s *Store) GetCustomer(ctx context.Context, pid, tenantID string) (CustomerRecord, error) {
	r, err := loadCustomers(ctx, s, pid)
	if err != nil {
		return CustomerRecord{}, err
	}
	i, ok := r.find(tenantID)
	if !ok {
		return CustomerRecord{}, ErrNotFound
	}
	return customerRecord(pid)(r.entries[i]), nil
}

// PutCustomer creates or replaces a customer: 1 BatchGetItem + 1 conditional PutItem.
func (s *Store) PutCustomer(ctx context.Context, pid string, c domain.Customer, pre Precondition) (CustomerRecord, bool, error) {
	next, created, err := changeRoster(ctx, s, pid, skCustomers, c.TenantID, customerCodec, customerBookkeeping, pre, func(cur *customerEntry, now string) (*customerEntry, error) {
		var curEntry *rosterEntry
		if cur != nil {
			curEntry = &cur.rosterEntry
		}
		return &customerEntry{rosterEntry: nextEntry(c.TenantID, curEntry, now), Name: c.Name, Association: string(c.Association), Government: c.Government, Affiliated: c.Affiliated}, nil
	})
	if err != nil {
		return CustomerRecord{}, false, err
	}
	return customerRecord(pid)(*next), created, nil
}

// DeleteCustomer removes a customer: 1 BatchGetItem + 1 conditional PutItem.
// Its consumption stays stored and stops counting, as any tenant's that is
// not a registered customer; registered again, it counts again.
func (s *Store) DeleteCustomer(ctx context.Context, pid, tenantID string, pre Precondition) error {
	return deleteEntry(ctx, s, pid, skCustomers, tenantID, customerCodec, customerBookkeeping, pre)
}

// ListCustomers pages through the partner's customers in tenant id order: 1 BatchGetItem a page.
func (s *Store) ListCustomers(ctx context.Context, pid string, limit int, cursor string) (Page[CustomerRecord], error) {
	r, err := loadCustomers(ctx, s, pid)
	if err != nil {
		return Page[CustomerRecord]{}, err
	}
	return pageOf(r, limit, cursor, prefixCustomer, customerRecord(pid))
}

// KnownCustomers says which of the tenant ids are the partner's customers: 1 BatchGetItem.
func (s *Store) KnownCustomers(ctx context.Context, pid string, tenantIDs []string) (map[string]bool, error) {
	r, err := loadCustomers(ctx, s, pid)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(tenantIDs))
	for _, t := range tenantIDs {
		if _, ok := r.find(t); ok {
			known[t] = true
		}
	}
	return known, nil
}
