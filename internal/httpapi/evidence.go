package httpapi

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/catalog"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/strictjson"
	"github.com/partnerready/partnerready/internal/uploads"
)

// Evidence serves a partner's audit evidence and its checklists: the
// metadata, the presigned upload and download of each file, the check of
// an upload (the same one the bucket's notifications run), and how far the
// evidence covers a specialization's checklist on an audit date.
type Evidence struct {
	store      *store.Store
	blobs      *blob.Store
	uploads    *uploads.Checker
	checklists *catalog.Checklists
	now        func() time.Time
}

func NewEvidence(st *store.Store, blobs *blob.Store, checker *uploads.Checker, checklists *catalog.Checklists, now func() time.Time) *Evidence {
	if now == nil {
		now = time.Now
	}
	return &Evidence{store: st, blobs: blobs, uploads: checker, checklists: checklists, now: now}
}

// Routes is what the evidence function serves. Auditors read the evidence
// and checklists of partners their firm has an open audit of; only the
// partner writes.
func (a *Evidence) Routes() []Route {
	const one = "/v1/partners/{partnerId}/evidence/{evidenceId}"
	return []Route{
		route(http.MethodPost, "/v1/partners/{partnerId}/evidence", partnerWrite, a.postEvidence),
		route(http.MethodGet, "/v1/partners/{partnerId}/evidence", auditRead, a.listEvidence).
			query("limit", "cursor", "specializationId", "control", "customer", "status"),
		route(http.MethodGet, one, auditRead, a.getEvidence),
		route(http.MethodDelete, one, partnerWrite, a.deleteEvidence),
		// Checking again is safe as is, so an Idempotency-Key is accepted
		// and ignored: a stored answer would replay a stale status.
		route(http.MethodPost, one+"/upload-complete", partnerWrite, a.uploadComplete).pure(),
		route(http.MethodGet, "/v1/partners/{partnerId}/specializations/{specId}/checklist", auditRead, a.getChecklist).query("auditDate"),
	}
}

// DownloadLifetime is how long a download link lives (DESIGN: at most 5 minutes).
const DownloadLifetime = 5 * time.Minute

// evidenceInput is the body of POST …/evidence. Its lists stop at their
// bounds while decoding (evidence.MaxControls, MaxCustomers, MaxIndividuals).
type evidenceInput struct {
	SpecializationID    string            `json:"specializationId"`
	Controls            []string          `json:"controls" max:"100"`
	Customers           []string          `json:"customers" max:"1000"`
	Individuals         []string          `json:"individuals" max:"1000"`
	Kind                string            `json:"kind"`
	Scenario            *string           `json:"scenario"`
	Production          bool              `json:"production"`
	ProjectCompletedOn  *string           `json:"projectCompletedOn"`
	CustomerSignedOffOn *string           `json:"customerSignedOffOn"`
	Language            string            `json:"language"`
	Title               string            `json:"title"`
	FileName            string            `json:"fileName"`
	ContentType         string            `json:"contentType"`
	SizeBytes           strictjson.Number `json:"sizeBytes"`
	SHA256              string            `json:"sha256"`
	Supersedes          *string           `json:"supersedes"`
}

