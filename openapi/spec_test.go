package openapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var knownRoles = []string{"partner_admin", "partner_member", "auditor", "program_manager"}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

type operation struct {
	path, method string
	op           *openapi3.Operation
}

func (o operation) String() string { return o.method + " " + o.path }

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			ops = append(ops, operation{path, method, op})
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

func TestLoad(t *testing.T) {
	doc := load(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if len(operations(doc)) == 0 {
		t.Fatal("no operations")
	}
}

func TestOperations(t *testing.T) {
	doc := load(t)
	ids := map[string]string{}
	for _, o := range operations(doc) {
		op := o.op
		if op.OperationID == "" {
			t.Errorf("%s: no operationId", o)
		} else if prev, dup := ids[op.OperationID]; dup {
			t.Errorf("%s: operationId %q also used by %s", o, op.OperationID, prev)
		} else {
			ids[op.OperationID] = o.String()
		}

		// No token: the audit firm's webhook is signed in its body instead.
		public := o.path == "/v1/health" || o.path == "/v1/webhooks/audit-firm"
		switch {
		case op.Security == nil:
			t.Errorf("%s: no security requirement", o)
		case public && len(*op.Security) != 0:
			t.Errorf("%s: public route must declare security: []", o)
		case !public && !requiresBearer(*op.Security):
			t.Errorf("%s: security does not require bearerAuth", o)
		}

		roles, err := xRoles(op)
		switch {
		case err != nil:
			t.Errorf("%s: %v", o, err)
		case public && len(roles) != 0:
			t.Errorf("%s: public route must declare x-roles: []", o)
		case !public && len(roles) == 0:
			t.Errorf("%s: x-roles is empty", o)
		}
		for _, r := range roles {
			if !slices.Contains(knownRoles, r) {
				t.Errorf("%s: x-roles has unknown role %q", o, r)
			}
			if !strings.Contains(op.Description, "`"+r+"`") {
				t.Errorf("%s: description does not name role %s from x-roles", o, r)
			}
		}

		has4xx := false
		for code := range op.Responses.Map() {
			if n, err := strconv.Atoi(code); err == nil && n >= 400 && n < 500 {
				has4xx = true
			}
		}
		if !has4xx {
			t.Errorf("%s: no 4xx response", o)
		}
		if strings.Contains(o.path, "{partnerId}") && op.Responses.Status(http.StatusNotFound) == nil {
			t.Errorf("%s: path has {partnerId} but 404 is not documented", o)
		}
		if !public && op.Responses.Status(http.StatusUnauthorized) == nil {
			t.Errorf("%s: 401 is not documented", o)
		}
		if op.RequestBody != nil {
			for _, code := range []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity} {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s: takes a body but %d is not documented", o, code)
				}
			}
		}
		if hasHeaderParam(op, "If-Match") && op.Responses.Status(http.StatusPreconditionFailed) == nil {
			t.Errorf("%s: takes If-Match but 412 is not documented", o)
		}
		if o.method == http.MethodPost && !hasHeaderParam(op, "Idempotency-Key") {
			t.Errorf("%s: POST without Idempotency-Key", o)
		}
	}
}

