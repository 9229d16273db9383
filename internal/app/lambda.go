package app

import (
	"context"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/partnerready/partnerready/internal/httpapi"
)

// LambdaHandler runs h for API Gateway HTTP API (payload 2.0) events. It fixes
// what the adapter leaves to us:
//   - a named stage's prefix in rawPath (aws-lambda-go-api-proxy #130; the
//     template uses $default, but a named stage must not break routing);
//   - a rawPath the adapter cannot parse: HTTP APIs are reported to pass it
//     decoded, and a literal '%' made the adapter fail (a bare 500 from API
//     Gateway) while a literal '#' cut the path short;
//   - header values: the adapter splits every header but a few at commas, so
//     `Idempotency-Key: batch,1` reached the API as "batch"; each header is
//     kept as the one value API Gateway sent, as net/http does locally;
//   - the request id, which is API Gateway's own so that API and function
//     logs join on it;
//   - the deadline, AnswerMargin before the function's, so that a request
//     out of time still answers.
func LambdaHandler(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	adapter := httpadapter.NewV2(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hs, ok := r.Context().Value(eventHeadersKey{}).(map[string]string); ok {
			for k, v := range hs {
				r.Header[textproto.CanonicalMIMEHeaderKey(k)] = []string{v}
			}
		}
		h.ServeHTTP(w, r)
	}))
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		ctx, cancel := withAnswerMargin(ctx)
		defer cancel()
		p := ev.RawPath
		if p == "" {
			p = ev.RequestContext.HTTP.Path
		}
		if st := ev.RequestContext.Stage; st != "" && st != "$default" {
			prefix := "/" + st
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				p = strings.TrimPrefix(p, prefix)
			}
		}
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		ev.RawPath = escapePath(p)
		if ev.Headers == nil {
			ev.Headers = map[string]string{}
		}
		if id := ev.RequestContext.RequestID; id != "" {
			for k := range ev.Headers {
				if strings.EqualFold(k, httpapi.RequestIDHeader) {
					delete(ev.Headers, k)
				}
			}
			ev.Headers[strings.ToLower(httpapi.RequestIDHeader)] = id
		}
		ctx = context.WithValue(ctx, eventHeadersKey{}, ev.Headers)
		return adapter.ProxyWithContext(ctx, ev)
	}
}

// AnswerMargin is how long before the function's own deadline a request's
// context ends: a request still waiting then (an upload of 100 MiB being
// verified on a slow read) answers 503 with Retry-After, as problem+json,
// instead of the function being stopped mid-answer and API Gateway
// answering a bare error.
const AnswerMargin = 1500 * time.Millisecond

// withAnswerMargin is ctx ending AnswerMargin before the function's own
// deadline, if it has one.
func withAnswerMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(ctx, dl.Add(-AnswerMargin))
	}
	return context.WithCancel(ctx)
}

type eventHeadersKey struct{}

// escapePath makes p a valid escaped URL path: valid %XX escapes and the
// characters RFC 3986 allows in a path stay as they are (so an encoded rawPath
// is unchanged); anything else (a bare '%', '#', '?', space, non-ASCII) is
// percent-encoded, so the route sees exactly the characters of the request.
func escapePath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]), pathChar(c):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// pathChar: unreserved, sub-delims, ':', '@' and '/' (RFC 3986 §3.3).
func pathChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}
