package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
)

// A partner's consumption is stored one item per month, every record of the
// month in it, compressed. Scoring reads 14 months in one BatchGetItem
// whatever the partner's size, and a batch of records is written in one
// versioned write: all of it or none.
const (
	// MaxRecordsPerMonth bounds one partner-month so its item stays well
	// inside DynamoDB's 400 KB (1,000 customers × 8 services × 2 offers is 16,000).
	MaxRecordsPerMonth = 20_000
	// MaxMonthsPerBatch: one transaction holds at most 100 items, and one
	// BatchGetItem 100 keys, the partner's profile and 99 months.
	MaxMonthsPerBatch = 99
	// maxTransactionBytes keeps a batch's rewritten months under DynamoDB's
	// 4 MB a transaction (neither minidyn nor moto enforces it; AWS does).
	maxTransactionBytes = 3_500_000
)

// MonthTooLargeError says a batch would take a month past MaxRecordsPerMonth.
type MonthTooLargeError struct {
	Month   domain.Month
	Records int
}

func (e *MonthTooLargeError) Error() string {
	return fmt.Sprintf("%s would hold %d consumption records; at most %d a month", e.Month, e.Records, MaxRecordsPerMonth)
}

type monthItem struct {
	head
	Month   string
	Count   int
	Records []byte // monthcodec.go
}

func (it *monthItem) attrs() attrs {
	m := attrs{"month": sAttr(it.Month), "count": nAttr(int64(it.Count)), "records": bAttr(it.Records)}
	it.head.putAttrs(m)
	return m
}

func (it *monthItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.Month, it.Count, it.Records = r.str("month"), int(r.num("count")), r.bin("records")
}

// loadedMonth is a month item as read, with its records.
type loadedMonth struct {
	month     domain.Month
	version   int64
	createdAt string
	updatedAt string
	data      monthData
}

func (m loadedMonth) records() []domain.ConsumptionRecord { return m.data.records(m.month) }

func decodeMonthItem(raw map[string]types.AttributeValue, dict *monthDict) (loadedMonth, error) {
	it, err := decode[monthItem](raw)
	if err != nil {
		return loadedMonth{}, fmt.Errorf("decode consumption month: %w", err)
	}
	m, err := domain.ParseMonth(it.Month)
	if err != nil {
		return loadedMonth{}, fmt.Errorf("consumption month %q: %w", it.Month, err)
	}
	data, err := decodeMonthData(it.Records, dict, it.Count)
	if err != nil {
		return loadedMonth{}, fmt.Errorf("decode consumption %s: %w", m, err)
	}
	return loadedMonth{month: m, version: it.Version, createdAt: it.CreatedAt, updatedAt: it.UpdatedAt, data: data}, nil
}

// getMonths reads the given months of a partner, and its profile with them:
// a partner without one has no consumption (ErrNoPartner). ⌈(len+1)/100⌉
// BatchGetItem calls (plus retries of unprocessed keys); 1 for the at most
// MaxMonthsPerBatch months of a batch. Months without data are absent.
func (s *Store) getMonths(ctx context.Context, pid string, months []domain.Month) (map[domain.Month]loadedMonth, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(months)+1)
	keys = append(keys, key(partnerPK(pid), skProfile))
	for _, m := range months {
		keys = append(keys, key(partnerPK(pid), consumptionSK(m)))
	}
	out := make(map[domain.Month]loadedMonth, len(months))
	dict := newMonthDict()
	profile := false
	for start := 0; start < len(keys); start += maxBatchGet {
		items, err := s.batchGet(ctx, keys[start:min(start+maxBatchGet, len(keys))])
		if err != nil {
			return nil, err
		}
		for _, raw := range items {
			if skOf(raw) == skProfile {
				profile = true
				continue
			}
			lm, err := decodeMonthItem(raw, dict)
			if err != nil {
				return nil, err
			}
			out[lm.month] = lm
		}
	}
	if !profile {
		return nil, ErrNoPartner
	}
	return out, nil
}

// maxBatchGet is DynamoDB's limit of keys in one BatchGetItem; unprocessed
// keys (throttling) are asked for again up to maxBatchGetTries times in all.
const (
	maxBatchGet      = 100
	maxBatchGetTries = 8
)

