// Command audits is the Lambda function of the audit process: the
// partner's application and actions, the program's approval and result,
// the audit firm's signed webhook, and the reads of audits with their
// deadlines.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/secrets"
)

func main() {
	app.ServeHTTP(func(env *app.Env) []httpapi.Route {
		certs := catalog.MustCertifications()
		specs := catalog.MustSpecializations()
		return httpapi.NewAudits(httpapi.AuditsDeps{
			Store: env.Store, Certs: certs, Rules: catalog.MustScoringRules(certs), Specs: specs,
			Checklists: catalog.MustChecklists(specs), Calendar: env.Config.AuditCalendar, Firms: env.Config.AuditFirms,
			Secret: secrets.FromSecretsManager(env.AWS, env.Config.SecretsManagerEndpoint, env.Config.WebhookSecretID),
		}).Routes()
	}, app.WebhookSecretEnv)
}
