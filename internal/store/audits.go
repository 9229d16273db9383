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

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/domain"
)

// An audit is one item in its partner's partition, SK AUDIT#<auditId>: the
// whole audit as a document, beside the two attributes access control reads
// (auditFirm, status) and, on GSI1 under AUDITS, the program's list. An
// audit id starts with its partner's id, so the routes that name only the
// audit (/v1/audits/{auditId}, the firm's events) find its partition with
// no index and read it in one GetItem.
//
// Two more kinds of item serve the audits:
//   - the slot of a specialization, AUDITSLOT#<specId>, whose version every
//     application moves: two applications for it at once are decided one
//     after the other, so only one audit of it is ever open;
//   - the record of an audit firm event, AUDEV#<auditId>#<eventId>, with a
//     TTL: what arrived and what became of it, written in the same
//     transaction as the audit's change when applied, alone with its reason
//     when refused (the audit untouched). What tells a replay is the audit's
//     own timeline, which keeps the id and digest of every event applied
//     for as long as the audit is kept.

// letsFirmIn reports whether an audit in status lets its firm's auditors
// in: assigned to the firm (from its approval) and not ended. Anything
// else, an unknown status included, lets no auditor in.
func letsFirmIn(status string) bool {
	s := audit.Status(status)
	return s.Open() && s != audit.StatusApplied
}

const (
	prefixAuditSlot  = "AUDITSLOT#"
	prefixAuditEvent = "AUDEV#"
	gsi1Audits       = "AUDITS"
	typeAuditSlot    = "audit_slot"
	typeAuditEvent   = "audit_event"
)

// AuditEventTTL is how long an audit firm's event id is kept as an item:
// far longer than any firm retries a delivery (hours to a few days). The
// audit's timeline keeps the ids of applied events beyond that.
const AuditEventTTL = 30 * 24 * time.Hour

// NewAuditID is a new audit's id: its partner's id, then a UUIDv7.
func NewAuditID(pid string, t time.Time) string { return pid + "-" + NewID(t) }

// AuditPartner is the partner of an audit id, or false for a string no
// audit id can be (which is then simply not found).
func AuditPartner(auditID string) (string, bool) {
	pid, rest, ok := strings.Cut(auditID, "-")
	if !ok || !domain.ValidPartnerID(pid) || !validUUID(rest) {
		return "", false
	}
	return pid, true
}

// validUUID: 8-4-4-4-12 lowercase hex, as NewID writes them.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// AuditRecord is a stored audit and its item's version and timestamps.
type AuditRecord struct {
	audit.Audit
	Meta
}

type auditItem struct {
	head
	AuditID, Firm, Status string
	Doc                   []byte // auditDoc as JSON
}

func (it *auditItem) attrs() attrs {
	m := attrs{"auditId": sAttr(it.AuditID), "auditFirm": sAttr(it.Firm), "status": sAttr(it.Status), "doc": bAttr(it.Doc)}
	it.head.putAttrs(m)
	return m
}

func (it *auditItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.AuditID, it.Firm, it.Status = r.str("auditId"), r.str("auditFirm"), r.str("status")
	it.Doc = r.bin("doc")
}

func newAuditItem(a audit.Audit, cur head) (*auditItem, error) {
	doc, err := json.Marshal(docOf(a))
	if err != nil {
		return nil, err
	}
	pk, sk := partnerPK(a.PartnerID), prefixAudit+a.ID
	return &auditItem{
		head:    head{PK: pk, SK: sk, GSI1PK: gsi1Audits, GSI1SK: timestamp(a.AppliedAt) + "#" + a.ID, Type: typeAudit, CreatedAt: cur.CreatedAt},
		AuditID: a.ID, Firm: a.AuditFirm, Status: string(a.Status), Doc: doc,
	}, nil
}

func (it auditItem) record() (AuditRecord, error) {
	var d auditDoc
	if err := json.Unmarshal(it.Doc, &d); err != nil {
		return AuditRecord{}, fmt.Errorf("decode audit %s: %w", it.AuditID, err)
	}
	return AuditRecord{Audit: d.audit(), Meta: it.meta()}, nil
}

// auditSlotItem is a specialization's slot: its version is what two
// applications race on.
type auditSlotItem struct {
	head
	LastAuditID string
}

func (it *auditSlotItem) attrs() attrs {
	m := attrs{"lastAuditId": sAttr(it.LastAuditID)}
	it.head.putAttrs(m)
	return m
}

