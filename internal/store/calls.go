package store

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// Calls counts DynamoDB API calls made with a context, and the time spent in
// them, so that a request's cost can be logged, the budgets ("GET partner:
// exactly 1 call") tested, and handler overhead measured without the store.
// Retries of one call are not counted again: it is the Initialize step.
type Calls struct {
	n  atomic.Int64
	ns atomic.Int64

	mu   sync.Mutex
	byOp map[string]int64
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
			start := time.Now()
			defer func() { c.ns.Add(int64(time.Since(start))) }()
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}
