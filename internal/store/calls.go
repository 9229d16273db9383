package store

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// Calls counts DynamoDB API calls made with a context, the time spent in
// them, and what the reads among them read, so that a request's cost can be
// logged, the budgets ("GET partner: exactly 1 call") tested, and handler
// overhead measured without the store. Retries of one call are not counted
// again: it is the Initialize step.
type Calls struct {
	n  atomic.Int64
	ns atomic.Int64

	mu            sync.Mutex
	byOp          map[string]int64
	readBytes     int64
	readUnits     float64
	consumedUnits float64
}

// ByOperation is the number of calls of each DynamoDB operation, by name ("TransactWriteItems").
func (c *Calls) ByOperation() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.byOp)
}

// Load is the number of calls made.
func (c *Calls) Load() int64 { return c.n.Load() }

// Time is the wall time spent inside DynamoDB calls (sequential calls add up).
func (c *Calls) Time() time.Duration { return time.Duration(c.ns.Load()) }

// ReadBytes is the size of the items the reads (GetItem, BatchGetItem,
// Query) returned, as DynamoDB sizes an item (itemSize).
func (c *Calls) ReadBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readBytes
}

// ReadUnits is the read capacity those reads cost by DynamoDB's pricing
// rules, from the items' sizes (readUnits): the same on every engine.
func (c *Calls) ReadUnits() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readUnits
}

// ConsumedReadUnits is the read capacity the engine reported consuming
// (ReturnConsumedCapacity TOTAL): DynamoDB's own figure, which ReadUnits
// should equal; 0 from an engine that reports none (minidyn). moto reports
// a unit a key or a call, whatever the size.
func (c *Calls) ConsumedReadUnits() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.consumedUnits
}

type callsKey struct{}

// WithCalls returns a context whose DynamoDB calls are counted in the returned Calls.
func WithCalls(ctx context.Context) (context.Context, *Calls) {
	c := &Calls{}
	return context.WithValue(ctx, callsKey{}, c), c
}

// CallsFrom returns the counter of ctx, or nil.
func CallsFrom(ctx context.Context) *Calls {
	c, _ := ctx.Value(callsKey{}).(*Calls)
	return c
}

func countCalls(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("partnerreadyCountCalls",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			c := CallsFrom(ctx)
			if c == nil {
				return next.HandleInitialize(ctx, in)
			}
			c.n.Add(1)
			c.mu.Lock()
			if c.byOp == nil {
				c.byOp = map[string]int64{}
			}
			c.byOp[middleware.GetOperationName(ctx)]++
			c.mu.Unlock()
			askConsumedCapacity(in.Parameters)
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			c.ns.Add(int64(time.Since(start)))
			if err == nil {
				c.countRead(in.Parameters, out.Result)
			}
			return out, md, err
		}), middleware.Before)
}

// askConsumedCapacity asks reads to report the capacity they consumed: a
// flag on the request and a few bytes in the answer.
func askConsumedCapacity(params any) {
	total := types.ReturnConsumedCapacityTotal
	switch in := params.(type) {
	case *dynamodb.GetItemInput:
		if in.ReturnConsumedCapacity == "" {
			in.ReturnConsumedCapacity = total
		}
	case *dynamodb.BatchGetItemInput:
		if in.ReturnConsumedCapacity == "" {
			in.ReturnConsumedCapacity = total
		}
	case *dynamodb.QueryInput:
		if in.ReturnConsumedCapacity == "" {
			in.ReturnConsumedCapacity = total
		}
	}
}

// countRead adds what one read returned. DynamoDB prices reads in units of
// 4 KB: GetItem and each item of a BatchGetItem round their own item up, a
// key with no item still costing a unit, and a Query rounds up the sum of
// what it returned; a strongly consistent read costs a unit a 4 KB, an
// eventually consistent one (every GSI Query) half of that.
func (c *Calls) countRead(params, result any) {
	var bytes int64
	var units, consumed float64
	add := func(cc *types.ConsumedCapacity) {
		if cc != nil && cc.CapacityUnits != nil {
			consumed += *cc.CapacityUnits
		}
	}
	switch out := result.(type) {
	case *dynamodb.GetItemOutput:
		in, _ := params.(*dynamodb.GetItemInput)
		size := itemSize(out.Item)
		bytes, units = size, readUnits(size, in != nil && in.ConsistentRead != nil && *in.ConsistentRead)
		add(out.ConsumedCapacity)
	case *dynamodb.BatchGetItemOutput:
		in, _ := params.(*dynamodb.BatchGetItemInput)
		if in == nil {
			return
		}
		for table, req := range in.RequestItems {
			strong := req.ConsistentRead != nil && *req.ConsistentRead
			items := out.Responses[table]
			for _, it := range items {
				size := itemSize(it)
				bytes += size
				units += readUnits(size, strong)
			}
			absent := len(req.Keys) - len(items) - len(out.UnprocessedKeys[table].Keys)
			units += float64(max(absent, 0)) * readUnits(0, strong)
		}
		for i := range out.ConsumedCapacity {
			add(&out.ConsumedCapacity[i])
		}
	case *dynamodb.QueryOutput:
		in, _ := params.(*dynamodb.QueryInput)
		for _, it := range out.Items {
			bytes += itemSize(it)
		}
		units = readUnits(bytes, in != nil && in.ConsistentRead != nil && *in.ConsistentRead)
		add(out.ConsumedCapacity)
	default:
		return
	}
	c.mu.Lock()
	c.readBytes += bytes
	c.readUnits += units
	c.consumedUnits += consumed
	c.mu.Unlock()
}

// readUnits is what a read of size bytes costs: a unit a 4 KB or part of
// it, at least one, halved for an eventually consistent read.
func readUnits(size int64, strong bool) float64 {
	u := float64(max(1, (size+4095)/4096))
	if !strong {
		u /= 2
	}
	return u
}

// itemSize is an item's size as DynamoDB counts it for capacity and its
// 400 KB limit: each attribute's name and value, strings in UTF-8 bytes,
// binaries in bytes, a number a byte per two significant digits and one
// more, a boolean or null one byte, a list or map 3 bytes and one a member.
func itemSize(item map[string]types.AttributeValue) int64 {
	var n int64
	for name, v := range item {
		n += int64(len(name)) + valueSize(v)
	}
	return n
}

func valueSize(v types.AttributeValue) int64 {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return int64(len(v.Value))
	case *types.AttributeValueMemberB:
		return int64(len(v.Value))
	case *types.AttributeValueMemberN:
		return numberSize(v.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberSS:
		var n int64
		for _, s := range v.Value {
			n += int64(len(s))
		}
		return n
	case *types.AttributeValueMemberNS:
		var n int64
		for _, s := range v.Value {
			n += numberSize(s)
		}
		return n
	case *types.AttributeValueMemberBS:
		var n int64
		for _, b := range v.Value {
			n += int64(len(b))
		}
		return n
	case *types.AttributeValueMemberL:
		n := int64(3)
		for _, e := range v.Value {
			n += 1 + valueSize(e)
		}
		return n
	case *types.AttributeValueMemberM:
		return 3 + int64(len(v.Value)) + itemSize(v.Value)
	}
	return 0
}

// numberSize: a number's significant digits (no sign, point, or leading
// and trailing zeros), a byte for two of them, and one byte more.
func numberSize(s string) int64 {
	first, last, n := -1, -1, 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			if r != '0' {
				if first < 0 {
					first = n
				}
				last = n
			}
			n++
		}
	}
	digits := 0
	if first >= 0 {
		digits = last - first + 1
	}
	return int64(digits+1)/2 + 1
}
