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
	d, err := decodeMonthData(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.records(m); !reflect.DeepEqual(got, recs) {
		t.Fatalf("round trip changed the records: %d vs %d", len(got), len(recs))
	}
	for _, bad := range [][]byte{nil, []byte("not gzip"), data[:len(data)/2]} {
		if _, err := decodeMonthData(bad); err == nil {
			t.Errorf("decoded %d bytes of garbage", len(bad))
		}
	}
}
