// Command sweeper is the Lambda function an EventBridge Scheduler schedule
// runs (hourly by default): it tells partners what has come due (renewal
// notices, audit deadlines, evidence aged out) once each, and moves each
// watch on (internal/sweep).
package main

import (
	"context"
	"time"

	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/standing"
	"github.com/partnerready/partnerready/internal/sweep"
)

func main() {
	app.ServeSchedule("sweep", func(env *app.Env) func(context.Context) (any, error) {
		certs := catalog.MustCertifications()
		calendar, _ := audit.CalendarNamed(env.Config.AuditCalendar) // checked by app.ConfigFromEnv
		s := &sweep.Sweeper{
			Store:    env.Store,
			Standing: standing.Reader{Store: env.Store, Specs: catalog.MustSpecializations(), Rules: catalog.MustScoringRules(certs)},
			Calendar: calendar, Now: time.Now, Log: env.Logger,
		}
		return func(ctx context.Context) (any, error) { return s.Run(ctx) }
	})
}
