package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/partnerready/partnerready/internal/domain"
)

// A watch says when something of a partner is next to be looked at for
// reminders: an audit (its deadlines, its evidence) or an enrollment (its
// renewal notices). It is one item, WATCH#<kind>#<subject>, on GSI1 under
// DUE by the instant it is next due, so that the sweep reads what is due
// and nothing else, whatever the number of partners. A watch with nothing
// ahead leaves the index (a sparse one: its GSI keys are not written).
//
// Whoever changes the thing watched brings its watch to now, blind, with a
// changedAt of its own; the sweep moves it on only if changedAt is still
// the one it read, so a change made while it looked is looked at again.

// Watch kinds.
const (
	WatchAudit      = "audit"
	WatchEnrollment = "enrollment"
)

const (
	prefixWatch      = "WATCH#"
	gsi1Due          = "DUE"
	typeWatch        = "watch"
	prefixNote       = "NOTE#"
	prefixNoteKey    = "NOTEKEY#"
	typeNotification = "notification"
	typeNoteKey      = "notification_key"
	dueFormat        = "2006-01-02T15:04:05Z" // fixed width, so that GSI1SK sorts by time
)

// Watch is one watch as the sweep reads it.
type Watch struct {
	PartnerID string
	Kind      string
	Subject   string
	NextAt    time.Time // zero: nothing ahead
	ChangedAt string    // who last brought it forward, as read
}

type watchItem struct {
	head
	PartnerID, Kind, Subject, NextAt, ChangedAt string
}

func (it *watchItem) attrs() attrs {
	m := attrs{"partnerId": sAttr(it.PartnerID), "kind": sAttr(it.Kind), "subject": sAttr(it.Subject), "changedAt": sAttr(it.ChangedAt)}
	if it.NextAt != "" {
		m["nextAt"] = sAttr(it.NextAt)
	}
	it.head.putAttrs(m)
	return m
}

func (it *watchItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.PartnerID, it.Kind, it.Subject, it.ChangedAt = r.str("partnerId"), r.str("kind"), r.str("subject"), r.str("changedAt")
	it.NextAt = r.str("nextAt")
}

func watchSK(kind, subject string) string { return prefixWatch + kind + "#" + subject }

// newWatch is the watch of kind and subject due at next (zero: parked).
func newWatch(pid, kind, subject string, next time.Time, changedAt string) *watchItem {
	it := &watchItem{head: head{PK: partnerPK(pid), SK: watchSK(kind, subject), Type: typeWatch}, PartnerID: pid, Kind: kind, Subject: subject, ChangedAt: changedAt}
	if !next.IsZero() {
		it.NextAt = next.UTC().Format(dueFormat)
		it.GSI1PK, it.GSI1SK = gsi1Due, it.NextAt+"#"+pid+"#"+kind+"#"+subject
	}
	return it
}

// watchNow is the write that brings a watch to now, for a change that
// needs looking at: blind, beside the change itself.
func (s *Store) watchNow(pid, kind, subject string) write {
	now := s.now()
	return write{item: newWatch(pid, kind, subject, now, timestamp(now)+"/"+newWriteID()), blind: true}
}

// WatchNow brings the watch of kind and subject to now: 1 PutItem.
func (s *Store) WatchNow(ctx context.Context, pid, kind, subject string) error {
	w := s.watchNow(pid, kind, subject)
	return s.writeVersioned(ctx, func(context.Context) ([]write, error) { return []write{w}, nil })
}

// DueWatches pages through the watches due at or before now, the earliest
// first: 1 Query of GSI1 a page, whose cost is what is due.
func (s *Store) DueWatches(ctx context.Context, now time.Time, limit int, cursor string) (Page[Watch], error) {
	items, next, err := s.queryDue(ctx, gsi1Due, prefixWatch, now, limit, cursor)
	if err != nil {
		return Page[Watch]{}, err
	}
	return itemPage(items, next, "watch", func(it watchItem) (Watch, error) {
		w := Watch{PartnerID: it.PartnerID, Kind: it.Kind, Subject: it.Subject, ChangedAt: it.ChangedAt}
		w.NextAt, _ = time.Parse(dueFormat, it.NextAt)
		return w, nil
	})
}

// ErrWatchMoved: the watch was brought forward since it was read; it will
// be looked at again.
var ErrWatchMoved = errors.New("the watch changed since it was read")

