package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
)

// ConsumptionRecord is a stored month of ACR.
type ConsumptionRecord struct {
	domain.ConsumptionRecord
	UpdatedAt string
}

type consumptionItem struct {
	head
	TenantID      string `dynamodbav:"tenantId"`
	Month         string `dynamodbav:"month"`
	ServiceLevel2 string `dynamodbav:"serviceLevel2"`
	ServiceGroup  string `dynamodbav:"serviceGroup"`
	Offer         string `dynamodbav:"offer"`
	ACRCents      int64  `dynamodbav:"acrCents"`
}

func (it consumptionItem) record() ConsumptionRecord {
	m, _ := domain.ParseMonth(it.Month)
	return ConsumptionRecord{ConsumptionRecord: domain.ConsumptionRecord{
		TenantID: it.TenantID, Month: m, ServiceLevel2: it.ServiceLevel2, ServiceGroup: it.ServiceGroup,
		Offer: domain.Offer(it.Offer), ACR: domain.Cents(it.ACRCents),
	}, UpdatedAt: it.UpdatedAt}
}

// maxBatchWrite is DynamoDB's limit of items in one BatchWriteItem.
const maxBatchWrite = 25

// UpsertConsumption writes records keyed by (month, tenant, service, offer),
// replacing what was there: ⌈len/25⌉ BatchWriteItem calls plus retries of
// unprocessed items. Records must be valid and distinct (the caller checks).
// A batch is not a transaction (1,000 records would need 10 of them), but it
// is idempotent: a client that gets an error sends the same records again.
func (s *Store) UpsertConsumption(ctx context.Context, pid string, recs []domain.ConsumptionRecord) error {
	now := timestamp(s.now())
	for start := 0; start < len(recs); start += maxBatchWrite {
		chunk := recs[start:min(start+maxBatchWrite, len(recs))]
		writes := make([]types.WriteRequest, 0, len(chunk))
		for _, r := range chunk {
			item, err := attributevalue.MarshalMap(consumptionItem{
				head:     head{PK: consumptionPK(pid), SK: r.Key(), Type: typeConsumption, Version: 1, CreatedAt: now, UpdatedAt: now},
				TenantID: r.TenantID, Month: r.Month.String(), ServiceLevel2: r.ServiceLevel2,
				ServiceGroup: r.ServiceGroup, Offer: string(r.Offer), ACRCents: int64(r.ACR),
			})
			if err != nil {
				return fmt.Errorf("encode consumption: %w", err)
			}
			writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
		req := map[string][]types.WriteRequest{s.table: writes}
		for attempt := 0; len(req) > 0; attempt++ {
			if attempt > 0 {
				if err := backoff(ctx, attempt); err != nil {
					return err
				}
			}
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: req})
			if err != nil {
				return fmt.Errorf("batch write consumption: %w", err)
			}
			req = out.UnprocessedItems
		}
	}
	return nil
}

// ConsumptionFilter narrows a consumption listing; TenantID needs Month
// because the sort key is month first.
type ConsumptionFilter struct {
	Month    *domain.Month
	TenantID string
}

// ListConsumption pages through records in (month, tenant, service, offer) order: 1 Query a page.
func (s *Store) ListConsumption(ctx context.Context, pid string, f ConsumptionFilter, limit int, cursor string) (Page[ConsumptionRecord], error) {
	q := query{pk: consumptionPK(pid)}
	if f.Month != nil {
		q.prefix = f.Month.String() + "#"
		if f.TenantID != "" {
			q.prefix += f.TenantID + "#"
		}
	}
	page, err := runQuery[consumptionItem](ctx, s, q, limit, cursor)
	return mapPage(page, consumptionItem.record), err
}
