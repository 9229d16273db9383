package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// ScheduleEvent is what a function's EventBridge Scheduler schedule sends
// it (the schedule target's Input, template.yaml).
type ScheduleEvent struct {
	Run string `json:"run"` // the job, "sweep"
}

// ScheduleHandler runs job for each invocation of the schedule named job,
// and logs one line with what it did. Anything else (an API Gateway or S3
// event reaching the function) is refused as an error, for the function's
// error alarm to show the miswiring. The job's context ends AnswerMargin
// before the function's, so that a long run stops between items and logs,
// instead of being killed mid-write; what it leaves is the next run's.
func ScheduleHandler(job string, log *slog.Logger, run func(context.Context) (any, error)) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var ev ScheduleEvent
		if err := json.Unmarshal(raw, &ev); err != nil || ev.Run != job {
			return nil, fmt.Errorf("not a %q schedule event: %.200s", job, raw)
		}
		ctx, cancel := withAnswerMargin(ctx)
		defer cancel()
		start := time.Now()
		out, err := run(ctx)
		if err != nil {
			log.Error(job, "ms", time.Since(start).Milliseconds(), "error", err.Error())
			return nil, err
		}
		log.Info(job, "ms", time.Since(start).Milliseconds(), "result", out)
		return out, nil
	}
}

// ServeSchedule is the whole main of a function run on a schedule: the
// configuration as Serve reads it, the job built from the Env in the
// background while the runtime asks for the first event, and the Lambda
// loop running it for each invocation.
func ServeSchedule(job string, build func(*Env) func(context.Context) (any, error), also ...string) {
	TuneGC()
	cfg, err := ConfigFromEnv(also...)
	if err != nil {
		slog.Error("config", "error", err.Error())
		os.Exit(1)
	}
	ready := make(chan func(context.Context, json.RawMessage) (any, error), 1)
	go func() {
		env := newEnv(cfg)
		ready <- ScheduleHandler(job, env.Logger, build(env))
	}()
	handler := sync.OnceValue(func() func(context.Context, json.RawMessage) (any, error) { return <-ready })
	lambda.Start(func(ctx context.Context, raw json.RawMessage) (any, error) { return handler()(ctx, raw) })
}
