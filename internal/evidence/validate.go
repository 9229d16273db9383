package evidence

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/partnerready/partnerready/internal/domain"
)

// Bounds of one piece of evidence's metadata. The lists are bounded so that
// one item stays well inside what a store item and a response hold; the
// size is that of one source document, not of an archive of a project.
const (
	MaxControls     = 100
	MaxCustomers    = 1000
	MaxIndividuals  = 1000
	MaxSizeBytes    = 100 << 20 // 104,857,600 bytes
	MaxTitleRunes   = 200
	MaxFileNameByte = 255 // what common file systems hold
)

// ContentTypes are the media types evidence may have: documents, slides,
// spreadsheets, images, plain text and archives, the forms auditors are
// shown. Types a browser would run when a download link is opened (HTML,
// SVG) and Office files with macros are not accepted. A type is matched
// exactly, in lower case and without parameters, because the upload URL is
// signed for exactly this Content-Type header; text is expected in UTF-8.
var ContentTypes = []string{
	"application/pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",   // .docx
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",         // .xlsx
	"application/vnd.openxmlformats-officedocument.presentationml.presentation", // .pptx
	"application/msword",            // .doc
	"application/vnd.ms-excel",      // .xls
	"application/vnd.ms-powerpoint", // .ppt
	"image/png",
	"image/jpeg",
	"image/gif",
	"image/webp",
	"text/plain", // also Bicep and Terraform sources (A3.1)
	"text/markdown",
	"text/csv", // Well-Architected Review exports (B3.2)
	"application/json",
	"application/zip",
}

// Languages are the audit languages of R-AUD-9 as BCP 47 primary language
// subtags, in R-AUD-9's order: English, Portuguese, Spanish, French, German,
// Italian, Serbian, Croatian, Russian, Hebrew, Mandarin (zh), Japanese,
// Korean, Arabic.
var Languages = []string{"en", "pt", "es", "fr", "de", "it", "sr", "hr", "ru", "he", "zh", "ja", "ko", "ar"}

// Problem is one bad field of the metadata: Path is its JSON path
// ("customers[3]"), Message what is wrong, for a person to read.
type Problem struct {
	Path    string
	Message string
}

// ValidationInput is what Validate checks metadata against.
type ValidationInput struct {
	// Checklist is the specialization's checklist live on Today
	// (catalog.Checklists.For(m.SpecializationID, Today)).
	Checklist Checklist
	Today     domain.Date
	Customers []domain.Customer   // the partner's registered customers
	Roster    []domain.Individual // the partner's people
	// Predecessor is the evidence m.Supersedes names, nil when the partner
	// has none of that id.
	Predecessor *Evidence
}

// Validate checks metadata against the checklist and the partner's data and
// returns every problem, in the order of the fields, each naming its field;
// none means the metadata is valid.
func Validate(m Metadata, in ValidationInput) []Problem {
	v := validation{m: &m, in: &in}
	v.specialization()
	controls, all := v.controls()
	v.customers(controls)
	v.individuals(controls, all)
	v.kind(controls)
	v.scenario(controls, all)
	v.dates(controls)
	v.file()
	v.supersedes()
	return v.problems
}

type validation struct {
	m        *Metadata
	in       *ValidationInput
	problems []Problem
}

