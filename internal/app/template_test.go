package app_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/internal/httpapi"
)

// functionRoutes is the service each function's main wires and serves, by
// the function's folder: functions/partners builds httpapi.NewPartners.
var functionRoutes = map[string][]httpapi.Route{
	"partners": (&httpapi.Partners{}).Routes(),
	"scoring":  (&httpapi.Scoring{}).Routes(),
	"evidence": (&httpapi.Evidence{}).Routes(),
	"audits":   (&httpapi.Audits{}).Routes(),
}

// scheduled are the functions an EventBridge Scheduler schedule runs, with
// no routes.
var scheduled = map[string]bool{"sweeper": true, "deliverer": true}

// Every function's API Gateway routes in template.yaml are exactly the routes
// its binary serves: a route served but not routed is unreachable in AWS, one
// routed but not served is a 404 from the wrong function.
func TestTemplateRoutesMatchFunctions(t *testing.T) {
	raw, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	codeURI := regexp.MustCompile(`^      CodeUri: functions/([a-z]+)/$`)
	method := regexp.MustCompile(`^            Method: (\S+)$`)
	path := regexp.MustCompile(`^            Path: (\S+)$`)
	routed := map[string][]string{} // function → "METHOD path"
	fn, m := "", ""
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":") {
			fn = "" // a new resource
		}
		if g := codeURI.FindStringSubmatch(line); g != nil {
			fn = g[1]
		}
		if g := method.FindStringSubmatch(line); g != nil && fn != "" {
			m = g[1]
		}
		if g := path.FindStringSubmatch(line); g != nil && fn != "" {
			routed[fn] = append(routed[fn], m+" "+g[1])
		}
	}
	if len(routed) < 2 {
		t.Fatalf("found the routes of %d functions in template.yaml", len(routed))
	}
	dirs, err := os.ReadDir("../../functions")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		fn := d.Name()
		if fn == "local" {
			continue
		}
		if scheduled[fn] {
			main, err := os.ReadFile("../../functions/" + fn + "/main.go")
			if err != nil || !strings.Contains(string(main), "app.ServeSchedule(") || len(routed[fn]) != 0 {
				t.Errorf("functions/%s is run on a schedule: its main serves app.ServeSchedule and template.yaml routes nothing to it (%v)", fn, routed[fn])
			}
			continue
		}
		if _, ok := functionRoutes[fn]; !ok {
			t.Errorf("functions/%s is not in functionRoutes", fn)
			continue
		}
		main, err := os.ReadFile("../../functions/" + fn + "/main.go")
		service := "httpapi.New" + strings.ToUpper(fn[:1]) + fn[1:] + "("
		if err != nil || !strings.Contains(string(main), service) || !strings.Contains(string(main), ".Routes()") {
			t.Errorf("functions/%s/main.go does not serve the routes of %s…)", fn, service)
		}
	}
	served := map[string][]string{}
	for fn, routes := range functionRoutes {
		for _, rt := range routes {
			served[fn] = append(served[fn], rt.Method+" "+rt.Path)
		}
	}
	for fn, routes := range served {
		for _, r := range routes {
			p := r[strings.Index(r, " ")+1:]
			if !slices.Contains(routed[fn], r) && !slices.Contains(routed[fn], "ANY "+p) {
				t.Errorf("%s: %s is served but not routed to it in template.yaml", fn, r)
			}
		}
		for _, r := range routed[fn] {
			m, p, _ := strings.Cut(r, " ")
			if !slices.ContainsFunc(routes, func(s string) bool { return s == r || (m == "ANY" && strings.HasSuffix(s, " "+p)) }) {
				t.Errorf("%s: template.yaml routes %s to it, which it does not serve", fn, r)
			}
		}
	}
}

// Each function's role allows exactly the calls its code makes, on its own
// resources: the table (no Scan, no UpdateItem, no table administration),
// and for the evidence function the bucket's evidence/ prefix (ListBucket,
// on the bucket, only so that a missing key reads as 404, not 403). Read
// from template.yaml's lines, as the routes are.
func TestTemplatePoliciesAreLeast(t *testing.T) {
	raw, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"partners":  {"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "secretsmanager:GetSecretValue"},
		"scoring":   {"dynamodb:BatchGetItem", "dynamodb:Query"},
		"audits":    {"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "secretsmanager:GetSecretValue"},
		"sweeper":   {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"},
		"deliverer": {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "secretsmanager:GetSecretValue"},
		"evidence": {"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
			"s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:GetObjectVersionTagging", "s3:ListBucket",
			"s3:PutObject", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
	}
	action := regexp.MustCompile(`^\s+(?:- |Action: )((?:dynamodb|s3|[a-z0-9-]+):[A-Za-z*]+)$`)
	resource := regexp.MustCompile(`^\s+(?:- )?(arn:\S+|!GetAtt \S+|!Sub|Resource: .*)$`)
	got := map[string][]string{}
	var resources []string
	fn, inPolicies := "", false
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			fn, inPolicies = "", false // a new resource
		case strings.HasPrefix(line, "      CodeUri: functions/"):
			fn = strings.TrimSuffix(strings.TrimPrefix(line, "      CodeUri: functions/"), "/")
		case line == "      Policies:":
			inPolicies = fn != ""
		case strings.HasPrefix(line, "      ") && !strings.HasPrefix(line, "       "):
			inPolicies = false // the next property
		case inPolicies:
			if g := action.FindStringSubmatch(line); g != nil {
				got[fn] = append(got[fn], g[1])
			}
			if strings.Contains(line, "Resource") || resource.MatchString(line) {
				resources = append(resources, fn+": "+strings.TrimSpace(line))
			}
		}
	}
	for fn, w := range want {
		g := slices.Compact(slices.Sorted(slices.Values(got[fn])))
		if !slices.Equal(g, w) {
			t.Errorf("%s's role allows %v, want exactly %v", fn, g, w)
		}
	}
	for fn := range got {
		if _, ok := want[fn]; !ok {
			t.Errorf("%s has a role this test does not know", fn)
		}
	}
	for _, r := range resources {
		if strings.Contains(r, `"*"`) || strings.HasSuffix(r, "Resource: '*'") || strings.HasSuffix(r, "Resource: *") {
			t.Errorf("a wildcard resource: %s", r)
		}
	}
	if len(resources) < 4 {
		t.Fatalf("found %d policy resources: %v", len(resources), resources)
	}
}
