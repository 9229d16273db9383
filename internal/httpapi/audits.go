package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerready/partnerready/internal/audit"
	"github.com/partnerready/partnerready/internal/auth"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/strictjson"
	"github.com/partnerready/partnerready/internal/webhook"
)

// WebhookSecret gives the values an audit firm's signature may be made
// with (secrets.Secret): stale asks for a fresh read after a mismatch.
type WebhookSecret interface {
	Values(ctx context.Context, stale bool) ([][]byte, error)
}

// Audits serves the audit process: the partner's application and actions,
// the program's approval and result, the audit firm's signed events, and
// the reads of every audit with its deadlines.
type Audits struct {
	store      *store.Store
	scoring    *Scoring // readiness, R-AUD-3
	checklists *catalog.Checklists
	calendar   audit.Calendar
	firms      []string
	secret     WebhookSecret
	now        func() time.Time
}

// DefaultAuditFirms are the audit firms an approval may assign when none
// are configured: ISSI audits the Azure specializations (seed 000).
var DefaultAuditFirms = []string{"issi"}

// AuditsDeps builds Audits; Calendar defaults to audit.USFederal, Firms to
// DefaultAuditFirms.
type AuditsDeps struct {
	Store      *store.Store
	Certs      *catalog.Certifications
	Rules      domain.ScoringRules
	Specs      *catalog.Specializations
	Checklists *catalog.Checklists
	Calendar   audit.Calendar
	// Firms are the ids of the audit firms an approval may assign: the
	// audit_firm claim of their auditors' tokens.
	Firms  []string
	Secret WebhookSecret
	Now    func() time.Time
}

func NewAudits(d AuditsDeps) *Audits {
	if d.Now == nil {
		d.Now = time.Now
	}
	if len(d.Firms) == 0 {
		d.Firms = DefaultAuditFirms
	}
	return &Audits{
		store: d.Store, scoring: NewScoring(d.Store, d.Certs, d.Rules, d.Specs, d.Now), checklists: d.Checklists,
		calendar: d.Calendar, firms: d.Firms, secret: d.Secret, now: d.Now,
	}
}

var (
	// partnerAdmin: only a Partner Administrator applies for an audit
	// (R-AUD-3) or withdraws from one.
	partnerAdmin = Access{Roles: []auth.Role{auth.RolePartnerAdmin}, OwnPartner: true}
	// auditView: the partner's people, the program, and the auditors of a
	// firm with an open audit of the partner (who see their firm's only).
	auditView = Access{Roles: []auth.Role{auth.RolePartnerAdmin, auth.RolePartnerMember, auth.RoleProgramManager, auth.RoleAuditor}, OwnPartner: true, AuditedPartner: true}
	// programOrFirm: the program (every audit) and the audit firms (theirs).
	programOrFirm = Access{Roles: []auth.Role{auth.RoleProgramManager, auth.RoleAuditor}}
	// auditFirmSigned: no token; the body's signature is checked instead,
	// on the raw bytes, before anything else is read of them.
	auditFirmSigned = Access{Public: true}
)

// Routes is what the audits function serves.
func (a *Audits) Routes() []Route {
	const one = "/v1/partners/{partnerId}/audits/{auditId}"
	return []Route{
		route(http.MethodPost, "/v1/partners/{partnerId}/audits", partnerAdmin, a.apply),
		route(http.MethodGet, "/v1/partners/{partnerId}/audits", auditView, a.listPartnerAudits).query(paging...),
		route(http.MethodGet, one, auditView, a.getAudit),
		route(http.MethodPost, one+"/gap-report-acknowledgement", partnerWrite, a.acknowledgeGapReport),
		route(http.MethodPost, one+"/withdrawal", partnerAdmin, a.withdraw),
		route(http.MethodGet, "/v1/audits", programOrFirm, a.listAudits).query("limit", "cursor", "status"),
		route(http.MethodPost, "/v1/audits/{auditId}/approval", programOps, a.approve),
		route(http.MethodPost, "/v1/audits/{auditId}/conclusion", programOps, a.conclude),
		// The event id is the firm's idempotency key: a replay answers
		// duplicate, so an Idempotency-Key has nothing to add.
		route(http.MethodPost, "/v1/webhooks/audit-firm", auditFirmSigned, a.receive).pure(),
	}
}

