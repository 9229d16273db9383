package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// head is what every item carries (DESIGN: type, version, timestamps).
type head struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	GSI1PK    string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK    string `dynamodbav:"GSI1SK,omitempty"`
	Type      string `dynamodbav:"type"`
	Version   int64  `dynamodbav:"version"`
	CreatedAt string `dynamodbav:"createdAt"`
	UpdatedAt string `dynamodbav:"updatedAt"`
	// WriteID marks who wrote this version. The SDK retries a conditional
	// write whose answer was lost; the retry then fails its own condition,
	// and the writer tells "someone else won" from "my first try landed" by
	// reading its WriteID back (see wroteIt).
	WriteID string `dynamodbav:"writeId,omitempty"`
}

func newWriteID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (h head) meta() Meta {
	return Meta{Version: h.Version, CreatedAt: parseTimestamp(h.CreatedAt), UpdatedAt: parseTimestamp(h.UpdatedAt)}
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// getItem reads one item strongly consistently: a client that just wrote must read its write.
func getItem[T any](ctx context.Context, s *Store, pk, sk string) (T, error) {
	var v T
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(pk, sk),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return v, fmt.Errorf("get %s %s: %w", pk, sk, err)
	}
	if len(out.Item) == 0 {
		return v, ErrNotFound
	}
	if err := attributevalue.UnmarshalMap(out.Item, &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", pk, sk, err)
	}
	return v, nil
}

// putVersioned writes a whole item (never UpdateItem REMOVE, which minidyn
// ignores) under an optimistic version condition. build receives the head the
// new item must carry. A write that loses a race to another writer is retried
// when the caller set no precondition (last writer wins), and is a 412 when
// the caller did.
func putVersioned(ctx context.Context, s *Store, pk, sk, typ string, pre Precondition, build func(h head) any) (Meta, bool, error) {
	for attempt := 0; ; attempt++ {
		cur, err := getItem[head](ctx, s, pk, sk)
		exists := err == nil
		if err != nil && err != ErrNotFound {
			return Meta{}, false, err
		}
		switch {
		case pre.IfNoneMatch && exists,
			pre.IfMatchAny && !exists,
			pre.IfMatch != nil && (!exists || cur.Version != *pre.IfMatch):
			return Meta{}, false, ErrPreconditionFailed
		}
		now := timestamp(s.now())
		h := head{PK: pk, SK: sk, Type: typ, Version: 1, CreatedAt: now, UpdatedAt: now, WriteID: newWriteID()}
		cond := "attribute_not_exists(PK)"
		values := map[string]types.AttributeValue{}
		if exists {
			h.Version, h.CreatedAt = cur.Version+1, cur.CreatedAt
			cond = "version = :v"
			values[":v"] = &types.AttributeValueMemberN{Value: fmt.Sprint(cur.Version)}
		}
		item, err := attributevalue.MarshalMap(build(h))
		if err != nil {
			return Meta{}, false, fmt.Errorf("encode %s %s: %w", pk, sk, err)
		}
		in := &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String(cond)}
		if len(values) > 0 {
			in.ExpressionAttributeValues = values
		}
		_, err = s.db.PutItem(ctx, in)
		if err == nil {
			return h.meta(), !exists, nil
		}
		if !isConditionFailed(err) {
			return Meta{}, false, fmt.Errorf("put %s %s: %w", pk, sk, err)
		}
		if now, gerr := getItem[head](ctx, s, pk, sk); gerr == nil && now.WriteID == h.WriteID {
			return h.meta(), !exists, nil // our first try landed; the SDK's retry met it
		}
		if pre != (Precondition{}) || attempt == 2 {
			return Meta{}, false, ErrPreconditionFailed
		}
	}
}

