package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Every change to the table's data goes through writeVersioned: read the
// items, decide, and write them back whole (never UpdateItem REMOVE, which
// minidyn ignores), each on the condition that it is still at the version
// read. A writer that loses that race reads again and decides again, so the
// caller's precondition is judged on what is really there: with If-Match
// exactly one of many racing writers wins and the others get a 412; without
// one, every writer lands in turn (the last writer wins).

// versioned is an item with the head writeVersioned stamps (every item type
// embeds head, whose pointer method versionedHead is), in DynamoDB's form.
type versioned interface {
	versionedHead() *head
	attrs() attrs
}

func (h *head) versionedHead() *head { return h }

// write is one item of a change and the version it was decided on (0: the
// item must not exist yet). An item the change did not read is written
// blind, made safe by the conditions on the other items of its
// transaction, or unless what is there matches a condition of its own.
type write struct {
	item   versioned
	read   int64
	blind  bool
	unless string // a condition on the item there that refuses the write
	when   string // a condition the item there must meet instead of its version
	values attrs  // the values unless or when names
}

// attempt reads what a change depends on and decides it: the items to write,
// or an error that ends the change (a failed precondition, not found, a
// value the store cannot hold). It runs again after every lost race.
type attempt func(ctx context.Context) ([]write, error)

// DefaultWriteBudget is how long a change may keep losing races before it
// gives up with ErrBusy (a 503 with Retry-After): within the function's 10 s
// timeout, and shortened by the request's own deadline. On DynamoDB a round
// of 50 racing writers takes tens of milliseconds.
const (
	DefaultWriteBudget = 5 * time.Second
	writeDeadlineRoom  = time.Second
)

// Backoff between attempts: exponential from 5 ms to 200 ms, half of each
// wait random, so that racing writers spread out instead of colliding again.
const (
	backoffBase = 5 * time.Millisecond
	backoffCap  = 200 * time.Millisecond
)

// writeVersioned runs decide and writes its items (one PutItem, or one
// TransactWriteItems for several, so they land together or not at all)
// until the write lands, decide refuses, or the budget is spent. A write
// whose answer was lost, and which the SDK's retry then found already done,
// is recognised by its writeId and counts as landed.
func (s *Store) writeVersioned(ctx context.Context, decide attempt) error {
	// Real time, not the store's clock (which stamps items and may be a
	// test's fixed or shifted one): the budget is about waiting.
	deadline := time.Now().Add(s.writeBudget)
	if d, ok := ctx.Deadline(); ok && d.Add(-writeDeadlineRoom).Before(deadline) {
		deadline = d.Add(-writeDeadlineRoom)
	}
	for try := 0; ; try++ {
		writes, err := decide(ctx)
		if err != nil {
			return err
		}
		if len(writes) == 0 {
			return nil
		}
		id, now := newWriteID(), timestamp(s.now())
		for _, w := range writes {
			h := w.item.versionedHead()
			h.Version, h.UpdatedAt, h.WriteID = w.read+1, now, id
			if h.CreatedAt == "" || w.read == 0 {
				h.CreatedAt = now
			}
		}
		err = s.putVersioned(ctx, writes, id)
		if err == nil {
			return nil
		}
		if !lostRace(err) {
			return err
		}
		if h := writes[0].item.versionedHead(); s.wroteIt(ctx, h.PK, h.SK, id) {
			return nil
		}
		wait := backoff(try)
		if time.Now().Add(wait).After(deadline) {
			return ErrBusy
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// putVersioned writes the items, each on the condition of its version. A
// transaction carries the write's id as its ClientRequestToken, so that
// the SDK's retry of one whose answer was lost is the same request to
// DynamoDB, which answers it as done.
func (s *Store) putVersioned(ctx context.Context, writes []write, id string) error {
	puts := make([]*types.Put, len(writes))
	for i, w := range writes {
		puts[i] = &types.Put{TableName: aws.String(s.table), Item: w.item.attrs(), ConditionExpression: aws.String("attribute_not_exists(PK)")}
		switch {
		case w.blind:
			puts[i].ConditionExpression = nil
		case w.unless != "":
			puts[i].ConditionExpression = aws.String("attribute_not_exists(PK) OR NOT (" + w.unless + ")")
			puts[i].ExpressionAttributeValues = w.values
		case w.when != "":
			puts[i].ConditionExpression = aws.String(w.when)
			puts[i].ExpressionAttributeValues = w.values
		case w.read > 0:
			puts[i].ConditionExpression = aws.String("version = :v")
			puts[i].ExpressionAttributeValues = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: fmt.Sprint(w.read)}}
		}
	}
	if len(puts) == 1 {
		p := puts[0]
		_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: p.TableName, Item: p.Item,
			ConditionExpression: p.ConditionExpression, ExpressionAttributeValues: p.ExpressionAttributeValues})
		if err != nil {
			return fmt.Errorf("put %s: %w", writes[0].item.versionedHead().SK, err)
		}
		return nil
	}
	items := make([]types.TransactWriteItem, len(puts))
	for i, p := range puts {
		items[i] = types.TransactWriteItem{Put: p}
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ClientRequestToken: aws.String(id)}); err != nil {
		return fmt.Errorf("write %d items: %w", len(items), err)
	}
	return nil
}

// lostRace: another writer changed an item between our read and our write
// (or our own first try did, and its answer was lost).
func lostRace(err error) bool {
	if isConditionFailed(err) {
		return true
	}
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) {
		return false
	}
	for _, r := range canceled.CancellationReasons {
		if c := aws.ToString(r.Code); c == "ConditionalCheckFailed" || c == "TransactionConflict" {
			return true
		}
	}
	return false
}

// wroteIt reports whether the item now carries writeID: the first try of a
// write landed and only its answer was lost. A transaction's items share
// one writeID and land together, so its first item tells for all.
func (s *Store) wroteIt(ctx context.Context, pk, sk, writeID string) bool {
	// Only the writeId: the item may be a roster or a month of 350 KB.
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table), Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("writeId"),
	})
	if err != nil {
		return false
	}
	r := attrReader{m: out.Item}
	return r.str("writeId") == writeID && r.err == nil
}

// Holds reports whether the caller's precondition holds for the resource
// as read: whether it exists, and at which version.
func (p Precondition) Holds(exists bool, version int64) bool {
	switch {
	case p.IfNoneMatchAny && exists,
		p.IfMatchAny && !exists,
		p.IfMatch != nil && (!exists || !slices.Contains(p.IfMatch, version)),
		exists && slices.Contains(p.IfNoneMatch, version):
		return false
	}
	return true
}

// backoff is the wait before retry number try+1 (lost races, unprocessed
// batch keys).
func backoff(try int) time.Duration {
	d := min(backoffBase<<min(try, 10), backoffCap)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