// metadata reads the input's numbers and dates; evidence.Validate checks the rest.
func (in *evidenceInput) metadata(e *fieldErrors) evidence.Metadata {
	m := evidence.Metadata{
		SpecializationID: in.SpecializationID, Controls: nonNil(in.Controls), Customers: nonNil(in.Customers),
		Individuals: nonNil(in.Individuals), Kind: evidence.Kind(in.Kind), Scenario: evidence.Scenario(deref(in.Scenario)),
		Production: in.Production, Language: in.Language, Title: in.Title, FileName: in.FileName,
		ContentType: in.ContentType, SHA256: in.SHA256, Supersedes: deref(in.Supersedes),
	}
	if e.required(root, "sizeBytes", string(in.SizeBytes)) {
		// A whole number here; its range is Validate's.
		n, err := strconv.ParseInt(string(in.SizeBytes), 10, 64)
		if err != nil {
			e.at(root, "sizeBytes", fmt.Sprintf("must be a whole number of bytes from 1 to %d (100 MiB)", evidence.MaxSizeBytes))
			n = 1
		}
		m.SizeBytes = n
	}
	for _, d := range []struct {
		name string
		in   *string
		out  **domain.Date
	}{{"projectCompletedOn", in.ProjectCompletedOn, &m.ProjectCompletedOn}, {"customerSignedOffOn", in.CustomerSignedOffOn, &m.CustomerSignedOffOn}} {
		if d.in == nil {
			continue
		}
		if day, ok := e.dateValue(root, d.name, *d.in); ok {
			*d.out = &day
		}
	}
	return m
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// evidenceOutput is one evidence on the wire: DESIGN's fields, in its order.
type evidenceOutput struct {
	ID                  string            `json:"id"`
	PartnerID           string            `json:"partnerId"`
	Status              evidence.Status   `json:"status"`
	RejectedReason      string            `json:"rejectedReason,omitempty"`
	SpecializationID    string            `json:"specializationId"`
	Controls            []string          `json:"controls"`
	Customers           []string          `json:"customers"`
	Individuals         []string          `json:"individuals"`
	Kind                evidence.Kind     `json:"kind"`
	Scenario            evidence.Scenario `json:"scenario,omitempty"`
	Production          bool              `json:"production"`
	ProjectCompletedOn  *domain.Date      `json:"projectCompletedOn,omitempty"`
	CustomerSignedOffOn *domain.Date      `json:"customerSignedOffOn,omitempty"`
	Language            string            `json:"language"`
	Title               string            `json:"title"`
	FileName            string            `json:"fileName"`
	ContentType         string            `json:"contentType"`
	SizeBytes           int64             `json:"sizeBytes"`
	SHA256              string            `json:"sha256"`
	Supersedes          string            `json:"supersedes,omitempty"`
	Versions            []evidenceVersion `json:"versions,omitempty"`
	Upload              *uploadOutput     `json:"upload,omitempty"`
	Download            *downloadOutput   `json:"download,omitempty"`
	meta
}

// evidenceVersion is one version of a document, as GET …/evidence/{id} lists them.
type evidenceVersion struct {
	ID         string          `json:"id"`
	Status     evidence.Status `json:"status"`
	Supersedes string          `json:"supersedes,omitempty"`
	CreatedAt  time.Time       `json:"createdAt"`
}

type uploadOutput struct {
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	ExpiresAt time.Time         `json:"expiresAt"`
}

type downloadOutput struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func evidenceView(pid string, ev evidence.Evidence) evidenceOutput {
	m := ev.Metadata
	return evidenceOutput{
		ID: ev.ID, PartnerID: pid, Status: ev.Status, RejectedReason: ev.RejectedReason,
		SpecializationID: m.SpecializationID, Controls: nonNil(m.Controls), Customers: nonNil(m.Customers),
		Individuals: nonNil(m.Individuals), Kind: m.Kind, Scenario: m.Scenario, Production: m.Production,
		ProjectCompletedOn: m.ProjectCompletedOn, CustomerSignedOffOn: m.CustomerSignedOffOn, Language: m.Language,
		Title: m.Title, FileName: m.FileName, ContentType: m.ContentType, SizeBytes: m.SizeBytes, SHA256: m.SHA256,
		Supersedes: m.Supersedes,
		meta:       meta{Version: int64(ev.Version), CreatedAt: ev.CreatedAt, UpdatedAt: ev.UpdatedAt},
	}
}

// postEvidence records the metadata of a document and hands out the URL to
// upload it to, bound to what was declared. Nothing counts until the
// upload is checked (uploads.Checker).
func (a *Evidence) postEvidence(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	var in evidenceInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var e fieldErrors
	m := in.metadata(&e)
	now := a.now()
	today := domain.DateOf(now)
	if !e.required(root, "specializationId", m.SpecializationID) {
		return e.problem()
	}
	cl, err := a.checklists.For(m.SpecializationID, today)
	if err != nil {
		var le *catalog.LookupError
		if !errors.As(err, &le) {
			return err
		}
		e.at(root, "specializationId", lookupMessage(le, "evidence goes to"))
		return e.problem()
	}
	data, err := a.store.LoadEvidenceData(r.Context(), pid)
	if err != nil {
		return storeError(err, "")
	}
	vin := evidence.ValidationInput{Checklist: cl, Today: today, Customers: data.Customers, Roster: data.Individuals}
	if m.Supersedes != "" {
		vin.Predecessor = findEvidence(data.Evidence, m.Supersedes)
	}
	for _, p := range evidence.Validate(m, vin) {
		e.at(root, p.Path, p.Message)
	}
	if e.any() {
		return e.problem()
	}
	for i, c := range m.Customers {
		m.Customers[i], _ = domain.NormalizeTenantID(c)
	}
	ev := evidence.Evidence{ID: store.NewID(now), Status: evidence.StatusPendingUpload, Metadata: m}
	key, err := blob.EvidenceKey(pid, ev.ID)
	if err != nil {
		return err
	}
	up, err := a.blobs.PresignPut(r.Context(), key, m.ContentType, m.SizeBytes, m.SHA256, uploads.URLLifetime)
	if err != nil {
		return err
	}
	out, err := a.store.ChangeEvidence(r.Context(), pid, func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		if m.Supersedes == "" {
			return []evidence.Evidence{ev}, nil
		}
		// Read again in the write: the predecessor may have changed since.
		var e fieldErrors
		for _, p := range evidence.Validate(m, evidence.ValidationInput{Checklist: cl, Today: today, Customers: data.Customers,
			Roster: data.Individuals, Predecessor: all[m.Supersedes]}) {
			if p.Path == "supersedes" {
				e.at(root, p.Path, p.Message)
			}
		}
		if id := a.successorInProgress(all, m.Supersedes); id != "" {
			e.at(root, "supersedes", "has a newer version in progress already ("+id+"): supersede that one, or delete it first")
		}
		if e.any() {
			return nil, e.problem()
		}
		return []evidence.Evidence{ev}, nil
	})
	if err != nil {
		return storeError(err, "")
	}
	view := evidenceView(pid, out[0])
	view.Upload = &uploadOutput{Method: up.Method, URL: up.URL, Headers: up.Headers, ExpiresAt: up.ExpiresAt}
	w.Header().Set("Location", r.URL.Path+"/"+ev.ID)
	w.Header().Set("ETag", etag(int64(out[0].Version)))
	return writeJSON(w, http.StatusCreated, view)
}

