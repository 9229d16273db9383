// Command signevent signs an audit-firm event, as the firm does, so that a
// person can post one by hand:
//
//	go run ./scripts/signevent -secret "$AUDIT_WEBHOOK_SECRET" < event.json        # prints the header
//	go run ./scripts/signevent -url http://localhost:8080/v1/webhooks/audit-firm < event.json
//
// The body is sent exactly as read: the signature covers those bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/partnerready/partnerready/internal/webhook"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// maxEvent bounds what is read: an event is a few hundred bytes.
const maxEvent = 1 << 20

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("signevent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	secret := fs.String("secret", os.Getenv("AUDIT_WEBHOOK_SECRET"), "the webhook secret (default $AUDIT_WEBHOOK_SECRET)")
	url := fs.String("url", "", "POST the signed event there and print the answer; without it, print the header")
	at := fs.Int64("t", 0, "sign as of this Unix time (default now), to try a stale or future-dated signature")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *secret == "" {
		fmt.Fprintln(stderr, "signevent: no secret: give -secret or set AUDIT_WEBHOOK_SECRET (the local server prints the one it uses)")
		return 2
	}
	body, err := io.ReadAll(io.LimitReader(stdin, maxEvent+1))
	if err != nil || len(body) == 0 || len(body) > maxEvent {
		fmt.Fprintln(stderr, "signevent: give the event's JSON on stdin (at most 1 MiB)")
		return 2
	}
	t := time.Now()
	if *at != 0 {
		t = time.Unix(*at, 0)
	}
	sig := webhook.Sign([]byte(*secret), body, t)
	if *url == "" {
		fmt.Fprintf(stdout, "%s: %s\n", webhook.Header, sig)
		return 0
	}
	req, err := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(stderr, "signevent:", err)
		return 2
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.Header, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "signevent:", err)
		return 1
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxEvent))
	fmt.Fprintf(stdout, "%d %s\n", resp.StatusCode, bytes.TrimSpace(answer))
	if resp.StatusCode >= 300 {
		return 1
	}
	return 0
}
