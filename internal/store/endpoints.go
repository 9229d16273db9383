package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A partner's webhook endpoints are one item, ENDPOINTS, a JSON list of at
// most MaxEndpoints: the limit holds under concurrent registrations (each
// is a write at the version it counted), and the deliverer reads all of a
// partner's endpoints in one GetItem.
//
// Their secrets are kept here as the API hands them over: sealed
// (push.Sealer), so that reading the table is not reading them.

// MaxEndpoints is how many webhook endpoints a partner may register.
const MaxEndpoints = 5

// RotationOverlap is how long a rotated-out secret still signs beside the
// new one, so that the receiver can switch without missing a delivery.
const RotationOverlap = 24 * time.Hour

const (
	skEndpoints   = "ENDPOINTS"
	typeEndpoints = "endpoints"
)

// ErrTooManyEndpoints: the partner already has MaxEndpoints endpoints.
var ErrTooManyEndpoints = fmt.Errorf("a partner registers at most %d webhook endpoints", MaxEndpoints)

// Endpoint is one of a partner's webhook endpoints.
type Endpoint struct {
	ID          string
	URL         string
	Description string
	// Disabled says why the endpoint receives nothing any more ("": it
	// does): it answered 410 Gone.
	Disabled      string
	DisabledAt    time.Time
	Secret        string    // sealed (push.Sealer), as every secret here
	Previous      string    // the rotated-out secret, signing until PreviousUntil
	PreviousUntil time.Time // zero: no rotation under way
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// SigningSecrets are the secrets a delivery at t is signed with: the
// current one, and the previous one during a rotation's overlap.
func (e Endpoint) SigningSecrets(t time.Time) []string {
	if e.Previous != "" && t.Before(e.PreviousUntil) {
		return []string{e.Secret, e.Previous}
	}
	return []string{e.Secret}
}

type endpointDoc struct {
	ID            string    `json:"id"`
	URL           string    `json:"url"`
	Description   string    `json:"description,omitzero"`
	Disabled      string    `json:"disabled,omitzero"`
	DisabledAt    time.Time `json:"disabledAt,omitzero"`
	Secret        string    `json:"secret"`
	Previous      string    `json:"previous,omitzero"`
	PreviousUntil time.Time `json:"previousUntil,omitzero"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

type endpointsItem struct {
	head
	Doc []byte // []endpointDoc as JSON
}

func (it *endpointsItem) attrs() attrs {
	m := attrs{"doc": bAttr(it.Doc)}
	it.head.putAttrs(m)
	return m
}

func (it *endpointsItem) readAttrs(r *attrReader) { it.head.readAttrs(r); it.Doc = r.bin("doc") }

func (it *endpointsItem) endpoints() ([]Endpoint, error) {
	var docs []endpointDoc
	if len(it.Doc) > 0 {
		if err := json.Unmarshal(it.Doc, &docs); err != nil {
			return nil, fmt.Errorf("decode endpoints: %w", err)
		}
	}
	out := make([]Endpoint, len(docs))
	for i, d := range docs {
		out[i] = Endpoint(d)
	}
	return out, nil
}

// Endpoints is a partner's webhook endpoints, oldest first: 1 BatchGetItem
// of its profile and its endpoints (ErrNoPartner without a profile).
func (s *Store) Endpoints(ctx context.Context, pid string) ([]Endpoint, error) {
	it, err := s.readEndpoints(ctx, pid)
	if err != nil {
		return nil, err
	}
	return it.endpoints()
}

// EndpointIndex is where the endpoint of that id is in eps, -1 if nowhere.
func EndpointIndex(eps []Endpoint, id string) int {
	return slices.IndexFunc(eps, func(e Endpoint) bool { return e.ID == id })
}

// GetEndpoint is one of a partner's endpoints (ErrNotFound when it has
// none of that id): as Endpoints, 1 BatchGetItem.
func (s *Store) GetEndpoint(ctx context.Context, pid, id string) (Endpoint, error) {
	eps, err := s.Endpoints(ctx, pid)
	if err != nil {
		return Endpoint{}, err
	}
	if i := EndpointIndex(eps, id); i >= 0 {
		return eps[i], nil
	}
	return Endpoint{}, ErrNotFound
}

// readEndpoints reads the endpoints item beside the profile it needs.
func (s *Store) readEndpoints(ctx context.Context, pid string) (endpointsItem, error) {
	it := endpointsItem{head: head{PK: partnerPK(pid), SK: skEndpoints, Type: typeEndpoints}}
	err := s.underProfile(ctx, pid, []map[string]types.AttributeValue{key(partnerPK(pid), skEndpoints)}, func(_ string, raw map[string]types.AttributeValue) error {
		var err error
		if it, err = decode[endpointsItem](raw); err != nil {
			return fmt.Errorf("decode endpoints: %w", err)
		}
		return nil
	})
	return it, err
}

// DeliveryEndpoints is what the deliverer reads: a partner's endpoints
// alone, 1 GetItem (none when there is no item).
func (s *Store) DeliveryEndpoints(ctx context.Context, pid string) ([]Endpoint, error) {
	it, err := getItem[endpointsItem](ctx, s, partnerPK(pid), skEndpoints)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return it.endpoints()
}

// changeEndpoints reads a partner's endpoints, lets change decide on them
// and writes them back at the version read (writeVersioned: a concurrent
// change is decided again on what it wrote).
func (s *Store) changeEndpoints(ctx context.Context, pid string, change func([]Endpoint) ([]Endpoint, error)) error {
	return s.writeVersioned(ctx, func(ctx context.Context) ([]write, error) {
		it, err := s.readEndpoints(ctx, pid)
		if err != nil {
			return nil, err
		}
		cur, err := it.endpoints()
		if err != nil {
			return nil, err
		}
		next, err := change(cur)
		if err != nil || next == nil {
			return nil, err
		}
		docs := make([]endpointDoc, len(next))
		for i, e := range next {
			docs[i] = endpointDoc(e)
		}
		doc, err := json.Marshal(docs)
		if err != nil {
			return nil, err
		}
		written := it
		written.Doc = doc
		return []write{{item: &written, read: it.Version}}, nil
	})
}

// AddEndpoint registers e (its ID, URL, description and secret) as active:
// 1 BatchGetItem + 1 conditional PutItem; ErrTooManyEndpoints past
// MaxEndpoints.
func (s *Store) AddEndpoint(ctx context.Context, pid string, e Endpoint) (Endpoint, error) {
	now := s.now().UTC()
	e.CreatedAt, e.UpdatedAt, e.Disabled, e.DisabledAt, e.Previous, e.PreviousUntil = now, now, "", time.Time{}, "", time.Time{}
	err := s.changeEndpoints(ctx, pid, func(cur []Endpoint) ([]Endpoint, error) {
		if len(cur) >= MaxEndpoints {
			return nil, ErrTooManyEndpoints
		}
		return append(cur, e), nil
	})
	return e, err
}

// ChangeEndpoint changes one endpoint (ErrNotFound when the partner has
// none of that id): 1 BatchGetItem + 1 conditional PutItem. change may
// leave it as it is by returning false.
func (s *Store) ChangeEndpoint(ctx context.Context, pid, id string, change func(*Endpoint) (bool, error)) (Endpoint, error) {
	var out Endpoint
	err := s.changeEndpoints(ctx, pid, func(cur []Endpoint) ([]Endpoint, error) {
		i := EndpointIndex(cur, id)
		if i < 0 {
			return nil, ErrNotFound
		}
		e := cur[i]
		changed, err := change(&e)
		out = e
		if err != nil || !changed {
			return nil, err
		}
		e.UpdatedAt = s.now().UTC()
		if e.Previous != "" && !e.UpdatedAt.Before(e.PreviousUntil) {
			e.Previous, e.PreviousUntil = "", time.Time{} // a rotation's old secret leaves once it no longer signs
		}
		out, cur[i] = e, e
		return cur, nil
	})
	return out, err
}

// DeleteEndpoint removes an endpoint: 1 BatchGetItem + 1 conditional
// PutItem. Its deliveries still pending fail as "endpoint removed" when
// their time comes; their log stays readable until it expires.
func (s *Store) DeleteEndpoint(ctx context.Context, pid, id string) error {
	return s.changeEndpoints(ctx, pid, func(cur []Endpoint) ([]Endpoint, error) {
		i := EndpointIndex(cur, id)
		if i < 0 {
			return nil, ErrNotFound
		}
		return slices.Delete(cur, i, i+1), nil
	})
}
