package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/partnerready/partnerready/internal/domain"
)

// Pushing a notification to a partner's endpoints takes two steps, apart
// from the sweep that wrote it:
//
//   - A new notification is on GSI1 under PUSH (the outbox, written in the
//     notification's own transaction, so none is ever lost between the
//     two). FanOut turns it into one delivery per active endpoint and
//     takes it off the index, in one transaction.
//   - A delivery, DLV#<endpointId>#<notificationId>, is on GSI1 under
//     DELIVER by its next attempt while it is pending. A deliverer claims
//     it (moving that time past its attempt, so no other one takes it),
//     sends it, and records the answer: delivered, failed, or pending
//     again at its next retry. A deliverer that dies holding a claim leaves
//     the delivery due again when the claim runs out.
//
// Deliveries stay readable as the endpoint's log for DeliveryTTL.

const (
	prefixDelivery = "DLV#"
	gsi1Push       = "PUSH"
	gsi1Deliver    = "DELIVER"
	typeDelivery   = "delivery"
)

// A delivery's statuses.
const (
	DeliveryPending   = "pending"   // to be attempted at NextAt
	DeliveryDelivered = "delivered" // a 2xx answered
	DeliveryFailed    = "failed"    // given up on: Reason says why
)

// DeliveryTTL is how long a delivery's log is kept after its last change.
const DeliveryTTL = 90 * 24 * time.Hour

// ErrDeliveryTaken: another deliverer claimed the delivery, or it is no
// longer due.
var ErrDeliveryTaken = errors.New("the delivery is another deliverer's, or not due")

// Attempt is one try at a delivery.
type Attempt struct {
	At         time.Time
	StatusCode int // the receiver's answer; 0: none
	Error      string
	Duration   time.Duration
}

// Delivery is one notification's delivery to one endpoint.
type Delivery struct {
	PartnerID      string
	EndpointID     string
	NotificationID string // also its webhook-id, the same on every attempt
	Status         string // DeliveryPending, DeliveryDelivered, DeliveryFailed
	Reason         string // why it failed
	Attempts       []Attempt
	NextAt         time.Time // pending: its next attempt (or the end of a claim)
	ClaimedAt      time.Time // an attempt under way since, not yet recorded
	Body           []byte    // what every attempt sends
	Meta
}

type attemptDoc struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitzero"`
	Error      string    `json:"error,omitzero"`
	Ms         int64     `json:"ms"`
}

type deliveryDoc struct {
	Status    string       `json:"status"`
	Reason    string       `json:"reason,omitzero"`
	Attempts  []attemptDoc `json:"attempts"`
	NextAt    time.Time    `json:"nextAt,omitzero"`
	ClaimedAt time.Time    `json:"claimedAt,omitzero"`
}

type deliveryItem struct {
	head
	EndpointID, NoteID string
	Doc, Body          []byte
	ExpiresAt          int64
}

func (it *deliveryItem) attrs() attrs {
	m := attrs{"endpointId": sAttr(it.EndpointID), "noteId": sAttr(it.NoteID), "doc": bAttr(it.Doc), "body": bAttr(it.Body), attrTTL: nAttr(it.ExpiresAt)}
	it.head.putAttrs(m)
	return m
}

func (it *deliveryItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.EndpointID, it.NoteID, it.Doc, it.Body, it.ExpiresAt = r.str("endpointId"), r.str("noteId"), r.bin("doc"), r.bin("body"), r.num(attrTTL)
}

func deliverySK(endpointID, noteID string) string { return prefixDelivery + endpointID + "#" + noteID }

func (it *deliveryItem) delivery() (Delivery, error) {
	var doc deliveryDoc
	if err := json.Unmarshal(it.Doc, &doc); err != nil {
		return Delivery{}, fmt.Errorf("decode delivery %s: %w", it.SK, err)
	}
	d := Delivery{PartnerID: strings.TrimPrefix(it.PK, "P#"), EndpointID: it.EndpointID, NotificationID: it.NoteID,
		Status: doc.Status, Reason: doc.Reason, NextAt: doc.NextAt, ClaimedAt: doc.ClaimedAt, Body: it.Body, Meta: it.meta()}
	for _, a := range doc.Attempts {
		d.Attempts = append(d.Attempts, Attempt{At: a.At, StatusCode: a.StatusCode, Error: a.Error, Duration: time.Duration(a.Ms) * time.Millisecond})
	}
	return d, nil
}

