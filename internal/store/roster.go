package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A roster keeps all of a partner's people (or customers) in one item,
// compressed: a score reads a partner of any size in one call and decodes it
// in about a millisecond, where 3,000 separate items would take pages of
// Query and tens of milliseconds. Each entry keeps its own version, so ETags
// and If-Match work per person exactly as with separate items. The price is
// a bound on the partner's size (maxRosterBytes) and one write at a time per
// roster, which concurrent writers resolve by re-reading (version condition).

// maxRosterBytes keeps a roster well inside DynamoDB's 400 KB item; 10,000
// people with three certifications each compress to about a quarter of it.
// maxRosterEntries and maxRosterRaw bound the work of decoding one, which
// every read of a person and every score does: compression alone would let
// a few thousand people with a hundred certifications each through.
const (
	maxRosterBytes   = 350 << 10
	maxRosterEntries = 10_000
	maxRosterRaw     = 4 << 20
)

// ErrRosterFull: the partner's people, customers or evidence no longer fit in one roster.
var ErrRosterFull = fmt.Errorf("the partner holds more entries than one roster can (%d, %d KB compressed)", maxRosterEntries, maxRosterBytes>>10)

// rosterEntry is what every roster entry carries besides its data.
type rosterEntry struct {
	ID        string
	Version   int64
	CreatedAt string
	UpdatedAt string
}

func (e rosterEntry) put(w *binWriter) {
	w.str(e.ID)
	w.num(uint64(e.Version))
	w.str(e.CreatedAt)
	w.str(e.UpdatedAt)
}

func getRosterEntry(r *binReader) rosterEntry {
	return rosterEntry{ID: r.str(), Version: int64(r.num()), CreatedAt: r.str(), UpdatedAt: r.str()}
}

// rosterCodec writes and reads one kind of entry in the store's binary
// encoding (bincodec.go): JSON took most of a large partner's score time.
type rosterCodec[T any] struct {
	id  func(T) string
	put func(*binWriter, T)
	get func(*binReader) T
}

// rosterFormat leads every roster's bytes, so a later format can be told apart.
const rosterFormat = 1

func (e rosterEntry) meta() Meta {
	return Meta{Version: e.Version, CreatedAt: parseTimestamp(e.CreatedAt), UpdatedAt: parseTimestamp(e.UpdatedAt)}
}

type rosterItem struct {
	head
	Count   int
	Entries []byte // gzip of rosterFormat, uvarint count, the entries (rosterCodec)
}

func (it *rosterItem) attrs() attrs {
	m := attrs{"count": nAttr(int64(it.Count)), "entries": bAttr(it.Entries)}
	it.head.putAttrs(m)
	return m
}

func (it *rosterItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.Count, it.Entries = int(r.num("count")), r.bin("entries")
}

// roster is one loaded roster of entries of type T.
type roster[T any] struct {
	sk      string
	version int64 // 0: not stored yet
	created string
	entries []T
	codec   rosterCodec[T]
}

func (r *roster[T]) id(e T) string { return r.codec.id(e) }

func (r *roster[T]) find(id string) (int, bool) {
	return slices.BinarySearchFunc(r.entries, id, func(e T, id string) int { return strings.Compare(r.id(e), id) })
}

// upsert puts e in id order, replacing an entry with its id.
func (r *roster[T]) upsert(e T) {
	i, ok := r.find(r.id(e))
	if ok {
		r.entries[i] = e
		return
	}
	r.entries = slices.Insert(r.entries, i, e)
}

func (r *roster[T]) remove(id string) bool {
	i, ok := r.find(id)
	if ok {
		r.entries = slices.Delete(r.entries, i, i+1)
	}
	return ok
}

func rosterKey(pid, sk string) map[string]types.AttributeValue { return key(partnerPK(pid), sk) }

func decodeRoster[T any](raw map[string]types.AttributeValue, r *roster[T]) error {
	it, err := decode[rosterItem](raw)
	if err != nil {
		return fmt.Errorf("decode roster %s: %w", r.sk, err)
	}
	body, err := gunzip(it.Entries)
	if err != nil {
		return fmt.Errorf("roster %s: %w", r.sk, err)
	}
	p := binReader{b: body, words: map[string]string{}}
	if p.byte() != rosterFormat {
		return fmt.Errorf("roster %s: unknown format", r.sk)
	}
	n := p.num()
	r.entries = make([]T, 0, min(n, 1<<16))
	for i := uint64(0); i < n && p.ok(); i++ {
		r.entries = append(r.entries, r.codec.get(&p))
	}
	if !p.ok() || len(p.b) != 0 {
		return fmt.Errorf("roster %s: malformed", r.sk)
	}
	r.version, r.created = it.Version, it.CreatedAt
	return nil
}

