package store

import "github.com/partnerready/partnerready/internal/domain"

// The table's access patterns: every key shape the code builds is made here, and
// each pattern says what it costs in DynamoDB calls (the count tests assert).
//
//	pattern                          | operation                                  | key                                         | calls
//	---------------------------------+--------------------------------------------+---------------------------------------------+------------------------------
//	get partner profile              | GetItem                                    | PK=P#<pid>  SK=PROFILE                      | 1
//	put partner profile              | GetItem + conditional PutItem              | PK=P#<pid>  SK=PROFILE                      | 2 (+2 a lost race)
//	list partners (program managers) | Query GSI1                                 | GSI1PK=PARTNERS GSI1SK=<pid>                | 1 a page
//	get / list individuals           | BatchGetItem of profile and roster         | PK=P#<pid>  SK=PROFILE, ROSTER#PEOPLE       | 1 (a page)
//	put / delete individual          | BatchGetItem + conditional PutItem         | PK=P#<pid>  SK=PROFILE, ROSTER#PEOPLE       | 2 (+3 a lost race)
//	get / list customers             | BatchGetItem of profile and roster         | PK=P#<pid>  SK=PROFILE, ROSTER#CUSTOMERS    | 1 (a page)
//	put / delete customer            | BatchGetItem + conditional PutItem         | PK=P#<pid>  SK=PROFILE, ROSTER#CUSTOMERS    | 2 (+3 a lost race)
//	which tenants are customers      | BatchGetItem of profile and roster         | PK=P#<pid>  SK=PROFILE, ROSTER#CUSTOMERS    | 1
//	upsert / delete consumption      | BatchGetItem + PutItem or TransactWriteItems | PK=P#<pid> SK=PROFILE, ACR#<month>…       | 2 (months ≤ 99; +3 a lost race; a deletion that finds nothing: 1)
//	list consumption of a month      | BatchGetItem of profile and month          | PK=P#<pid>  SK=PROFILE, ACR#<month>         | 1 a page
//	list all consumption             | Query between (+ GetItem of the profile when the first page is empty) | PK=P#<pid> SK=ACR#… | 1 a page (more if months exceed 1 MB)
//	load everything a score reads    | BatchGetItem                               | PK=P#<pid>  SK=PROFILE, ROSTER#PEOPLE, ROSTER#CUSTOMERS, ACR#<M−13> … ACR#<M> | 1
//	get / list evidence              | BatchGetItem of profile and roster         | PK=P#<pid>  SK=PROFILE, ROSTER#EVIDENCE     | 1 (a page)
//	create / change evidence         | BatchGetItem + conditional PutItem         | PK=P#<pid>  SK=PROFILE, ROSTER#EVIDENCE     | 2 (+3 a lost race)
//	what a checklist reads           | BatchGetItem                               | PK=P#<pid>  SK=PROFILE, ROSTER#PEOPLE, ROSTER#CUSTOMERS, ROSTER#EVIDENCE | 1
//	apply for an audit               | GetItem + Query + TransactWriteItems       | PK=P#<pid>  SK=AUDITSLOT#<specId>, AUDIT#…, WATCH#audit#… | 3 (+3 a lost race)
//	get an audit by its id           | GetItem (the id starts with the pid)       | PK=P#<pid>  SK=AUDIT#<auditId>              | 1
//	list a partner's audits          | Query begins_with                          | PK=P#<pid>  SK=AUDIT#…                      | 1 a page
//	list every audit (program, firm) | Query GSI1 (+ filter on status, firm)      | GSI1PK=AUDITS GSI1SK=<appliedAt>#<auditId>  | 1 a page
//	change an audit (approve, act)   | GetItem + TransactWriteItems               | PK=P#<pid>  SK=AUDIT#<auditId>, WATCH#audit#<auditId> | 2 (+3 a lost race)
//	apply an audit firm event        | GetItem + TransactWriteItems               | PK=P#<pid>  SK=AUDIT#<auditId>, AUDEV#<auditId>#<eventId> (TTL), WATCH#audit#<auditId> | 2 (refused: GetItem + PutItem; duplicate: 1)
//	is a firm's audit of it open     | Query begins_with, projected               | PK=P#<pid>  SK=AUDIT#…                      | 1
//	bring a watch to now             | PutItem (blind; beside an audit's change)  | PK=P#<pid>  SK=WATCH#<kind>#<subject>       | 1 (0 more inside an audit's transaction)
//	what is due (the sweep)          | Query GSI1 up to now                       | GSI1PK=DUE GSI1SK=<nextAt>#<pid>#<kind>#<subject> | 1 a page: the items due, whatever the partners
//	move a watch on                  | GetItem + conditional PutItem              | PK=P#<pid>  SK=WATCH#<kind>#<subject>       | 2
//	tell reminders once each         | BatchGetItem of markers + TransactWriteItems each new | PK=P#<pid> SK=NOTEKEY#<sha256(key)>, NOTE#<id> | 1 + 1 a new reminder
//	list notifications (since)       | Query between                              | PK=P#<pid>  SK=NOTE#n-<ms>-…                | 1 a page
//	mark a notification read         | GetItem + conditional PutItem              | PK=P#<pid>  SK=NOTE#<id>                    | 2
//	list / register / change / remove webhook endpoints | BatchGetItem of profile and endpoints (+ conditional PutItem) | PK=P#<pid> SK=PROFILE, ENDPOINTS | 1 (2 a change)
//	what is new to push (deliverer)  | Query GSI1 up to now                       | GSI1PK=PUSH GSI1SK=<createdAt>#<pid>#<noteId> (the notification) | 1 a page: the notifications not yet fanned out
//	fan a notification out           | BatchGetItem + TransactWriteItems          | PK=P#<pid>  SK=NOTE#<id>, ENDPOINTS, DLV#<endpointId>#<noteId> (TTL) | 2
//	what deliveries are due          | Query GSI1 up to now                       | GSI1PK=DELIVER GSI1SK=<nextAt>#<pid>#<endpointId>#<noteId> | 1 a page: the deliveries due
//	claim / record a delivery        | conditional PutItem each                   | PK=P#<pid>  SK=DLV#<endpointId>#<noteId>    | 2 an attempt (+1 GetItem of ENDPOINTS a partner a run)
//	an endpoint's delivery log       | Query begins_with, newest first            | PK=P#<pid>  SK=DLV#<endpointId>#…           | 1 a page
//	claim idempotency key            | conditional PutItem (+ GetItem when taken) | PK=IDEM#<scope hash> SK=IDEM                | 1 (2 on replay)
//	complete / release key           | PutItem / DeleteItem                       | PK=IDEM#<scope hash> SK=IDEM                | 1
//
// A lost race costs the GetItem that tells a lost answer from another writer
// (of the writeId only), and the attempt's read and write again.
//
// Everything of a partner lives in its partition, in few, compressed items:
// its people in one roster, its customers in another (roster.go), and its
// consumption one item a month (consumption.go). A score reads a partner of
// any size in one BatchGetItem, and a batch of consumption is one transaction.
// What reads read is counted too (calls.go): a score of 2,000 people, 1,000
// customers and 14 months of 8 services reads 743 KB, 188 read units.

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
	skPeople          = "ROSTER#PEOPLE"
	skCustomers       = "ROSTER#CUSTOMERS"
	skEvidence        = "ROSTER#EVIDENCE"
	prefixIndividual  = "IND#" // in list cursors
	prefixCustomer    = "CUST#"
	prefixEvidence    = "EV#"
	prefixAudit       = "AUDIT#"
	prefixConsumption = "ACR#"
	gsi1PartnersIndex = "PARTNERS"

	typePartner     = "partner"
	typeRoster      = "roster"
	typeConsumption = "consumption"
	typeIdempotency = "idempotency"
	typeAudit       = "audit"
)

func partnerPK(pid string) string         { return "P#" + pid }
func consumptionSK(m domain.Month) string { return prefixConsumption + m.String() }
func idempotencyPK(scope string) string   { return "IDEM#" + scope }
