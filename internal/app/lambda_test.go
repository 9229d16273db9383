package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/partnerready/partnerready/internal/apitest"
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

// These tests run the partners function as it runs in AWS: API Gateway HTTP
// API payload 2.0 events (testdata/*.json, shaped as AWS documents them)
// go through app.LambdaHandler, the adapter main.go uses, and every
// events.APIGatewayV2HTTPResponse is held to openapi.yaml.

const partnerID = "1234567"

type lambdaEnv struct {
	t      *testing.T
	store  *store.Store
	handle func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
	key    *auth.DevKey
	logs   *apitest.Log
}

func newLambdaEnv(t *testing.T) *lambdaEnv {
	t.Helper()
	return newLambdaEnvOf(t, func(st *store.Store) []httpapi.Route {
		return httpapi.NewPartners(st, catalog.MustCertifications(), nil).Routes()
	})
}

// newLambdaEnvOf is a lambdaEnv serving the routes routes builds on its table.
func newLambdaEnvOf(t *testing.T, routes func(*store.Store) []httpapi.Route) *lambdaEnv {
	t.Helper()
	tb := storetest.New(t)
	key, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewStaticJWKSVerifier(auth.Config{Issuer: auth.DevIssuer, Audience: auth.DevAudience}, key.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	logs := &apitest.Log{}
	st := tb.Store(nil)
	server := httpapi.NewServer(httpapi.ServerDeps{Store: st, Verifier: v, Logger: app.Logger(logs, "info")})
	return &lambdaEnv{t: t, store: st, handle: app.LambdaHandler(server.Handler(routes(st))), key: key, logs: logs}
}

// withProfile creates partnerID's profile, under which its data lives.
func (e *lambdaEnv) withProfile() *lambdaEnv {
	e.t.Helper()
	if _, _, err := e.store.PutPartner(context.Background(), domain.Partner{ID: partnerID, Name: "Contoso", Country: "FR"}, store.Precondition{}); err != nil {
		e.t.Fatal(err)
	}
	return e
}

func (e *lambdaEnv) token(pid string) string {
	e.t.Helper()
	tok, err := e.key.Sign(auth.TokenSpec{Subject: "user-" + pid, Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: pid, TTL: time.Hour})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// event reads testdata/name, fills its {{PLACEHOLDERS}} and decodes it
// strictly: a field events.APIGatewayV2HTTPRequest does not know is a typo.
func (e *lambdaEnv) event(name string, fill map[string]string) events.APIGatewayV2HTTPRequest {
	e.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		e.t.Fatal(err)
	}
	s := string(raw)
	for k, v := range fill {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	if i := strings.Index(s, "{{"); i >= 0 {
		e.t.Fatalf("%s: placeholder left: %.40s", name, s[i:])
	}
	var ev events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	if ev.Version != "2.0" || ev.RequestContext.RequestID == "" || ev.RequestContext.HTTP.Method == "" || ev.RequestContext.DomainName == "" {
		e.t.Fatalf("%s is not an HTTP API payload 2.0 event", name)
	}
	for k := range ev.Headers {
		if k != strings.ToLower(k) {
			e.t.Fatalf("%s: HTTP API sends header names in lower case, not %q", name, k)
		}
	}
	if cl, ok := ev.Headers["content-length"]; ok && cl != strconv.Itoa(len(decodedBody(e.t, ev))) {
		e.t.Fatalf("%s: content-length %s does not match the body", name, cl)
	}
	return ev
}

func decodedBody(t testing.TB, ev events.APIGatewayV2HTTPRequest) []byte {
	if !ev.IsBase64Encoded {
		return []byte(ev.Body)
	}
	b, err := base64.StdEncoding.DecodeString(ev.Body)
	if err != nil {
		t.Fatalf("event body is not base64: %v", err)
	}
	return b
}

// setBody replaces the event's body as API Gateway would send it.
func setBody(ev *events.APIGatewayV2HTTPRequest, body []byte, asBase64 bool) {
	ev.IsBase64Encoded = asBase64
	ev.Body = string(body)
	if asBase64 {
		ev.Body = base64.StdEncoding.EncodeToString(body)
	}
	ev.Headers["content-length"] = strconv.Itoa(len(body))
}

// setPath points the event at another path: rawPath as given, the decoded
// form in requestContext.http.path, as API Gateway fills them.
func setPath(ev *events.APIGatewayV2HTTPRequest, rawPath string) {
	ev.RawPath = rawPath
	if p, err := url.PathUnescape(rawPath); err == nil {
		ev.RequestContext.HTTP.Path = p
	} else {
		ev.RequestContext.HTTP.Path = rawPath
	}
}

type lambdaResult struct {
	apitest.Answer
	ev events.APIGatewayV2HTTPRequest
}

// invoke runs one event through the handler, reads the response as API
// Gateway does (after the runtime's JSON round trip) and holds it to the
// contract. Every response carries API Gateway's request id.
func (e *lambdaEnv) invoke(ev events.APIGatewayV2HTTPRequest) lambdaResult {
	e.t.Helper()
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID:       "8f3c1f7e-1d2b-4c5a-9e6f-" + fmt.Sprintf("%012d", ev.RequestContext.TimeEpoch%1e12),
		InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:partnerready-partners",
	})
	out, err := e.handle(ctx, ev)
	if err != nil {
		e.t.Fatalf("%s %s: the handler failed (API Gateway would answer a bare 500): %v", ev.RequestContext.HTTP.Method, ev.RawPath, err)
	}
	wire, err := json.Marshal(out)
	if err != nil {
		e.t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(wire, &resp); err != nil {
		e.t.Fatal(err)
	}
	h := http.Header{}
	for k, v := range resp.Headers {
		h.Add(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			e.t.Fatalf("response body is not base64: %v", err)
		}
	}
	res := lambdaResult{Answer: apitest.Answer{Status: resp.StatusCode, Header: h, Body: body}, ev: ev}
	if got, want := h.Get(httpapi.RequestIDHeader), ev.RequestContext.RequestID; got != want {
		e.t.Fatalf("%s %s: X-Request-Id %q, want API Gateway's %q", ev.RequestContext.HTTP.Method, ev.RawPath, got, want)
	}
	apitest.CheckContract(e.t, requestFor(e.t, ev), res.Answer)
	return res
}

// requestFor is the request the contract speaks of: the event's method, its
// rawPath without a named stage (openapi.yaml has no stage) and its
// rawQueryString, on the API's domain.
func requestFor(t testing.TB, ev events.APIGatewayV2HTTPRequest) *http.Request {
	t.Helper()
	p := ev.RawPath
	if st := ev.RequestContext.Stage; st != "" && st != "$default" && (p == "/"+st || strings.HasPrefix(p, "/"+st+"/")) {
		p = strings.TrimPrefix(p, "/"+st)
	}
	u := &url.URL{Scheme: "https", Host: ev.RequestContext.DomainName, Path: p, RawQuery: ev.RawQueryString}
	if dec, err := url.PathUnescape(p); err == nil {
		u.Path, u.RawPath = dec, p
	}
	req, err := http.NewRequest(ev.RequestContext.HTTP.Method, u.String(), nil)
	if err != nil {
		req = &http.Request{Method: ev.RequestContext.HTTP.Method, URL: u, Header: http.Header{}, Host: u.Host}
	}
	return req
}

func (r lambdaResult) want(t testing.TB, status int) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", r.ev.RequestContext.HTTP.Method, r.ev.RawPath, r.Status, status, r.Body)
	}
	return r.Object(t)
}