func (v *validation) add(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func at(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }

func (v *validation) specialization() {
	switch id := v.m.SpecializationID; {
	case id == "":
		v.add("specializationId", "is required")
	case id != v.in.Checklist.SpecializationID:
		v.add("specializationId", "does not name the specialization of the checklist it was checked against")
	}
}

// controls checks the control ids and returns the controls found, so that
// the later checks judge the fields against the controls that exist, and
// whether every id was one: a check that needs to know every control (is a
// scenario asked for at all?) holds its tongue otherwise.
func (v *validation) controls() ([]*Control, bool) {
	ids := v.m.Controls
	switch {
	case len(ids) == 0:
		v.add("controls", "names at least one checklist control")
		return nil, false
	case len(ids) > MaxControls:
		v.add("controls", "names at most %d controls", MaxControls)
		return nil, false
	}
	cl := &v.in.Checklist
	found := make([]*Control, 0, len(ids))
	all := true
	for i, id := range ids {
		c, ok := cl.control(id)
		switch {
		case ok && containsControl(found, c):
			v.add(at("controls", i), "is listed twice")
		case ok:
			found = append(found, c)
		default:
			all = false
			if mod, ok := cl.module(id); ok && !mod.Known {
				v.add(at("controls", i), "is not a known control: the catalogue does not hold Module %s's controls for this specialization", mod.Module)
			} else {
				v.add(at("controls", i), "is not a control of the checklist live on %s (version %s)", v.in.Today, cl.Version)
			}
		}
	}
	return found, all
}

func containsControl(list []*Control, c *Control) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// customerControl is the first control that counts customer evidence.
func customerControl(controls []*Control) *Control {
	for _, c := range controls {
		if c.Count.CustomerEvidence() {
			return c
		}
	}
	return nil
}

func (v *validation) customers(controls []*Control) {
	ids := v.m.Customers
	if len(ids) > MaxCustomers {
		v.add("customers", "names at most %d customers", MaxCustomers)
		return
	}
	if c := customerControl(controls); c != nil && len(ids) == 0 {
		v.add("customers", "names at least one customer: %s counts customer evidence", c.ID)
	}
	norm := make([]string, len(ids))
	for i, id := range ids {
		norm[i], _ = domain.NormalizeTenantID(id)
	}
	known := v.known(norm, func(yield func(string) bool) {
		for _, c := range v.in.Customers {
			if !yield(c.TenantID) {
				return
			}
		}
	})
	for i, ok := range known {
		switch {
		case norm[i] == "":
			v.add(at("customers", i), "must be a customer's Azure AD tenant id (a GUID)")
		case ok == dup:
			v.add(at("customers", i), "is listed twice")
		case ok == absent:
			v.add(at("customers", i), "is not a registered customer of the partner")
		}
	}
}

// presence is what known finds of one id of a list.
type presence int8

const (
	absent presence = iota
	present
	dup // the same id is earlier in the list
)

// known says of each id (valid ones only; "" is skipped) whether it is
// among the partner's, or repeats an earlier one. Only the named ids are
// indexed and the partner's are read once, so a partner of 10,000
// customers costs one pass.
func (v *validation) known(ids []string, partner func(yield func(string) bool)) []presence {
	out := make([]presence, len(ids))
	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if id == "" {
			continue
		}
		if _, seen := first[id]; seen {
			out[i] = dup
			continue
		}
		first[id] = i
	}
	for id := range partner {
		if i, ok := first[id]; ok {
			out[i] = present
		}
	}
	return out
}

// personKind is the control that counts people by kind k, or nil.
func personKind(controls []*Control, k Kind) *Control {
	for _, c := range controls {
		if c.Count == CountPeople {
			for _, pk := range c.PersonKinds {
				if pk == k {
					return c
				}
			}
		}
	}
	return nil
}

func (v *validation) individuals(controls []*Control, all bool) {
	ids := v.m.Individuals
	if len(ids) > MaxIndividuals {
		v.add("individuals", "names at most %d people", MaxIndividuals)
		return
	}
	c := personKind(controls, v.m.Kind)
	switch {
	case c == nil && len(ids) > 0 && all:
		v.add("individuals", "names people only in evidence that proves something of them (a control's person kinds); %s evidence names none", v.m.Kind)
		return
	case c != nil && len(ids) == 0:
		v.add("individuals", "names the people this %s is about (at least one): %s counts people", v.m.Kind, c.ID)
		return
	case c == nil && !all:
		return
	}
	valid := make([]string, len(ids))
	for i, id := range ids {
		if domain.ValidIndividualID(id) {
			valid[i] = id
		}
	}
	known := v.known(valid, func(yield func(string) bool) {
		for _, p := range v.in.Roster {
			if !yield(p.ID) {
				return
			}
		}
	})
	for i, ok := range known {
		switch {
		case valid[i] == "":
			v.add(at("individuals", i), "must be a person's id: 1 to 64 letters, digits, '.', '_' or '-'")
		case ok == dup:
			v.add(at("individuals", i), "is listed twice")
		case ok == absent:
			v.add(at("individuals", i), "is not on the partner's roster")
		}
	}
}

func (v *validation) kind(controls []*Control) {
	k := v.m.Kind
	if !k.Valid() {
		v.add("kind", "must be one of the evidence kinds (%s)", joinKinds(Kinds))
		return
	}
	for _, c := range controls {
		if !c.Accepts(k) {
			v.add("kind", "%s is not accepted by %s, which accepts %s", k, c.ID, joinKinds(c.Kinds))
		}
	}
}

