// Package store keeps the partner's data in the single DynamoDB table. It is the
// only package that speaks DynamoDB; access_patterns.go lists what it asks of it.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var (
	// ErrNotFound: no such item (or it belongs to another partition, which callers cannot tell apart).
	ErrNotFound = errors.New("not found")
	// ErrPreconditionFailed: If-Match / If-None-Match did not hold, or a concurrent writer won.
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrBusy: concurrent writers kept winning the version race; the caller may retry.
	ErrBusy = errors.New("too many concurrent writes to the same data; retry")
	// ErrBatchTooLarge: a consumption batch whose months do not fit one transaction.
	ErrBatchTooLarge = errors.New("the months this batch touches are too large for one transaction")
	// ErrNoPartner: the partner has no profile, and its data cannot exist before it.
	ErrNoPartner = errors.New("the partner has no profile")
	// ErrInvalidCursor: a pagination cursor that this store did not hand out for this list.
	ErrInvalidCursor = errors.New("invalid cursor")
)

// Store is the single table.
type Store struct {
	db          *dynamodb.Client
	table       string
	now         func() time.Time
	writeBudget time.Duration // how long a write may keep losing races (writeVersioned)
}

// New wraps a client built by NewClient. now is the clock (time.Now when nil).
func New(db *dynamodb.Client, table string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, table: table, now: now, writeBudget: DefaultWriteBudget}
}

// WithWriteBudget is the store with another budget for lost version races:
// the test suites give their engines, far slower than DynamoDB under the
// suites' parallel load, the time 50 racing writers need there.
func (s *Store) WithWriteBudget(d time.Duration) *Store {
	c := *s
	c.writeBudget = d
	return &c
}

// NewClient is the SDK client of the table, from cfg (region, credentials).
// endpoint, when set, is another DynamoDB (minidyn, moto, DynamoDB Local):
// there the CRC32 response check, which minidyn does not implement
// (aws-sdk-go-v2 #3545), is off. Every call is counted (calls.go).
func NewClient(cfg aws.Config, endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.DisableValidateResponseChecksum = true
		}
		o.APIOptions = append(o.APIOptions, countCalls)
	})
}

// tableInput is the table template.yaml declares (TestTableMatchesTemplate
// holds the two equal): the one source the local server and the test
// suites create their tables from.
func tableInput(table string) *dynamodb.CreateTableInput {
	str := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	key := func(h, r string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(h), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(r), KeyType: types.KeyTypeRange},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK)},
		KeySchema:            key(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String(IndexGSI1),
			KeySchema:  key(attrGSI1PK, attrGSI1SK),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	}
}

// CreateTable makes the table as template.yaml declares it, for the local
// server and the test suites; a table already there is left as it is.
// withTTL turns TTL on (moto has it; minidyn does not, and the code never
// relies on TTL deletion having happened).
func CreateTable(ctx context.Context, db *dynamodb.Client, table string, withTTL bool) error {
	_, err := db.CreateTable(ctx, tableInput(table))
	// The table being there already is success: the SDK retries a create whose
	// answer was lost (seen on loopback engines), and the local server restarts
	// against an external engine that kept its table.
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create table %s: %w", table, err)
	}
	if withTTL {
		_, err = db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName:               aws.String(table),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(attrTTL), Enabled: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("enable TTL on %s: %w", table, err)
		}
	}
	return nil
}

// DeleteTable drops a test table.
func DeleteTable(ctx context.Context, db *dynamodb.Client, table string) error {
	_, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	return err
}

// Meta is what every stored resource carries beside its data.
type Meta struct {
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Precondition is the caller's If-Match / If-None-Match (RFC 9110 §13.1).
type Precondition struct {
	IfMatch        []int64 // the resource must be at one of these versions (-1 matches none)
	IfMatchAny     bool    // If-Match: * — the resource must exist
	IfNoneMatch    []int64 // the resource must not be at any of these versions
	IfNoneMatchAny bool    // If-None-Match: * — the resource must not exist
}

func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// skOf is an item's sort key as read ("" if it has none).
func skOf(item map[string]types.AttributeValue) string { return strOf(item, attrSK) }

func pkOf(item map[string]types.AttributeValue) string { return strOf(item, attrPK) }

func strOf(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTimestamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
