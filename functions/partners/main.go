// Command partners is the Lambda function for partner profiles, people,
// customers, consumption, the certification catalogue, and the partner's
// notifications and webhook endpoints.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
)

func main() {
	app.ServeHTTP(func(env *app.Env) []httpapi.Route {
		keys := secrets.FromSecretsManager(env.AWS, env.Config.SecretsManagerEndpoint, env.Config.EndpointKeyID)
		return httpapi.NewPartners(env.Store, catalog.MustCertifications(), nil).WithEndpointSecrets(push.Sealer{Keys: keys}).Routes()
	}, app.EndpointKeyEnv)
}
