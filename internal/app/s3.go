package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/partnerready/partnerready/internal/blob"
)

// Dispatch is the handler of a function that takes both API Gateway HTTP API
// events (to h, through LambdaHandler) and S3 notifications (to notified):
// the evidence function serves its routes and its bucket's notifications.
// An S3 notification is the event whose top-level object has "Records"; an
// HTTP API event never has that member.
func Dispatch(h http.Handler, notified func(context.Context, events.S3Event) error) func(context.Context, json.RawMessage) (any, error) {
	api := LambdaHandler(h)
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var probe struct {
			Records json.RawMessage `json:"Records"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return nil, fmt.Errorf("event is not a JSON object: %w", err)
		}
		if probe.Records != nil {
			var ev events.S3Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("S3 notification: %w", err)
			}
			return nil, notified(ctx, ev)
		}
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("API Gateway event: %w", err)
		}
		return api(ctx, ev)
	}
}

// S3Handler runs notified for the objects of the bucket's S3 notifications
// (blob.Notified reads them), and logs one line per notification. An error
// makes Lambda deliver the notification again (twice, for S3's asynchronous
// invocation), which handlers must bear: the evidence check is idempotent.
// A notification that is not of this bucket's evidence objects is refused
// as an error too, for the function's error alarm to show the miswiring.
func S3Handler(bucket string, log *slog.Logger, notified func(context.Context, []blob.Object) error) func(context.Context, events.S3Event) error {
	return func(ctx context.Context, ev events.S3Event) error {
		start := time.Now()
		objects, err := blob.Notified(ev, bucket)
		if err == nil {
			err = notified(ctx, objects)
		}
		attrs := []slog.Attr{
			slog.String("event", "s3"), slog.Int("records", len(ev.Records)), slog.Int("objects", len(objects)),
			slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000),
		}
		if len(objects) > 0 {
			attrs = append(attrs, slog.String("key", objects[0].Key))
		}
		level := slog.LevelInfo
		if err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		log.LogAttrs(ctx, level, "notification", attrs...)
		return err
	}
}