func TestLambdaPutThenGetPartner(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	tok := e.token(partnerID)

	put := e.invoke(e.event("put_partner.json", map[string]string{"TOKEN": tok}))
	body := put.want(t, http.StatusCreated)
	if got := put.Header.Get("ETag"); got != `"1"` {
		t.Errorf("PUT ETag %q, want \"1\"", got)
	}
	if got := put.Header.Get("Location"); got != "/v1/partners/"+partnerID {
		t.Errorf("Location %q", got)
	}
	if body["partnerId"] != partnerID || body["name"] != "Contoso Ltd" || body["country"] != "FR" {
		t.Errorf("PUT body %s", put.Body)
	}

	get := e.invoke(e.event("get_partner.json", map[string]string{"TOKEN": tok}))
	body = get.want(t, http.StatusOK)
	if got := get.Header.Get("ETag"); got != `"1"` {
		t.Errorf("GET ETag %q, want \"1\"", got)
	}
	locs, _ := body["locations"].([]any)
	if body["name"] != "Contoso Ltd" || len(locs) != 1 || locs[0].(map[string]any)["id"] != "7654321" {
		t.Errorf("GET body %s", get.Body)
	}

	again := e.invoke(e.event("put_partner.json", map[string]string{"TOKEN": tok}))
	again.want(t, http.StatusOK)
	if got := again.Header.Get("ETag"); got != `"2"` {
		t.Errorf("second PUT ETag %q, want \"2\"", got)
	}
}

