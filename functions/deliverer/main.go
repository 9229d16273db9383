// Command deliverer is the Lambda function an EventBridge Scheduler
// schedule runs (every minute by default): it turns new notifications into
// deliveries to the partners' webhook endpoints and attempts those due,
// signed, with retries over 27 hours (internal/deliver).
package main

import (
	"context"
	"time"

	"github.com/partnerready/partnerready/internal/app"
	"github.com/partnerready/partnerready/internal/deliver"
	"github.com/partnerready/partnerready/internal/push"
	"github.com/partnerready/partnerready/internal/secrets"
)

func main() {
	app.ServeSchedule("deliver", func(env *app.Env) func(context.Context) (any, error) {
		keys := secrets.FromSecretsManager(env.AWS, env.Config.SecretsManagerEndpoint, env.Config.EndpointKeyID)
		d := &deliver.Deliverer{Store: env.Store, Client: push.Client(false), Sealer: push.Sealer{Keys: keys}, Now: time.Now, Log: env.Logger}
		return func(ctx context.Context) (any, error) { return d.Run(ctx) }
	}, app.EndpointKeyEnv)
}