// deliveryItemOf is d as its item, on the index while it is pending.
func deliveryItemOf(d Delivery, expiresAt int64) (*deliveryItem, error) {
	doc := deliveryDoc{Status: d.Status, Reason: d.Reason, Attempts: []attemptDoc{}, ClaimedAt: d.ClaimedAt}
	for _, a := range d.Attempts {
		doc.Attempts = append(doc.Attempts, attemptDoc{At: a.At, StatusCode: a.StatusCode, Error: a.Error, Ms: a.Duration.Milliseconds()})
	}
	it := &deliveryItem{head: head{PK: partnerPK(d.PartnerID), SK: deliverySK(d.EndpointID, d.NotificationID), Type: typeDelivery, Version: d.Version},
		EndpointID: d.EndpointID, NoteID: d.NotificationID, Body: d.Body, ExpiresAt: expiresAt}
	if !d.CreatedAt.IsZero() {
		it.CreatedAt = timestamp(d.CreatedAt) // kept by every rewrite (writeVersioned)
	}
	if !d.NextAt.IsZero() {
		doc.NextAt = d.NextAt.UTC()
		it.GSI1PK, it.GSI1SK = gsi1Deliver, doc.NextAt.Format(dueFormat)+"#"+d.PartnerID+"#"+d.EndpointID+"#"+d.NotificationID
	}
	var err error
	it.Doc, err = json.Marshal(doc)
	return it, err
}

// queryDue is one page of a GSI1 partition whose sort keys are
// "<time>#<partnerId>#…", up to now, the earliest first: what a job has
// due (watches, pushes, deliveries), whose cost is what is due.
func (s *Store) queryDue(ctx context.Context, pk, skPrefix string, now time.Time, limit int, cursor string) ([]map[string]types.AttributeValue, string, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("#pk = :due AND #sk <= :now"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK, "#sk": attrGSI1SK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":due": sAttr(pk), ":now": sAttr(now.UTC().Format(dueFormat) + "#~")},
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if cursor != "" {
		// The cursor becomes a start key: one this list did not hand out
		// could make a key DynamoDB refuses (a 500).
		c, err := decodeCursorBody(cursor)
		if err != nil || !strings.HasPrefix(c.SK, skPrefix) {
			return nil, "", ErrInvalidCursor
		}
		at, rest, _ := strings.Cut(c.GSI1SK, "#")
		pid, _, _ := strings.Cut(rest, "#")
		if _, err := time.Parse(dueFormat, at); err != nil || !domain.ValidPartnerID(pid) {
			return nil, "", ErrInvalidCursor
		}
		start := key(partnerPK(pid), c.SK)
		start[attrGSI1PK], start[attrGSI1SK] = sAttr(pk), sAttr(c.GSI1SK)
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query %s: %w", pk, err)
	}
	items, next := cutPage(out, limit, encodeGSI1Cursor)
	return items, next, nil
}

// Push is a notification not yet turned into deliveries.
type Push struct{ PartnerID, NotificationID string }

// DuePushes pages through the notifications not yet fanned out, the
// oldest first: 1 Query of GSI1 a page.
func (s *Store) DuePushes(ctx context.Context, now time.Time, limit int, cursor string) (Page[Push], error) {
	items, next, err := s.queryDue(ctx, gsi1Push, prefixNote, now, limit, cursor)
	if err != nil {
		return Page[Push]{}, err
	}
	page := Page[Push]{NextCursor: next, Items: make([]Push, 0, len(items))}
	for _, raw := range items {
		page.Items = append(page.Items, Push{PartnerID: strings.TrimPrefix(pkOf(raw), "P#"), NotificationID: strings.TrimPrefix(skOf(raw), prefixNote)})
	}
	return page, nil
}

// FanOut makes p's deliveries, one for each endpoint then active, each
// due now and sending body(notification), and takes p off the index: 1
// BatchGetItem of the notification and the endpoints, then 1
// TransactWriteItems (a PutItem when no endpoint is active). A
// notification fanned out already makes nothing. It says how many
// deliveries it made.
func (s *Store) FanOut(ctx context.Context, p Push, body func(Notification) ([]byte, error)) (int, error) {
	made := 0
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		made = 0
		items, err := s.batchGet(ctx, []map[string]types.AttributeValue{key(partnerPK(p.PartnerID), prefixNote+p.NotificationID), key(partnerPK(p.PartnerID), skEndpoints)})
		if err != nil {
			return nil, err
		}
		var (
			note *notificationItem
			eps  []Endpoint
		)
		for _, raw := range items {
			switch skOf(raw) {
			case skEndpoints:
				it, err := decode[endpointsItem](raw)
				if err == nil {
					eps, err = it.endpoints()
				}
				if err != nil {
					return nil, err
				}
			default:
				it, err := decode[notificationItem](raw)
				if err != nil {
					return nil, fmt.Errorf("decode notification: %w", err)
				}
				note = &it
			}
		}
		if note == nil || note.GSI1PK != gsi1Push {
			return nil, nil // gone, or fanned out by another deliverer
		}
		now := s.now().UTC()
		var (
			writes []write
			b      []byte // what every endpoint is sent, made once
		)
		for _, e := range eps {
			if e.Disabled != "" {
				continue
			}
			if b == nil {
				if b, err = body(note.notification(p.PartnerID)); err != nil {
					return nil, err
				}
			}
			it, err := deliveryItemOf(Delivery{PartnerID: p.PartnerID, EndpointID: e.ID, NotificationID: note.ID, Status: DeliveryPending, NextAt: now, Body: b}, now.Add(DeliveryTTL).Unix())
			if err != nil {
				return nil, err
			}
			writes = append(writes, write{item: it})
		}
		made = len(writes)
		done := *note
		done.GSI1PK, done.GSI1SK = "", ""
		return append(writes, write{item: &done, read: note.Version}), nil
	})
	return made, err
}