func (v *validation) scenario(controls []*Control, all bool) {
	s := v.m.Scenario
	asking := 0
	for _, c := range controls {
		if !c.AsksScenario() {
			continue
		}
		asking++
		if s == "" {
			v.add("scenario", "is required: %s counts evidence by scenario (%s)", c.ID, joinScenarios(c.Scenarios))
			continue
		}
		r, ok := c.scenario(s)
		switch {
		case !ok:
			v.add("scenario", "%s is not a scenario of %s, which accepts %s", s, c.ID, joinScenarios(c.Scenarios))
		case !r.liveOn(v.in.Today):
			v.add("scenario", "%s is accepted by %s only from %s", s, c.ID, r.From)
		}
	}
	if s != "" && asking == 0 && all {
		if s.Valid() {
			v.add("scenario", "is given only for a control that counts evidence by scenario; none of the controls does")
		} else {
			v.add("scenario", "must be a migration scenario of a control that asks for one")
		}
	}
}

func (v *validation) dates(controls []*Control) {
	done, signed := v.m.ProjectCompletedOn, v.m.CustomerSignedOffOn
	if c := customerControl(controls); c != nil && done == nil {
		v.add("projectCompletedOn", "is required: %s counts customer projects completed in the 12 months before the audit", c.ID)
	}
	v.day("projectCompletedOn", done)
	for _, c := range controls {
		if c.CustomerSignOff && signed == nil {
			v.add("customerSignedOffOn", "is required: %s counts only evidence the customer signed off", c.ID)
			break
		}
	}
	if v.day("customerSignedOffOn", signed) && done != nil && signed.Before(*done) {
		v.add("customerSignedOffOn", "is before projectCompletedOn (%s): the customer signs off a completed project", done)
	}
}

// day checks an optional day of the past; it reports whether d is given and
// valid.
func (v *validation) day(path string, d *domain.Date) bool {
	switch {
	case d == nil:
		return false
	case d.Before(domain.EarliestDate):
		v.add(path, "must be from %s", domain.EarliestDate)
	case d.After(v.in.Today):
		v.add(path, "must not be in the future (today is %s)", v.in.Today)
	default:
		return true
	}
	return false
}

func (v *validation) file() {
	m := v.m
	if !contains(Languages, m.Language) {
		v.add("language", "must be an audit language as its BCP 47 code: %s", strings.Join(Languages, ", "))
	}
	if msg := lineProblem(m.Title, MaxTitleRunes); msg != "" {
		v.add("title", "%s", msg)
	}
	if msg := fileNameProblem(m.FileName); msg != "" {
		v.add("fileName", "%s", msg)
	}
	if !contains(ContentTypes, m.ContentType) {
		v.add("contentType", "must be one of %s (lower case, no parameters)", strings.Join(ContentTypes, ", "))
	}
	if m.SizeBytes < 1 || m.SizeBytes > MaxSizeBytes {
		v.add("sizeBytes", "must be from 1 to %d bytes (100 MiB)", MaxSizeBytes)
	}
	if !validSHA256(m.SHA256) {
		v.add("sha256", "must be the file's SHA-256 as 64 lower-case hex digits")
	}
}

func (v *validation) supersedes() {
	id, p := v.m.Supersedes, v.in.Predecessor
	switch {
	case id == "":
	case p == nil || p.ID != id:
		v.add("supersedes", "is not evidence of this partner")
	case p.SpecializationID != v.m.SpecializationID:
		v.add("supersedes", "is evidence of another specialization (%s): a new version keeps its specialization", p.SpecializationID)
	case p.Status == StatusDeleted:
		v.add("supersedes", "is deleted: upload the evidence anew instead")
	case p.Status == StatusSuperseded:
		v.add("supersedes", "has a newer version already: supersede the newest")
	}
}

// lineProblem says what is wrong with s as a title, or "": required, at most
// max characters, one line of visible text without control characters or
// bidirectional overrides (which make a title read as another).
func lineProblem(s string, max int) string {
	if strings.TrimSpace(s) == "" {
		return "is required"
	}
	if !utf8.ValidString(s) {
		return "must be UTF-8 text"
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return "must be one line of text, without control characters"
		}
	}
	return ""
}

// fileNameProblem checks a file's name as the partner's tools show it: a
// name, not a path, so that a download never writes outside its folder.
func fileNameProblem(s string) string {
	if msg := lineProblem(s, MaxFileNameByte); msg != "" {
		return msg
	}
	switch {
	case len(s) > MaxFileNameByte:
		return fmt.Sprintf("must be at most %d bytes", MaxFileNameByte)
	case strings.ContainsAny(s, `/\`) || s == "." || s == "..":
		return "must be a file name, not a path"
	}
	return ""
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func joinScenarios(rs []ScenarioRule) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r.Scenario)
		if r.From != nil {
			s[i] += " (from " + r.From.String() + ")"
		}
	}
	return strings.Join(s, ", ")
}
