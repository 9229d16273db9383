package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/partnerready/partnerready/internal/httpapi"
)

// LambdaHandler runs h for API Gateway HTTP API (payload 2.0) events. It fixes
// two things the adapter leaves to us: a named stage's prefix in rawPath
// (aws-lambda-go-api-proxy #130; the template uses $default, but a named stage
// must not break routing), and the request id, which is API Gateway's own so
// that API and function logs join on it.
func LambdaHandler(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	adapter := httpadapter.NewV2(h)
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if st := ev.RequestContext.Stage; st != "" && st != "$default" {
			prefix := "/" + st
			if ev.RawPath == prefix || strings.HasPrefix(ev.RawPath, prefix+"/") {
				ev.RawPath = strings.TrimPrefix(ev.RawPath, prefix)
			}
		}
		if id := ev.RequestContext.RequestID; id != "" {
			if ev.Headers == nil {
				ev.Headers = map[string]string{}
			}
			for k := range ev.Headers {
				if strings.EqualFold(k, httpapi.RequestIDHeader) {
					delete(ev.Headers, k)
				}
			}
			ev.Headers[strings.ToLower(httpapi.RequestIDHeader)] = id
		}
		return adapter.ProxyWithContext(ctx, ev)
	}
}
