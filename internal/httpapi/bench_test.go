package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/webhook"
)

// The budgets are ratios to a baseline measured in the same run, in turn
// with what is measured: GET /v1/partners/{id} (a token already verified,
// one GetItem of the profile), the API's cheapest authenticated route.
// Machines differ, and a shared one's speed changes from minute to minute;
// a ratio to a request through the same handler, store client and engine
// carries over where absolute times do not. The benchmarks report both and
// fail only on the ratios (and on DynamoDB call counts, which do not vary).

// sampler times requests through the whole handler.
type sampler struct {
	b       *testing.B
	e       *env
	tok     string
	partner []time.Duration // the baseline's wall times
	metrics []string        // what was reported, repeated when a budget fails
	over    []string        // the budgets failed
}

func newSampler(b *testing.B, e *env) *sampler {
	return &sampler{b: b, e: e, tok: e.admin(pid)}
}

// serve sends one request and returns its wall time and its DynamoDB calls.
func (s *sampler) serve(method, path, token, body string) (time.Duration, *store.Calls) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	ctx, calls := store.WithCalls(context.Background())
	rec := httptest.NewRecorder()
	start := time.Now()
	s.e.handler.ServeHTTP(rec, req.WithContext(ctx))
	d := time.Since(start)
	if rec.Code >= 300 {
		s.b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	return d, calls
}

// baseline times one GET /v1/partners/{id}.
func (s *sampler) baseline() {
	d, _ := s.serve("GET", "/v1/partners/"+pid, s.tok, "")
	s.partner = append(s.partner, d)
}

