// Command scoring is the Lambda function for partner capability scores,
// simulations, plans and specialization readiness. It only reads the table.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
)

func main() {
	app.ServeHTTP(func(env *app.Env) []httpapi.Route {
		certs := catalog.MustCertifications()
		return httpapi.NewScoring(env.Store, certs, catalog.MustScoringRules(certs), catalog.MustSpecializations(), nil).Routes()
	})
}