func TestLambdaBase64Body(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t).withProfile()
	tok := e.token(partnerID)

	ev := e.event("put_individual_base64.json", map[string]string{"TOKEN": tok})
	if !ev.IsBase64Encoded || strings.Contains(ev.Body, "{") {
		t.Fatal("fixture must carry a base64 body")
	}
	put := e.invoke(ev)
	body := put.want(t, http.StatusCreated)
	if body["individualId"] != "a.b_c-1" || body["displayName"] != "Ana B. Costa" {
		t.Errorf("PUT body %s", put.Body)
	}
	if got := put.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag %q", got)
	}

	// The flag is what makes the difference: the same text taken as plain is not JSON.
	plain := e.event("put_individual_base64.json", map[string]string{"TOKEN": tok})
	plain.IsBase64Encoded = false
	plain.Headers["content-length"] = strconv.Itoa(len(plain.Body))
	e.invoke(plain).Problem(t, http.StatusBadRequest)

	get := e.invoke(e.event("get_individual.json", map[string]string{"TOKEN": tok, "RAW_ID": "a.b_c-1", "ID": "a.b_c-1"}))
	if b := get.want(t, http.StatusOK); b["displayName"] != "Ana B. Costa" {
		t.Errorf("GET body %s", get.Body)
	}
}

// percentEncodeAll escapes every byte, which a client may do with any character.
func percentEncodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestLambdaListQueryEscapes: the adapter must build the URL from
// rawQueryString as sent, decoding it exactly once (aws-lambda-go-api-proxy
// #147 re-encoded it in the v1 and ALB paths).
func TestLambdaListQueryEscapes(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t).withProfile()
	tok := e.token(partnerID)
	for _, id := range []string{"p-1", "p-2", "p-3"} {
		ev := e.event("put_individual_base64.json", map[string]string{"TOKEN": tok})
		setPath(&ev, "/v1/partners/"+partnerID+"/individuals/"+id)
		ev.PathParameters["individualId"] = id
		e.invoke(ev).want(t, http.StatusCreated)
	}
	list := func(rawQuery, cursor string) lambdaResult {
		t.Helper()
		ev := e.event("list_individuals.json", map[string]string{"TOKEN": tok, "RAW_QUERY": rawQuery, "CURSOR": cursor})
		if cursor == "" {
			delete(ev.QueryStringParameters, "cursor")
		}
		return e.invoke(ev)
	}
	page := func(r lambdaResult) (ids []string, next string) {
		t.Helper()
		m := r.want(t, http.StatusOK)
		for _, it := range m["items"].([]any) {
			ids = append(ids, it.(map[string]any)["individualId"].(string))
		}
		next, _ = m["nextCursor"].(string)
		return ids, next
	}

	ids, c1 := page(list("limit=1", ""))
	if len(ids) != 1 || ids[0] != "p-1" || c1 == "" {
		t.Fatalf("page 1: %v, next %q", ids, c1)
	}

	// Every character of the cursor escaped, and limit too: one decoding
	// gives back the cursor; a second encoding (#147) would not.
	ids, c2 := page(list("cursor="+percentEncodeAll(c1)+"&limit=%31", c1))
	if len(ids) != 1 || ids[0] != "p-2" || c2 == "" {
		t.Fatalf("page 2 with an escaped cursor: %v, next %q", ids, c2)
	}

	// %25 is a literal '%': decoded once this is "%XX…", not a cursor; only
	// a second decoding would turn it back into c2.
	probe := fmt.Sprintf("%%%02X", c2[0]) + c2[1:]
	fields := list("limit=1&cursor=%25"+probe[1:], probe).Problem(t, http.StatusBadRequest)
	if _, ok := fields["cursor"]; !ok {
		t.Fatalf("a %%25 cursor was decoded twice or misread: %v", fields)
	}

	ids, _ = page(list("limit=1&cursor="+url.QueryEscape(c2), c2))
	if len(ids) != 1 || ids[0] != "p-3" {
		t.Fatalf("page 3: %v", ids)
	}
}

func TestLambdaStages(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)

	// A named stage is in rawPath (aws-lambda-go-api-proxy #130).
	prod := e.event("health_prod_stage.json", nil)
	if !strings.HasPrefix(prod.RawPath, "/prod/") || prod.RequestContext.Stage != "prod" {
		t.Fatal("fixture must carry the stage in rawPath")
	}
	if b := e.invoke(prod).want(t, http.StatusOK); b["status"] == nil {
		t.Errorf("health body %v", b)
	}

	if b := e.invoke(e.event("health_default_stage.json", nil)).want(t, http.StatusOK); b["status"] == nil {
		t.Errorf("health body %v", b)
	}

	// A custom domain's API mapping drops the stage from the path: nothing to strip.
	mapped := e.event("health_prod_stage.json", nil)
	setPath(&mapped, "/v1/health")
	mapped.RequestContext.DomainName = "api.partnerready.example"
	e.invoke(mapped).want(t, http.StatusOK)

	// Only a whole segment is the stage.
	other := e.event("health_prod_stage.json", nil)
	setPath(&other, "/production/v1/health")
	e.invoke(other).Problem(t, http.StatusNotFound)

	bare := e.event("health_prod_stage.json", nil)
	setPath(&bare, "/prod")
	e.invoke(bare).Problem(t, http.StatusNotFound)
}