// TestResponses holds every response to the conventions: X-Request-Id always,
// problem+json for errors, ETag on a single resource, Location on 201.
func TestResponses(t *testing.T) {
	doc := load(t)
	for _, o := range operations(doc) {
		for code, ref := range o.op.Responses.Map() {
			resp := ref.Value
			where := o.String() + " " + code
			if h := resp.Headers["X-Request-Id"]; h == nil || !h.Value.Required {
				t.Errorf("%s: no required X-Request-Id header", where)
			}
			n, _ := strconv.Atoi(code)
			if n >= 400 {
				mt := resp.Content.Get("application/problem+json")
				if mt == nil || len(resp.Content) != 1 {
					t.Errorf("%s: error must be application/problem+json only", where)
				} else if mt.Schema.Ref != "#/components/schemas/Problem" {
					t.Errorf("%s: error schema is %q, want Problem", where, mt.Schema.Ref)
				}
				continue
			}
			if n == http.StatusNoContent || n == http.StatusNotModified {
				if len(resp.Content) != 0 {
					t.Errorf("%s: %d has content", where, n)
				}
				if n == http.StatusNotModified && resp.Headers["ETag"] == nil {
					t.Errorf("%s: 304 without ETag", where)
				}
				continue
			}
			mt := resp.Content.Get("application/json")
			if mt == nil {
				t.Errorf("%s: no application/json content", where)
				continue
			}
			// A single stored resource carries its version as an ETag; a
			// computed answer (a score, a readiness) has no version to carry.
			versioned := mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Properties["version"] != nil
			single := o.method == http.MethodPut || (o.method == http.MethodGet && strings.HasSuffix(o.path, "}") && versioned)
			if single && resp.Headers["ETag"] == nil {
				t.Errorf("%s: single resource without ETag", where)
			}
			if n == http.StatusCreated && resp.Headers["Location"] == nil {
				t.Errorf("%s: 201 without Location", where)
			}
		}
	}
}

// TestClosedObjects: every object schema in components rejects unknown
// properties. The one exception is a map (a JSON object keyed by ids, such as
// KnowledgeHolders), which must constrain its keys with propertyNames and its
// values with an additionalProperties schema, and declare no properties.
func TestClosedObjects(t *testing.T) {
	doc := load(t)
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		isMap := s.PropertyNames != nil && s.AdditionalProperties.Schema != nil && len(s.Properties) == 0
		if s.Type.Is("object") && !isMap && (s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has) {
			t.Errorf("schema %s: additionalProperties must be false", name)
		}
		for prop, p := range s.Properties {
			if p.Ref == "" && p.Value.Type.Is("object") {
				t.Errorf("schema %s.%s: inline object; make it a component", name, prop)
			}
			if p.Ref == "" && p.Value.Type.Is("array") && p.Value.Items.Ref == "" && p.Value.Items.Value.Type.Is("object") {
				t.Errorf("schema %s.%s: inline object items; make them a component", name, prop)
			}
		}
	}
}