// MaxWebhookBytes bounds an audit firm event: its envelope and a few fields
// of data. A longer body is refused before its signature is computed.
const MaxWebhookBytes = 16 << 10

// applicationInput is the body of POST …/audits (DESIGN).
type applicationInput struct {
	SpecializationID string          `json:"specializationId"`
	Modules          []string        `json:"modules" max:"2"`
	ModuleAPass      *moduleAPassRef `json:"moduleAPass"`
	Language         string          `json:"language"`
	NDARequested     *bool           `json:"ndaRequested"`
}

// moduleAPassRef names the earlier pass that stands for Module A: an audit
// of this partner recorded here, or one from before (its day and version),
// an Azure Expert MSP audit's when expertMsp is true.
type moduleAPassRef struct {
	AuditID   *string `json:"auditId"`
	PassedOn  *string `json:"passedOn"`
	Version   *string `json:"version"`
	ExpertMSP *bool   `json:"expertMsp"`
}

// unmetOutput is one prerequisite not met (DESIGN's unmet).
type unmetOutput struct {
	Requirement string `json:"requirement"`
	Detail      string `json:"detail"`
}

func (a *Audits) apply(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	var in applicationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	now := a.now()
	today := domain.DateOf(now)
	var e fieldErrors
	spec, ok := a.scoring.specs.Lookup(in.SpecializationID)
	switch {
	case !e.required(root, "specializationId", in.SpecializationID):
	case !ok:
		e.at(root, "specializationId", "is not a specialization of the catalogue (GET /v1/catalog/specializations)")
	case spec.ManualValidation != domain.ManualValidationAudit:
		e.at(root, "specializationId", "is not validated by an audit (its manualValidation is "+string(spec.ManualValidation)+")")
	case spec.SupersededOn != nil && !today.Before(*spec.SupersededOn):
		e.at(root, "specializationId", fmt.Sprintf("was superseded on %s by %s: apply for %s", spec.SupersededOn, spec.SupersededBy, spec.SupersededBy))
	case spec.ValidFrom != nil && today.Before(*spec.ValidFrom):
		e.at(root, "specializationId", "is offered only from "+spec.ValidFrom.String())
	}
	modules := make(audit.Modules, len(in.Modules))
	for i, m := range in.Modules {
		modules[i] = audit.Module(m)
	}
	if in.Modules == nil {
		e.at(root, "modules", `is required: ["A","B"], or ["B"] with moduleAPass`)
	}
	e.required(root, "language", in.Language)
	if e.any() {
		return e.problem()
	}

	// Readiness as of the last complete month, as GET …/specializations/{specId} answers it.
	sin, err := a.scoring.scoreInputAt(r, domain.MonthOf(now).AddMonths(-1))
	if err != nil {
		return storeError(err, "")
	}
	rin := domain.ReadinessInputFor(a.scoring.rules, sin)
	unmet, unverified := audit.Prerequisites(domain.Readiness(spec, rin))
	if len(unmet) > 0 {
		p := problem(http.StatusUnprocessableEntity, "not-ready", "Not ready for the audit",
			fmt.Sprintf("A partner applies for the audit only once every other requirement of %s is met (R-AUD-3), as of %s; see unmet. Nothing was written.", spec.ID, rin.AsOf))
		p.Unmet = prerequisitesView(unmet)
		return p
	}

	var pass *audit.Pass
	if in.ModuleAPass != nil {
		pass, err = a.moduleAPass(r.Context(), pid, in.ModuleAPass, &e)
		if err != nil {
			return err
		}
		if e.any() {
			return e.problem()
		}
	}
	app := audit.Application{
		ID: store.NewAuditID(pid, now), PartnerID: pid, SpecializationID: spec.ID, Modules: modules, ModuleAPass: pass,
		Language: in.Language, NDARequested: in.NDARequested != nil && *in.NDARequested, By: partyActor(r, audit.PartyPartner),
	}
	rec, err := a.store.CreateAudit(r.Context(), pid, spec.ID, func(existing []audit.Audit) (audit.Audit, error) {
		if err := audit.ApplicationAllowed(existing, spec.ID, now); err != nil {
			return audit.Audit{}, err
		}
		return audit.Apply(now, app)
	})
	if err != nil {
		return a.refused(err)
	}
	w.Header().Set("Location", r.URL.Path+"/"+rec.ID)
	w.Header().Set("ETag", etag(rec.Version))
	return writeJSON(w, http.StatusCreated, a.view(rec, prerequisitesView(unverified)))
}

