package store

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
//	which tenants are customers      | BatchGetItem, keys only                    | PK=P#<pid>  SK=CUST#<tenantId>              | ⌈distinct tenants/100⌉
//	upsert consumption               | BatchWriteItem                             | PK=P#<pid>#ACR SK=<month>#<tenant>#<service>#<offer> | ⌈records/25⌉ (+ retries of unprocessed items)
//	list consumption                 | Query begins_with                          | PK=P#<pid>#ACR SK=[<month>#[<tenant>#]]     | 1 a page
//	claim idempotency key            | conditional PutItem (+ GetItem when taken) | PK=IDEM#<scope hash> SK=IDEM                | 1 (2 on replay)
//	complete / release key           | PutItem / DeleteItem                       | PK=IDEM#<scope hash> SK=IDEM                | 1
//
// Profile, people and customers share the partner's partition so that what
// scoring reads together is one Query away; consumption has its own partition
// because it is orders of magnitude larger and read by month.

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
	gsi1PartnersIndex = "PARTNERS"

	typePartner     = "partner"
	typeIndividual  = "individual"
	typeCustomer    = "customer"
	typeConsumption = "consumption"
	typeIdempotency = "idempotency"
)

func partnerPK(pid string) string       { return "P#" + pid }
func consumptionPK(pid string) string   { return "P#" + pid + "#ACR" }
func individualSK(id string) string     { return prefixIndividual + id }
func customerSK(tenantID string) string { return prefixCustomer + tenantID }
func idempotencyPK(scope string) string { return "IDEM#" + scope }
