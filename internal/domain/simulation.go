package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Scenario is hypothetical data laid over a partner's real data; nothing is written.
//
// Removals name the partner's real data and are applied first, then the
// additions: removing a person and adding one with the same id is a
// replacement, as adding alone already is. A scenario is all or nothing:
// one bad entry and Apply changes nothing, so a partner never reads a score
// built on half of what was asked.
type Scenario struct {
	AddIndividuals    []Individual        // new people, or a replacement of a person with the same id (e.g. with a hypothetical certification)
	RemoveIndividuals []string            // individual ids; each must exist
	AddCustomers      []Customer          // new, or replacing by tenant id
	RemoveCustomers   []string            // tenant ids; each must exist
	AddConsumption    []ConsumptionRecord // upserted by (tenant, month, service, offer), exactly like the ingest API; tenant must be a customer (real or added)
	RemoveConsumption []ConsumptionRecord // matched by key (tenant, month, serviceLevel2, offer); each must exist; ACR ignored
}

// ScenarioError names one bad entry of a scenario. Field is a JSON path of
// the request ("removeIndividuals[2]", "addConsumption[0].tenantId") so the
// API can hand it over as an RFC 9457 errors[] item as is.
type ScenarioError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e ScenarioError) Error() string { return e.Field + ": " + e.Message }

// Simulation is the score with a scenario applied, and how it moved.
type Simulation struct {
	AsOf Month `json:"asOf"`
	Completeness
	Areas       []AreaScore      `json:"areas"` // the scores with the scenario applied
	Differences []AreaDifference `json:"differences"`
}

// AreaDifference lists every metric of the area, changed or not, so a client
// can show before and after side by side without a second request.
type AreaDifference struct {
	Area     Area           `json:"area"`
	Total    Change         `json:"total"`
	Attained AttainedChange `json:"attained"`
	Metrics  []MetricChange `json:"metrics"`
}

type Change struct {
	Before int `json:"before"`
	After  int `json:"after"`
	Delta  int `json:"delta"`
}

type AttainedChange struct {
	Before bool `json:"before"`
	After  bool `json:"after"`
}

type MetricChange struct {
	Metric Metric `json:"metric"`
	Before int    `json:"before"`
	After  int    `json:"after"`
	Delta  int    `json:"delta"`
}

// Simulate scores every area (Score's order) before and after the scenario.
// On a bad scenario it returns no simulation and every error found.
func Simulate(rules ScoringRules, in ScoreInput, s Scenario) (Simulation, []ScenarioError) {
	after, errs := s.Apply(in)
	if len(errs) > 0 {
		return Simulation{}, errs
	}
	before := Score(rules, in)
	now := Score(rules, after)
	sim := Simulation{AsOf: in.AsOf, Completeness: CompletenessOf(in.AsOf, in.Today), Areas: now, Differences: make([]AreaDifference, len(now))}
	for i := range now {
		sim.Differences[i] = difference(before[i], now[i])
	}
	return sim, nil
}

func difference(before, after AreaScore) AreaDifference {
	d := AreaDifference{
		Area:     after.Area,
		Total:    Change{before.Total, after.Total, after.Total - before.Total},
		Attained: AttainedChange{before.Attained, after.Attained},
		Metrics:  make([]MetricChange, 0, len(after.Metrics)),
	}
	for _, m := range after.Metrics {
		b := 0
		for _, bm := range before.Metrics {
			if bm.Metric == m.Metric {
				b = bm.Points
				break
			}
		}
		d.Metrics = append(d.Metrics, MetricChange{Metric: m.Metric, Before: b, After: m.Points, Delta: m.Points - b})
	}
	return d
}

