package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/auth"
)

func TestRunPrintsTokenTheServerAccepts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".local")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-role", "partner_admin,partner_member", "-role", "auditor", "-partner", "1234567", "-firm", "Contoso Audit", "-sub", "alice", "-dir", dir}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr %q, want nothing", stderr.String())
	}
	out := stdout.String()
	tok, ok := strings.CutSuffix(out, "\n")
	if !ok || strings.ContainsAny(tok, " \n") || strings.Count(tok, ".") != 2 {
		t.Fatalf("stdout %q, want one token and a newline", out)
	}

	// What the local server does: load (not create) the key and serve its JWKS.
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience}, key.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	want := []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleAuditor}
	if p.Subject != "alice" || !slices.Equal(p.Roles, want) || p.PartnerID != "1234567" || p.AuditFirm != "Contoso Audit" {
		t.Fatalf("principal %+v", p)
	}
}

func TestRunDefaults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".local")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-role", "program_manager", "-dir", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	key, err := auth.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience}, key.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(context.Background(), strings.TrimSpace(stdout.String()))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "dev-user" {
		t.Errorf("subject %q, want dev-user", p.Subject)
	}
}

func TestRunErrors(t *testing.T) {
	cases := map[string][]string{
		"no role":          {},
		"unknown role":     {"-role", "root"},
		"partner no id":    {"-role", "partner_admin"},
		"partner bad id":   {"-role", "partner_admin", "-partner", "12ab"},
		"auditor no firm":  {"-role", "auditor"},
		"bad ttl":          {"-role", "program_manager", "-ttl", "-1h"},
		"unknown flag":     {"-role", "program_manager", "-nope"},
		"stray argument":   {"-role", "program_manager", "extra"},
		"empty role list":  {"-role", ","},
		"ttl not duration": {"-role", "program_manager", "-ttl", "soon"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), ".local")
			var stdout, stderr bytes.Buffer
			code := run(append(args, "-dir", dir), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
			if stderr.Len() == 0 {
				t.Error("no message on stderr")
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a failed run created %s", dir)
			}
		})
	}
}
