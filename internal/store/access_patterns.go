package store

import "github.com/partnerready/partnerready/internal/domain"

// The table's access patterns: every key shape the code builds is made here, and
// each pattern says what it costs in DynamoDB calls (the count tests assert).
//
//	pattern                          | operation                                  | key                                         | calls
//	---------------------------------+--------------------------------------------+---------------------------------------------+------------------------------
//	get partner profile              | GetItem                                    | PK=P#<pid>  SK=PROFILE                      | 1
//	put partner profile              | GetItem + conditional PutItem              | PK=P#<pid>  SK=PROFILE                      | 2
//	list partners (program managers) | Query GSI1                                 | GSI1PK=PARTNERS GSI1SK=<pid>                | 1 a page
//	get individual                   | GetItem                                    | PK=P#<pid>  SK=IND#<individualId>           | 1
//	put individual                   | GetItem + conditional PutItem              | PK=P#<pid>  SK=IND#<individualId>           | 2
//	delete individual                | conditional DeleteItem                     | PK=P#<pid>  SK=IND#<individualId>           | 1
//	list individuals                 | Query begins_with                          | PK=P#<pid>  SK=IND#                         | 1 a page
//	get customer                     | GetItem                                    | PK=P#<pid>  SK=CUST#<tenantId>              | 1
//	put customer                     | GetItem + conditional PutItem              | PK=P#<pid>  SK=CUST#<tenantId>              | 2
//	list customers                   | Query begins_with                          | PK=P#<pid>  SK=CUST#                        | 1 a page
//	which tenants are customers      | BatchGetItem                               | PK=P#<pid>  SK=CUST#<tenantId>              | ⌈distinct tenants/100⌉
//	upsert consumption               | BatchGetItem + TransactWriteItems          | PK=P#<pid>  SK=ACR#<month> (all its records)| 2 (months ≤ 100; +2 a retry)
//	list consumption of a month      | BatchGetItem of one key                    | PK=P#<pid>  SK=ACR#<month>                  | 1 a page
//	list all consumption             | Query between                              | PK=P#<pid>  SK=ACR#…                        | 1 a page (more if months exceed 1 MB)
//	load usage for scoring           | BatchGetItem                               | PK=P#<pid>  SK=ACR#<M−13> … ACR#<M>         | 1
//	claim idempotency key            | conditional PutItem (+ GetItem when taken) | PK=IDEM#<scope hash> SK=IDEM                | 1 (2 on replay)
//	complete / release key           | PutItem / DeleteItem                       | PK=IDEM#<scope hash> SK=IDEM                | 1
//
// Everything of a partner lives in its partition. Consumption is one item a
// month holding every record of that month, compressed (consumption.go): a
// score reads any partner's 14 months in one call, and a batch of records is
// written in one transaction.

const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	attrTTL    = "TTL"

	// IndexGSI1 is the generic secondary index; each use is a pattern above.
	IndexGSI1 = "GSI1"

	skProfile         = "PROFILE"
	skIdempotency     = "IDEM"
	prefixIndividual  = "IND#"
	prefixCustomer    = "CUST#"
	prefixConsumption = "ACR#"
	gsi1PartnersIndex = "PARTNERS"

	typePartner     = "partner"
	typeIndividual  = "individual"
	typeCustomer    = "customer"
	typeConsumption = "consumption"
	typeIdempotency = "idempotency"
)

func partnerPK(pid string) string         { return "P#" + pid }
func consumptionSK(m domain.Month) string { return prefixConsumption + m.String() }
func individualSK(id string) string       { return prefixIndividual + id }
func customerSK(tenantID string) string   { return prefixCustomer + tenantID }
func idempotencyPK(scope string) string   { return "IDEM#" + scope }