// Rewatch moves a watch on to next (zero: parks it), unless it was brought
// forward since w was read (ErrWatchMoved): 1 GetItem + 1 conditional
// PutItem.
func (s *Store) Rewatch(ctx context.Context, w Watch, next time.Time) error {
	it := newWatch(w.PartnerID, w.Kind, w.Subject, next, w.ChangedAt)
	return s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[watchItem](ctx, s, it.PK, it.SK)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return nil, err
		case cur.ChangedAt != w.ChangedAt:
			return nil, ErrWatchMoved
		}
		return []write{{item: it, when: "attribute_not_exists(PK) OR changedAt = :c", values: attrs{":c": sAttr(w.ChangedAt)}}}, nil
	})
}

// Notification is one thing a partner was told.
type Notification struct {
	ID        string
	PartnerID string
	Kind      string
	Subject   string
	DueOn     domain.Date
	Detail    string
	CreatedAt time.Time
	ReadAt    time.Time // zero until marked read
	Meta
}

type notificationItem struct {
	head
	ID, Kind, Subject, DueOn, Detail, ReadAt string
}

func (it *notificationItem) attrs() attrs {
	m := attrs{"id": sAttr(it.ID), "kind": sAttr(it.Kind), "subject": sAttr(it.Subject), "dueOn": sAttr(it.DueOn), "detail": sAttr(it.Detail)}
	if it.ReadAt != "" {
		m["readAt"] = sAttr(it.ReadAt)
	}
	it.head.putAttrs(m)
	return m
}

func (it *notificationItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.ID, it.Kind, it.Subject, it.DueOn, it.Detail = r.str("id"), r.str("kind"), r.str("subject"), r.str("dueOn"), r.str("detail")
	it.ReadAt = r.str("readAt")
}

func (it notificationItem) notification(pid string) Notification {
	n := Notification{ID: it.ID, PartnerID: pid, Kind: it.Kind, Subject: it.Subject, Detail: it.Detail, Meta: it.meta()}
	n.DueOn, _ = domain.ParseDate(it.DueOn)
	n.CreatedAt = n.Meta.CreatedAt
	if it.ReadAt != "" {
		n.ReadAt = parseTimestamp(it.ReadAt)
	}
	return n
}

type noteKeyItem struct {
	head
	NoteID string
}

func (it *noteKeyItem) attrs() attrs {
	m := attrs{"noteId": sAttr(it.NoteID)}
	it.head.putAttrs(m)
	return m
}

func (it *noteKeyItem) readAttrs(r *attrReader) { it.head.readAttrs(r); it.NoteID = r.str("noteId") }

// validNoteID: n-<13 digits>-<16 hex>, as Notify makes them.
func validNoteID(id string) bool {
	ms, hash, ok := strings.Cut(strings.TrimPrefix(id, "n-"), "-")
	if !ok || !strings.HasPrefix(id, "n-") || len(ms) != 13 || len(hash) != 16 {
		return false
	}
	for _, c := range ms + hash {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Reminder is a notification to write once for its key.
type Reminder struct {
	Key string
	Notification
}

// Notify tells the partner each reminder once for its key, and says how
// many were new: 1 BatchGetItem of their markers, then for each one not
// told yet 1 TransactWriteItems of the notification and its marker, on the
// condition that the marker is new, so a key told before (by an earlier
// sweep, or one running at once) is never told again. Markers are read 100
// a BatchGetItem.
func (s *Store) Notify(ctx context.Context, pid string, rs []Reminder) (int, error) {
	sent := 0
	for len(rs) > 0 {
		n := min(len(rs), maxBatchGet)
		k, err := s.notify(ctx, pid, rs[:n])
		sent += k
		if err != nil {
			return sent, err
		}
		rs = rs[n:]
	}
	return sent, nil
}

// notify is Notify for at most maxBatchGet reminders.
func (s *Store) notify(ctx context.Context, pid string, rs []Reminder) (int, error) {
	digests := make([]string, len(rs))
	keys := make([]map[string]types.AttributeValue, len(rs))
	for i, r := range rs {
		sum := sha256.Sum256([]byte(r.Key))
		digests[i] = hex.EncodeToString(sum[:])
		keys[i] = key(partnerPK(pid), prefixNoteKey+digests[i])
	}
	told, err := s.batchGet(ctx, keys)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, raw := range told {
		seen[skOf(raw)] = true
	}
	sent := 0
	for i, r := range rs {
		sk := prefixNoteKey + digests[i]
		if seen[sk] {
			continue
		}
		id := fmt.Sprintf("n-%013d-%s", s.now().UnixMilli(), digests[i][:16])
		// On the PUSH index until a deliverer fans it out to the
		// partner's endpoints (deliveries.go).
		at := s.now().UTC().Format(dueFormat)
		note := &notificationItem{head: head{PK: partnerPK(pid), SK: prefixNote + id, Type: typeNotification, GSI1PK: gsi1Push, GSI1SK: at + "#" + pid + "#" + id}, ID: id, Kind: r.Kind, Subject: r.Subject, DueOn: r.DueOn.String(), Detail: r.Detail}
		marker := &noteKeyItem{head: head{PK: partnerPK(pid), SK: sk, Type: typeNoteKey}, NoteID: id}
		fresh, tries := true, 0
		err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
			if tries++; tries > 1 {
				// The write lost a race: told at once by another sweep?
				if _, err := getItem[noteKeyItem](ctx, s, marker.PK, marker.SK); err == nil {
					fresh = false
					return nil, nil
				} else if !errors.Is(err, ErrNotFound) {
					return nil, err
				}
			}
			return []write{{item: marker, read: 0}, {item: note, read: 0}}, nil
		})
		if err != nil {
			return sent, err
		}
		if fresh {
			sent++
		}
	}
	return sent, nil
}

