package store

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/partnerready/partnerready/internal/domain"
)

// A month item's records are a small binary format: a score decodes 14
// months of a 1,000-customer partner (over 100,000 records) on every request,
// which neither JSON nor gzip leaves time for inside the 20 ms budget.
//
//	format byte (2)
//	uvarint services; per service: string name, string group
//	uvarint tenants;  per tenant:  16-byte tenant GUID, uvarint lines; per line: uvarint service, byte offer, uvarint cents
//
// Strings are a uvarint length and the bytes; offer is its index in
// domain.Offers. 1,000 customers × 8 services take about 57 KB; the encoder
// refuses a month past maxMonthBytes, well inside DynamoDB's 400 KB item.
const (
	monthFormat   = 2
	maxMonthBytes = 350 << 10
)

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
	w := binWriter{b: []byte{monthFormat}}
	w.num(uint64(len(d.services)))
	for _, s := range d.services {
		w.str(s.Name)
		w.str(s.Group)
	}
	w.num(uint64(len(d.tenants)))
	for _, t := range d.tenants {
		id, ok := packGUID(t.TenantID)
		if !ok {
			return nil, fmt.Errorf("tenant id %q is not a canonical GUID", t.TenantID)
		}
		w.b = append(w.b, id[:]...)
		w.num(uint64(len(t.Lines)))
		for _, l := range t.Lines {
			w.num(uint64(l.Service))
			w.byte(offerIndex(l.Offer))
			w.num(uint64(l.ACR))
		}
	}
	raw := w.b
	if len(raw) > maxMonthBytes {
		return nil, errMonthTooLarge
	}
	return raw, nil
}

var errMonthTooLarge = errors.New("month too large")

var errMonthFormat = errors.New("malformed consumption month")

// decodeMonthData reads a month; tenants interns tenant ids across the months
// of one read, so 14 months of 1,000 customers make 1,000 strings, not 14,000.
func decodeMonthData(data []byte, tenants map[[16]byte]string) (monthData, error) {
	p := binReader{b: data}
	var d monthData
	if p.byte() != monthFormat {
		return d, errMonthFormat
	}
	ns := p.num()
	for i := uint64(0); i < ns && p.ok(); i++ {
		d.services = append(d.services, domain.Service{Name: p.str(), Group: p.str()})
	}
	nt := p.num()
	d.tenants = make([]domain.TenantUsage, 0, min(nt, 1<<16))
	// One backing array for the month's lines (a line takes at least 3 bytes),
	// not one per tenant: 14 allocations a score instead of 14,000.
	lines := make([]domain.UsageLine, 0, len(p.b)/3)
	for i := uint64(0); i < nt && p.ok(); i++ {
		t := domain.TenantUsage{TenantID: p.guid(tenants)}
		nl, first := p.num(), len(lines)
		for j := uint64(0); j < nl && p.ok(); j++ {
			s, o, c := p.num(), p.byte(), p.num()
			if s >= uint64(len(d.services)) || int(o) >= len(domain.Offers) {
				return d, errMonthFormat
			}
			lines = append(lines, domain.UsageLine{Service: int(s), Offer: domain.Offers[o], ACR: domain.Cents(c)})
		}
		t.Lines = lines[first:len(lines):len(lines)]
		d.tenants = append(d.tenants, t)
	}
	if !p.ok() || len(p.b) != 0 {
		return d, errMonthFormat
	}
	return d, nil
}

func (p *binReader) guid(intern map[[16]byte]string) string {
	if len(p.b) < 16 {
		p.bad = true
		return ""
	}
	id := [16]byte(p.b[:16])
	p.b = p.b[16:]
	s, ok := intern[id]
	if !ok {
		s = unpackGUID(id)
		intern[id] = s
	}
	return s
}

// packGUID turns a canonical lower-case GUID (domain.NormalizeTenantID) into its 16 bytes.
func packGUID(s string) ([16]byte, bool) {
	var id [16]byte
	if len(s) != 36 || s != strings.ToLower(s) {
		return id, false
	}
	h := strings.ReplaceAll(s, "-", "")
	if len(h) != 32 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(h)); err != nil {
		return id, false
	}
	return id, true
}

func unpackGUID(id [16]byte) string {
	h := hex.EncodeToString(id[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
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
