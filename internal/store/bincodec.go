package store

import "encoding/binary"

// binWriter and binReader are the store's compact binary encoding (month
// items, rosters): uvarints, single bytes, and strings as a uvarint length
// and the bytes. A score decodes a partner's whole data on every request;
// this is several times faster than JSON for it.
type binWriter struct{ b []byte }

func (w *binWriter) num(n uint64) { w.b = binary.AppendUvarint(w.b, n) }
func (w *binWriter) byte(c byte)  { w.b = append(w.b, c) }
func (w *binWriter) str(s string) { w.num(uint64(len(s))); w.b = append(w.b, s...) }

// binReader reads the store's binary formats from memory; the first error
// sticks. words, when set, interns the strings read with word.
type binReader struct {
	b     []byte
	bad   bool
	words map[string]string
	last  [8]string // wordIn's, by field
}

func (p *binReader) ok() bool { return !p.bad }

func (p *binReader) byte() byte {
	if len(p.b) == 0 {
		p.bad = true
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

// num reads the common one-byte number (a month's service and line counts)
// without binary.Uvarint's loop, the rest in numSlow.
func (p *binReader) num() uint64 {
	if b := p.b; len(b) > 0 && b[0] < 0x80 {
		p.b = b[1:]
		return uint64(b[0])
	}
	return p.numSlow()
}

func (p *binReader) numSlow() uint64 {
	n, k := binary.Uvarint(p.b)
	if k <= 0 {
		p.bad = true
		return 0
	}
	p.b = p.b[k:]
	return n
}

func (p *binReader) str() string {
	n := p.num()
	if n > uint64(len(p.b)) {
		p.bad = true
		return ""
	}
	s := string(p.b[:n])
	p.b = p.b[n:]
	return s
}

// wordIn is word for a field that most entries share with the one before
// (a specialization, a status, a content type): the value of the field's
// slot when the bytes equal it, which is a comparison, not a hash.
func (p *binReader) wordIn(slot int) string {
	n := p.num()
	if n > uint64(len(p.b)) {
		p.bad = true
		return ""
	}
	if w := p.last[slot]; len(w) == int(n) && w == string(p.b[:n]) {
		p.b = p.b[n:]
		return w
	}
	w := p.intern(n)
	p.last[slot] = w
	return w
}

// skip passes over a str without reading it.
func (p *binReader) skip() {
	n := p.num()
	if n > uint64(len(p.b)) {
		p.bad = true
		return
	}
	p.b = p.b[n:]
}

// word is str for the few values many entries repeat (certification ids,
// dates, associations): a roster of 2,000 people holds each once instead of
// allocating it for every entry.
func (p *binReader) word() string {
	n := p.num()
	if n > uint64(len(p.b)) {
		p.bad = true
		return ""
	}
	return p.intern(n)
}

// intern reads the next n bytes (n within p.b) as a word.
func (p *binReader) intern(n uint64) string {
	w, ok := p.words[string(p.b[:n])]
	if !ok {
		w = string(p.b[:n])
		if p.words != nil {
			p.words[w] = w
		}
	}
	p.b = p.b[n:]
	return w
}