func prerequisitesView(ps []audit.Prerequisite) []unmetOutput {
	out := make([]unmetOutput, len(ps))
	for i, p := range ps {
		out[i] = unmetOutput{Requirement: p.Requirement, Detail: p.Detail}
	}
	return out
}

// moduleAPass reads the earlier pass an application of Module B alone
// names: one of this partner's audits here (its Module A pass), or a day
// and a version.
func (a *Audits) moduleAPass(ctx context.Context, pid string, ref *moduleAPassRef, e *fieldErrors) (*audit.Pass, error) {
	at := root.field("moduleAPass")
	if ref.AuditID != nil {
		if ref.PassedOn != nil || ref.Version != nil || ref.ExpertMSP != nil {
			e.at(root, "moduleAPass", "names an audit (auditId), or a pass from before (passedOn and version), not both")
			return nil, nil
		}
		rec, err := a.store.GetAudit(ctx, *ref.AuditID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && rec.PartnerID != pid) {
			e.at(at, "auditId", "is not an audit of this partner")
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		for _, p := range rec.Passes {
			if p.Module == audit.ModuleA {
				return &p, nil
			}
		}
		e.at(at, "auditId", fmt.Sprintf("audit %s earned no Module A pass (it is %s)", rec.ID, rec.Status))
		return nil, nil
	}
	p := audit.Pass{Module: audit.ModuleA, ExpertMSP: ref.ExpertMSP != nil && *ref.ExpertMSP}
	if e.required(at, "passedOn", deref(ref.PassedOn)) {
		if d, ok := e.date(at, "passedOn", *ref.PassedOn); ok {
			p.PassedOn = d
		}
	}
	if e.required(at, "version", deref(ref.Version)) {
		e.text(at, "version", *ref.Version, 32)
		p.Version = *ref.Version
	}
	return &p, nil
}

// refused maps the audit's refusals (and the store's errors) to problems:
// the one table of what each kind of refusal answers.
func (a *Audits) refused(err error) error {
	var rf *audit.Refusal
	if !errors.As(err, &rf) {
		return storeError(err, "The audit")
	}
	conflict := func(slug, title string) *Problem {
		return problem(http.StatusConflict, slug, title, rf.Reason+". Nothing was changed.")
	}
	switch rf.Code {
	case audit.CodeInvalid, audit.CodeGapReviewWindow:
		var e fieldErrors
		for _, p := range rf.Problems {
			e.at(root, p.Field, p.Message)
		}
		if !e.any() {
			e.at(root, "", rf.Reason)
		}
		p := e.problem()
		p.Detail = rf.Reason + "; see errors. Nothing was changed."
		return p
	case audit.CodeWrongState:
		return conflict("audit-state", "Not valid in the audit's state")
	case audit.CodeNotPaid:
		return conflict("audit-not-paid", "The audit fee is not paid")
	case audit.CodeOutOfOrder:
		return conflict("audit-out-of-order", "Dated before the step it follows")
	case audit.CodeNoChecklist:
		return conflict("audit-no-checklist", "No checklist on the audit date")
	case audit.CodeOpenAudit:
		return conflict("audit-open", "An audit is already open")
	case audit.CodeAuditFailed:
		return conflict("audit-failed", "Audit failed: too soon to apply again")
	}
	return err
}

// partyActor is the caller as the timeline names them.
func partyActor(r *http.Request, party audit.Party) audit.Actor {
	return audit.Actor{Party: party, ID: principal(r.Context()).Subject}
}

// auditOf reads the audit the path names, as the caller may see it: another
// partner's, or for an auditor another firm's, is not found.
func (a *Audits) auditOf(r *http.Request) (store.AuditRecord, error) {
	id := r.PathValue("auditId")
	rec, err := a.store.GetAudit(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return rec, err
	case a.reaches(r, rec.Audit):
		return rec, nil
	}
	return store.AuditRecord{}, notFound("Audit " + strictjson.Shorten(id))
}

// reaches reports whether the request may see audit x: under the path's
// partner, if it names one, and as the caller sees it (sees).
func (a *Audits) reaches(r *http.Request, x audit.Audit) bool {
	pid := r.PathValue("partnerId")
	return (pid == "" || x.PartnerID == pid) && a.sees(principal(r.Context()), x)
}

// sees reports whether p may read audit x: the program every audit, the
// partner its own, an auditor their firm's.
func (a *Audits) sees(p auth.Principal, x audit.Audit) bool {
	switch {
	case p.Has(auth.RoleProgramManager):
		return true
	case (p.Has(auth.RolePartnerAdmin) || p.Has(auth.RolePartnerMember)) && p.PartnerID == x.PartnerID:
		return true
	case p.Has(auth.RoleAuditor):
		return p.AuditFirm != "" && p.AuditFirm == x.AuditFirm
	}
	return false
}

func (a *Audits) getAudit(w http.ResponseWriter, r *http.Request) error {
	rec, err := a.auditOf(r)
	if err != nil {
		return err
	}
	return writeResource(w, r, false, rec.Version, a.view(rec, nil))
}

func (a *Audits) listPartnerAudits(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := a.store.ListPartnerAudits(r.Context(), r.PathValue("partnerId"), limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	// An auditor sees its firm's audits of the partner only.
	page.Items = slices.DeleteFunc(page.Items, func(rec store.AuditRecord) bool { return !a.reaches(r, rec.Audit) })
	return writeJSON(w, http.StatusOK, newList(page, func(rec store.AuditRecord) auditOutput { return a.view(rec, nil) }))
}

func (a *Audits) listAudits(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	f := store.AuditFilter{Status: r.URL.Query().Get("status")}
	if f.Status != "" && !audit.Status(f.Status).Valid() {
		return badRequest("status is not an audit status.", FieldError{Field: "status", Message: "must be one of " + audit.StatusList()})
	}
	if p := principal(r.Context()); !p.Has(auth.RoleProgramManager) {
		if p.AuditFirm == "" {
			return forbidden("An auditor's token must name its audit_firm.")
		}
		f.Firm = p.AuditFirm
	}
	page, err := a.store.ListAudits(r.Context(), f, limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, func(rec store.AuditRecord) auditOutput { return a.view(rec, nil) }))
}

// change runs one step on the audit the path names and answers it: the
// caller's sight of it is checked on the audit the step reads, so a step
// costs 1 GetItem and 1 PutItem.
func (a *Audits) change(w http.ResponseWriter, r *http.Request, step func(audit.Audit) (audit.Audit, error)) error {
	id := r.PathValue("auditId")
	missing := notFound("Audit " + strictjson.Shorten(id))
	rec, err := a.store.ChangeAudit(r.Context(), id, func(x audit.Audit) (audit.Audit, error) {
		if !a.reaches(r, x) {
			return audit.Audit{}, missing
		}
		return step(x)
	})
	if errors.Is(err, store.ErrNotFound) {
		return missing
	}
	if err != nil {
		return a.refused(err)
	}
	w.Header().Set("ETag", etag(rec.Version))
	return writeJSON(w, http.StatusOK, a.view(rec, nil))
}

type approvalInput struct {
	AuditFirm string `json:"auditFirm"`
}

func (a *Audits) approve(w http.ResponseWriter, r *http.Request) error {
	var in approvalInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	// A firm mistyped here would lock its own auditors out for the whole
	// audit (access compares the firm exactly), and no route reassigns it.
	if e.required(root, "auditFirm", in.AuditFirm) && !slices.Contains(a.firms, in.AuditFirm) {
		e.at(root, "auditFirm", "must be one of the audit firms: "+strings.Join(a.firms, ", "))
	}
	if e.any() {
		return e.problem()
	}
	return a.change(w, r, func(x audit.Audit) (audit.Audit, error) {
		return audit.Approve(x, in.AuditFirm, partyActor(r, audit.PartyProgram), a.now())
	})
}

// emptyInput is the body of the actions that carry nothing: none, or {}.
type emptyInput struct{}

func decodeOptional(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	var in emptyInput
	return decodeJSON(w, r, &in)
}

func (a *Audits) conclude(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptional(w, r); err != nil {
		return err
	}
	return a.change(w, r, func(x audit.Audit) (audit.Audit, error) {
		return audit.Conclude(x, partyActor(r, audit.PartyProgram), a.now())
	})
}

func (a *Audits) withdraw(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptional(w, r); err != nil {
		return err
	}
	return a.change(w, r, func(x audit.Audit) (audit.Audit, error) {
		return audit.Withdraw(x, partyActor(r, audit.PartyPartner), a.now())
	})
}

type acknowledgementInput struct {
	GapReviewOn string `json:"gapReviewOn"`
}

func (a *Audits) acknowledgeGapReport(w http.ResponseWriter, r *http.Request) error {
	var in acknowledgementInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	day, ok := e.date(root, "gapReviewOn", in.GapReviewOn)
	if !ok {
		return e.problem()
	}
	return a.change(w, r, func(x audit.Audit) (audit.Audit, error) {
		return audit.AcknowledgeGapReport(x, partyActor(r, audit.PartyPartner), a.now(), day)
	})
}

// eventInput is an audit firm event (DESIGN): the envelope, and the data
// of every type in one shape (each type reads its own fields).
type eventInput struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	AuditID    string    `json:"auditId"`
	OccurredAt string    `json:"occurredAt"`
	Data       eventData `json:"data"`
}