// loadRoster reads a roster and makes sure the partner has a profile, in
// 1 BatchGetItem: a partner's data exists only under its profile. A partner
// with no roster yet has an empty one.
func loadRoster[T any](ctx context.Context, s *Store, pid, sk string, codec rosterCodec[T]) (*roster[T], error) {
	r := &roster[T]{sk: sk, codec: codec}
	err := s.underProfile(ctx, pid, []map[string]types.AttributeValue{rosterKey(pid, sk)}, func(_ string, raw map[string]types.AttributeValue) error {
		return decodeRoster(raw, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// item encodes the roster for writing, within the bounds a roster keeps.
func (r *roster[T]) item(pid string) (*rosterItem, error) {
	if len(r.entries) > maxRosterEntries {
		return nil, ErrRosterFull
	}
	w := binWriter{b: []byte{rosterFormat}}
	w.num(uint64(len(r.entries)))
	for _, e := range r.entries {
		r.codec.put(&w, e)
	}
	if len(w.b) > maxRosterRaw {
		return nil, ErrRosterFull
	}
	buf, err := gzipBytes(w.b)
	if err != nil {
		return nil, err
	}
	if buf.Len() > maxRosterBytes {
		return nil, ErrRosterFull
	}
	h := head{PK: partnerPK(pid), SK: r.sk, Type: typeRoster, CreatedAt: r.created}
	return &rosterItem{head: h, Count: len(r.entries), Entries: buf.Bytes()}, nil
}

// changeRoster is the read-modify-write of one roster entry under the caller's
// precondition on that entry. change returns the new entry (nil: delete it,
// and then an entry that is not there is ErrNotFound).
// A race lost to a writer of another entry is decided again on a fresh read,
// the caller's precondition included (writeVersioned).
func changeRoster[T any](ctx context.Context, s *Store, pid, sk, id string, codec rosterCodec[T], entry func(T) rosterEntry,
	pre Precondition, change func(cur *T, now string) (*T, error)) (*T, bool, error) {
	var next *T
	var created bool
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		r, err := loadRoster(ctx, s, pid, sk, codec)
		if err != nil {
			return nil, err
		}
		var cur *T
		var version int64
		if i, ok := r.find(id); ok {
			cur, version = &r.entries[i], entry(r.entries[i]).Version
		}
		if next, err = change(cur, timestamp(s.now())); err != nil {
			return nil, err
		}
		if next == nil && cur == nil {
			return nil, ErrNotFound
		}
		if !pre.Holds(cur != nil, version) {
			return nil, ErrPreconditionFailed
		}
		created = cur == nil
		if next == nil {
			r.remove(id)
		} else {
			r.upsert(*next)
		}
		it, err := r.item(pid)
		if err != nil {
			return nil, err
		}
		return []write{{item: it, read: r.version}}, nil
	})
	if err != nil {
		return nil, false, err
	}
	return next, created, nil
}

// deleteEntry removes one roster entry under the caller's precondition; an
// entry that is not there is a 404 whatever If-Match says, which tells the
// caller more than a 412.
func deleteEntry[T any](ctx context.Context, s *Store, pid, sk, id string, codec rosterCodec[T], entry func(T) rosterEntry, pre Precondition) error {
	_, _, err := changeRoster(ctx, s, pid, sk, id, codec, entry, pre, func(cur *T, _ string) (*T, error) { return nil, nil })
	return err
}

// nextEntry is the bookkeeping of an entry replacing cur (nil: a new one).
func nextEntry(id string, cur *rosterEntry, now string) rosterEntry {
	if cur == nil {
		return rosterEntry{ID: id, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	return rosterEntry{ID: id, Version: cur.Version + 1, CreatedAt: cur.CreatedAt, UpdatedAt: now}
}

// pageOf is one page of a roster after the cursor's id.
func pageOf[T, R any](r *roster[T], limit int, cursor, prefix string, view func(T) R) (Page[R], error) {
	start := 0
	if cursor != "" {
		c, err := decodeCursorBody(cursor)
		if err != nil || !strings.HasPrefix(c.SK, prefix) {
			return Page[R]{}, ErrInvalidCursor
		}
		i, found := r.find(strings.TrimPrefix(c.SK, prefix))
		start = i
		if found {
			start++
		}
	}
	end := min(start+limit, len(r.entries))
	page := Page[R]{Items: make([]R, 0, end-start)}
	for _, e := range r.entries[start:end] {
		page.Items = append(page.Items, view(e))
	}
	if end < len(r.entries) {
		page.NextCursor = encodeCursorBody(cursorBody{SK: prefix + r.id(r.entries[end-1])})
	}
	return page, nil
}

// A gzip writer holds about 1 MB of state: pooled, a roster write does not
// allocate one per request (it showed as the tail of PUT's latency).
var (
	gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}
	gzipReaders sync.Pool
)

func gzipBytes(b []byte) (*bytes.Buffer, error) {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	return &buf, zw.Close()
}

func gunzip(b []byte) ([]byte, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(b))
	} else {
		err = zr.Reset(bytes.NewReader(b))
	}
	if err != nil {
		return nil, err
	}
	defer gzipReaders.Put(zr)
	// gzip ends with the size it unpacks to (mod 4 GiB): one buffer of that
	// size, where io.ReadAll would double its way up from 512 bytes (a
	// roster of 2,000 people is 300 KB). Never past maxRosterRaw, whatever a
	// damaged trailer says or the stream holds.
	size := 0
	if len(b) >= 4 {
		size = int(min(binary.LittleEndian.Uint32(b[len(b)-4:]), maxRosterRaw))
	}
	out := make([]byte, 0, size+1)
	for {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		n, err := zr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if len(out) > maxRosterRaw {
			return nil, ErrRosterFull
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