func (it *auditSlotItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.LastAuditID = r.str("lastAuditId")
}

// Event outcomes, as an event item keeps them.
const (
	eventApplied = "applied"
	eventRefused = "refused"
)

type auditEventItem struct {
	head
	EventID, EventType, Outcome, Reason, Digest string
	ExpiresAt                                   int64
}

func (it *auditEventItem) attrs() attrs {
	m := attrs{"eventId": sAttr(it.EventID), "eventType": sAttr(it.EventType), "outcome": sAttr(it.Outcome),
		"reason": sAttr(it.Reason), "digest": sAttr(it.Digest), attrTTL: nAttr(it.ExpiresAt)}
	it.head.putAttrs(m)
	return m
}

func (it *auditEventItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.EventID, it.EventType, it.Outcome = r.str("eventId"), r.str("eventType"), r.str("outcome")
	it.Reason, it.Digest, it.ExpiresAt = r.str("reason"), r.str("digest"), r.num(attrTTL)
}

// Every write of an audit brings its watch to now (watches.go), in the same
// transaction, for the sweep to look at its deadlines again.

// CreateAudit opens an audit: decide sees every audit the partner has (to
// refuse a second open audit of the specialization, or one in the week
// after a failure, R-AUD-6) and returns the new audit or why not. The
// specialization's slot and the audit are written in one TransactWriteItems
// on the slot's version, so of two applications at once one is decided
// after the other has landed. Cost: 1 Query + 1 GetItem + 1 write.
func (s *Store) CreateAudit(ctx context.Context, pid, specID string, decide func(existing []audit.Audit) (audit.Audit, error)) (AuditRecord, error) {
	var (
		out     AuditRecord
		written *auditItem
	)
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		// The slot first: the audits read after it are at least as new, so
		// an audit that lands between the two reads has moved the slot
		// past the version this write is conditioned on.
		slot, err := getItem[auditSlotItem](ctx, s, partnerPK(pid), prefixAuditSlot+specID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		existing, err := s.PartnerAudits(ctx, pid)
		if err != nil {
			return nil, err
		}
		a, err := decide(existing)
		if err != nil {
			return nil, err
		}
		it, err := newAuditItem(a, head{})
		if err != nil {
			return nil, err
		}
		read := slot.Version
		slot.head = head{PK: partnerPK(pid), SK: prefixAuditSlot + specID, Type: typeAuditSlot, CreatedAt: slot.CreatedAt}
		slot.LastAuditID = a.ID
		out, written = AuditRecord{Audit: a}, it
		return []write{{item: it, read: 0}, {item: &slot, read: read}, s.watchNow(pid, WatchAudit, a.ID)}, nil
	})
	if err != nil {
		return AuditRecord{}, err
	}
	out.Meta = written.meta() // as writeVersioned stamped it
	return out, nil
}

// PartnerAudits reads every audit of a partner (a partner has a few a
// year): 1 Query a page.
func (s *Store) PartnerAudits(ctx context.Context, pid string) ([]audit.Audit, error) {
	var all []audit.Audit
	cursor := ""
	for {
		page, err := s.ListPartnerAudits(ctx, pid, 100, cursor)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			all = append(all, r.Audit)
		}
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

// GetAudit reads an audit by its id: 1 GetItem. An id no audit can have,
// and an audit that is not there, are ErrNotFound.
func (s *Store) GetAudit(ctx context.Context, auditID string) (AuditRecord, error) {
	pid, ok := AuditPartner(auditID)
	if !ok {
		return AuditRecord{}, ErrNotFound
	}
	it, err := getItem[auditItem](ctx, s, partnerPK(pid), prefixAudit+auditID)
	if err != nil {
		return AuditRecord{}, err
	}
	return it.record()
}

// ListPartnerAudits pages through a partner's audits, oldest first: 1
// Query a page.
func (s *Store) ListPartnerAudits(ctx context.Context, pid string, limit int, cursor string) (Page[AuditRecord], error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :audit)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": sAttr(partnerPK(pid)), ":audit": sAttr(prefixAudit),
		},
		ConsistentRead: aws.Bool(true),
		Limit:          aws.Int32(int32(limit + 1)),
	}
	if cursor != "" {
		c, err := decodeCursorBody(cursor)
		if err != nil || !strings.HasPrefix(c.SK, prefixAudit) {
			return Page[AuditRecord]{}, ErrInvalidCursor
		}
		if _, ok := AuditPartner(strings.TrimPrefix(c.SK, prefixAudit)); !ok {
			return Page[AuditRecord]{}, ErrInvalidCursor
		}
		in.ExclusiveStartKey = key(partnerPK(pid), c.SK)
	}
	return s.auditPage(ctx, in, limit, func(item map[string]types.AttributeValue) string {
		return encodeCursorBody(cursorBody{SK: skOf(item)})
	})
}