type eventData struct {
	AuditOn         *string            `json:"auditOn"`
	AmountUSD       *strictjson.Number `json:"amountUsd"`
	OpenActionItems *strictjson.Number `json:"openActionItems"`
	AllResolved     *bool              `json:"allResolved"`
	Result          *string            `json:"result"`
}

// eventFields are the data fields each event type takes, and requires.
var eventFields = map[audit.EventType][]string{
	audit.EventScheduled:         {"auditOn"},
	audit.EventPaymentReceived:   {"amountUsd"},
	audit.EventConducted:         {"openActionItems"},
	audit.EventGapReportIssued:   {},
	audit.EventGapReviewHeld:     {"allResolved"},
	audit.EventFinalReportIssued: {"result"},
	audit.EventWithdrawn:         {},
}

// validEventID: 1 to 128 printable ASCII characters without spaces (a
// loop, not a regexp: nothing is compiled at init).
func validEventID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := range len(s) {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// webhookOutput is the answer to an event.
type webhookOutput struct {
	EventID   string `json:"eventId"`
	AuditID   string `json:"auditId"`
	Duplicate bool   `json:"duplicate"`
	Status    string `json:"status"`
}

// receive takes one audit firm event: the signature over the raw bytes
// first (nothing is parsed before it holds), then the event, then its
// step, applied once (store.ApplyAuditEvent).
func (a *Audits) receive(w http.ResponseWriter, r *http.Request) error {
	body, err := readLimited(r, MaxWebhookBytes, problem(http.StatusRequestEntityTooLarge, "too-large", "Request body too large",
		fmt.Sprintf("An audit firm event must be at most %d bytes (16 KiB).", MaxWebhookBytes)))
	if err != nil {
		return err
	}
	if err := a.verify(r, body); err != nil {
		return err
	}
	if _, ok := mediaType(r); !ok {
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the event as application/json.")
	}
	var in eventInput
	if err := decodeBody(body, &in); err != nil {
		return err
	}
	ev, err := readEvent(in, a.now())
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	ev.Digest = hex.EncodeToString(sum[:])
	outcome, rec, err := a.store.ApplyAuditEvent(r.Context(),
		store.AuditEvent{AuditID: in.AuditID, ID: ev.ID, Type: string(ev.Type), Digest: ev.Digest},
		func(x audit.Audit) (audit.Audit, error) {
			return audit.Receive(x, ev, func(spec string, on domain.Date) (evidence.Checklist, error) { return a.checklists.For(spec, on) })
		})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("Audit " + strictjson.Shorten(in.AuditID))
	case errors.Is(err, store.ErrEventIDReused):
		return problem(http.StatusUnprocessableEntity, "event-id-reused", "Event id already used",
			"Event "+ev.ID+" was already applied with another body: an event id names one event. Nothing was changed.")
	case err != nil:
		var rf *audit.Refusal
		if errors.As(err, &rf) {
			// The event's own fields are its data's, at their JSON path.
			for i, p := range rf.Problems {
				if !slices.Contains([]string{"id", "type", "auditId", "occurredAt"}, p.Field) {
					rf.Problems[i].Field = "data." + p.Field
				}
			}
		}
		return a.refused(err)
	}
	return writeJSON(w, http.StatusOK, webhookOutput{EventID: ev.ID, AuditID: rec.ID, Duplicate: outcome == store.EventDuplicate, Status: string(rec.Status)})
}