// batchGet reads up to 100 keys strongly consistently, retrying unprocessed keys.
func (s *Store) batchGet(ctx context.Context, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	req := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	var items []map[string]types.AttributeValue
	for try := 0; len(req) > 0; try++ {
		if try > 0 {
			if try == maxBatchGetTries {
				return nil, fmt.Errorf("batch get: keys still unprocessed after %d tries", try)
			}
			if err := sleep(ctx, backoff(try)); err != nil {
				return nil, err
			}
		}
		out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, fmt.Errorf("batch get: %w", err)
		}
		items = append(items, out.Responses[s.table]...)
		req = out.UnprocessedKeys
	}
	return items, nil
}

// UpsertConsumption writes records keyed by (month, tenant, service, offer),
// replacing what was there. Every month the batch touches is rewritten under
// version conditions in one write (writeVersioned: a PutItem for one month, a
// TransactWriteItems for more), so a batch lands whole or not at all; a
// concurrent writer to the same month makes it read again and merge again.
// Cost: 1 BatchGetItem + 1 write (per lost race). Records must be valid and
// distinct, over at most MaxMonthsPerBatch months (the caller checks).
func (s *Store) UpsertConsumption(ctx context.Context, pid string, recs []domain.ConsumptionRecord) error {
	byMonth := map[domain.Month][]domain.ConsumptionRecord{}
	for _, r := range recs {
		byMonth[r.Month] = append(byMonth[r.Month], r)
	}
	return s.rewriteMonths(ctx, pid, byMonth, func(cur, add []domain.ConsumptionRecord) ([]domain.ConsumptionRecord, bool) {
		return mergeRecords(cur, add), true
	})
}

// DeleteConsumption removes the records with the keys of keys (their ACR
// and service group are ignored) and returns how many were there. Like an
// upsert: 1 BatchGetItem + 1 write, all months or none.
func (s *Store) DeleteConsumption(ctx context.Context, pid string, keys []domain.ConsumptionRecord) (int, error) {
	byMonth := map[domain.Month][]domain.ConsumptionRecord{}
	for _, k := range keys {
		byMonth[k.Month] = append(byMonth[k.Month], k)
	}
	deleted := map[domain.Month]int{} // per month, as of the attempt that landed
	err := s.rewriteMonths(ctx, pid, byMonth, func(cur, gone []domain.ConsumptionRecord) ([]domain.ConsumptionRecord, bool) {
		drop := make(map[string]bool, len(gone))
		for _, k := range gone {
			drop[k.Key()] = true
		}
		n := len(cur)
		kept := slices.DeleteFunc(cur, func(r domain.ConsumptionRecord) bool { return drop[r.Key()] })
		if len(gone) > 0 {
			deleted[gone[0].Month] = n - len(kept)
		}
		return kept, len(kept) < n
	})
	total := 0
	for _, n := range deleted {
		total += n
	}
	return total, err
}

// rewriteMonths replaces each month in changes by what merge makes of its
// current records and the change, all months in one versioned write. A month
// merge leaves unchanged is not written (nor created): deleting what is not
// there writes nothing.
func (s *Store) rewriteMonths(ctx context.Context, pid string, changes map[domain.Month][]domain.ConsumptionRecord,
	merge func(cur, change []domain.ConsumptionRecord) (merged []domain.ConsumptionRecord, changed bool)) error {
	months := slices.SortedFunc(maps.Keys(changes), func(a, b domain.Month) int { return cmp.Compare(a.String(), b.String()) })
	if len(months) > MaxMonthsPerBatch {
		return fmt.Errorf("a batch spans %d months; at most %d", len(months), MaxMonthsPerBatch)
	}
	return s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		current, err := s.getMonths(ctx, pid, months)
		if err != nil {
			return nil, err
		}
		writes := make([]write, 0, len(months))
		size := 0
		for _, m := range months {
			cur := current[m]
			merged, changed := merge(cur.records(), changes[m])
			if !changed {
				continue
			}
			if len(merged) > MaxRecordsPerMonth {
				return nil, &MonthTooLargeError{Month: m, Records: len(merged)}
			}
			data, err := encodeMonth(merged)
			if errors.Is(err, errMonthTooLarge) {
				return nil, &MonthTooLargeError{Month: m, Records: len(merged)}
			}
			if err != nil {
				return nil, fmt.Errorf("encode consumption %s: %w", m, err)
			}
			if size += len(data) + 200; size > maxTransactionBytes {
				return nil, ErrBatchTooLarge
			}
			h := head{PK: partnerPK(pid), SK: consumptionSK(m), Type: typeConsumption, CreatedAt: cur.createdAt}
			writes = append(writes, write{item: &monthItem{head: h, Month: m.String(), Count: len(merged), Records: data}, read: cur.version})
		}
		return writes, nil
	})
}