func TestLambdaPathParameterEncoding(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t).withProfile()
	tok := e.token(partnerID)
	e.invoke(e.event("put_individual_base64.json", map[string]string{"TOKEN": tok})).want(t, http.StatusCreated)
	get := func(rawID, id string) lambdaResult {
		t.Helper()
		return e.invoke(e.event("get_individual.json", map[string]string{"TOKEN": tok, "RAW_ID": rawID, "ID": id}))
	}

	if b := get("a.b_c-1", "a.b_c-1").want(t, http.StatusOK); b["individualId"] != "a.b_c-1" {
		t.Errorf("individualId %v", b["individualId"])
	}
	// An escaped unreserved character is the same id.
	if b := get("a.b_c%2D1", "a.b_c-1").want(t, http.StatusOK); b["individualId"] != "a.b_c-1" {
		t.Errorf("individualId %v", b["individualId"])
	}

	// rawPath as the client sent it, and as HTTP APIs are reported to pass
	// it on (decoded): either way a 400 problem, never an adapter failure.
	for _, c := range []struct{ raw, id string }{
		{"a%20b", "a b"},
		{"a b", "a b"},
		{"50%25", "50%"},
		{"50%", "50%"},
		{"a%23b", "a#b"},
		{"a#b", "a#b"},
		{"%C3%A9t%C3%A9", "été"},
		{"été", "été"},
	} {
		fields := get(c.raw, c.id).Problem(t, http.StatusBadRequest)
		if _, ok := fields["individualId"]; !ok {
			t.Errorf("rawPath …/individuals/%s: errors %v, want individualId", c.raw, fields)
		}
	}
}

func TestLambdaAuth(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	e.invoke(e.event("put_partner.json", map[string]string{"TOKEN": e.token(partnerID)})).want(t, http.StatusCreated)

	missing := e.event("get_partner.json", map[string]string{"TOKEN": "unused"})
	delete(missing.Headers, "authorization")
	r := e.invoke(missing)
	r.Problem(t, http.StatusUnauthorized)
	if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate %q", got)
	}

	other, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	forged, err := other.Sign(auth.TokenSpec{Subject: "x", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: partnerID, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	r = e.invoke(e.event("get_partner.json", map[string]string{"TOKEN": forged}))
	r.Problem(t, http.StatusUnauthorized)
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate")
	}

	// Another partner's token: the partner does not exist for it.
	e.invoke(e.event("get_partner.json", map[string]string{"TOKEN": e.token("7654321")})).Problem(t, http.StatusNotFound)
}

func TestLambdaRequestIDAndLog(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	tok := e.token(partnerID)
	e.invoke(e.event("put_partner.json", map[string]string{"TOKEN": tok})).want(t, http.StatusCreated)

	ev := e.event("get_partner.json", map[string]string{"TOKEN": tok})
	if ev.Headers["x-request-id"] == "" {
		t.Fatal("fixture must send the client's own x-request-id")
	}
	e.invoke(ev).want(t, http.StatusOK) // invoke checks X-Request-Id == requestContext.requestId

	// Whatever case the client's header name had.
	mixed := e.event("get_partner.json", map[string]string{"TOKEN": tok})
	delete(mixed.Headers, "x-request-id")
	mixed.Headers["X-Request-ID"] = "client-chosen-id-43"
	mixed.RequestContext.RequestID = "Ab1cfGhJoAMEV6Q="
	e.invoke(mixed).want(t, http.StatusOK)

	// An error carries it in the problem too.
	notFound := e.event("get_partner.json", map[string]string{"TOKEN": e.token("7654321")})
	notFound.RequestContext.RequestID = "Ab1ciJkLIAMEV7g="
	e.invoke(notFound).Problem(t, http.StatusNotFound)

	logs := e.logs.String()
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		if m["requestId"] == ev.RequestContext.RequestID {
			line = m
		}
		if m["requestId"] == "client-chosen-id-42" || m["requestId"] == "client-chosen-id-43" {
			t.Errorf("the client's request id was logged: %s", l)
		}
	}
	if line == nil {
		t.Fatalf("no log line with requestId %s:\n%s", ev.RequestContext.RequestID, logs)
	}
	if line["msg"] != "request" || line["route"] != "GET /v1/partners/{partnerId}" || line["status"] != float64(200) || line["tokenPartnerId"] != partnerID {
		t.Errorf("request log line %v", line)
	}
	for _, secret := range []string{tok, strings.Split(tok, ".")[2], "Bearer", "Contoso"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %.20q…", secret)
		}
	}
}

