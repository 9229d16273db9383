package httpapi_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/partnerready/partnerready/internal/auth"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// The attacks on the bearer token, through the whole HTTP stack: each is a
// 401 with WWW-Authenticate, and none reaches the table.
func TestTokenAttacks(t *testing.T) {
	e := newEnv(t)
	path := "/v1/partners/" + pid
	claims := `{"sub":"x","roles":["partner_admin"],"partner_id":"` + pid + `","iss":"` + auth.DevIssuer + `","aud":"` + auth.DevAudience + `","exp":4102444800}`
	stranger, err := auth.NewDevKey()
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := stranger.Sign(auth.TokenSpec{Subject: "x", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: pid, TTL: time.Hour, Now: testNow})
	expired, _ := e.key.Sign(auth.TokenSpec{Subject: "x", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: pid, TTL: time.Hour, Now: testNow.Add(-2 * time.Hour)})
	wrongAudience, _ := e.key.Sign(auth.TokenSpec{Subject: "x", Roles: []auth.Role{auth.RolePartnerAdmin}, PartnerID: pid, TTL: time.Hour, Now: testNow, Audience: "another-api"})
	mac := hmac.New(sha256.New, e.key.JWKS())
	hsHead := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(claims)
	mac.Write([]byte(hsHead))
	hs256 := hsHead + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	for name, h := range map[string]string{
		"no header":      "",
		"basic auth":     "Basic dXNlcjpwYXNz",
		"alg none":       "Bearer " + b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(claims) + ".",
		"HS256 with key": "Bearer " + hs256,
		"another key":    "Bearer " + forged,
		"expired":        "Bearer " + expired,
		"wrong audience": "Bearer " + wrongAudience,
		"garbage":        "Bearer abc.def.ghi",
	} {
		t.Run(name, func(t *testing.T) {
			r := e.do("GET", path, "", nil, header{"Authorization": h})
			r.Problem(t, http.StatusUnauthorized)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate: %q", r.Header.Get("WWW-Authenticate"))
			}
			if r.Calls != 0 {
				t.Fatalf("an unauthenticated request made %d DynamoDB calls", r.Calls)
			}
		})
	}
	// A valid token whose roles this API does not know may call only the
	// public routes: every other answers 403 (its roles are dropped).
	noRole, err := e.key.SignClaims(jwt.MapClaims{"iss": auth.DevIssuer, "aud": auth.DevAudience, "sub": "x", "roles": []string{"viewer"},
		"exp": testNow.Add(time.Hour).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/v1/catalog/certifications", noRole, nil, nil).Problem(t, http.StatusForbidden)
	if r := e.do("GET", "/v1/health", noRole, nil, nil); r.Status != http.StatusOK {
		t.Fatalf("health with an unknown role: %d", r.Status)
	}
	// A quoted expiry (jwt itself would read it) is a 401 through the whole stack.
	quoted, err := e.key.SignClaims(jwt.MapClaims{"iss": auth.DevIssuer, "aud": auth.DevAudience, "sub": "x", "roles": []string{"partner_admin"}, "partner_id": pid, "exp": "4102444800"})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", path, quoted, nil, nil)
	r.Problem(t, http.StatusUnauthorized)
	if d := r.Object(t)["detail"].(string); !strings.Contains(d, "exp must be a number") {
		t.Fatalf("refused for another reason: %s", d)
	}
}

// Tokens never reach the logs; every request leaves one line with its id,
// route, status, DynamoDB calls and what they read (PUT of a new profile:
// a GetItem that finds nothing, 1 read unit, then the put).
func TestRequestLogs(t *testing.T) {
	e := newEnv(t)
	tok := e.admin(pid)
	r := e.do("PUT", "/v1/partners/"+pid, tok, contoso, header{"X-Request-Id": "req-123"})
	if r.Header.Get("X-Request-Id") != "req-123" {
		t.Fatalf("request id not echoed: %q", r.Header.Get("X-Request-Id"))
	}
	e.do("GET", "/v1/partners/"+pid, "", nil, header{"Authorization": "Bearer " + tok[:len(tok)-4] + "AAAA"})
	logs := e.logs.String()
	sig := tok[strings.LastIndex(tok, ".")+1:]
	if strings.Contains(logs, sig) || strings.Contains(logs, tok[:40]) {
		t.Fatal("a token reached the logs")
	}
	for _, want := range []string{`"requestId":"req-123"`, `"route":"PUT /v1/partners/{partnerId}"`, `"status":201`, `"dynamodbCalls":2`, `"dynamodbReadBytes":0`, `"dynamodbReadUnits":1`, `"status":401`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	if r := e.do("GET", "/v1/health", "", nil, header{"X-Request-Id": "bad id with spaces"}); r.Header.Get("X-Request-Id") == "bad id with spaces" {
		t.Fatal("an unsafe request id was echoed")
	}
}
