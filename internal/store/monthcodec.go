package store

import (
	"encoding/hex"
	"errors"
	"fmt"

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

// monthData is one month as read: tenants in id order, and the services its
// lines index (the read's dictionary).
type monthData struct {
	services []domain.Service
	tenants  []domain.TenantUsage
}

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
		t.Lines = append(t.Lines, domain.UsageLine{Service: int32(i), Offer: domain.CodeOf(r.Offer), ACR: r.ACR})
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
			w.byte(byte(l.Offer))
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

// monthDict is what the months of one read share: tenant ids, so that 14
// months of 1,000 customers make 1,000 strings, not 14,000; and services,
// one index across the months as domain.Usage has it, given as each line is
// decoded rather than remapped in a second pass.
type monthDict struct {
	tenants map[[16]byte]string
	// last is the previous month's tenants in order: a partner's customers
	// mostly consume month after month, so tenant i of a month is most often
	// tenant i of the one before, which a comparison finds without hashing.
	last     []internedTenant
	services []domain.Service
	index    map[domain.Service]int32
}

type internedTenant struct {
	id [16]byte
	s  string
}

func newMonthDict() *monthDict {
	return &monthDict{tenants: map[[16]byte]string{}, index: map[domain.Service]int32{}}
}

func (d *monthDict) service(s domain.Service) int32 {
	i, ok := d.index[s]
	if !ok {
		i = int32(len(d.services))
		d.index[s] = i
		d.services = append(d.services, s)
	}
	return i
}

// decodeMonthData reads a month into the dictionary's tenants and services;
// lines is its record count (the item's count), which sizes the lines' one
// backing array.
func decodeMonthData(data []byte, dict *monthDict, lines int) (monthData, error) {
	p := binReader{b: data}
	var d monthData
	if p.byte() != monthFormat {
		return d, errMonthFormat
	}
	ns := p.num()
	local := make([]int32, 0, min(ns, uint64(len(p.b))))
	for i := uint64(0); i < ns && p.ok(); i++ {
		local = append(local, dict.service(domain.Service{Name: p.str(), Group: p.str()}))
	}
	nt := p.num()
	d.tenants = make([]domain.TenantUsage, 0, min(nt, uint64(len(p.b)/17)))
	// One backing array for the month's lines (a line takes at least 3 bytes),
	// not one per tenant: 14 allocations a score instead of 14,000.
	all := make([]domain.UsageLine, 0, max(0, min(lines, len(p.b)/3)))
	cur := make([]internedTenant, 0, cap(d.tenants))
	for i := uint64(0); i < nt && p.ok(); i++ {
		t := domain.TenantUsage{TenantID: p.guid(dict, &cur)}
		nl, first := p.num(), len(all)
		all = p.lines(nl, local, all)
		t.Lines = all[first:len(all):len(all)]
		d.tenants = append(d.tenants, t)
	}
	if !p.ok() || len(p.b) != 0 {
		return d, errMonthFormat
	}
	dict.last = cur
	d.services = dict.services
	return d, nil
}

// lines appends a tenant's n lines (uvarint service, offer byte, uvarint
// cents) to all: the loop of a score's read that runs over 100,000 times,
// kept to locals, its numbers decoded in place.
func (p *binReader) lines(n uint64, local []int32, all []domain.UsageLine) []domain.UsageLine {
	b := p.b
	for ; n > 0; n-- {
		s, k := uint64(0), 0
		for shift := uint(0); ; shift += 7 {
			if k >= len(b) || shift > 63 {
				p.bad = true
				return all
			}
			x := b[k]
			k++
			s |= uint64(x&0x7f) << shift
			if x < 0x80 {
				break
			}
		}
		if s >= uint64(len(local)) || k >= len(b) || int(b[k]) >= len(domain.Offers) {
			p.bad = true
			return all
		}
		o := domain.OfferCode(b[k])
		k++
		var c uint64
		for shift := uint(0); ; shift += 7 {
			if k >= len(b) || shift > 63 {
				p.bad = true
				return all
			}
			x := b[k]
			k++
			c |= uint64(x&0x7f) << shift
			if x < 0x80 {
				break
			}
		}
		b = b[k:]
		all = append(all, domain.UsageLine{Service: local[s], Offer: o, ACR: domain.Cents(c)})
	}
	p.b = b
	return all
}

// guid reads a tenant id, interned, and appends it to the month's tenants.
func (p *binReader) guid(dict *monthDict, month *[]internedTenant) string {
	if len(p.b) < 16 {
		p.bad = true
		return ""
	}
	id := [16]byte(p.b[:16])
	p.b = p.b[16:]
	var s string
	if i := len(*month); i < len(dict.last) && dict.last[i].id == id {
		s = dict.last[i].s
	} else if s = dict.tenants[id]; s == "" {
		s = unpackGUID(id)
		dict.tenants[id] = s
	}
	*month = append(*month, internedTenant{id, s})
	return s
}

// packGUID turns a canonical lower-case GUID (domain.NormalizeTenantID) into
// its 16 bytes, reading the hex in place: ingest packs every record's
// tenant, and a score every customer's (LoadScoringData).
func packGUID(s string) ([16]byte, bool) {
	var id [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return id, false
	}
	nibble := func(c byte) (byte, bool) {
		switch {
		case '0' <= c && c <= '9':
			return c - '0', true
		case 'a' <= c && c <= 'f':
			return c - 'a' + 10, true
		}
		return 0, false
	}
	for i, k := 0, 0; i < 16; i++ {
		if k == 8 || k == 13 || k == 18 || k == 23 {
			k++
		}
		hi, ok1 := nibble(s[k])
		lo, ok2 := nibble(s[k+1])
		if !ok1 || !ok2 {
			return id, false
		}
		id[i] = hi<<4 | lo
		k += 2
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
			out = append(out, domain.ConsumptionRecord{TenantID: t.TenantID, Month: m, ServiceLevel2: s.Name, ServiceGroup: s.Group, Offer: l.Offer.Offer(), ACR: l.ACR})
		}
	}
	return out
}

// addTo puts the month into a Usage whose services are the dictionary's.
func (d monthData) addTo(u *domain.Usage, m domain.Month) {
	u.Months[m] = d.tenants
	u.Services = d.services
}