// verify checks the Audit-Signature header over the raw body against the
// secret's values; a mismatch reads the secret again (at most every 30 s),
// as it may have been rotated since it was cached.
func (a *Audits) verify(r *http.Request, body []byte) error {
	header, now := r.Header.Get(webhook.Header), a.now()
	values, err := a.secret.Values(r.Context(), false)
	if err == nil {
		err = webhook.Verify(header, body, values, now)
		if errors.Is(err, webhook.ErrMismatch) {
			if values, err = a.secret.Values(r.Context(), true); err == nil {
				err = webhook.Verify(header, body, values, now)
			}
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, webhook.ErrMissing), errors.Is(err, webhook.ErrMalformed), errors.Is(err, webhook.ErrStale), errors.Is(err, webhook.ErrMismatch):
		p := problem(http.StatusUnauthorized, "bad-signature", "Bad signature",
			"The "+webhook.Header+" header does not verify: "+err.Error()+". Sign t.<raw body> with HMAC-SHA256 within 300 s of now.")
		return p
	}
	// The secret could not be read: our side, not the firm's.
	return unavailable("5", "The webhook secret cannot be read right now; retry the event shortly.")
}

// readEvent checks an event's envelope and its type's data, naming each bad
// field at its JSON path.
func readEvent(in eventInput, now time.Time) (audit.Event, error) {
	var e fieldErrors
	if e.required(root, "id", in.ID) && !validEventID(in.ID) {
		e.at(root, "id", "must be 1 to 128 printable ASCII characters without spaces")
	}
	if e.required(root, "auditId", in.AuditID) {
		if _, ok := store.AuditPartner(in.AuditID); !ok {
			e.at(root, "auditId", "is not an audit id")
		}
	}
	ev := audit.Event{ID: in.ID, Type: audit.EventType(in.Type)}
	if e.required(root, "occurredAt", in.OccurredAt) {
		t, err := time.Parse(time.RFC3339, in.OccurredAt)
		switch {
		case err != nil:
			e.at(root, "occurredAt", "must be an RFC 3339 date and time (2026-11-20T09:30:00Z)")
		case t.After(now.Add(webhook.Tolerance)):
			e.at(root, "occurredAt", "is in the future: an event reports what has happened")
		case t.After(now):
			// Within the clocks' tolerance: it happened now, as far as
			// ordering it against the partner's own steps goes.
			t = now
		}
		ev.OccurredAt = t
	}
	fields, known := eventFields[ev.Type]
	if e.required(root, "type", in.Type) && !known {
		e.at(root, "type", "must be one of "+audit.EventTypeList())
	}
	data := root.field("data")
	given := map[string]bool{"auditOn": in.Data.AuditOn != nil, "amountUsd": in.Data.AmountUSD != nil,
		"openActionItems": in.Data.OpenActionItems != nil, "allResolved": in.Data.AllResolved != nil, "result": in.Data.Result != nil}
	if known {
		for _, name := range []string{"auditOn", "amountUsd", "openActionItems", "allResolved", "result"} {
			switch takes := slices.Contains(fields, name); {
			case takes && !given[name]:
				e.at(data, name, "is required for "+in.Type)
			case !takes && given[name]:
				e.at(data, name, "is not data of "+in.Type)
			}
		}
	}
	if in.Data.AuditOn != nil {
		if d, ok := e.date(data, "auditOn", *in.Data.AuditOn); ok {
			ev.AuditOn = d
		}
	}
	if in.Data.AmountUSD != nil {
		c, err := domain.ParseUSD(string(*in.Data.AmountUSD))
		if err != nil || c <= 0 || c > domain.MaxCents {
			e.at(data, "amountUsd", "must be an amount of USD above 0, with at most 2 decimals")
		}
		ev.AmountUSD = c
	}
	if in.Data.OpenActionItems != nil {
		n, err := strconv.Atoi(string(*in.Data.OpenActionItems))
		if err != nil || n < 0 || n > 1000 {
			e.at(data, "openActionItems", "must be a whole number from 0 to 1000")
		}
		ev.OpenActionItems = n
	}
	if in.Data.AllResolved != nil {
		ev.AllResolved = *in.Data.AllResolved
	}
	if in.Data.Result != nil {
		oneOf(&e, data, "result", *in.Data.Result, []audit.Result{audit.ResultPass, audit.ResultNoPass})
		ev.Result = audit.Result(*in.Data.Result)
	}
	if e.any() {
		return ev, e.problem()
	}
	return ev, nil
}
