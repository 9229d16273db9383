// Command partners is the Lambda function for partner profiles, people,
// customers, consumption and the certification catalogue.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/partnerready/partnerready/internal/app"
)

func main() {
	ctx := context.Background()
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		slog.Error("config", "error", err.Error())
		os.Exit(1)
	}
	api, err := app.FromConfig(ctx, cfg)
	if err != nil {
		slog.Error("start", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(app.LambdaHandler(api.Handler("partners")))
}