// successorInProgress is a new version of id that may still become
// available (one pending whose upload URL lives, or scanning) or is: two
// would both supersede it.
func (a *Evidence) successorInProgress(all map[string]*evidence.Evidence, id string) string {
	var found string
	for _, ev := range all {
		if ev.Supersedes != id || (found != "" && found < ev.ID) {
			continue
		}
		live := ev.Status == evidence.StatusPendingUpload && !uploads.UploadExpired(ev, a.now())
		if live || ev.Status == evidence.StatusScanning || ev.Status == evidence.StatusAvailable {
			found = ev.ID
		}
	}
	return found
}

func findEvidence(all []evidence.Evidence, id string) *evidence.Evidence {
	i, ok := slices.BinarySearchFunc(all, id, func(e evidence.Evidence, id string) int { return cmp.Compare(e.ID, id) })
	if !ok {
		return nil
	}
	return &all[i]
}

// lookupMessage says why a specialization has no checklist on a day; what
// ends the advice for a superseded one ("evidence goes to", "ask for").
func lookupMessage(le *catalog.LookupError, successor string) string {
	switch le.Reason {
	case catalog.LookupUnknownSpecialization:
		return "is not a specialization of the catalogue (GET /v1/catalog/specializations)"
	case catalog.LookupNotAudited:
		return "is not validated by an audit, so it has no audit checklist and takes no evidence"
	case catalog.LookupNotYetLive:
		return "has no checklist before " + le.From.String()
	}
	return fmt.Sprintf("was superseded on %s by %s: %s %s", le.SupersededOn, le.SupersededBy, successor, le.SupersededBy)
}

// evidenceID reads the path's evidence id; one no evidence can have is not found.
func evidenceID(r *http.Request) (string, string, error) {
	pid, id := r.PathValue("partnerId"), r.PathValue("evidenceId")
	key, err := blob.EvidenceKey(pid, id)
	if err != nil {
		return "", "", notFound("Evidence " + strictjson.Shorten(id))
	}
	return id, key, nil
}

func (a *Evidence) getEvidence(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	id, key, err := evidenceID(r)
	if err != nil {
		return err
	}
	all, err := a.store.AllEvidence(r.Context(), pid)
	if err != nil {
		return storeError(err, "")
	}
	ev := findEvidence(all, id)
	if ev == nil {
		return notFound("Evidence " + id)
	}
	view := evidenceView(pid, *ev)
	for _, v := range evidence.Versions(all, id) {
		view.Versions = append(view.Versions, evidenceVersion{ID: v.ID, Status: v.Status, Supersedes: v.Supersedes, CreatedAt: v.CreatedAt})
	}
	if err := a.download(r, key, ev, &view); err != nil {
		return err
	}
	// No 304: the answer holds a fresh download link and the document's
	// versions, which its own version (the ETag, for If-Match on DELETE)
	// does not cover.
	w.Header().Set("ETag", etag(int64(ev.Version)))
	return writeJSON(w, http.StatusOK, view)
}

// download adds the link to the file of available evidence, of the version
// verified: no other file is ever served (a rejected one may be anything).
func (a *Evidence) download(r *http.Request, key string, ev *evidence.Evidence, view *evidenceOutput) error {
	if ev.Status != evidence.StatusAvailable {
		return nil
	}
	d, err := a.blobs.PresignGet(r.Context(), key, ev.FileVersion, ev.FileName, ev.ContentType, DownloadLifetime)
	if err != nil {
		return err
	}
	view.Download = &downloadOutput{URL: d.URL, ExpiresAt: d.ExpiresAt}
	return nil
}

