// Command partners is the Lambda function for partner profiles, people,
// customers, consumption and the certification catalogue.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
)

func main() {
	app.ServeHTTP(func(env *app.Env) []httpapi.Route {
		return httpapi.NewPartners(env.Store, catalog.MustCertifications(), nil).Routes()
	})
}
