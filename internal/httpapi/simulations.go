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
	AddIndividuals    []simulatedPerson        `json:"addIndividuals" validate:"max=1000"`
	RemoveIndividuals []string                 `json:"removeIndividuals" validate:"max=1000"`
	AddCustomers      []simulatedCustomer      `json:"addCustomers" validate:"max=1000"`
	RemoveCustomers   []string                 `json:"removeCustomers" validate:"max=1000"`
	AddConsumption    []consumptionRecordInput `json:"addConsumption" validate:"max=1000"`
	RemoveConsumption []consumptionKeyInput    `json:"removeConsumption" validate:"max=1000"`
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
	TenantID      string `json:"tenantId" validate:"required,tenantid"`
	Month         string `json:"month" validate:"required,month"`
	ServiceLevel2 string `json:"serviceLevel2" validate:"required,max=128,text,nohash"`
	Offer         string `json:"offer" validate:"required,offer"`
}

// postSimulation answers "what if": the partner's real data with hypothetical
// people, customers and consumption added or removed, scored as of a month,
// with the difference per metric. Nothing is written.
func (a *API) postSimulation(w http.ResponseWriter, r *http.Request) error {
	var in simulationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if n := len(in.AddConsumption) + len(in.RemoveConsumption); n > MaxSimulationItems {
		return invalid([]FieldError{{Field: "addConsumption", Message: fmt.Sprintf("with removeConsumption, at most %d records in one simulation", MaxSimulationItems)}})
	}
	m, fe := a.parseAsOf(in.AsOf)
	var errs []FieldError
	if fe != nil {
		errs = append(errs, *fe)
		m = domain.MonthOf(a.now()).AddMonths(-1) // so the rest is still checked against a real window
	}
	sc, scErrs := a.toScenario(in, domain.ScoreWindow(m).From, m)
	if errs = append(errs, scErrs...); len(errs) > 0 {
		return invalid(errs)
	}
	base, err := a.scoreInputAt(r, m)
	if err != nil {
		return err
	}
	sim, simErrs := domain.Simulate(a.rules, base, sc)
	if len(simErrs) > 0 {
		fe := make([]FieldError, len(simErrs))
		for i, e := range simErrs {
			fe[i] = FieldError{Field: e.Field, Message: e.Message}
		}
		return invalid(fe)
	}
	sim.Areas = encodeSharedInputs(sim.Areas)
	return writeJSON(w, http.StatusOK, sim)
}

// toScenario validates every list as the real endpoints validate the same
// data, naming each bad field by its path in the request. Consumption must
// fall in the months the score reads (from..to): elsewhere it would change
// nothing, and saying so beats a silent no-op.
func (a *API) toScenario(in simulationInput, from, to domain.Month) (domain.Scenario, []FieldError) {
	outside := func(field, month string) []FieldError {
		if mm, err := domain.ParseMonth(month); err == nil && (mm.Before(from) || mm.After(to)) {
			return []FieldError{{Field: field + ".month", Message: fmt.Sprintf("is outside %s..%s, the months a score as of %s reads", from, to, to)}}
		}
		return nil
	}
	errs := check(in)
	var sc domain.Scenario
	for i, p := range in.AddIndividuals {
		field := fmt.Sprintf("addIndividuals[%d]", i)
		if !domain.ValidIndividualID(p.IndividualID) {
			errs = append(errs, FieldError{Field: field + ".individualId", Message: "must be 1 to 64 letters, digits, '-', '_' or '.'"})
		}
		ind, indErrs := a.toIndividual(p.IndividualID, p.individualInput)
		errs = append(errs, prefixed(field, indErrs)...)
		sc.AddIndividuals = append(sc.AddIndividuals, ind)
	}
	for i, id := range in.RemoveIndividuals {
		if !domain.ValidIndividualID(id) {
			errs = append(errs, FieldError{Field: fmt.Sprintf("removeIndividuals[%d]", i), Message: "must be an individual id"})
		}
		sc.RemoveIndividuals = append(sc.RemoveIndividuals, id)
	}
	for i, c := range in.AddCustomers {
		field := fmt.Sprintf("addCustomers[%d]", i)
		tid, ok := domain.NormalizeTenantID(c.TenantID)
		if !ok {
			errs = append(errs, FieldError{Field: field + ".tenantId", Message: "must be an Azure AD tenant id (a GUID)"})
		}
		errs = append(errs, prefixed(field, check(c.customerInput))...)
		sc.AddCustomers = append(sc.AddCustomers, domain.Customer{TenantID: tid, Name: c.Name, Association: domain.Association(c.Association), Government: c.Government, Affiliated: c.Affiliated})
	}
	for i, t := range in.RemoveCustomers {
		tid, ok := domain.NormalizeTenantID(t)
		if !ok {
			errs = append(errs, FieldError{Field: fmt.Sprintf("removeCustomers[%d]", i), Message: "must be an Azure AD tenant id (a GUID)"})
		}
		sc.RemoveCustomers = append(sc.RemoveCustomers, tid)
	}
	for i, ri := range in.AddConsumption {
		field := fmt.Sprintf("addConsumption[%d]", i)
		rec, recErrs := a.toRecord(field, ri)
		if len(recErrs) == 0 {
			recErrs = outside(field, ri.Month)
		}
		errs = append(errs, recErrs...)
		sc.AddConsumption = append(sc.AddConsumption, rec)
	}
	for i, k := range in.RemoveConsumption {
		field := fmt.Sprintf("removeConsumption[%d]", i)
		kErrs := prefixed(field, check(k))
		if len(kErrs) == 0 {
			kErrs = outside(field, k.Month)
		}
		if len(kErrs) > 0 {
			errs = append(errs, kErrs...)
			continue
		}
		tid, _ := domain.NormalizeTenantID(k.TenantID)
		sc.RemoveConsumption = append(sc.RemoveConsumption, domain.ConsumptionRecord{TenantID: tid, Month: domain.MustMonth(k.Month), ServiceLevel2: k.ServiceLevel2, Offer: domain.Offer(k.Offer)})
	}
	return sc, errs
}

func (a *API) getPlan(w http.ResponseWriter, r *http.Request) error {
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
