package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/partnerready/partnerready/internal/domain"
)

// A month item's records are a small binary format, gzipped: a score decodes
// 14 months of a 1,000-customer partner (over 100,000 records) on every
// request, which JSON cannot do inside the 20 ms budget.
//
//	format byte (1)
//	uvarint services; per service: string name, string group
//	uvarint tenants;  per tenant:  string id, uvarint lines; per line: uvarint service, byte offer, uvarint cents
//
// Strings are a uvarint length and the bytes; offer is its index in domain.Offers.
const monthFormat = 1

// monthData is one month as stored: tenants in id order, services local to the month.
type monthData struct {
	services []domain.Service
	tenants  []domain.TenantUsage
}

func offerIndex(o domain.Offer) byte { return byte(slices.Index(domain.Offers, o)) }

// encodeMonth writes records sorted by key (tenant, then service and offer).
func encodeMonth(recs []domain.ConsumptionRecord) ([]byte, error) {
	var d monthData
	svc := map[domain.Service]int{}
	for _, r := range recs {
		s := domain.Service{Name: r.ServiceLevel2, Group: r.ServiceGroup}
		i, ok := svc[s]
		if !ok {
			i = len(d.services)
			svc[s] = i
			d.services = append(d.services, s)
		}
		if n := len(d.tenants); n == 0 || d.tenants[n-1].TenantID != r.TenantID {
			d.tenants = append(d.tenants, domain.TenantUsage{TenantID: r.TenantID})
		}
		t := &d.tenants[len(d.tenants)-1]
		t.Lines = append(t.Lines, domain.UsageLine{Service: i, Offer: r.Offer, ACR: r.ACR})
	}
	var raw []byte
	raw = append(raw, monthFormat)
	str := func(s string) { raw = binary.AppendUvarint(raw, uint64(len(s))); raw = append(raw, s...) }
	raw = binary.AppendUvarint(raw, uint64(len(d.services)))
	for _, s := range d.services {
		str(s.Name)
		str(s.Group)
	}
	raw = binary.AppendUvarint(raw, uint64(len(d.tenants)))
	for _, t := range d.tenants {
		str(t.TenantID)
		raw = binary.AppendUvarint(raw, uint64(len(t.Lines)))
		for _, l := range t.Lines {
			raw = binary.AppendUvarint(raw, uint64(l.Service))
			raw = append(raw, offerIndex(l.Offer))
			raw = binary.AppendUvarint(raw, uint64(l.ACR))
		}
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var errMonthFormat = errors.New("malformed consumption month")

func decodeMonthData(data []byte) (monthData, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return monthData{}, err
	}
	r := bufio.NewReader(zr)
	var d monthData
	if f, err := r.ReadByte(); err != nil || f != monthFormat {
		return d, fmt.Errorf("%w: format %d", errMonthFormat, f)
	}
	num := func() uint64 {
		n, e := binary.ReadUvarint(r)
		if e != nil {
			err = e
		}
		return n
	}
	str := func() string {
		n := num()
		if err != nil || n > 1<<16 {
			err = errMonthFormat
			return ""
		}
		b := make([]byte, n)
		if _, e := io.ReadFull(r, b); e != nil {
			err = e
		}
		return string(b)
	}
	ns := num()
	for i := uint64(0); i < ns && err == nil; i++ {
		d.services = append(d.services, domain.Service{Name: str(), Group: str()})
	}
	nt := num()
	for i := uint64(0); i < nt && err == nil; i++ {
		t := domain.TenantUsage{TenantID: str()}
		nl := num()
		t.Lines = make([]domain.UsageLine, 0, min(nl, 4096))
		for j := uint64(0); j < nl && err == nil; j++ {
			s := num()
			o, e := r.ReadByte()
			if e != nil || int(o) >= len(domain.Offers) || s >= uint64(len(d.services)) {
				return d, errMonthFormat
			}
			t.Lines = append(t.Lines, domain.UsageLine{Service: int(s), Offer: domain.Offers[o], ACR: domain.Cents(num())})
		}
		d.tenants = append(d.tenants, t)
	}
	if err != nil {
		return d, fmt.Errorf("%w: %v", errMonthFormat, err)
	}
	return d, nil
}

// records lists the month back as records, in key order.
func (d monthData) records(m domain.Month) []domain.ConsumptionRecord {
	var out []domain.ConsumptionRecord
	for _, t := range d.tenants {
		for _, l := range t.Lines {
			s := d.services[l.Service]
			out = append(out, domain.ConsumptionRecord{TenantID: t.TenantID, Month: m, ServiceLevel2: s.Name, ServiceGroup: s.Group, Offer: l.Offer, ACR: l.ACR})
		}
	}
	return out
}

// addTo puts the month into a Usage, mapping its services onto the Usage's dictionary.
func (d monthData) addTo(u *domain.Usage, m domain.Month, index map[domain.Service]int) {
	remap := make([]int, len(d.services))
	for i, s := range d.services {
		g, ok := index[s]
		if !ok {
			g = len(u.Services)
			index[s] = g
			u.Services = append(u.Services, s)
		}
		remap[i] = g
	}
	for _, t := range d.tenants {
		for i := range t.Lines {
			t.Lines[i].Service = remap[t.Lines[i].Service]
		}
	}
	u.Months[m] = d.tenants
}
