// Command scoring is the Lambda function for partner capability scores,
// simulations, plans and specialization readiness. It only reads the table.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
)

func main() {
	env := app.MustEnv()
	certs := catalog.MustCertifications()
	scoring := httpapi.NewScoring(env.Store, certs, catalog.MustScoringRules(certs), catalog.MustSpecializations(), nil)
	env.ServeHTTP(scoring.Routes())
}
