package store

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Items are written and read attribute by attribute, by each item type
// itself, with no reflection: a handful of types with a few fields each is
// little code, and attributevalue (with the DynamoDB Streams types it brings)
// would add its package init to every cold start and its reflection to every
// read of a large partner.

// attrs is an item in DynamoDB's form.
type attrs = map[string]types.AttributeValue

func sAttr(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func nAttr(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}
func bAttr(v []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: v} }

// attrReader reads an item's attributes: a missing one reads as its zero
// value, and so does NULL (attributevalue wrote nil maps and slices so, in
// items written before this codec), an attribute of another type is an error
// (the first is kept).
type attrReader struct {
	m   attrs
	err error
}

// get is the named attribute, nil when missing or NULL.
func (r *attrReader) get(name string) types.AttributeValue {
	v := r.m[name]
	if _, null := v.(*types.AttributeValueMemberNULL); null {
		return nil
	}
	return v
}

func (r *attrReader) fail(name, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("attribute %s is not %s", name, want)
	}
}

func (r *attrReader) str(name string) string {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberS:
		return v.Value
	default:
		r.fail(name, "a string")
	}
	return ""
}

func (r *attrReader) num(name string) int64 {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberN:
		n, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil {
			r.fail(name, "an integer")
		}
		return n
	default:
		r.fail(name, "a number")
	}
	return 0
}

func (r *attrReader) bin(name string) []byte {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberB:
		return v.Value
	default:
		r.fail(name, "binary")
	}
	return nil
}

func (r *attrReader) boolean(name string) bool {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberBOOL:
		return v.Value
	default:
		r.fail(name, "a boolean")
	}
	return false
}

// list reads a list of maps, each through read.
func (r *attrReader) list(name string, read func(*attrReader)) {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberL:
		for _, e := range v.Value {
			m, ok := e.(*types.AttributeValueMemberM)
			if !ok {
				r.fail(name, "a list of maps")
				return
			}
			sub := attrReader{m: m.Value}
			read(&sub)
			if sub.err != nil && r.err == nil {
				r.err = fmt.Errorf("%s: %w", name, sub.err)
			}
		}
	default:
		r.fail(name, "a list")
	}
}

// strings reads a map of strings.
func (r *attrReader) strings(name string) map[string]string {
	switch v := r.get(name).(type) {
	case nil:
	case *types.AttributeValueMemberM:
		out := make(map[string]string, len(v.Value))
		for k, e := range v.Value {
			s, ok := e.(*types.AttributeValueMemberS)
			if !ok {
				r.fail(name, "a map of strings")
				return nil
			}
			out[k] = s.Value
		}
		return out
	default:
		r.fail(name, "a map")
	}
	return nil
}

// decodes is an item type that reads itself from its attributes.
type decodes[T any] interface {
	*T
	readAttrs(*attrReader)
}

// decode reads an item of type T from its attributes.
func decode[T any, P decodes[T]](m attrs) (T, error) {
	var v T
	r := attrReader{m: m}
	P(&v).readAttrs(&r)
	return v, r.err
}

func (h head) putAttrs(m attrs) {
	m[attrPK], m[attrSK] = sAttr(h.PK), sAttr(h.SK)
	if h.GSI1PK != "" {
		m[attrGSI1PK], m[attrGSI1SK] = sAttr(h.GSI1PK), sAttr(h.GSI1SK)
	}
	m["type"], m["version"] = sAttr(h.Type), nAttr(h.Version)
	m["createdAt"], m["updatedAt"] = sAttr(h.CreatedAt), sAttr(h.UpdatedAt)
	if h.WriteID != "" {
		m["writeId"] = sAttr(h.WriteID)
	}
}

func (h *head) readAttrs(r *attrReader) {
	h.PK, h.SK = r.str(attrPK), r.str(attrSK)
	h.GSI1PK, h.GSI1SK = r.str(attrGSI1PK), r.str(attrGSI1SK)
	h.Type, h.Version = r.str("type"), r.num("version")
	h.CreatedAt, h.UpdatedAt = r.str("createdAt"), r.str("updatedAt")
	h.WriteID = r.str("writeId")
}
