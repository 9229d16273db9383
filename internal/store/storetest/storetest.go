// Package storetest gives tests a real DynamoDB engine: embedded minidyn by
// default, or the moto_server at $TEST_DYNAMODB_ENDPOINT (scripts/test runs
// the store and API suites on both). There is no hand-written fake.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/partnerready/partnerready/internal/store"
	miniserver "github.com/truora/minidyn/server"
)

// EndpointEnv names the variable that points the suites at another engine;
// EngineEnv=minidyn says that engine is a minidyn server in another process
// (scripts/bench uses one, so the engine's garbage is not the API's).
const (
	EndpointEnv = "TEST_DYNAMODB_ENDPOINT"
	EngineEnv   = "TEST_DYNAMODB_ENGINE"
)

// Table is a fresh table for one test.
type Table struct {
	DB     *dynamodb.Client
	Name   string
	Engine string // "minidyn" or the endpoint
}

// New creates an empty table, dropped when the test ends.
func New(t testing.TB) Table {
	t.Helper()
	ctx := context.Background()
	endpoint, engine := os.Getenv(EndpointEnv), ""
	if endpoint == "" {
		srv := httptest.NewServer(miniserver.NewServer())
		t.Cleanup(srv.Close)
		endpoint, engine = srv.URL, "minidyn"
	} else {
		engine = endpoint
		if os.Getenv(EngineEnv) == "minidyn" {
			engine = "minidyn"
		} else {
			endpoint = oneAtATime(t, endpoint)
		}
	}
	db := store.NewClient(LocalConfig(), endpoint)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "partnerready-test-" + hex.EncodeToString(b[:])
	if err := store.CreateTable(ctx, db, name, engine != "minidyn"); err != nil {
		t.Fatalf("%s: %v", engine, err)
	}
	if engine != "minidyn" || os.Getenv(EndpointEnv) != "" {
		t.Cleanup(func() { _ = store.DeleteTable(context.Background(), db, name) })
	}
	return Table{DB: db, Name: name, Engine: engine}
}

// oneAtATime is endpoint behind a proxy that forwards one request at a time.
// moto checks a write's condition and then writes without a lock (its
// DynamoDB backend has none), so two concurrent conditional writes of an
// item can both pass, which DynamoDB never lets happen: the suites' tests of
// racing writers would then see lost updates that are moto's.
func oneAtATime(t testing.TB, endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// LocalConfig is what a local engine needs of an AWS configuration: a region
// and credentials, which it accepts whatever they are.
func LocalConfig() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
}

// Store is a store on a fresh table with the given clock (time.Now when nil).
// Its budget for lost version races is wide: the engines here, under the
// suites' parallel load, are far slower than DynamoDB (the budget itself is
// tested in package store).
func (tb Table) Store(now func() time.Time) *store.Store {
	return store.New(tb.DB, tb.Name, now).WithWriteBudget(time.Minute)
}
