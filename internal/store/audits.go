package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// An audit item holds, in the partner's partition, what access control needs
// of an audit: the firm it is assigned to and its status. The audits
// function keeps whole audits under the same key and attributes; until it
// does, PutAuditAccess writes them.

// AuditAccess is an audit as access control sees it.
type AuditAccess struct {
	AuditID   string
	PartnerID string
	Firm      string // the audit firm assigned ("" before approval)
	Status    string // applied … passed, failed (DESIGN, R-AUD-5)
}

// openStatuses are those of an audit assigned to a firm and not ended: from
// its approval (when the firm is assigned) to its final report. Anything
// else, an unknown status included, lets no auditor in.
var openStatuses = []string{"approved", "scheduled", "conducted", "gap_report_issued", "gap_review_scheduled", "gap_review_held", "final_report_issued"}

// Open reports whether the audit lets its firm's auditors in.
func (a AuditAccess) Open() bool { return a.Firm != "" && slices.Contains(openStatuses, a.Status) }

type auditItem struct {
	head
	AuditID, Firm, Status string
}

func (it *auditItem) attrs() attrs {
	m := attrs{"auditId": sAttr(it.AuditID), "auditFirm": sAttr(it.Firm), "status": sAttr(it.Status)}
	it.head.putAttrs(m)
	return m
}

func (it *auditItem) readAttrs(r *attrReader) {
	it.head.readAttrs(r)
	it.AuditID, it.Firm, it.Status = r.str("auditId"), r.str("auditFirm"), r.str("status")
}

// PutAuditAccess creates or replaces an audit's access record: 1 GetItem +
// 1 conditional PutItem.
func (s *Store) PutAuditAccess(ctx context.Context, a AuditAccess) error {
	pk, sk := partnerPK(a.PartnerID), prefixAudit+a.AuditID
	return s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		cur, err := getItem[head](ctx, s, pk, sk)
		if err != nil && err != ErrNotFound {
			return nil, err
		}
		it := &auditItem{head: head{PK: pk, SK: sk, Type: typeAudit, CreatedAt: cur.CreatedAt}, AuditID: a.AuditID, Firm: a.Firm, Status: a.Status}
		return []write{{item: it, read: cur.Version}}, nil
	})
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
		// What access needs, not whole audits, whatever the audits function
		// keeps in them later.
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
			a := AuditAccess{AuditID: it.AuditID, Firm: it.Firm, Status: it.Status}
			if a.Firm == firm && a.Open() {
				return true, nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return false, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