// deleteVersioned deletes an existing item, under the caller's If-Match when given.
func deleteVersioned(ctx context.Context, s *Store, pk, sk string, pre Precondition) error {
	in := &dynamodb.DeleteItemInput{
		TableName:           aws.String(s.table),
		Key:                 key(pk, sk),
		ConditionExpression: aws.String("attribute_exists(PK)"),
	}
	if pre.IfMatch != nil {
		in.ConditionExpression = aws.String("attribute_exists(PK) AND version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: fmt.Sprint(*pre.IfMatch)}}
		in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	}
	_, err := s.db.DeleteItem(ctx, in)
	if err == nil {
		return nil
	}
	if !isConditionFailed(err) {
		return fmt.Errorf("delete %s %s: %w", pk, sk, err)
	}
	if pre.IfMatch == nil {
		return ErrNotFound
	}
	// Which condition failed decides 404 or 412; ask rather than guess.
	if _, gerr := getItem[head](ctx, s, pk, sk); gerr == ErrNotFound {
		return ErrNotFound
	}
	return ErrPreconditionFailed
}

// Page is one page of a list and the cursor to the next ("" when none).
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// query is a paginated Query of one partition (or GSI1 partition) under an SK prefix.
// It asks for limit+1 items so that the last page says so, with no extra call.
type query struct {
	index  string // "" for the table
	pk     string
	prefix string
}

func (q query) attrs() (pkAttr, skAttr string) {
	if q.index == IndexGSI1 {
		return attrGSI1PK, attrGSI1SK
	}
	return attrPK, attrSK
}

func runQuery[T any](ctx context.Context, s *Store, q query, limit int, cursor string) (Page[T], error) {
	pkAttr, skAttr := q.attrs()
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :prefix)"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#sk": skAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: q.pk}, ":prefix": &types.AttributeValueMemberS{Value: q.prefix}},
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if q.prefix == "" {
		in.KeyConditionExpression = aws.String("#pk = :pk")
		in.ExpressionAttributeNames = map[string]string{"#pk": pkAttr}
		delete(in.ExpressionAttributeValues, ":prefix")
	}
	if q.index != "" {
		in.IndexName = aws.String(q.index)
	} else {
		in.ConsistentRead = aws.Bool(true)
	}
	if cursor != "" {
		start, err := decodeCursor(cursor, q)
		if err != nil {
			return Page[T]{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return Page[T]{}, fmt.Errorf("query %s %s: %w", q.pk, q.prefix, err)
	}
	items := out.Items
	var page Page[T]
	switch {
	case len(items) > limit:
		items = items[:limit]
		page.NextCursor = encodeCursor(items[limit-1], q)
	case len(out.LastEvaluatedKey) > 0 && len(items) > 0:
		// DynamoDB stopped at its 1 MB page: a short page, but not the last.
		page.NextCursor = encodeCursor(items[len(items)-1], q)
	case len(out.LastEvaluatedKey) > 0:
		page.NextCursor = encodeCursor(out.LastEvaluatedKey, q)
	}
	page.Items = make([]T, 0, len(items))
	for _, it := range items {
		var v T
		if err := attributevalue.UnmarshalMap(it, &v); err != nil {
			return Page[T]{}, fmt.Errorf("decode %s: %w", q.pk, err)
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}

// A cursor holds only the sort keys of the last item: the partition comes from
// the request (the caller's partner), so a cursor can never open another
// partner's data. It is opaque to clients: base64url of JSON.
type cursorBody struct {
	SK     string `json:"s"`
	GSI1SK string `json:"g,omitempty"`
}

func encodeCursor(item map[string]types.AttributeValue, q query) string {
	str := func(a string) string {
		if v, ok := item[a].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	c := cursorBody{SK: str(attrSK)}
	if q.index == IndexGSI1 {
		c.GSI1SK = str(attrGSI1SK)
	}
	return encodeCursorBody(c)
}

func encodeCursorBody(c cursorBody) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursorBody(s string) (cursorBody, error) {
	var c cursorBody
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 2048 {
		return c, ErrInvalidCursor
	}
	if err := json.Unmarshal(b, &c); err != nil || c.SK == "" {
		return c, ErrInvalidCursor
	}
	return c, nil
}

func decodeCursor(s string, q query) (map[string]types.AttributeValue, error) {
	c, err := decodeCursorBody(s)
	if err != nil {
		return nil, err
	}
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	if q.index == IndexGSI1 {
		if !strings.HasPrefix(c.GSI1SK, q.prefix) || c.GSI1SK == "" {
			return nil, ErrInvalidCursor
		}
		// The table key of a GSI item here is the partner's profile: PK is derived from SK's owner.
		return map[string]types.AttributeValue{attrGSI1PK: sv(q.pk), attrGSI1SK: sv(c.GSI1SK), attrPK: sv(partnerPK(c.GSI1SK)), attrSK: sv(c.SK)}, nil
	}
	if !strings.HasPrefix(c.SK, q.prefix) {
		return nil, ErrInvalidCursor
	}
	return map[string]types.AttributeValue{attrPK: sv(q.pk), attrSK: sv(c.SK)}, nil
}
