package store

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item sizes as DynamoDB documents them ("Item sizes and formats").
func TestItemSize(t *testing.T) {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	n := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	for _, c := range []struct {
		name string
		item map[string]types.AttributeValue
		want int64
	}{
		{"empty", nil, 0},
		{"strings count their UTF-8 bytes and their names", map[string]types.AttributeValue{"PK": s("P#1"), "name": s("Zoë")}, 2 + 3 + 4 + 4},
		{"binary", map[string]types.AttributeValue{"b": &types.AttributeValueMemberB{Value: bytes.Repeat([]byte{1}, 5000)}}, 1 + 5000},
		{"numbers: a byte per two significant digits, and one", map[string]types.AttributeValue{"a": n("7"), "b": n("-120.50"), "c": n("0.001"), "d": n("1000000"), "e": n("0")}, 5 + 2 + 3 + 2 + 2 + 1},
		{"booleans and nulls", map[string]types.AttributeValue{"t": &types.AttributeValueMemberBOOL{Value: true}, "z": &types.AttributeValueMemberNULL{Value: true}}, 2 + 2},
		{"lists and maps: 3 bytes and one a member", map[string]types.AttributeValue{
			"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{s("ab"), n("12")}},
			"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": s("v")}},
		}, 1 + 3 + (1 + 2) + (1 + 2) + 1 + 3 + (1 + 1 + 1)},
		{"sets", map[string]types.AttributeValue{
			"ss": &types.AttributeValueMemberSS{Value: []string{"a", "bc"}},
			"ns": &types.AttributeValueMemberNS{Value: []string{"1", "22"}},
			"bs": &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {3}}},
		}, 2 + 3 + 2 + (2 + 2) + 2 + 3},
	} {
		if got := itemSize(c.item); got != c.want {
			t.Errorf("%s: %d bytes, want %d", c.name, got, c.want)
		}
	}
}

// Read units: 4 KB a unit or part of one, per item for GetItem and
// BatchGetItem (an absent key still a unit), over the sum for Query; half
// for an eventually consistent read. What the engine reports is kept apart.
func TestReadUnits(t *testing.T) {
	item := func(size int) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"b": &types.AttributeValueMemberB{Value: make([]byte, size-1)}}
	}
	keys := func(n int) []map[string]types.AttributeValue { return make([]map[string]types.AttributeValue, n) }
	units := func(f float64) *types.ConsumedCapacity { return &types.ConsumedCapacity{CapacityUnits: aws.Float64(f)} }
	for _, c := range []struct {
		name            string
		in, out         any
		bytes           int64
		units, consumed float64
	}{
		{"GetItem of 4 KB", &dynamodb.GetItemInput{ConsistentRead: aws.Bool(true)}, &dynamodb.GetItemOutput{Item: item(4096), ConsumedCapacity: units(1)}, 4096, 1, 1},
		{"GetItem of 4 KB and a byte", &dynamodb.GetItemInput{ConsistentRead: aws.Bool(true)}, &dynamodb.GetItemOutput{Item: item(4097)}, 4097, 2, 0},
		{"GetItem of nothing, eventually consistent", &dynamodb.GetItemInput{}, &dynamodb.GetItemOutput{}, 0, 0.5, 0},
		{"BatchGetItem rounds each item, and absent keys cost a unit", &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			"t": {Keys: keys(5), ConsistentRead: aws.Bool(true)}}},
			&dynamodb.BatchGetItemOutput{Responses: map[string][]map[string]types.AttributeValue{"t": {item(100), item(5000), item(9000)}},
				UnprocessedKeys:  map[string]types.KeysAndAttributes{"t": {Keys: keys(1)}},
				ConsumedCapacity: []types.ConsumedCapacity{*units(3), *units(2)}}, 14100, 1 + 2 + 3 + 1, 5},
		{"Query rounds the sum", &dynamodb.QueryInput{ConsistentRead: aws.Bool(true)}, &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{item(3000), item(3000)}}, 6000, 2, 0},
		{"Query of a GSI (eventually consistent)", &dynamodb.QueryInput{}, &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{item(9000)}, ConsumedCapacity: units(1.5)}, 9000, 1.5, 1.5},
		{"writes are not reads", &dynamodb.PutItemInput{}, &dynamodb.PutItemOutput{}, 0, 0, 0},
	} {
		var calls Calls
		calls.countRead(c.in, c.out)
		if calls.ReadBytes() != c.bytes || calls.ReadUnits() != c.units || calls.ConsumedReadUnits() != c.consumed {
			t.Errorf("%s: %d bytes, %v units, %v consumed; want %d, %v, %v", c.name, calls.ReadBytes(), calls.ReadUnits(), calls.ConsumedReadUnits(), c.bytes, c.units, c.consumed)
		}
	}
}
