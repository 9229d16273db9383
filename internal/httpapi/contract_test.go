package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/partnerready/partnerready/openapi"
)

// Every route served is in the spec, and every operation in the spec is served,
// with the roles the spec's x-roles declares.
func TestRoutesMatchSpec(t *testing.T) {
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	served := map[string][]string{}
	for _, rt := range e.api.Routes() {
		roles := []string{}
		for _, r := range rt.Access.Roles {
			roles = append(roles, string(r))
		}
		served[rt.Method+" "+rt.Path] = roles
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
		}
	}
	for k := range served {
		if !inSpec[k] {
			t.Errorf("%s is served but not in openapi.yaml", k)
		}
	}
}
