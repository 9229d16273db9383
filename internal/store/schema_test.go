package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/partnerready/partnerready/internal/store/storetest"
)

// The table store.CreateTable makes (for the local server and every suite)
// is exactly the table template.yaml deploys: its keys, attribute types,
// indexes, projections, billing mode and TTL attribute, as the engine
// describes it after the create.
func TestTableMatchesTemplate(t *testing.T) {
	raw, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	props := templateTable(t, string(raw))

	tb := storetest.New(t)
	ctx := context.Background()
	out, err := tb.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tb.Name)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.Table
	var got []string
	for _, a := range d.AttributeDefinitions {
		got = append(got, "attribute "+aws.ToString(a.AttributeName)+" "+string(a.AttributeType))
	}
	for _, k := range d.KeySchema {
		got = append(got, "key "+aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	for _, g := range d.GlobalSecondaryIndexes {
		for _, k := range g.KeySchema {
			got = append(got, "index "+aws.ToString(g.IndexName)+" key "+aws.ToString(k.AttributeName)+" "+string(k.KeyType))
		}
		got = append(got, "index "+aws.ToString(g.IndexName)+" projection "+string(g.Projection.ProjectionType))
	}
	if d.BillingModeSummary != nil {
		got = append(got, "billing "+string(d.BillingModeSummary.BillingMode))
	}
	if tb.Engine == "minidyn" {
		// minidyn describes neither attribute types, billing mode nor TTL
		// (it has none): those are held to the template on moto, which
		// scripts/test runs this suite on too.
		props = slices.DeleteFunc(props, func(l string) bool {
			return strings.HasPrefix(l, "attribute ") || strings.HasPrefix(l, "billing ") || strings.HasPrefix(l, "ttl ")
		})
	} else {
		ttl, err := tb.DB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(tb.Name)})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, "ttl "+aws.ToString(ttl.TimeToLiveDescription.AttributeName))
	}
	slices.Sort(got)
	slices.Sort(props)
	if strings.Join(got, "\n") != strings.Join(props, "\n") {
		t.Fatalf("the table created (%s):\n%s\n\ntemplate.yaml's Table:\n%s", tb.Engine, strings.Join(got, "\n"), strings.Join(props, "\n"))
	}
}

// templateTable reads the Table resource of template.yaml as the same lines
// TestTableMatchesTemplate makes of a described table. It reads only the
// block layout template.yaml uses (two-space indents, "- " list items).
func templateTable(t *testing.T, template string) []string {
	t.Helper()
	var block []string
	in := false
	for _, line := range strings.Split(template, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case line == "  Table:":
			in = true
			continue
		case in && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && trimmed != "":
			in = false
		case !in || trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		}
		if in {
			block = append(block, line)
		}
	}
	if len(block) == 0 {
		t.Fatal("no Table resource in template.yaml")
	}
	value := func(line string) string { _, v, _ := strings.Cut(line, ":"); return strings.TrimSpace(v) }
	var out []string
	section, index, name := "", "", ""
	for _, line := range block {
		trimmed := strings.TrimPrefix(strings.TrimSpace(line), "- ")
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 6:
			section, index = strings.TrimSuffix(trimmed, ":"), ""
			if strings.HasPrefix(trimmed, "BillingMode:") {
				out = append(out, "billing "+value(trimmed))
			}
		case strings.HasPrefix(trimmed, "IndexName:"):
			index = value(trimmed)
		case strings.HasPrefix(trimmed, "AttributeName:"):
			name = value(trimmed)
			if section == "TimeToLiveSpecification" {
				out = append(out, "ttl "+name)
			}
		case strings.HasPrefix(trimmed, "AttributeType:"):
			out = append(out, "attribute "+name+" "+value(trimmed))
		case strings.HasPrefix(trimmed, "KeyType:") && index != "":
			out = append(out, "index "+index+" key "+name+" "+value(trimmed))
		case strings.HasPrefix(trimmed, "KeyType:"):
			out = append(out, "key "+name+" "+value(trimmed))
		case strings.HasPrefix(trimmed, "ProjectionType:"):
			out = append(out, "index "+index+" projection "+value(trimmed))
		}
	}
	return out
}
