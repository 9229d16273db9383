// Command evidence is the Lambda function for audit evidence and checklists:
// the evidence routes, and the evidence bucket's S3 notifications, which run
// the same upload check as POST …/upload-complete.
package main

import (
	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/httpapi"
	"github.com/partnerready/partnerready/internal/uploads"
)

func main() {
	app.Serve(func(env *app.Env) app.Handlers {
		checker := uploads.NewChecker(env.Store, env.Blobs, env.Config.MalwareScanning, nil)
		checklists := catalog.MustChecklists(catalog.MustSpecializations())
		return app.Handlers{
			Routes:   httpapi.NewEvidence(env.Store, env.Blobs, checker, checklists, nil).Routes(),
			Notified: checker.Notified,
		}
	}, app.EvidenceBucketEnv)
}