func quantile(samples []time.Duration, q float64) time.Duration {
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	return sorted[int(q*float64(len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// report is b.ReportMetric, kept to be printed with a failed budget (a
// failed benchmark prints no metrics).
func (s *sampler) report(v float64, unit string) {
	s.b.ReportMetric(v, unit)
	s.metrics = append(s.metrics, fmt.Sprintf("%.4g %s", v, unit))
}

// budget reports measured as a ratio to the baseline's median, beside its
// absolute figure, and notes whether it exceeds ratio.
func (s *sampler) budget(what string, measured time.Duration, ratio float64, unit string) {
	base := quantile(s.partner, 0.5)
	got := float64(measured) / float64(base)
	s.report(got, unit)
	switch {
	case len(s.partner) < 20:
		// Too few baseline samples to judge a ratio (-benchtime below 20x).
		s.b.Logf("%s: budget not checked, %d baseline samples (needs 20)", what, len(s.partner))
	case got > ratio:
		s.over = append(s.over, fmt.Sprintf("%s %.3f ms is %.1f × GET partner's p50 %.3f ms; budget %.1f ×", what, ms(measured), got, ms(base), ratio))
	}
}

// check reports the baseline and fails the benchmark on each budget exceeded.
func (s *sampler) check() {
	s.b.Helper()
	s.report(ms(quantile(s.partner, 0.5)), "partner-p50-ms")
	for _, o := range s.over {
		s.b.Errorf("%s (measured: %s)", o, strings.Join(s.metrics, ", "))
	}
}

// BenchmarkHandlerOverhead measures what the API adds around the store (auth,
// decode, validate, encode, logging): each request's wall time minus the time
// spent inside DynamoDB calls. Budget: p99 at most 2.5 × GET partner's p50
// wall time, its DynamoDB call included (the 1 ms it was first stated as,
// at this baseline's 0.4 ms on a 2-core machine).
func BenchmarkHandlerOverhead(b *testing.B) {
	app.TuneGC() // as every function runs
	e := newEnv(b)
	withCustomers(e, 25)
	tok := e.admin(pid)
	e.do("PUT", "/v1/partners/"+pid, tok, contoso, nil)
	person := `{"displayName":"Ada","certifications":[{"id":"azure-administrator-associate","earnedOn":"2025-01-02"},{"id":"azure-solutions-architect-expert","earnedOn":"2025-02-03","expiresOn":"2027-02-03"},{"id":"azure-ai-engineer-associate","earnedOn":"2025-03-04"}]}`
	recs := make([]map[string]any, 25)
	for i := range recs {
		recs[i] = record(i, "2026-10", 1234.56)
	}
	batch25, _ := json.Marshal(batch(recs...))
	cases := []struct {
		name, method, path, body string
		newToken                 bool // a token the verifier has not seen: one ES256 verify more
	}{
		{"GET partner", "GET", "/v1/partners/" + pid, "", false},
		{"GET partner new token", "GET", "/v1/partners/" + pid, "", true},
		{"PUT individual", "PUT", "/v1/partners/" + pid + "/individuals/ada", person, false},
		{"GET customers page of 25", "GET", "/v1/partners/" + pid + "/customers?limit=25", "", false},
		{"POST consumption 25", "POST", "/v1/partners/" + pid + "/consumption", string(batch25), false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := newSampler(b, e)
			overhead := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				s.baseline()
				token := tok
				if c.newToken {
					fresh, err := e.key.Sign(auth.TokenSpec{Subject: fmt.Sprint("user-", i), Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: pid, TTL: time.Hour, Now: testNow})
					if err != nil {
						b.Fatal(err)
					}
					token = fresh
				}
				b.StartTimer()
				d, calls := s.serve(c.method, c.path, token, c.body)
				overhead = append(overhead, d-calls.Time())
			}
			s.report(float64(quantile(overhead, 0.5).Microseconds()), "p50-µs")
			s.report(float64(quantile(overhead, 0.99).Microseconds()), "p99-µs")
			s.budget("handler overhead p99", quantile(overhead, 0.99), 2.5, "p99-x-partner")
			s.check()
		})
	}
}

// BenchmarkIngest24000 pushes 1,000 customers × 24 months of consumption
// through the batch endpoint, 1,000 records a call, on the embedded engine,
// with the baseline between the calls. Budget: the 24 calls in at most
// 60,000 × GET partner's p50 (the 30 s it was first stated as, at a
// baseline of 0.45 ms). It reports the DynamoDB calls by operation.
func BenchmarkIngest24000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b)
		withCustomers(e, 1000)
		var recs []map[string]any
		for c := range 1000 {
			for m := range 24 {
				recs = append(recs, record(c, fmt.Sprintf("%d-%02d", 2024+(m+10)/12, (m+10)%12+1), 100+c))
			}
		}
		s := newSampler(b, e)
		ops := map[string]int64{}
		var elapsed time.Duration
		for i := 0; i < len(recs); i += 1000 {
			for range 5 {
				s.baseline()
			}
			body, _ := json.Marshal(batch(recs[i : i+1000]...))
			b.StartTimer()
			d, calls := s.serve("POST", "/v1/partners/"+pid+"/consumption", s.tok, string(body))
			b.StopTimer()
			elapsed += d
			for op, n := range calls.ByOperation() {
				ops[op] += n
			}
		}
		s.report(elapsed.Seconds(), "s/24k-records")
		s.report(float64(ops["TransactWriteItems"]), "TransactWriteItems-calls")
		s.report(float64(ops["BatchGetItem"]), "BatchGetItem-calls")
		s.budget("ingest of 24,000 records", elapsed, 60_000, "x-partner")
		s.check()
		if n := ops["TransactWriteItems"]; n != 24 {
			b.Errorf("%d TransactWriteItems calls, want 24 (one a batch)", n)
		}
		b.StartTimer()
	}
}

