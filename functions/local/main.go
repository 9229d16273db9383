// Command local serves the whole API on localhost with embedded DynamoDB and
// S3, for development: `go run ./functions/local`.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/local"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app.TuneGC()
	cfg := local.ConfigFromEnv()
	env, err := local.New(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
	defer env.Close()
	srv := &http.Server{Addr: cfg.Addr, Handler: env.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "partnerready API on http://%s (DynamoDB %s, S3 %s)\n", cfg.Addr, env.DynamoDB, env.S3)
	fmt.Fprintf(os.Stderr, "token: TOKEN=$(go run ./scripts/devtoken -role partner_admin -partner 1234567)\n")
	fmt.Fprintf(os.Stderr, "audit firm webhook secret: AUDIT_WEBHOOK_SECRET=%s (sign events with go run ./scripts/signevent)\n", env.WebhookSecret)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}