// DueDeliveries pages through the deliveries whose attempt is due, the
// earliest first: 1 Query of GSI1 a page.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int, cursor string) (Page[Delivery], error) {
	items, next, err := s.queryDue(ctx, gsi1Deliver, prefixDelivery, now, limit, cursor)
	if err != nil {
		return Page[Delivery]{}, err
	}
	return deliveryPage(items, next)
}

func deliveryPage(items []map[string]types.AttributeValue, next string) (Page[Delivery], error) {
	return itemPage(items, next, "delivery", func(it deliveryItem) (Delivery, error) { return it.delivery() })
}

// ClaimDelivery takes a due delivery, as read from the index, for one
// attempt, holding it for hold: 1 conditional PutItem at the version read
// (the index may lag: a lost race reads the item, 1 GetItem, and claims it
// if it is still due). ErrDeliveryTaken when it is not.
//
// A claim that ran out before its answer was recorded (its deliverer
// died, perhaps after sending) is logged as an attempt with no answer, and
// abandoned says so: that attempt counts, and the caller schedules the
// next one rather than sending at once.
func (s *Store) ClaimDelivery(ctx context.Context, d Delivery, hold time.Duration) (claimed Delivery, abandoned bool, err error) {
	tries := 0
	err = s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		if tries++; tries > 1 {
			it, err := getItem[deliveryItem](ctx, s, partnerPK(d.PartnerID), deliverySK(d.EndpointID, d.NotificationID))
			if errors.Is(err, ErrNotFound) {
				return nil, ErrDeliveryTaken
			}
			if err != nil {
				return nil, err
			}
			if d, err = it.delivery(); err != nil {
				return nil, err
			}
		}
		now := s.now().UTC()
		if d.Status != DeliveryPending || d.NextAt.After(now) {
			return nil, ErrDeliveryTaken
		}
		claimed, abandoned = d, !d.ClaimedAt.IsZero()
		claimed.Attempts = append([]Attempt(nil), d.Attempts...)
		if abandoned {
			claimed.Attempts = append(claimed.Attempts, Attempt{At: d.ClaimedAt, Error: "the deliverer stopped before recording an answer"})
		}
		claimed.ClaimedAt, claimed.NextAt = now, now.Add(hold)
		it, err := deliveryItemOf(claimed, now.Add(DeliveryTTL).Unix())
		if err != nil {
			return nil, err
		}
		return []write{{item: it, read: d.Version}}, nil
	})
	if err != nil {
		return Delivery{}, false, err
	}
	claimed.Version++
	return claimed, abandoned, nil
}

// RecordDelivery writes what became of a claimed delivery (its claim
// cleared): 1 conditional PutItem at the claim's version;
// ErrDeliveryTaken if the claim ran out and another deliverer took it.
func (s *Store) RecordDelivery(ctx context.Context, d Delivery) error {
	d.ClaimedAt = time.Time{}
	it, err := deliveryItemOf(d, s.now().Add(DeliveryTTL).Unix())
	if err != nil {
		return err
	}
	tries := 0
	return s.writeVersioned(ctx, func(context.Context) ([]write, error) {
		if tries++; tries > 1 {
			return nil, ErrDeliveryTaken // (writeVersioned has told a lost answer from a lost race)
		}
		return []write{{item: it, read: d.Version}}, nil
	})
}

// ListDeliveries pages through an endpoint's deliveries, the newest first:
// 1 Query a page (and 1 BatchGetItem when the first page is empty, to tell
// "none yet" from "no such endpoint").
func (s *Store) ListDeliveries(ctx context.Context, pid, endpointID string, limit int, cursor string) (Page[Delivery], error) {
	prefix := prefixDelivery + endpointID + "#"
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": sAttr(partnerPK(pid)), ":p": sAttr(prefix)},
		ConsistentRead:            aws.Bool(true),
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if cursor != "" {
		c, err := decodeCursorBody(cursor)
		if err != nil || !strings.HasPrefix(c.SK, prefix) || !validNoteID(strings.TrimPrefix(c.SK, prefix)) {
			return Page[Delivery]{}, ErrInvalidCursor
		}
		in.ExclusiveStartKey = key(partnerPK(pid), c.SK)
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return Page[Delivery]{}, fmt.Errorf("query deliveries: %w", err)
	}
	items, next := cutPage(out, limit, func(item map[string]types.AttributeValue) string { return encodeCursorBody(cursorBody{SK: skOf(item)}) })
	page, err := deliveryPage(items, next)
	if err != nil || len(page.Items) > 0 || cursor != "" {
		return page, err
	}
	_, err = s.GetEndpoint(ctx, pid, endpointID)
	return page, err
}
