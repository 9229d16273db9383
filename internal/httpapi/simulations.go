package httpapi

import (
	"fmt"
	"net/http"

	"github.com/partnerready/partnerready/internal/domain"
)

// MaxSimulationItems bounds each list of a simulation, as the ingest batch is bounded.
const MaxSimulationItems = 1000

type simulationInput struct {
	AsOf              string                   `json:"asOf"` // parseAsOf checks it
	AddIndividuals    []simulatedPerson        `json:"addIndividuals" max:"1000"`
	RemoveIndividuals []string                 `json:"removeIndividuals" max:"1000"`
	AddCustomers      []simulatedCustomer      `json:"addCustomers" max:"1000"`
	RemoveCustomers   []string                 `json:"removeCustomers" max:"1000"`
	AddConsumption    []consumptionRecordInput `json:"addConsumption" max:"1000"`
	RemoveConsumption []consumptionKeyInput    `json:"removeConsumption" max:"1000"`
}

type simulatedPerson struct {
	IndividualID string `json:"individualId"`
	individualInput
}

type simulatedCustomer struct {
	TenantID string `json:"tenantId"`
	customerInput
}

type consumptionKeyInput struct {
	TenantID      string `json:"tenantId"`
	Month         string `json:"month"`
	ServiceLevel2 string `json:"serviceLevel2"`
	Offer         string `json:"offer"`
}

// postSimulation answers "what if": the partner's real data with hypothetical
// people, customers and consumption added or removed, scored as of a month,
// with the difference per metric. Nothing is written.
func (a *Scoring) postSimulation(w http.ResponseWriter, r *http.Request) error {
	var in simulationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	if n := len(in.AddConsumption) + len(in.RemoveConsumption); n > MaxSimulationItems {
		e.at(root, "addConsumption", fmt.Sprintf("with removeConsumption, at most %d records in one simulation", MaxSimulationItems))
	}
	m, fe := a.parseAsOf(in.AsOf)
	if fe != nil {
		e.at(root, fe.Field, fe.Message)
		m = domain.MonthOf(a.now()).AddMonths(-1) // so the rest is still checked against a real window
	}
	sc := a.toScenario(&e, in, domain.ScoreWindow(m).From, m)
	if e.any() {
		return e.problem()
	}
	base, err := a.scoreInputAt(r, m)
	if err != nil {
		return err
	}
	sim, simErrs := domain.Simulate(a.rules, base, sc)
	for _, se := range simErrs {
		e.at(root, se.Field, se.Message)
	}
	if e.any() {
		return e.problem()
	}
	return writeScore(w, func(e *scoreWriter) error { return e.simulation(sim) })
}

// toScenario validates every list as the real endpoints validate the same
// data, naming each bad field by its path in the request. Consumption must
// fall in the months the score reads (from..to): elsewhere it would change
// nothing, and saying so beats a silent no-op.
func (a *Scoring) toScenario(e *fieldErrors, in simulationInput, from, to domain.Month) domain.Scenario {
	outside := func(p path, m domain.Month) {
		if m.Before(from) || m.After(to) {
			e.at(p, "month", fmt.Sprintf("is outside %s..%s, the months a score as of %s reads", from, to, to))
		}
	}
	var sc domain.Scenario
	for i, person := range in.AddIndividuals {
		p := root.item("addIndividuals", i)
		e.individualID(p, "individualId", person.IndividualID)
		sc.AddIndividuals = append(sc.AddIndividuals, a.toIndividual(e, p, person.IndividualID, person.individualInput))
	}
	for i, id := range in.RemoveIndividuals {
		e.individualID(root.item("removeIndividuals", i), "", id)
		sc.RemoveIndividuals = append(sc.RemoveIndividuals, id)
	}
	for i, c := range in.AddCustomers {
		p := root.item("addCustomers", i)
		tid, _ := e.tenantID(p, "tenantId", c.TenantID)
		c.check(e, p)
		sc.AddCustomers = append(sc.AddCustomers, domain.Customer{TenantID: tid, Name: c.Name, Association: domain.Association(c.Association), Government: c.Government, Affiliated: c.Affiliated})
	}
	for i, t := range in.RemoveCustomers {
		tid, _ := e.tenantID(root.item("removeCustomers", i), "", t)
		sc.RemoveCustomers = append(sc.RemoveCustomers, tid)
	}
	for i, ri := range in.AddConsumption {
		p := root.item("addConsumption", i)
		rec, keyOK := a.toRecord(e, p, ri)
		if keyOK {
			outside(p, rec.Month)
		}
		sc.AddConsumption = append(sc.AddConsumption, rec)
	}
	for i, k := range in.RemoveConsumption {
		p := root.item("removeConsumption", i)
		if rec, ok := a.consumptionKey(e, p, k.TenantID, k.Month, k.ServiceLevel2, k.Offer); ok {
			outside(p, rec.Month)
			sc.RemoveConsumption = append(sc.RemoveConsumption, rec)
		}
	}
	return sc
}

func (a *Scoring) getPlan(w http.ResponseWriter, r *http.Request) error {
	ar, err := area(r)
	if err != nil {
		return err
	}
	in, err := a.scoreInput(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, domain.PlanArea(a.rules, in, ar))
}