// TestSchemas checks documents the implementation sends against the schemas,
// under both of kin-openapi's validators (the contract tests use the JSON
// Schema 2020-12 one for a 3.1 document).
func TestSchemas(t *testing.T) {
	doc := load(t)
	cases := []struct {
		schema, doc string
		ok          bool
	}{
		{"Health", `{"status":"ok"}`, true},
		{"Health", `{"status":"ok","x":1}`, false},
		{"PartnerList", `{"items":[],"nextCursor":null}`, true},
		{"PartnerList", `{"items":[],"nextCursor":"abc"}`, true},
		{"PartnerList", `{"items":[]}`, false},
		{"PartnerList", `{"items":[],"nextCursor":3}`, false},
		{"Partner", `{"partnerId":"1234567","name":"Contoso","country":"GB","locations":[],"version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05.123Z"}`, true},
		{"Partner", `{"partnerId":"1234567","name":"Contoso","country":"GB","version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, false},
		{"Partner", `{"partnerId":"12ab","name":"Contoso","country":"GB","locations":[],"version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, false},
		{"Partner", `{"partnerId":"1234567","name":"Con\ttoso","country":"GB","locations":[],"version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, false},
		{"Partner", `{"partnerId":"1234567","name":"Société Générale – Ünïcode","country":"FR","locations":[{"id":"42","country":"FR"}],"version":7,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, true},
		{"Individual", `{"partnerId":"1","individualId":"ada.l_1-x","displayName":"Ada",
			"certifications":[{"id":"azure-developer-associate","earnedOn":"2025-01-31"},
			{"id":"azure-devops-engineer-expert","earnedOn":"2025-01-31","expiresOn":"2026-01-31"}],
			"version":2,"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, true},
		{"Customer", `{"partnerId":"1","tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b","name":"Fabrikam",
			"association":"PAL","government":false,"affiliated":true,"version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, true},
		{"Customer", `{"partnerId":"1","tenantId":"3F2B8C1E-5D4A-4E6F-9A7B-1C2D3E4F5A6B","name":"Fabrikam",
			"association":"PAL","government":false,"affiliated":true,"version":1,
			"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`, false},
		{"ConsumptionList", `{"items":[{"tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b","month":"2026-09",
			"serviceLevel2":"Virtual Machines","serviceGroup":"Compute","offer":"PAYG","acrUsd":12.5,
			"updatedAt":"2026-10-01T00:00:00Z"}],"nextCursor":null}`, true},
		{"ConsumptionBatch", `{"records":[]}`, false},
		{"ConsumptionInput", `{"tenantId":"3F2B8C1E-5D4A-4E6F-9A7B-1C2D3E4F5A6B","month":"2026-09",
			"serviceLevel2":"Virtual Machines","serviceGroup":"Compute","offer":"PAYG","acrUsd":0}`, true},
		{"ConsumptionInput", `{"tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b","month":"2026-13",
			"serviceLevel2":"Virtual Machines","serviceGroup":"Compute","offer":"PAYG","acrUsd":1}`, false},
		{"ConsumptionInput", `{"tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b","month":"2026-09",
			"serviceLevel2":"Virtual#Machines","serviceGroup":"Compute","offer":"PAYG","acrUsd":1}`, false},
		{"ConsumptionInput", `{"tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b","month":"2026-09",
			"serviceLevel2":"Virtual Machines","serviceGroup":"Compute","offer":"PAYG","acrUsd":-1}`, false},
		{"ConsumptionAccepted", `{"accepted":3}`, true},
		{"CertificationCatalogue", `{"version":"2026-11-01","items":[{"id":"azure-developer-associate",
			"name":"Azure Developer Associate","level":"associate","retiresOn":"2026-07-31","countsUntil":"2026-07-31"}]}`, true},
		{"CertificationCatalogue", `{"version":"2026-11-01","items":[{"id":"x","name":"X","level":"master"}]}`, false},
		{"SpecializationCatalogue", `{"version":"2026-11-01","benefitCaps":{"azure":5,"business-applications":1,"modern-work":3,"security":3},
			"items":[{"id":"ai-and-machine-learning-in-microsoft-azure","name":"AI","category":"azure","designations":["data-ai"],
			"manualValidation":"audit","requirementsKnown":"full","requirements":{"performance":{"label":"AI ACR","serviceGroups":["AI + Machine Learning"],
			"monthlyAverageUsd":2000,"months":3,"minCustomers":3,"associations":["PAL"],"governmentViaPAL":false},
			"knowledge":{"minPeople":3,"certifications":["azure-ai-engineer-associate"],"eachCertificationHeld":true},"audit":{"modules":["A","B"]}}},
			{"id":"linux","name":"Linux","category":"azure","designations":["infrastructure"],"supersededOn":"2023-01-09","supersededBy":"infra",
			"grandfathered":true,"manualValidation":"audit","requirementsKnown":"partial","requirements":{}}]}`, true},
		{"SpecializationCatalogue", `{"version":"2026-11-01","benefitCaps":{"azure":5,"business-applications":1,"modern-work":3},"items":[]}`, false},
		{"MetricScore", `{"metric":"usage_growth","points":0,"max":20,"missing":["x"],"inputs":{"lastMonth":"2026-10","sameMonthLastYear":"2025-10",
			"qualifyingAcrUsd":12.5,"qualifyingAcrUsdLastYear":0,"trailing12MonthsAcrUsd":12.5,"growthPercent":null,"window":{"from":"2025-11","to":"2026-10"}}}`, true},
		{"MetricScore", `{"metric":"usage_growth","points":19,"max":20,"missing":[],"inputs":{"lastMonth":"2026-10","sameMonthLastYear":"2025-10",
			"qualifyingAcrUsd":119.99,"qualifyingAcrUsdLastYear":100,"trailing12MonthsAcrUsd":1200,"growthPercent":19.99,"window":{"from":"2025-11","to":"2026-10"}}}`, true},
		{"MetricScore", `{"metric":"net_customer_adds","points":0,"max":30,"missing":[],"inputs":{"lastMonth":"2026-10","previousMonth":"2026-09",
			"sameMonthLastYear":"2025-10","monthBeforeThatLastYear":"2025-09","eligibleCustomers":[{"tenantId":"3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b",
			"acr":[{"month":"2026-09","acrUsd":0},{"month":"2026-10","acrUsd":1000}]}],"eligibleCustomersLastYear":[],"netAdds":-1}}`, true},
		{"MetricScore", `{"metric":"intermediate_certifications","points":4,"max":40,"missing":[],"inputs":{"steps":[
			{"step":1,"role":"prerequisite","certifications":["azure-administrator-associate"],"minPeople":2,"people":["a","b"],"met":true},
			{"step":2,"role":"points","certifications":["azure-ai-engineer-associate"],"people":["a"],"met":true,"pointsPerPerson":4,"maxPoints":40}],
			"stoppedCounting":[{"individualId":"c","certificationId":"azure-data-scientist-associate","countedUntil":"2026-06-01"}]}}`, true},
		{"MetricScore", `{"metric":"intermediate_certifications","points":4,"max":40,"missing":[],"inputs":{"steps":[
			{"step":1,"role":"points","certifications":["azure-ai-engineer-associate"],"people":["a"],"met":true,"pointsPerPerson":4,"maxPoints":40}],
			"stoppedCounting":[{"individualId":"c","certificationId":"azure-data-scientist-associate","countedUntil":"2026-06"}]}}`, false},
		{"MetricScore", `{"metric":"deployments","points":0,"max":10,"missing":[],"inputs":{"from":"2025-11","to":"2026-10","services":[],
			"excluded":["Virtual Machines","Virtual Machines Licenses"]}}`, true},
		{"MetricScore", `{"metric":"deployments","points":0,"max":10,"missing":[],"inputs":{"from":"2025-11","to":"2026-10","services":[]}}`, false},
		{"MetricScore", `{"metric":"deployments","points":0,"max":10,"missing":null,"inputs":{"steps":[]}}`, false},
		{"MetricScore", `{"metric":"usage_growth","points":0,"max":20,"missing":[],"inputs":{"lastMonth":"2026-10","sameMonthLastYear":"2025-10",
			"qualifyingAcrUsd":1,"qualifyingAcrUsdLastYear":0,"trailing12MonthsAcrUsd":1,"growthPercent":null,"window":{"from":"2025-11","to":"2026-10"},"netAdds":1}}`, false},
		{"SpecializationStatus", `{"id":"ai","name":"AI","category":"azure","asOf":"2026-10","asOfComplete":true,"status":"not_ready","requirementsKnown":"full","superseded":false,
			"requirements":[{"kind":"designation","met":null,"detail":"d","inputs":{"aligned":["data-ai"],"attained":[],"unknown":["data-ai"]}},
			{"kind":"performance","met":false,"detail":"d","shortfall":"s","inputs":{"months":["2026-08","2026-09","2026-10"],"totalUsd":0,"averageUsd":0,
			"customers":0,"neededTotalUsd":6000,"neededCustomers":3,"byMonth":[{"month":"2026-10","usd":0}],"byCustomer":[],
			"excludedUsd":{"unknownCustomer":0,"ineligibleOffer":0.5,"associationNotListed":0,"governmentViaPal":0}}},
			{"kind":"knowledge","met":true,"detail":"d","inputs":{"people":["a"],"holders":{"azure-ai-engineer-associate":["a"],"azure-data-scientist-associate":[]},
			"retired":[{"certificationId":"azure-data-scientist-associate","retiredOn":"2026-06-01"}]}},
			{"kind":"audit","met":null,"detail":"d","inputs":{"modules":["A","B"]}},{"kind":"manual_validation","met":null,"detail":"d"}]}`, true},
		{"SpecializationStatus", `{"id":"ai","name":"AI","category":"azure","asOf":"2026-10","asOfComplete":true,"status":"not_ready","requirementsKnown":"full","superseded":false,
			"requirements":[{"kind":"knowledge","met":true,"detail":"d","inputs":{"people":[],"holders":{"azure-ai-engineer-associate":"a"},"retired":[]}}]}`, false},
		{"SpecializationStatus", `{"id":"ai","name":"AI","category":"azure","asOf":"2026-10","asOfComplete":true,"status":"not_ready","requirementsKnown":"full","superseded":false,
			"requirements":[{"kind":"knowledge","met":false,"detail":"d","inputs":{"people":[],"holders":{},"retired":[{"certificationId":"azure-ai-engineer-associate"}]}}]}`, false},
		{"SpecializationStatus", `{"id":"ai","name":"AI","category":"azure","asOf":"2026-10","asOfComplete":true,"status":"ready","requirementsKnown":"full","superseded":false,
			"requirements":[{"kind":"audit","detail":"d"}]}`, false},
		{"SpecializationStatusList", `{"asOf":"2026-11","asOfComplete":false,"asOfNote":"2026-11 is the month in progress","items":[]}`, true},
		{"SpecializationStatusList", `{"asOf":"2026-11","items":[]}`, false},
		{"SpecializationStatusList", `{"asOf":"2026-11","asOfComplete":"no","items":[]}`, false},
		{"Problem", `{"type":"urn:partnerready:problem:validation","title":"Invalid values","status":422,
			"detail":"d","requestId":"r","errors":[{"field":"records[3].acrUsd","message":"must have at most 2 decimals"}]}`, true},
		{"Problem", `{"type":"urn:partnerready:problem:not-found","title":"Not found","status":404,"detail":"d","requestId":"r"}`, true},
		{"Problem", `{"type":"about:blank","title":"Not found","status":404,"detail":"d","requestId":"r"}`, false},
		{"Problem", `{"type":"urn:partnerready:problem:internal","title":"t","status":500,"detail":"d"}`, false},
	}
	validators := map[string][]openapi3.SchemaValidationOption{
		"kin":            nil,
		"jsonschema2020": {openapi3.EnableJSONSchema2020()},
	}
	for i, c := range cases {
		ref := doc.Components.Schemas[c.schema]
		if ref == nil {
			t.Errorf("case %d: no schema %s", i, c.schema)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(c.doc), &v); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		for name, opts := range validators {
			err := ref.Value.VisitJSON(v, opts...)
			if c.ok && err != nil {
				t.Errorf("case %d (%s, %s validator): want valid, got %v", i, c.schema, name, err)
			}
			if !c.ok && err == nil {
				t.Errorf("case %d (%s, %s validator): want invalid, got valid", i, c.schema, name)
			}
		}
	}
}

func requiresBearer(reqs openapi3.SecurityRequirements) bool {
	for _, req := range reqs {
		if _, ok := req["bearerAuth"]; ok {
			return true
		}
	}
	return false
}

func xRoles(op *openapi3.Operation) ([]string, error) {
	raw, ok := op.Extensions["x-roles"]
	if !ok {
		return nil, errString("no x-roles")
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, errString("x-roles is not a list")
	}
	roles := make([]string, 0, len(list))
	for _, r := range list {
		s, ok := r.(string)
		if !ok {
			return nil, errString("x-roles holds a non-string")
		}
		roles = append(roles, s)
	}
	return roles, nil
}

func hasHeaderParam(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value.In == openapi3.ParameterInHeader && p.Value.Name == name {
			return true
		}
	}
	return false
}

type errString string

func (e errString) Error() string { return string(e) }

// ValidateRequest is what the API suites hold accepted requests to: it must
// refuse what the contract refuses, and pass what it allows.
func TestValidateRequest(t *testing.T) {
	put := func(body string) error {
		req := httptest.NewRequest(http.MethodPut, "/v1/partners/1234567", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return ValidateRequest(req, []byte(body))
	}
	if err := put(`{"name":"Contoso","country":"FR"}`); err != nil {
		t.Fatalf("a valid profile: %v", err)
	}
	for _, bad := range []string{`{"name":"Contoso","country":"FR","tier":"gold"}`, `{"name":"Contoso"}`, `{"name":"Contoso","country":"france"}`} {
		if err := put(bad); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if err := ValidateRequest(httptest.NewRequest(http.MethodGet, "/v2/nothing", nil), nil); err != ErrNoOperation {
		t.Errorf("an unknown path: %v", err)
	}
}