// Apply returns in with the scenario laid over it, or in itself and every
// error. It never mutates in: the caller's slices and Usage are shared with
// the result where untouched (the store's data is large and read-only), and
// whatever changes is copied first.
func (s Scenario) Apply(in ScoreInput) (ScoreInput, []ScenarioError) {
	var errs []ScenarioError
	fail := func(field, format string, args ...any) {
		errs = append(errs, ScenarioError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	out := in
	out.Individuals = s.applyIndividuals(in.Individuals, fail)
	var customers map[string]bool
	out.Customers, customers = s.applyCustomers(in.Customers, fail)
	out.Usage = s.applyConsumption(in.Usage, customers, fail)
	if len(errs) > 0 {
		return in, errs
	}
	return out, nil
}

type failFunc func(field, format string, args ...any)

func (s Scenario) applyIndividuals(people []Individual, fail failFunc) []Individual {
	exists := make(map[string]bool, len(people))
	for _, p := range people {
		exists[p.ID] = true
	}
	removed := map[string]int{}
	for i, id := range s.RemoveIndividuals {
		f := fmt.Sprintf("removeIndividuals[%d]", i)
		if j, dup := removed[id]; dup {
			fail(f, "repeats removeIndividuals[%d]", j)
		} else if !exists[id] {
			fail(f, "the partner has no individual %q", id)
		} else {
			removed[id] = i
		}
	}
	added := map[string]int{}
	for i, p := range s.AddIndividuals {
		f := fmt.Sprintf("addIndividuals[%d]", i)
		if !ValidIndividualID(p.ID) {
			fail(f+".individualId", "must be 1 to 64 letters, digits, '-', '_' or '.'")
			continue
		}
		if j, dup := added[p.ID]; dup {
			fail(f+".individualId", "repeats addIndividuals[%d].individualId", j)
			continue
		}
		added[p.ID] = i
		for j, c := range p.Certifications {
			cf := fmt.Sprintf("%s.certifications[%d]", f, j)
			if c.ID == "" {
				fail(cf+".id", "is required")
			}
			if c.ExpiresOn != nil && c.ExpiresOn.Before(c.EarnedOn) {
				fail(cf+".expiresOn", "must not be before earnedOn")
			}
		}
	}
	if len(removed) == 0 && len(added) == 0 {
		return people
	}
	out := make([]Individual, 0, len(people)+len(s.AddIndividuals))
	for _, p := range people {
		_, r := removed[p.ID]
		_, a := added[p.ID]
		// Every entry with the id goes: entries sharing an id are one person
		// (R-PCS-4 counts a person once per step), so a replacement is whole.
		if !r && !a {
			out = append(out, p)
		}
	}
	return append(out, s.AddIndividuals...)
}

// applyCustomers also returns the canonical tenant ids of the customers
// after the scenario, against which consumption is checked.
func (s Scenario) applyCustomers(customers []Customer, fail failFunc) ([]Customer, map[string]bool) {
	final := make(map[string]bool, len(customers)+len(s.AddCustomers))
	for _, c := range customers {
		final[strings.ToLower(c.TenantID)] = true
	}
	removed := map[string]int{}
	for i, id := range s.RemoveCustomers {
		f := fmt.Sprintf("removeCustomers[%d]", i)
		tid, ok := NormalizeTenantID(id)
		switch j, dup := removed[tid]; {
		case !ok:
			fail(f, "must be a tenant id (a GUID)")
		case dup:
			fail(f, "repeats removeCustomers[%d]", j)
		case !final[tid]:
			fail(f, "the partner has no customer with tenant id %s", tid)
		default:
			removed[tid] = i
		}
	}
	for tid := range removed {
		delete(final, tid)
	}
	added := map[string]int{}
	adds := make([]Customer, 0, len(s.AddCustomers))
	for i, c := range s.AddCustomers {
		f := fmt.Sprintf("addCustomers[%d]", i)
		tid, ok := NormalizeTenantID(c.TenantID)
		if !ok {
			fail(f+".tenantId", "must be a tenant id (a GUID)")
			continue
		}
		if j, dup := added[tid]; dup {
			fail(f+".tenantId", "repeats addCustomers[%d].tenantId", j)
			continue
		}
		if !slices.Contains(Associations, c.Association) {
			fail(f+".association", "must be one of %s", joinAssociations())
		}
		added[tid] = i
		final[tid] = true
		c.TenantID = tid
		adds = append(adds, c)
	}
	if len(removed) == 0 && len(added) == 0 {
		return customers, final
	}
	out := make([]Customer, 0, len(customers)+len(adds))
	for _, c := range customers {
		tid := strings.ToLower(c.TenantID)
		_, r := removed[tid]
		_, a := added[tid]
		if !r && !a {
			out = append(out, c)
		}
	}
	return append(out, adds...), final
}

func joinAssociations() string {
	names := make([]string, len(Associations))
	for i, a := range Associations {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// lineKey is a record's identity within one tenant and month (ConsumptionRecord.Key).
type lineKey struct {
	service string
	offer   Offer
}

// tenantChange is what the scenario does to one tenant in one month.
type tenantChange struct {
	drop map[lineKey]bool // removed, or replaced by an addition
	add  []ConsumptionRecord
}

func (s Scenario) applyConsumption(u Usage, customers map[string]bool, fail failFunc) Usage {
	changes := map[Month]map[string]*tenantChange{}
	change := func(m Month, tid string) *tenantChange {
		if changes[m] == nil {
			changes[m] = map[string]*tenantChange{}
		}
		c := changes[m][tid]
		if c == nil {
			c = &tenantChange{drop: map[lineKey]bool{}}
			changes[m][tid] = c
		}
		return c
	}

	removed := map[string]int{}
	for i, r := range s.RemoveConsumption {
		f := fmt.Sprintf("removeConsumption[%d]", i)
		tid, ok := NormalizeTenantID(r.TenantID)
		if !ok {
			fail(f+".tenantId", "must be a tenant id (a GUID)")
			continue
		}
		r.TenantID = tid
		if j, dup := removed[r.Key()]; dup {
			fail(f, "repeats removeConsumption[%d]", j)
			continue
		}
		if !u.has(r) {
			fail(f, "the partner has no consumption record for tenant %s in %s for %q under %s", tid, r.Month, r.ServiceLevel2, r.Offer)
			continue
		}
		removed[r.Key()] = i
		change(r.Month, tid).drop[lineKey{r.ServiceLevel2, r.Offer}] = true
	}

	added := map[string]int{}
	for i, r := range s.AddConsumption {
		f := fmt.Sprintf("addConsumption[%d]", i)
		bad := false
		check := func(ok bool, field, msg string) {
			if !ok {
				fail(f+field, "%s", msg)
				bad = true
			}
		}
		tid, ok := NormalizeTenantID(r.TenantID)
		check(ok, ".tenantId", "must be a tenant id (a GUID)")
		// The ingest API refuses consumption of a tenant that is not a
		// customer; a simulation must not accept what ingest would not.
		check(!ok || customers[tid], ".tenantId", "is not a customer of the partner (real or in addCustomers)")
		check(r.Month.Year >= 1 && r.Month.Month >= 1 && r.Month.Month <= 12, ".month", "must be a month YYYY-MM")
		check(r.ServiceLevel2 != "", ".serviceLevel2", "is required")
		check(r.ServiceGroup != "", ".serviceGroup", "is required")
		check(slices.Contains(Offers, r.Offer), ".offer", "must be one of PAYG, ENTERPRISE, CSP, MCA, SPONSORSHIP, SUPPORT, INTERNAL, BENEFIT, TRIAL")
		check(r.ACR >= 0, ".acrUsd", "must not be negative")
		check(r.ACR <= MaxCents, ".acrUsd", "is too large")
		if bad {
			continue
		}
		r.TenantID = tid
		if j, dup := added[r.Key()]; dup {
			fail(f, "repeats addConsumption[%d] (same tenantId, month, serviceLevel2 and offer)", j)
			continue
		}
		added[r.Key()] = i
		c := change(r.Month, tid)
		c.drop[lineKey{r.ServiceLevel2, r.Offer}] = true
		c.add = append(c.add, r)
	}
	if len(changes) == 0 {
		return u
	}

	out := Usage{Services: slices.Clip(u.Services), Months: make(map[Month][]TenantUsage, len(u.Months)+len(changes))}
	for m, rows := range u.Months {
		out.Months[m] = rows
	}
	var index map[Service]int
	intern := func(svc Service) int {
		if index == nil {
			index = make(map[Service]int, len(out.Services))
			for i, s := range out.Services {
				if _, ok := index[s]; !ok {
					index[s] = i
				}
			}
		}
		i, ok := index[svc]
		if !ok {
			// Services was clipped: this append copies rather than writing
			// into spare capacity the caller's slice may own.
			i = len(out.Services)
			out.Services = append(out.Services, svc)
			index[svc] = i
		}
		return i
	}
	for m, tenants := range changes {
		rows := u.Months[m]
		next := make([]TenantUsage, 0, len(rows)+len(tenants))
		merged := map[string]int{} // tenant → its row in next
		for _, row := range rows {
			c := tenants[row.TenantID]
			if c == nil {
				next = append(next, row)
				continue
			}
			// A tenant listed twice in a month becomes one row: fresh Lines,
			// never an append to the caller's.
			k, seen := merged[row.TenantID]
			if !seen {
				k = len(next)
				merged[row.TenantID] = k
				next = append(next, TenantUsage{TenantID: row.TenantID})
			}
			for _, l := range row.Lines {
				if !c.drop[lineKey{u.Services[l.Service].Name, l.Offer.Offer()}] {
					next[k].Lines = append(next[k].Lines, l)
				}
			}
		}
		for tid, c := range tenants {
			k, seen := merged[tid]
			if !seen {
				k = len(next)
				next = append(next, TenantUsage{TenantID: tid})
			}
			for _, r := range c.add {
				next[k].Lines = append(next[k].Lines, UsageLine{Service: int32(intern(Service{r.ServiceLevel2, r.ServiceGroup})), Offer: CodeOf(r.Offer), ACR: r.ACR})
			}
		}
		next = slices.DeleteFunc(next, func(t TenantUsage) bool { return len(t.Lines) == 0 })
		// The score merges each month's tenants with the customers in id
		// order (scanUsage); new tenants were appended at the end.
		slices.SortStableFunc(next, func(a, b TenantUsage) int { return strings.Compare(a.TenantID, b.TenantID) })
		if len(next) == 0 {
			delete(out.Months, m)
		} else {
			out.Months[m] = next
		}
	}
	return out
}

// has reports whether a record with r's key exists; rows are in tenant id order.
func (u Usage) has(r ConsumptionRecord) bool {
	rows := u.Months[r.Month]
	i, _ := slices.BinarySearchFunc(rows, r.TenantID, func(t TenantUsage, id string) int { return strings.Compare(t.TenantID, id) })
	for ; i < len(rows) && rows[i].TenantID == r.TenantID; i++ {
		for _, l := range rows[i].Lines {
			if l.Offer.Offer() == r.Offer && u.Services[l.Service].Name == r.ServiceLevel2 {
				return true
			}
		}
	}
	return false
}