// mergeRecords upserts add into cur by key and returns them sorted by key.
func mergeRecords(cur, add []domain.ConsumptionRecord) []domain.ConsumptionRecord {
	byKey := make(map[string]int, len(cur)+len(add))
	out := make([]domain.ConsumptionRecord, 0, len(cur)+len(add))
	for _, r := range slices.Concat(cur, add) {
		if i, ok := byKey[r.Key()]; ok {
			out[i] = r
			continue
		}
		byKey[r.Key()] = len(out)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b domain.ConsumptionRecord) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

// ConsumptionRecord is a stored record and when its month last changed.
type ConsumptionRecord struct {
	domain.ConsumptionRecord
	UpdatedAt time.Time
}

// ConsumptionFilter narrows a consumption listing; TenantID needs Month.
type ConsumptionFilter struct {
	Month    *domain.Month
	TenantID string
}

// ListConsumption pages through records in (month, tenant, service, offer)
// order. With a month: 1 BatchGetItem a page (the month and the profile);
// without: 1 Query a page (DynamoDB's 1 MB page holds many compressed
// months; a page that needs more reads on), and 1 GetItem of the profile
// when the first page is empty.
func (s *Store) ListConsumption(ctx context.Context, pid string, f ConsumptionFilter, limit int, cursor string) (Page[ConsumptionRecord], error) {
	var after string
	if cursor != "" {
		k, err := decodeRecordCursor(cursor)
		if err != nil {
			return Page[ConsumptionRecord]{}, err
		}
		after = k
	}
	var page Page[ConsumptionRecord]
	dict := newMonthDict()
	take := func(m loadedMonth) bool {
		for _, r := range m.records() {
			if (f.TenantID != "" && r.TenantID != f.TenantID) || (after != "" && r.Key() <= after) {
				continue
			}
			if len(page.Items) == limit {
				page.NextCursor = encodeRecordCursor(page.Items[limit-1].Key())
				return false
			}
			page.Items = append(page.Items, ConsumptionRecord{ConsumptionRecord: r, UpdatedAt: parseTimestamp(m.updatedAt)})
		}
		return true
	}
	if f.Month != nil {
		if after != "" && !strings.HasPrefix(after, f.Month.String()+"#") {
			return page, ErrInvalidCursor
		}
		months, err := s.getMonths(ctx, pid, []domain.Month{*f.Month})
		if err != nil {
			return page, err
		}
		take(months[*f.Month])
		return page, nil
	}
	from := consumptionSK(domain.Month{})
	if after != "" {
		from = prefixConsumption + after[:7]
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: partnerPK(pid)}, ":from": &types.AttributeValueMemberS{Value: from},
			":to": &types.AttributeValueMemberS{Value: prefixConsumption + "9999"},
		},
		ConsistentRead: aws.Bool(true),
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return page, fmt.Errorf("query consumption: %w", err)
		}
		for _, raw := range out.Items {
			lm, err := decodeMonthItem(raw, dict)
			if err != nil {
				return page, err
			}
			if !take(lm) {
				return page, nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	// Consumption is written only under a profile, so only an empty first
	// page needs the profile read to tell "none yet" from "no partner".
	if len(page.Items) == 0 && cursor == "" {
		if err := s.hasProfile(ctx, pid); err != nil {
			return page, err
		}
	}
	return page, nil
}

func encodeRecordCursor(k string) string {
	return encodeCursorBody(cursorBody{SK: prefixConsumption + k})
}

func decodeRecordCursor(c string) (string, error) {
	b, err := decodeCursorBody(c)
	if err != nil || !strings.HasPrefix(b.SK, prefixConsumption) {
		return "", ErrInvalidCursor
	}
	k := strings.TrimPrefix(b.SK, prefixConsumption)
	if _, err := domain.ParseMonth(k[:min(7, len(k))]); err != nil || len(k) < 8 || k[7] != '#' {
		return "", ErrInvalidCursor
	}
	return k, nil
}