// ListNotifications pages through a partner's notifications, oldest first,
// from since on (zero: all): 1 Query a page (and 1 GetItem of the profile
// when the first page is empty).
func (s *Store) ListNotifications(ctx context.Context, pid string, since time.Time, limit int, cursor string) (Page[Notification], error) {
	from := prefixNote
	if !since.IsZero() {
		from = fmt.Sprintf("%sn-%013d", prefixNote, since.UnixMilli())
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": sAttr(partnerPK(pid)), ":from": sAttr(from), ":to": sAttr(prefixNote + "~"),
		},
		ConsistentRead: aws.Bool(true),
		Limit:          aws.Int32(int32(limit + 1)),
	}
	if cursor != "" {
		c, err := decodeCursorBody(cursor)
		// A cursor before since would be a start key outside the query's
		// range, which DynamoDB refuses (a 500): it is not this list's.
		if err != nil || !validNoteID(strings.TrimPrefix(c.SK, prefixNote)) || c.SK < from {
			return Page[Notification]{}, ErrInvalidCursor
		}
		in.ExclusiveStartKey = key(partnerPK(pid), c.SK)
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return Page[Notification]{}, fmt.Errorf("query notifications: %w", err)
	}
	items, next := cutPage(out, limit, func(item map[string]types.AttributeValue) string { return encodeCursorBody(cursorBody{SK: skOf(item)}) })
	page, err := itemPage(items, next, "notification", func(it notificationItem) (Notification, error) { return it.notification(pid), nil })
	if err != nil {
		return page, err
	}
	// Notifications exist only under a profile: only an empty first page
	// needs the profile read, to tell "none yet" from "no partner".
	if len(page.Items) == 0 && cursor == "" {
		if err := s.hasProfile(ctx, pid); err != nil {
			return page, err
		}
	}
	return page, nil
}

// MarkNotificationRead marks one notification read (again is a no-op):
// 1 GetItem + 1 conditional PutItem. Another partner's id is not found.
func (s *Store) MarkNotificationRead(ctx context.Context, pid, id string) (Notification, error) {
	if !validNoteID(id) {
		return Notification{}, ErrNotFound
	}
	var (
		out     Notification
		written *notificationItem
	)
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[notificationItem](ctx, s, partnerPK(pid), prefixNote+id)
		if err != nil {
			return nil, err
		}
		if cur.ReadAt != "" {
			out = cur.notification(pid)
			return nil, nil
		}
		next := cur
		next.ReadAt = timestamp(s.now())
		written = &next
		return []write{{item: written, read: cur.Version}}, nil
	})
	if err != nil {
		return Notification{}, err
	}
	if written != nil {
		out = written.notification(pid) // as writeVersioned stamped it
	}
	return out, nil
}
