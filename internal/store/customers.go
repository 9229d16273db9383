package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
)

// CustomerRecord is a stored customer.
type CustomerRecord struct {
	PartnerID string
	domain.Customer
	Meta
}

type customerItem struct {
	head
	PartnerID   string `dynamodbav:"partnerId"`
	TenantID    string `dynamodbav:"tenantId"`
	Name        string `dynamodbav:"name"`
	Association string `dynamodbav:"association"`
	Government  bool   `dynamodbav:"government"`
	Affiliated  bool   `dynamodbav:"affiliated"`
}

func (it customerItem) record() CustomerRecord {
	return CustomerRecord{PartnerID: it.PartnerID, Customer: domain.Customer{
		TenantID: it.TenantID, Name: it.Name, Association: domain.Association(it.Association),
		Government: it.Government, Affiliated: it.Affiliated,
	}, Meta: it.meta()}
}

// GetCustomer reads one customer: 1 GetItem.
func (s *Store) GetCustomer(ctx context.Context, pid, tenantID string) (CustomerRecord, error) {
	it, err := getItem[customerItem](ctx, s, partnerPK(pid), customerSK(tenantID))
	if err != nil {
		return CustomerRecord{}, err
	}
	return it.record(), nil
}

// PutCustomer creates or replaces a customer.
func (s *Store) PutCustomer(ctx context.Context, pid string, c domain.Customer, pre Precondition) (CustomerRecord, bool, error) {
	var it customerItem
	meta, created, err := putVersioned(ctx, s, partnerPK(pid), customerSK(c.TenantID), typeCustomer, pre, func(h head) any {
		it = customerItem{head: h, PartnerID: pid, TenantID: c.TenantID, Name: c.Name, Association: string(c.Association), Government: c.Government, Affiliated: c.Affiliated}
		return it
	})
	if err != nil {
		return CustomerRecord{}, false, err
	}
	rec := it.record()
	rec.Meta = meta
	return rec, created, nil
}

// ListCustomers pages through the partner's customers in tenant id order: 1 Query a page.
func (s *Store) ListCustomers(ctx context.Context, pid string, limit int, cursor string) (Page[CustomerRecord], error) {
	page, err := runQuery[customerItem](ctx, s, query{pk: partnerPK(pid), prefix: prefixCustomer}, limit, cursor)
	return mapPage(page, customerItem.record), err
}

// maxBatchGet is DynamoDB's limit of keys in one BatchGetItem.
const maxBatchGet = 100

// KnownCustomers says which of the tenant ids are the partner's customers:
// ⌈len/100⌉ BatchGetItem calls, plus retries of unprocessed keys.
func (s *Store) KnownCustomers(ctx context.Context, pid string, tenantIDs []string) (map[string]bool, error) {
	known := make(map[string]bool, len(tenantIDs))
	for start := 0; start < len(tenantIDs); start += maxBatchGet {
		chunk := tenantIDs[start:min(start+maxBatchGet, len(tenantIDs))]
		keys := make([]map[string]types.AttributeValue, 0, len(chunk))
		for _, t := range chunk {
			keys = append(keys, key(partnerPK(pid), customerSK(t)))
		}
		items, err := s.batchGet(ctx, keys)
		if err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		for _, it := range items {
			if v, ok := it["tenantId"].(*types.AttributeValueMemberS); ok {
				known[v.Value] = true
			}
		}
	}
	return known, nil
}

// backoff waits before a retry (unprocessed batch items, a lost version
// race): exponential from 25 ms with full jitter, so that racing writers
// spread out, capped at 2 s; it gives up after 8 attempts.
func backoff(ctx context.Context, attempt int) error {
	if attempt > 8 {
		return fmt.Errorf("gave up after %d attempts", attempt)
	}
	d := min(25*time.Millisecond<<attempt, 2*time.Second)
	d = d/2 + rand.N(d/2)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