func TestLambdaUnknownRouteAndMethod(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	e.invoke(e.event("unknown_route.json", map[string]string{"TOKEN": e.token(partnerID)})).Problem(t, http.StatusNotFound)

	// ANY /v1/partners/{partnerId} forwards every method; the function answers 405.
	del := e.event("get_partner.json", map[string]string{"TOKEN": e.token(partnerID)})
	del.RequestContext.HTTP.Method = http.MethodDelete
	r := e.invoke(del)
	r.Problem(t, http.StatusMethodNotAllowed)
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PUT") {
		t.Errorf("Allow %q", allow)
	}
}

func TestLambdaBodyLimit(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	tok := e.token(partnerID)
	// A valid profile padded with whitespace to n bytes.
	padded := func(n int) []byte {
		b := []byte(`{"name":"Contoso Ltd","country":"FR","locations":[]}`)
		return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
	}
	for _, asBase64 := range []bool{false, true} {
		ev := e.event("put_partner.json", map[string]string{"TOKEN": tok})
		setBody(&ev, padded(httpapi.MaxBodyBytes+1), asBase64)
		e.invoke(ev).Problem(t, http.StatusRequestEntityTooLarge)

		ev = e.event("put_partner.json", map[string]string{"TOKEN": tok})
		setBody(&ev, padded(httpapi.MaxBodyBytes), asBase64)
		r := e.invoke(ev)
		if r.Status != http.StatusCreated && r.Status != http.StatusOK {
			t.Fatalf("a body of exactly 1 MiB (base64 %v): %d %s", asBase64, r.Status, r.Body)
		}
	}
}

// TestLambdaIdempotencyKeyWithComma: HTTP API passes header values as
// sent; a comma is one of the key's visible ASCII characters, so "batch,1"
// and "batch,2" are two keys, as they are on the local server.
func TestLambdaIdempotencyKeyWithComma(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t).withProfile()
	tok := e.token(partnerID)
	const tenant = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	customer := e.event("put_partner.json", map[string]string{"TOKEN": tok})
	setPath(&customer, "/v1/partners/"+partnerID+"/customers/"+tenant)
	customer.RequestContext.RequestID = "Ab1cuStOmAMEV7w="
	setBody(&customer, []byte(`{"name":"Fabrikam","association":"CSP_TIER1"}`), false)
	e.invoke(customer).want(t, http.StatusCreated)

	batch := func(key, requestID string, acr string) lambdaResult {
		ev := e.event("post_consumption.json", map[string]string{"TOKEN": tok, "IDEMPOTENCY_KEY": key})
		ev.RequestContext.RequestID = requestID
		setBody(&ev, []byte(`{"records":[{"tenantId":"`+tenant+`","month":"2026-10","serviceLevel2":"Azure Machine Learning","serviceGroup":"AI + Machine Learning","offer":"CSP","acrUsd":`+acr+`}]}`), false)
		return e.invoke(ev)
	}
	batch("batch,1", "Ab1clMnPoAMEV7w=", "1").want(t, http.StatusOK)
	second := batch("batch,2", "Ab1clMnPoAMEV8w=", "2")
	second.want(t, http.StatusOK)
	if second.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal(`"batch,2" replayed the response to "batch,1": the key was cut at the comma`)
	}
	r := batch("batch,2", "Ab1coPqRIAMEV9w=", "2")
	if r.Status != http.StatusOK || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retry with the same key: %d, replayed %q", r.Status, r.Header.Get("Idempotent-Replayed"))
	}
}

// A request's context ends AnswerMargin before the function's deadline, so
// that a request out of time still answers (a 503 the client may retry)
// before Lambda stops the function.
func TestLambdaRequestDeadline(t *testing.T) {
	var got time.Time
	h := app.LambdaHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = r.Context().Deadline()
		w.WriteHeader(http.StatusNoContent)
	}))
	deadline := time.Now().Add(25 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	ev := events.APIGatewayV2HTTPRequest{RawPath: "/v1/health", RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/v1/health"}}}
	if _, err := h(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if want := deadline.Add(-app.AnswerMargin); !got.Equal(want) {
		t.Fatalf("the request's deadline is %v, want %v", got, want)
	}
}