// AuditFilter narrows the program's list: a status, an audit firm ("" for all).
type AuditFilter struct {
	Status string
	Firm   string
}

// ListAudits pages through every partner's audits, oldest application
// first, for the program and the audit firms: 1 Query of GSI1 a page. The
// filter is applied by DynamoDB after it reads a page, so a page may hold
// fewer than limit audits and still have a next one.
func (s *Store) ListAudits(ctx context.Context, f AuditFilter, limit int, cursor string) (Page[AuditRecord], error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": sAttr(gsi1Audits)},
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	var conds []string
	if f.Status != "" {
		conds = append(conds, "#s = :s")
		in.ExpressionAttributeNames["#s"] = "status"
		in.ExpressionAttributeValues[":s"] = sAttr(f.Status)
	}
	if f.Firm != "" {
		conds = append(conds, "auditFirm = :f")
		in.ExpressionAttributeValues[":f"] = sAttr(f.Firm)
	}
	if len(conds) > 0 {
		in.FilterExpression = aws.String(strings.Join(conds, " AND "))
	}
	if cursor != "" {
		c, err := decodeCursorBody(cursor)
		if err != nil {
			return Page[AuditRecord]{}, ErrInvalidCursor
		}
		id := strings.TrimPrefix(c.SK, prefixAudit)
		pid, ok := AuditPartner(id)
		at, rest, found := strings.Cut(c.GSI1SK, "#")
		// Both keys are rebuilt from what they must be: a cursor made up
		// could otherwise give DynamoDB a key it refuses (a 500).
		if _, err := time.Parse(time.RFC3339Nano, at); !ok || !strings.HasPrefix(c.SK, prefixAudit) || !found || rest != id || err != nil || len(at) > 40 {
			return Page[AuditRecord]{}, ErrInvalidCursor
		}
		start := key(partnerPK(pid), c.SK)
		start[attrGSI1PK], start[attrGSI1SK] = sAttr(gsi1Audits), sAttr(c.GSI1SK)
		in.ExclusiveStartKey = start
	}
	return s.auditPage(ctx, in, limit, encodeGSI1Cursor)
}

// auditPage runs one Query of audits (asking for limit+1) and makes its page.
func (s *Store) auditPage(ctx context.Context, in *dynamodb.QueryInput, limit int, cursorOf func(map[string]types.AttributeValue) string) (Page[AuditRecord], error) {
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return Page[AuditRecord]{}, fmt.Errorf("query audits: %w", err)
	}
	items, next := cutPage(out, limit, cursorOf)
	return itemPage(items, next, "audit", func(it auditItem) (AuditRecord, error) { return it.record() })
}

// ChangeAudit changes one audit through change, which sees it as it is
// and returns it changed or why not (nothing is written then): 1 GetItem +
// 1 TransactWriteItems of the audit and its watch, again after a lost race.
func (s *Store) ChangeAudit(ctx context.Context, auditID string, change func(audit.Audit) (audit.Audit, error)) (AuditRecord, error) {
	pid, ok := AuditPartner(auditID)
	if !ok {
		return AuditRecord{}, ErrNotFound
	}
	var (
		out     AuditRecord
		written *auditItem
	)
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[auditItem](ctx, s, partnerPK(pid), prefixAudit+auditID)
		if err != nil {
			return nil, err
		}
		rec, err := cur.record()
		if err != nil {
			return nil, err
		}
		next, err := change(rec.Audit)
		if err != nil {
			return nil, err
		}
		it, err := newAuditItem(next, cur.head)
		if err != nil {
			return nil, err
		}
		out, written = AuditRecord{Audit: next}, it
		return []write{{item: it, read: cur.Version}, s.watchNow(pid, WatchAudit, auditID)}, nil
	})
	if err != nil {
		return AuditRecord{}, err
	}
	out.Meta = written.meta()
	return out, nil
}

