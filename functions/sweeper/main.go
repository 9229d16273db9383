// Command sweeper is the Lambda function an EventBridge Scheduler schedule
// runs (hourly by default): it tells partners what has come due (renewal
// notices, audit deadlines, evidence aged out) once each, and moves each
// watch on (internal/sweep).
package main

import (
	"context"
	"time"

	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/sweep"
)

func main() {
	app.ServeSchedule("sweep", func(env *app.Env) func(context.Context) (any, error) {
		certs := catalog.MustCertifications()
		s := &sweep.Sweeper{
			Store:    env.Store,
			Standing: standing.Reader{Store: env.Store, Specs: catalog.MustSpecializations(), Rules: catalog.MustScoringRules(certs)},
			Calendar: env.Config.AuditCalendar, Now: time.Now, Log: env.Logger,
		}
		return func(ctx context.Context) (any, error) { return s.Run(ctx) }
	})
}
