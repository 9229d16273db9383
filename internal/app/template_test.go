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
}

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