// AuditEvent is an audit firm event as the store records it: which audit,
// its id, its type, and its digest (audit.Event.Digest).
type AuditEvent struct {
	AuditID string
	ID      string
	Type    string
	Digest  string
}

// EventOutcome is what became of an event.
type EventOutcome int

const (
	EventApplied   EventOutcome = iota // the audit changed, in the same write as the event's record
	EventDuplicate                     // applied before: nothing changed
	EventRefused                       // not valid in the audit's state: recorded, the audit unchanged
)

// ErrEventIDReused: an event id already applied came with another digest.
var ErrEventIDReused = errors.New("the event id was already used for another event")

// ApplyAuditEvent applies an audit firm event through change, once: 1
// GetItem of the audit, whose timeline knows every event applied to it,
// then 1 TransactWriteItems of the changed audit (on its version) and the
// event's record; when change refuses, 1 PutItem of the record with the
// reason, and the audit is not written. An event refused before is judged
// again: events are valid by the audit's state, not their arrival, so the
// firm's retry of an event that came too early applies once its step is
// due. A lost race (another event of the audit at once) reads and decides
// again, so two events never both apply to the same version.
func (s *Store) ApplyAuditEvent(ctx context.Context, ev AuditEvent, change func(audit.Audit) (audit.Audit, error)) (EventOutcome, AuditRecord, error) {
	pid, ok := AuditPartner(ev.AuditID)
	if !ok {
		return 0, AuditRecord{}, ErrNotFound
	}
	pk, auditSK := partnerPK(pid), prefixAudit+ev.AuditID
	var (
		outcome EventOutcome
		out     AuditRecord
		written *auditItem // nil unless the audit changed
		refusal error
	)
	err := s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[auditItem](ctx, s, pk, auditSK)
		if err != nil {
			return nil, err
		}
		rec, err := cur.record()
		if err != nil {
			return nil, err
		}
		if digest, seen := rec.Applied(ev.ID); seen {
			if digest != ev.Digest {
				return nil, ErrEventIDReused
			}
			outcome, out, written, refusal = EventDuplicate, rec, nil, nil
			return nil, nil
		}
		// Applied, the record is written blind beside the audit, whose
		// version decides; refused, it may replace an earlier refusal of
		// the event, never its application by another delivery meanwhile.
		record := &auditEventItem{
			head:    head{PK: pk, SK: prefixAuditEvent + ev.AuditID + "#" + ev.ID, Type: typeAuditEvent},
			EventID: ev.ID, EventType: ev.Type, Digest: ev.Digest, ExpiresAt: s.now().Add(AuditEventTTL).Unix(),
		}
		next, err := change(rec.Audit)
		var r *audit.Refusal
		switch {
		case errors.As(err, &r):
			outcome, out, written, refusal = EventRefused, rec, nil, err
			record.Outcome, record.Reason = eventRefused, r.Error()
			return []write{{item: record, unless: "outcome = :applied", values: attrs{":applied": sAttr(eventApplied)}}}, nil
		case err != nil:
			return nil, err
		}
		it, err := newAuditItem(next, cur.head)
		if err != nil {
			return nil, err
		}
		record.Outcome = eventApplied
		outcome, out, written, refusal = EventApplied, AuditRecord{Audit: next}, it, nil
		return []write{{item: it, read: cur.Version}, {item: record, blind: true}, s.watchNow(pid, WatchAudit, ev.AuditID)}, nil
	})
	if err != nil {
		return 0, AuditRecord{}, err
	}
	if written != nil {
		out.Meta = written.meta()
	}
	return outcome, out, refusal
}

// FirmHasOpenAudit reports whether an open audit of the partner is assigned
// to firm: 1 Query of the partner's audits.
func (s *Store) FirmHasOpenAudit(ctx context.Context, pid, firm string) (bool, error) {
	if firm == "" {
		return false, nil
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :audit)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": sAttr(partnerPK(pid)), ":audit": sAttr(prefixAudit),
		},
		// What access needs, not whole audits.
		ProjectionExpression:     aws.String("auditFirm, #s"),
		ExpressionAttributeNames: map[string]string{"#s": "status"},
		ConsistentRead:           aws.Bool(true),
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return false, fmt.Errorf("query audits: %w", err)
		}
		for _, raw := range out.Items {
			it, err := decode[auditItem](raw)
			if err != nil {
				return false, fmt.Errorf("decode audit: %w", err)
			}
			if it.Firm == firm && letsFirmIn(it.Status) {
				return true, nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return false, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
