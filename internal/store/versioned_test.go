package store

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	miniserver "github.com/truora/minidyn/server"
)

// A writer that keeps losing the version race gives up with ErrBusy once
// its budget is spent (here shortened by the request's deadline), writing
// nothing; the budget is real time, whatever the store's clock says.
func TestWriteVersionedGivesUp(t *testing.T) {
	srv := httptest.NewServer(miniserver.NewServer())
	t.Cleanup(srv.Close)
	db := NewClient(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}, srv.URL)
	ctx := context.Background()
	if err := CreateTable(ctx, db, "t", false); err != nil {
		t.Fatal(err)
	}
	frozen := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	s := New(db, "t", func() time.Time { return frozen })
	item := &partnerItem{head: head{PK: "P#1", SK: skProfile, Type: typePartner}, PartnerID: "1", Name: "x", Country: "FR"}
	if err := s.writeVersioned(ctx, func(context.Context) ([]write, error) { return []write{{item: item}}, nil }); err != nil {
		t.Fatal(err)
	}
	// Every attempt claims to have read version 7, which the item is not at.
	stale := func(context.Context) ([]write, error) {
		return []write{{item: &partnerItem{head: head{PK: "P#1", SK: skProfile, Type: typePartner}, PartnerID: "1", Name: "y", Country: "FR"}, read: 7}}, nil
	}
	deadline, cancel := context.WithTimeout(ctx, writeDeadlineRoom+300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.writeVersioned(deadline, stale); !errors.Is(err, ErrBusy) {
		t.Fatalf("a writer that always loses: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("gave up after %v, past its budget of 300 ms", d)
	}
	if got, err := getItem[partnerItem](ctx, s, "P#1", skProfile); err != nil || got.Name != "x" || got.Version != 1 {
		t.Fatalf("the losing writer wrote: %+v %v", got, err)
	}
}
