package store

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/partnerready/partnerready/internal/domain"
)

func TestMonthCodecRoundTrip(t *testing.T) {
	m := domain.MustMonth("2026-10")
	var recs []domain.ConsumptionRecord
	for i := range 50 {
		for j, o := range domain.Offers {
			recs = append(recs, domain.ConsumptionRecord{TenantID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Month: m,
				ServiceLevel2: fmt.Sprint("Service ", j%3), ServiceGroup: "Group", Offer: o, ACR: domain.Cents(i*1_000_000_007 + j)})
		}
	}
	recs = mergeRecords(nil, recs) // key order, as stored
	data, err := encodeMonth(recs)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeMonthData(data, newMonthDict(), len(recs))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.records(m); !reflect.DeepEqual(got, recs) {
		t.Fatalf("round trip changed the records: %d vs %d", len(got), len(recs))
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), data[:len(data)/2], append(data[:len(data):len(data)], 0)} {
		if _, err := decodeMonthData(bad, newMonthDict(), 10); err == nil {
			t.Errorf("decoded %d bytes of garbage", len(bad))
		}
	}
}

func TestMonthCodecRefusesNonCanonicalTenants(t *testing.T) {
	for _, id := range []string{"3F2504E0-4F89-11D3-9A0C-0305E82C3301", "not-a-guid", "3f2504e04f8911d39a0c0305e82c3301"} {
		_, err := encodeMonth([]domain.ConsumptionRecord{{TenantID: id, Month: domain.MustMonth("2026-10"), ServiceLevel2: "S", Offer: domain.OfferCSP}})
		if err == nil {
			t.Errorf("encoded tenant %q", id)
		}
	}
}

// Months decoded through one dictionary share tenant strings and service
// indexes, whatever tenants and services each month has.
func TestMonthCodecSharedDictionary(t *testing.T) {
	dict := newMonthDict()
	var got, want []domain.ConsumptionRecord
	for k, tenants := range [][]int{{1, 2, 3, 4}, {1, 2, 3, 4}, {0, 2, 4, 5}, {5}, {}} {
		m := domain.MustMonth("2026-01").AddMonths(k)
		var recs []domain.ConsumptionRecord
		for _, i := range tenants {
			for j := range 2 + k {
				recs = append(recs, domain.ConsumptionRecord{TenantID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Month: m,
					ServiceLevel2: fmt.Sprint("Service ", (j+k)%4), ServiceGroup: "Group", Offer: domain.Offers[j%len(domain.Offers)], ACR: domain.Cents(i*100 + j)})
			}
		}
		recs = mergeRecords(nil, recs)
		data, err := encodeMonth(recs)
		if err != nil {
			t.Fatal(err)
		}
		d, err := decodeMonthData(data, dict, len(recs))
		if err != nil {
			t.Fatal(err)
		}
		got, want = append(got, d.records(m)...), append(want, recs...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("months read through one dictionary changed: %v\nwant %v", got, want)
	}
	if len(dict.tenants) != 6 || len(dict.services) != 4 {
		t.Errorf("%d tenants and %d services interned, want 6 and 4", len(dict.tenants), len(dict.services))
	}
}

// Tenant ids pack to 16 bytes only in the canonical form ingest stores.
func TestPackGUID(t *testing.T) {
	for _, id := range []string{"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"} {
		b, ok := packGUID(id)
		if !ok || unpackGUID(b) != id {
			t.Errorf("%s packs to %x (%v)", id, b, ok)
		}
	}
	for _, id := range []string{"", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c330g", "3f2504e04-f89-11d3-9a0c-0305e82c3301",
		"3f2504e0-4f89-11d3-9a0c-0305e82c33011", "3f2504e0+4f89-11d3-9a0c-0305e82c3301", "{3f2504e0-4f89-11d3-9a0c-0305e82c33}"} {
		if b, ok := packGUID(id); ok {
			t.Errorf("%q packs to %x", id, b)
		}
	}
}
