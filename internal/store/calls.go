package store

import (
	"context"
	"sync/atomic"

	"github.com/aws/smithy-go/middleware"
)

// Calls counts DynamoDB API calls made with a context, so that a request's
// cost can be logged and the budgets ("GET partner: exactly 1 call") tested.
// Retries of one call are not counted again: it is the Initialize step.
type Calls struct{ n atomic.Int64 }

func (c *Calls) Load() int64 { return c.n.Load() }

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
			if c := CallsFrom(ctx); c != nil {
				c.n.Add(1)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}
