package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// IdempotentResponse is what a POST answered the first time, kept to replay it.
type IdempotentResponse struct {
	RequestHash string
	Completed   bool
	Status      int
	Header      map[string]string
	Body        []byte
	ExpiresAt   int64
	LeaseUntil  int64 // while not Completed
}

type idempotencyItem struct {
	head
	IdempotentResponse
}

func (it *idempotencyItem) attrs() attrs {
	m := attrs{
		"requestHash": sAttr(it.RequestHash), "completed": &types.AttributeValueMemberBOOL{Value: it.Completed},
		"status": nAttr(int64(it.Status)), attrTTL: nAttr(it.ExpiresAt), "leaseUntil": nAttr(it.LeaseUntil),
	}
	if len(it.Header) > 0 {
		h := make(attrs, len(it.Header))
		for k, v := range it.Header {
			h[k] = sAttr(v)
		}
		m["header"] = &types.AttributeValueMemberM{Value: h}
	}
	if len(it.Body) > 0 {
		m["body"] = bAttr(it.Body)
	}
	it.head.putAttrs(m)
	return m
}

func (it *idempotencyItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.RequestHash, it.Completed, it.Status = r.str("requestHash"), r.boolean("completed"), int(r.num("status"))
	it.Header, it.Body = r.strings("header"), r.bin("body")
	it.ExpiresAt, it.LeaseUntil = r.num(attrTTL), r.num("leaseUntil")
}

// IdempotencyLease is how long a claim stays "in progress" without being
// completed: longer than any request may run (a function times out at 10 s),
// so a claim left behind by a crashed or timed-out request frees itself.
const IdempotencyLease = 30 * time.Second

// ClaimIdempotencyKey reserves scope for a request whose body hashes to hash.
// It returns nil when the caller now owns the key, or what is stored under it
// (in progress, or completed) when another request got there first. An
// expired record, or an uncompleted claim past its lease, counts as absent:
// DynamoDB's TTL deletes lazily, so both are checked here.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, scope, hash string, ttl time.Duration) (*IdempotentResponse, error) {
	for attempt := 0; ; attempt++ {
		now := s.now()
		it := idempotencyItem{
			head:               head{PK: idempotencyPK(scope), SK: skIdempotency, Type: typeIdempotency, Version: 1, CreatedAt: timestamp(now), UpdatedAt: timestamp(now), WriteID: newWriteID()},
			IdempotentResponse: IdempotentResponse{RequestHash: hash, ExpiresAt: now.Add(ttl).Unix(), LeaseUntil: now.Add(IdempotencyLease).Unix()},
		}
		nowN := &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}
		_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:                 aws.String(s.table),
			Item:                      it.attrs(),
			ConditionExpression:       aws.String("attribute_not_exists(PK) OR #ttl < :now OR (completed = :false AND leaseUntil < :now)"),
			ExpressionAttributeNames:  map[string]string{"#ttl": attrTTL},
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": nowN, ":false": &types.AttributeValueMemberBOOL{Value: false}},
		})
		if err == nil {
			return nil, nil
		}
		if !isConditionFailed(err) {
			return nil, fmt.Errorf("claim idempotency key: %w", err)
		}
		held, err := getItem[idempotencyItem](ctx, s, idempotencyPK(scope), skIdempotency)
		switch {
		case err == nil && held.WriteID == it.WriteID:
			return nil, nil // our first try landed; the SDK's retry met it
		case err == nil:
			return &held.IdempotentResponse, nil
		case err != ErrNotFound || attempt > 0:
			return nil, err
		}
		// Expired and deleted between the two calls: claim it once more.
	}
}

// CompleteIdempotencyKey stores the response to replay until the claim expires.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, scope string, resp IdempotentResponse, ttl time.Duration) error {
	now := timestamp(s.now())
	resp.Completed = true
	resp.ExpiresAt = s.now().Add(ttl).Unix()
	it := idempotencyItem{
		head:               head{PK: idempotencyPK(scope), SK: skIdempotency, Type: typeIdempotency, Version: 2, CreatedAt: now, UpdatedAt: now},
		IdempotentResponse: resp,
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: it.attrs()})
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a claim whose request failed on our side, so the client may retry it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, scope string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: key(idempotencyPK(scope), skIdempotency)})
	if err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}
