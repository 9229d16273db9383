// Command hello is the floor that scripts/coldstart compares the functions
// against: an aws-lambda-go function that does nothing but answer, built with
// the functions' flags, so what it costs to start is what any Go function on
// this runtime library pays and the rest is ours.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// body is what every invocation answers; scripts/coldstart's test checks
// that it comes back through the emulated Runtime API unchanged.
const body = `{"status":"ok"}`

func handle(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"content-type": "application/json"},
		Body:       body,
	}, nil
}

func main() { lambda.Start(handle) }
