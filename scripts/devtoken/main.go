// Command devtoken prints a bearer token that the local server accepts:
//
//	go run ./scripts/devtoken -role partner_admin -partner 1234567
//
// It signs with the dev key under -dir, creating it if the server has not
// run yet, so the server started later picks up the same key.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/auth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// roleList lets -role be given several times and also as a comma list.
type roleList []auth.Role

func (l *roleList) String() string {
	s := make([]string, len(*l))
	for i, r := range *l {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func (l *roleList) Set(v string) error {
	for r := range strings.SplitSeq(v, ",") {
		if r = strings.TrimSpace(r); r != "" {
			*l = append(*l, auth.Role(r))
		}
	}
	return nil
}

// run keeps stdout to the token alone so that TOKEN=$(go run ./scripts/devtoken ...) works.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("devtoken", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var roles roleList
	fs.Var(&roles, "role", "role(s): partner_admin, partner_member, auditor, program_manager; comma-separated or repeated (required)")
	partner := fs.String("partner", "", "partner_id claim (1-12 digits), required for partner roles")
	firm := fs.String("firm", "", "audit_firm claim, required for auditor")
	sub := fs.String("sub", "dev-user", "sub claim")
	ttl := fs.Duration("ttl", 12*time.Hour, "token lifetime")
	dir := fs.String("dir", ".local", "directory holding the dev key")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "devtoken: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	if len(roles) == 0 {
		fmt.Fprintln(stderr, "devtoken: -role is required")
		return 2
	}
	spec := auth.TokenSpec{
		Subject:   *sub,
		Roles:     roles,
		PartnerID: *partner,
		AuditFirm: *firm,
		TTL:       *ttl,
	}
	// Checked before the key is loaded so a typo does not create .local/.
	if err := spec.Validate(); err != nil {
		fmt.Fprintf(stderr, "devtoken: %v\n", err)
		return 2
	}
	key, err := auth.LoadOrCreateDevKey(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "devtoken: %v\n", err)
		return 2
	}
	tok, err := key.Sign(spec)
	if err != nil {
		fmt.Fprintf(stderr, "devtoken: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, tok)
	return 0
}
