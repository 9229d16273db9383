package store

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Each item reads back what it wrote, and an attribute of another type is an
// error naming it, never a panic or a silent zero.
func TestItemAttributes(t *testing.T) {
	h := head{PK: "P#1", SK: skProfile, GSI1PK: "PARTNERS", GSI1SK: "1", Type: typePartner, Version: 3, CreatedAt: "a", UpdatedAt: "b", WriteID: "w"}
	p := partnerItem{head: h, PartnerID: "1", Name: "Contoso", Country: "FR", Locations: []locationItem{{ID: "7", Country: "DE"}}}
	if got, err := decode[partnerItem](p.attrs()); err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("partner: %+v %v", got, err)
	}
	if _, listed := (&partnerItem{head: h}).attrs()["locations"]; listed {
		t.Fatal("no locations must write no list (minidyn misreads an empty one)")
	}
	idem := idempotencyItem{head: h, IdempotentResponse: IdempotentResponse{RequestHash: "x", Completed: true, Status: 201,
		Header: map[string]string{"Etag": `"1"`}, Body: []byte("{}"), ExpiresAt: 10, LeaseUntil: 5}}
	if got, err := decode[idempotencyItem](idem.attrs()); err != nil || !reflect.DeepEqual(got, idem) {
		t.Fatalf("idempotency: %+v %v", got, err)
	}
	for name, it := range map[string]versioned{
		"roster": &rosterItem{head: h, Count: 2, Entries: []byte{1, 2}},
		"month":  &monthItem{head: h, Month: "2026-10", Count: 1, Records: []byte{3}},
	} {
		m := it.attrs()
		var back versioned
		var err error
		switch it.(type) {
		case *rosterItem:
			var v rosterItem
			v, err = decode[rosterItem](m)
			back = &v
		case *monthItem:
			var v monthItem
			v, err = decode[monthItem](m)
			back = &v
		}
		if err != nil || !reflect.DeepEqual(back, it) {
			t.Fatalf("%s: %+v %v", name, back, err)
		}
	}
	bad := p.attrs()
	bad["version"] = &types.AttributeValueMemberS{Value: "3"}
	if _, err := decode[partnerItem](bad); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("a string version: %v", err)
	}
	bad = p.attrs()
	bad["locations"] = &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: "x"}}}
	if _, err := decode[partnerItem](bad); err == nil || !strings.Contains(err.Error(), "locations") {
		t.Fatalf("a list of strings for locations: %v", err)
	}
}

// Items written by attributevalue, before this codec, hold NULL for nil maps
// and slices: they read as missing, not as an error (a 500).
func TestItemsOfTheOldCodec(t *testing.T) {
	m := (&idempotencyItem{head: head{PK: "IDEM#x", SK: skIdempotency}, IdempotentResponse: IdempotentResponse{RequestHash: "h", LeaseUntil: 9}}).attrs()
	m["header"] = &types.AttributeValueMemberNULL{Value: true}
	m["body"] = &types.AttributeValueMemberNULL{Value: true}
	got, err := decode[idempotencyItem](m)
	if err != nil || got.Header != nil || got.Body != nil || got.RequestHash != "h" || got.LeaseUntil != 9 {
		t.Fatalf("%+v %v", got, err)
	}
}