func (a *Evidence) listEvidence(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	spec, control, status := q.Get("specializationId"), q.Get("control"), evidence.Status(q.Get("status"))
	if status != "" && !status.Valid() {
		return badRequest("status is not an evidence status.", FieldError{Field: "status", Message: "must be one of " + joinStatuses()})
	}
	var customer string
	if v := q.Get("customer"); v != "" {
		var ok bool
		if customer, ok = domain.NormalizeTenantID(v); !ok {
			return badRequest("customer must be a tenant id.", FieldError{Field: "customer", Message: "must be an Azure AD tenant id (a GUID)"})
		}
	}
	keep := func(ev *evidence.Evidence) bool {
		return (spec == "" || ev.SpecializationID == spec) && (control == "" || slices.Contains(ev.Controls, control)) &&
			(customer == "" || slices.Contains(ev.Customers, customer)) && (status == "" || ev.Status == status)
	}
	pid := r.PathValue("partnerId")
	page, err := a.store.ListEvidence(r.Context(), pid, keep, limit, cursor)
	if err != nil {
		return storeError(err, "")
	}
	return writeJSON(w, http.StatusOK, newList(page, func(ev evidence.Evidence) evidenceOutput { return evidenceView(pid, ev) }))
}

func joinStatuses() string {
	s := ""
	for i, st := range evidence.Statuses {
		if i > 0 {
			s += ", "
		}
		s += string(st)
	}
	return s
}

// deleteEvidence leaves a tombstone: the metadata and the history stay,
// and it never counts. Deleting a tombstone again changes nothing.
func (a *Evidence) deleteEvidence(w http.ResponseWriter, r *http.Request) error {
	id, _, err := evidenceID(r)
	if err != nil {
		return err
	}
	pre, err := precondition(r)
	if err != nil {
		return err
	}
	_, err = a.store.ChangeEvidence(r.Context(), r.PathValue("partnerId"), func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		cur := all[id]
		switch {
		case cur == nil:
			return nil, store.ErrNotFound
		case !pre.Holds(true, int64(cur.Version)):
			return nil, store.ErrPreconditionFailed
		case cur.Status == evidence.StatusDeleted:
			return nil, nil
		}
		tomb := *cur
		tomb.Status = evidence.StatusDeleted
		return []evidence.Evidence{tomb}, nil
	})
	if err != nil {
		return storeError(err, "Evidence "+id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// uploadComplete checks the upload now rather than waiting for the bucket's
// notification; whichever runs first decides.
func (a *Evidence) uploadComplete(w http.ResponseWriter, r *http.Request) error {
	pid := r.PathValue("partnerId")
	id, key, err := evidenceID(r)
	if err != nil {
		return err
	}
	ev, err := a.uploads.Check(r.Context(), pid, id)
	if errors.Is(err, uploads.ErrNotUploaded) {
		return problem(http.StatusConflict, "not-uploaded", "Not uploaded yet",
			"No file has been uploaded for evidence "+id+" yet: PUT it to upload.url with exactly upload.headers before upload.expiresAt, then call upload-complete again.")
	}
	if err != nil {
		return storeError(err, "Evidence "+id)
	}
	view := evidenceView(pid, ev)
	if err := a.download(r, key, &ev, &view); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(int64(ev.Version)))
	return writeJSON(w, http.StatusOK, view)
}

// getChecklist tells control by control how far the partner's evidence
// covers the checklist live on the audit date (today by default; a date to
// come is the point of planning).
func (a *Evidence) getChecklist(w http.ResponseWriter, r *http.Request) error {
	spec := r.PathValue("specId")
	day := domain.DateOf(a.now())
	if v := r.URL.Query().Get("auditDate"); v != "" {
		var e fieldErrors
		d, ok := e.dateValue(root, "auditDate", v)
		if !ok {
			return badRequest("auditDate must be a date YYYY-MM-DD.", e.list...)
		}
		day = d
	}
	cl, err := a.checklists.For(spec, day)
	if err != nil {
		var le *catalog.LookupError
		switch {
		case !errors.As(err, &le):
			return err
		case le.Reason == catalog.LookupUnknownSpecialization:
			return notFound("Specialization " + strictjson.Shorten(spec))
		case le.Reason == catalog.LookupNotAudited:
			return problem(http.StatusNotFound, "no-checklist", "No audit checklist", spec+" "+lookupMessage(le, "")+".")
		}
		return invalid([]FieldError{{Field: "auditDate", Message: "is a day on which " + spec + " " + lookupMessage(le, "ask for the checklist of")}}, 0)
	}
	data, err := a.store.LoadEvidenceData(r.Context(), r.PathValue("partnerId"))
	if err != nil {
		return storeError(err, "")
	}
	st := evidence.Coverage(cl, day, data.Evidence, data.Customers, data.Individuals)
	b := st.AppendJSON(make([]byte, 0, 4096+len(data.Evidence)*160))
	return writeBody(w, http.StatusOK, append(b, '\n'))
}
