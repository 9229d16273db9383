package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/openapi"
)

// Every route served is in the spec, and every operation in the spec is served,
// with the roles the spec's x-roles declares and the query parameters it lists.
func TestRoutesMatchSpec(t *testing.T) {
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	served := map[string][]string{}
	query := map[string][]string{}
	for _, rt := range e.routes {
		roles := []string{}
		for _, r := range rt.Access.Roles {
			roles = append(roles, string(r))
		}
		served[rt.Method+" "+rt.Path] = roles
		query[rt.Method+" "+rt.Path] = slices.Sorted(slices.Values(rt.Query))
	}
	inSpec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			k := method + " " + path
			inSpec[k] = true
			roles, ok := served[k]
			if !ok {
				t.Errorf("%s is in openapi.yaml but not served", k)
				continue
			}
			var declared []string
			if raw, ok := op.Extensions["x-roles"].([]any); ok {
				for _, r := range raw {
					declared = append(declared, r.(string))
				}
			}
			slices.Sort(roles)
			slices.Sort(declared)
			if strings.Join(roles, ",") != strings.Join(declared, ",") {
				t.Errorf("%s: served for roles %v, spec x-roles %v", k, roles, declared)
			}
			var params []string
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value.In == "query" {
					params = append(params, p.Value.Name)
				}
			}
			slices.Sort(params)
			if strings.Join(query[k], ",") != strings.Join(params, ",") {
				t.Errorf("%s: reads query %v, spec declares %v", k, query[k], params)
			}
		}
	}
	for k := range served {
		if !inSpec[k] {
			t.Errorf("%s is served but not in openapi.yaml", k)
		}
	}
}
