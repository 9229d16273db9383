package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/domain"
)

// head is what every item carries (DESIGN: type, version, timestamps).
type head struct {
	PK        string
	SK        string
	GSI1PK    string
	GSI1SK    string
	Type      string
	Version   int64
	CreatedAt string
	UpdatedAt string
	// WriteID marks who wrote this version. The SDK retries a conditional
	// write whose answer was lost; the retry then fails its own condition,
	// and the writer tells "someone else won" from "my first try landed" by
	// reading its WriteID back (writeVersioned, wroteIt).
	WriteID string
}

func newWriteID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// NewID is a UUIDv7 (RFC 9562) for ids the server makes (evidence, request
// ids): time-ordered, so they sort by creation, and random past the
// millisecond. Within a process ids are strictly increasing (RFC 9562's
// method 1, a 12-bit counter in rand_a): evidence filed in one millisecond
// lists in the order it was filed, and a clock that steps back does not
// reorder it.
func NewID(t time.Time) string {
	ms, seq := idClock.next(uint64(t.UnixMilli()))
	var b [16]byte
	_, _ = rand.Read(b[8:])
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = 0x70 | byte(seq>>8)
	b[7] = byte(seq)
	b[8] = 0x80 | b[8]&0x3f
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ValidID: the form NewID makes (8-4-4-4-12 lower-case hex), so that an
// id from a path can become part of a key.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f'):
			return false
		}
	}
	return true
}

// idClock is the last (millisecond, counter) NewID used.
var idClock idCounter

type idCounter struct {
	sync.Mutex
	ms, seq uint64
}

func (c *idCounter) next(ms uint64) (uint64, uint64) {
	c.Lock()
	defer c.Unlock()
	switch {
	case ms > c.ms:
		c.ms, c.seq = ms, 0
	case c.seq < 0xfff:
		c.seq++
	default: // 4,096 ids in one millisecond: borrow the next one
		c.ms, c.seq = c.ms+1, 0
	}
	return c.ms, c.seq
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
func getItem[T any, P decodes[T]](ctx context.Context, s *Store, pk, sk string) (T, error) {
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
	if v, err = decode[T, P](out.Item); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", pk, sk, err)
	}
	return v, nil
}

// Page is one page of a list and the cursor to the next ("" when none).
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// queryGSI1 pages through one GSI1 partition (the only list still kept as
// separate items: partners). It asks for limit+1 items so that the last page
// says so, with no extra call.
func queryGSI1[T any, P decodes[T]](ctx context.Context, s *Store, pk string, limit int, cursor string) (Page[T], error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if cursor != "" {
		start, err := decodeGSI1Cursor(cursor, pk)
		if err != nil {
			return Page[T]{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return Page[T]{}, fmt.Errorf("query %s: %w", pk, err)
	}
	items, next := cutPage(out, limit, encodeGSI1Cursor)
	return itemPage[T, P](items, next, pk, func(v T) (T, error) { return v, nil })
}

// Drain hands each item of a list of what is due to each, once: what is
// handled leaves what is due, so after a page that handed something the
// list is read from the start again (what comes first is what is left);
// items that stay due (they failed, or changed meanwhile) are not handed
// again, and a page of nothing but those is read past. each returns false
// to stop.
func Drain[T any, K comparable](read func(cursor string) (Page[T], error), id func(T) K, each func(T) bool) error {
	seen := map[K]bool{}
	cursor := ""
	for {
		page, err := read(cursor)
		if err != nil {
			return err
		}
		fresh := 0
		for _, it := range page.Items {
			if k := id(it); !seen[k] {
				seen[k], fresh = true, fresh+1
				if !each(it) {
					return nil
				}
			}
		}
		switch {
		case page.NextCursor == "":
			return nil
		case fresh == 0:
			cursor = page.NextCursor // all of it handed already: read past it
		default:
			cursor = ""
		}
	}
}

// itemPage decodes a page's items as T and makes each an R.
func itemPage[T any, P decodes[T], R any](items []map[string]types.AttributeValue, next, what string, conv func(T) (R, error)) (Page[R], error) {
	page := Page[R]{NextCursor: next, Items: make([]R, 0, len(items))}
	for _, raw := range items {
		it, err := decode[T, P](raw)
		if err != nil {
			return Page[R]{}, fmt.Errorf("decode %s: %w", what, err)
		}
		r, err := conv(it)
		if err != nil {
			return Page[R]{}, err
		}
		page.Items = append(page.Items, r)
	}
	return page, nil
}

// cutPage cuts the answer to a Query that asked for limit+1 items to a page
// of at most limit and the cursor to the next ("" on the last page): the
// extra item says there is more with no extra call. DynamoDB stopping at
// its 1 MB page (or a filter leaving fewer) makes a short page that is not
// the last.
func cutPage(out *dynamodb.QueryOutput, limit int, cursorOf func(map[string]types.AttributeValue) string) ([]map[string]types.AttributeValue, string) {
	items := out.Items
	switch {
	case len(items) > limit:
		return items[:limit], cursorOf(items[limit-1])
	case len(out.LastEvaluatedKey) > 0 && len(items) > 0:
		return items, cursorOf(items[len(items)-1])
	case len(out.LastEvaluatedKey) > 0:
		return items, cursorOf(out.LastEvaluatedKey)
	}
	return items, ""
}

// A cursor holds only the sort keys of the last item: the partition comes from
// the request (the caller's partner), so a cursor can never open another
// partner's data. It is opaque to clients: base64url of JSON.
type cursorBody struct {
	SK     string `json:"s"`
	GSI1SK string `json:"g,omitempty"`
}

func encodeGSI1Cursor(item map[string]types.AttributeValue) string {
	return encodeCursorBody(cursorBody{SK: skOf(item), GSI1SK: strOf(item, attrGSI1SK)})
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

// decodeGSI1Cursor rebuilds the start key of a partners page; the table key
// of such an item is the partner's profile, so PK follows from GSI1SK.
func decodeGSI1Cursor(s, pk string) (map[string]types.AttributeValue, error) {
	c, err := decodeCursorBody(s)
	// The partner id becomes a key: one that is not an id could make a key
	// DynamoDB refuses (a 500), not just an empty page.
	if err != nil || !domain.ValidPartnerID(c.GSI1SK) || c.SK != skProfile {
		return nil, ErrInvalidCursor
	}
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	return map[string]types.AttributeValue{attrGSI1PK: sv(pk), attrGSI1SK: sv(c.GSI1SK), attrPK: sv(partnerPK(c.GSI1SK)), attrSK: sv(c.SK)}, nil
}