// BenchmarkScoresLargePartner: GET /scores for a partner of 2,000 people,
// 1,000 customers and 24 months × 8 services of consumption, on the
// embedded engine, in turn with the baseline and with the pure engine
// (domain.Score) on the same data. Budgets: p50 at most 25 × GET partner's
// p50 and the engine's p50 at most 1.5 × (the 20 ms and 1 ms they were
// first stated as, at this baseline's 0.75 ms on a 2-core machine), and 1
// DynamoDB call whatever the partner's size. It reports the bytes and read
// units that call reads.
func BenchmarkScoresLargePartner(b *testing.B) {
	app.TuneGC() // as every function runs
	e := newEnv(b)
	e.withProfile(pid)
	ctx := context.Background()
	certs := []string{"azure-administrator-associate", "azure-solutions-architect-expert", "data-analyst-associate",
		"azure-network-engineer-associate", "azure-developer-associate", "github-actions", "fabric-data-engineer-associate"}
	for i := range 2000 {
		ind := domain.Individual{ID: fmt.Sprintf("person-%04d", i), DisplayName: "Person"}
		for k := range 1 + i%3 {
			ind.Certifications = append(ind.Certifications, domain.HeldCertification{ID: certs[(i+k)%len(certs)], EarnedOn: domain.MustDate("2025-01-15")})
		}
		if _, _, err := e.store.PutIndividual(ctx, pid, ind, store.Precondition{}); err != nil {
			b.Fatal(err)
		}
	}
	assoc := domain.Associations
	var recs []domain.ConsumptionRecord
	for c := range 1000 {
		t := fmt.Sprintf("00000000-0000-4000-8000-%012d", c)
		if _, _, err := e.store.PutCustomer(ctx, pid, domain.Customer{TenantID: t, Name: "C", Association: assoc[c%len(assoc)]}, store.Precondition{}); err != nil {
			b.Fatal(err)
		}
		for m := range 24 {
			for s := range 8 {
				recs = append(recs, domain.ConsumptionRecord{TenantID: t, Month: domain.MustMonth("2024-11").AddMonths(m), ServiceLevel2: fmt.Sprint("Service ", s),
					ServiceGroup: "Group", Offer: domain.Offers[(c+s)%4], ACR: domain.Cents(10000 + c*7 + m*100 + s)})
			}
		}
	}
	for i := 0; i < len(recs); i += 8000 {
		if err := e.store.UpsertConsumption(ctx, pid, recs[i:min(i+8000, len(recs))]); err != nil {
			b.Fatal(err)
		}
	}
	asOf := domain.MustMonth("2026-10")
	w := domain.ScoreWindow(asOf)
	rules := catalog.MustScoringRules(catalog.MustCertifications())

	s := newSampler(b, e)
	scores := make([]time.Duration, 0, b.N)
	engine := make([]time.Duration, 0, b.N)
	var last *store.Calls
	for b.Loop() {
		b.StopTimer()
		s.baseline()
		// The engine on data just read, as in a request (warm in cache).
		data, err := e.store.LoadScoringData(ctx, pid, w.From, w.To)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		domain.Score(rules, domain.ScoreInput{AsOf: asOf, Today: domain.DateOf(testNow), Individuals: data.Individuals, Customers: data.Customers, Usage: data.Usage})
		engine = append(engine, time.Since(start))
		b.StartTimer()
		d, calls := s.serve("GET", "/v1/partners/"+pid+"/scores?asOf="+asOf.String(), s.tok, "")
		scores = append(scores, d)
		last = calls
	}
	s.report(ms(quantile(scores, 0.5)), "p50-ms")
	s.report(ms(quantile(scores, 0.95)), "p95-ms")
	s.report(ms(quantile(engine, 0.5)), "engine-p50-ms")
	s.report(float64(last.Load()), "dynamodb-calls")
	s.report(float64(last.ReadBytes()), "read-bytes")
	s.report(last.ReadUnits(), "read-units")
	s.budget("GET /scores p50", quantile(scores, 0.5), 25, "p50-x-partner")
	s.budget("the engine's p50", quantile(engine, 0.5), 1.5, "engine-x-partner")
	s.check()
	if n := last.Load(); n != 1 {
		b.Errorf("a score took %d DynamoDB calls, budget 1", n)
	}
}

// BenchmarkChecklist500: GET …/checklist for a partner with 500 evidence
// items (every Module A control, 100 customers, a fifth of them in states
// that do not count) on the embedded engine, in turn with the baseline.
// Budgets: p50 at most 3 × GET partner's p50, and at most 2 DynamoDB calls
// (it makes 1: customers, people and evidence are read together). It
// reports the bytes that call reads.
func BenchmarkChecklist500(b *testing.B) {
	app.TuneGC()
	e := newEnv(b)
	e.withProfile(pid)
	ctx := context.Background()
	for c := range 100 {
		if _, _, err := e.store.PutCustomer(ctx, pid, domain.Customer{TenantID: tenant(c), Name: "C", Association: domain.Associations[0]}, store.Precondition{}); err != nil {
			b.Fatal(err)
		}
	}
	controls := []struct{ id, kind string }{{"A1.1", "strategy_document"}, {"A2.1", "adoption_plan"}, {"A2.2", "skilling_plan"},
		{"A3.1", "deployment_template"}, {"A4.1", "governance_evidence"}, {"A5.1", "operations_evidence"}}
	statuses := []evidence.Status{evidence.StatusAvailable, evidence.StatusAvailable, evidence.StatusAvailable, evidence.StatusAvailable, evidence.StatusRejected}
	done, signed := domain.MustDate("2026-03-01"), domain.MustDate("2026-03-15")
	var all []evidence.Evidence
	for i := range 500 {
		c := controls[i%len(controls)]
		all = append(all, evidence.Evidence{ID: store.NewID(testNow), Status: statuses[i%len(statuses)], Metadata: evidence.Metadata{
			SpecializationID: aiSpec, Controls: []string{c.id}, Customers: []string{tenant(i % 100)}, Individuals: []string{},
			Kind: evidence.Kind(c.kind), Production: true, ProjectCompletedOn: &done, CustomerSignedOffOn: &signed,
			Language: "en", Title: fmt.Sprint("Evidence ", i), FileName: "e.pdf", ContentType: "application/pdf", SizeBytes: 1000,
			SHA256: strings.Repeat("ab", 32),
		}})
	}
	if _, err := e.store.ChangeEvidence(ctx, pid, func(map[string]*evidence.Evidence) ([]evidence.Evidence, error) { return all, nil }); err != nil {
		b.Fatal(err)
	}
	s := newSampler(b, e)
	times := make([]time.Duration, 0, b.N)
	outside := make([]time.Duration, 0, b.N) // the time not spent in DynamoDB calls
	var last *store.Calls
	for b.Loop() {
		b.StopTimer()
		s.baseline()
		b.StartTimer()
		d, calls := s.serve("GET", "/v1/partners/"+pid+"/specializations/"+aiSpec+"/checklist", s.tok, "")
		times = append(times, d)
		outside = append(outside, d-calls.Time())
		last = calls
	}
	s.report(ms(quantile(times, 0.5)), "p50-ms")
	s.report(ms(quantile(outside, 0.5)), "outside-dynamodb-p50-ms")
	s.report(ms(quantile(times, 0.95)), "p95-ms")
	s.report(float64(last.Load()), "dynamodb-calls")
	s.report(float64(last.ReadBytes()), "read-bytes")
	s.budget("GET checklist p50", quantile(times, 0.5), 3, "p50-x-partner")
	s.check()
	if n := last.Load(); n > 2 {
		b.Errorf("a checklist took %d DynamoDB calls, budget 2", n)
	}
}

// BenchmarkWebhook measures the audit firm's webhook end to end: the
// signature over the raw bytes, the event's checks, its dedupe and its
// transition, read and written in one GetItem and one
// TransactWriteItems. Each request is a real state change: audits are
// walked through scheduling, payment, the audit and the final report.
// Budget: p99 at most 2 × GET partner's p99, measured in turn.
//
// minidyn copies the whole table on every TransactWriteItems (its
// core.Table.Snapshot, for the rollback), which DynamoDB does not: left to
// grow, the table would make the engine, not the request, the measure. So
// each audit's items are deleted, outside the timing, once it is walked
// through: the table holds one partner's profile and one audit.
func BenchmarkWebhook(b *testing.B) {
	app.TuneGC()
	e := newEnv(b)
	e.withProfile(pid)
	s := newSampler(b, e)
	steps := []struct {
		typ  string
		data map[string]any
	}{
		{"audit.scheduled", map[string]any{"auditOn": e.now().Format(time.DateOnly)}},
		{"audit.payment_received", map[string]any{"amountUsd": 3000}},
		{"audit.conducted", map[string]any{"openActionItems": 0}},
		{"final_report.issued", map[string]any{"result": "pass"}},
	}
	times := make([]time.Duration, 0, b.N)
	outside := make([]time.Duration, 0, b.N) // the time not spent in DynamoDB calls
	var last *store.Calls
	var auditID string
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s.baseline()
		if i%len(steps) == 0 {
			if auditID != "" {
				e.dropAudit(auditID)
			}
			auditID = e.openAudit(pid, "issi")
		}
		st := steps[i%len(steps)]
		body := event(fmt.Sprint("evt-", i), st.typ, auditID, e.now(), st.data)
		req := httptest.NewRequest("POST", "/v1/webhooks/audit-firm", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(webhook.Header, webhook.Sign([]byte(webhookSecret), body, e.now()))
		ctx, calls := store.WithCalls(context.Background())
		rec := httptest.NewRecorder()
		b.StartTimer()
		start := time.Now()
		e.handler.ServeHTTP(rec, req.WithContext(ctx))
		d := time.Since(start)
		b.StopTimer()
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"duplicate":false`) {
			b.Fatalf("%s: %d %s", st.typ, rec.Code, rec.Body)
		}
		if ops := calls.ByOperation(); ops["GetItem"] != 1 || ops["TransactWriteItems"] != 1 || calls.Load() != 2 {
			b.Fatalf("%s took %v; budget 1 GetItem + 1 TransactWriteItems", st.typ, ops)
		}
		times = append(times, d)
		outside = append(outside, d-calls.Time())
		last = calls
		b.StartTimer()
	}
	b.StopTimer()
	s.report(ms(quantile(times, 0.5)), "p50-ms")
	s.report(ms(quantile(times, 0.99)), "p99-ms")
	s.report(ms(quantile(outside, 0.5)), "outside-dynamodb-p50-ms")
	s.report(ms(quantile(outside, 0.99)), "outside-dynamodb-p99-ms")
	s.report(ms(quantile(s.partner, 0.99)), "partner-p99-ms")
	s.report(float64(last.Load()), "dynamodb-calls")
	s.report(float64(last.ReadBytes()), "read-bytes")
	base := quantile(s.partner, 0.99)
	ratio := float64(quantile(times, 0.99)) / float64(base)
	s.report(ratio, "p99-x-partner-p99")
	if len(s.partner) >= 100 && ratio > 2 {
		s.over = append(s.over, fmt.Sprintf("webhook p99 %.3f ms is %.1f × GET partner's p99 %.3f ms; budget 2 ×", ms(quantile(times, 0.99)), ratio, ms(base)))
	}
	s.check()
}

// dropAudit deletes an audit's items (the audit, its slot and its events)
// from the table, with the engine's own client: the API deletes no audit.
func (e *env) dropAudit(id string) {
	e.t.Helper()
	ctx := context.Background()
	out, err := e.table.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(e.table.Name),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "P#" + pid}},
		ProjectionExpression:      aws.String("PK, SK"),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, k := range out.Items {
		if sk := k["SK"].(*types.AttributeValueMemberS).Value; sk == "PROFILE" {
			continue
		}
		if _, err := e.table.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(e.table.Name), Key: k}); err != nil {
			e.t.Fatal(err)
		}
	}
}
