package evidence

import (
	"strconv"

	"github.com/partnerready/partnerready/internal/jsonquote"
)

// AppendJSON appends the status as JSON: byte for byte what encoding/json
// writes with HTML escaping off, as the API answers, without the newline an
// Encoder adds. A checklist of 500 pieces of evidence is some 80 KB of JSON,
// which reflection takes twice as long to write as Coverage to compute.
func (st *ChecklistStatus) AppendJSON(b []byte) []byte {
	b = append(b, `{"specializationId":`...)
	b = jsonquote.Append(b, st.SpecializationID)
	b = append(b, `,"auditDate":"`...)
	b = append(b, st.AuditDate.String()...)
	b = append(b, `","checklistVersion":`...)
	b = jsonquote.Append(b, st.ChecklistVersion)
	if st.ChecklistName != "" {
		b = append(b, `,"checklistName":`...)
		b = jsonquote.Append(b, st.ChecklistName)
	}
	if st.SupersededOn != nil {
		b = append(b, `,"supersededOn":"`...)
		b = append(b, st.SupersededOn.String()...)
		b = append(b, '"')
	}
	if st.SupersededBy != "" {
		b = append(b, `,"supersededBy":`...)
		b = jsonquote.Append(b, st.SupersededBy)
	}
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, st.Satisfied)
	b = append(b, `,"modules":`...)
	b = appendList(b, st.Modules, (*ModuleStatus).appendJSON)
	return append(b, '}')
}

func (m *ModuleStatus) appendJSON(b []byte) []byte {
	b = append(b, `{"module":`...)
	b = jsonquote.Append(b, m.Module)
	b = append(b, `,"name":`...)
	b = jsonquote.Append(b, m.Name)
	if m.Version != "" {
		b = append(b, `,"version":`...)
		b = jsonquote.Append(b, m.Version)
	}
	b = append(b, `,"known":`...)
	b = strconv.AppendBool(b, m.Known)
	if m.Note != "" {
		b = append(b, `,"note":`...)
		b = jsonquote.Append(b, m.Note)
	}
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, m.Satisfied)
	b = append(b, `,"controls":`...)
	b = appendList(b, m.Controls, (*ControlStatus).appendJSON)
	return append(b, '}')
}

func (c *ControlStatus) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = jsonquote.Append(b, c.ID)
	b = append(b, `,"title":`...)
	b = jsonquote.Append(b, c.Title)
	b = append(b, `,"satisfied":`...)
	b = strconv.AppendBool(b, c.Satisfied)
	b = append(b, `,"counted":`...)
	b = appendList(b, c.Counted, (*Counted).appendJSON)
	b = append(b, `,"customersCounted":`...)
	b = appendStrings(b, c.CustomersCounted)
	b = append(b, `,"scenariosCounted":`...)
	b = appendStrings(b, c.ScenariosCounted)
	b = append(b, `,"individualsCounted":`...)
	b = appendStrings(b, c.IndividualsCounted)
	b = append(b, `,"notCounted":`...)
	b = appendList(b, c.NotCounted, (*NotCounted).appendJSON)
	b = append(b, `,"gaps":`...)
	b = appendStrings(b, c.Gaps)
	return append(b, '}')
}

func (k *Counted) appendJSON(b []byte) []byte {
	b = append(b, `{"evidenceId":`...)
	b = jsonquote.Append(b, k.EvidenceID)
	b = append(b, `,"customers":`...)
	b = appendStrings(b, k.Customers)
	if len(k.Individuals) > 0 {
		b = append(b, `,"individuals":`...)
		b = appendStrings(b, k.Individuals)
	}
	if k.Scenario != "" {
		b = append(b, `,"scenario":`...)
		b = jsonquote.Append(b, k.Scenario)
	}
	return append(b, '}')
}

func (n *NotCounted) appendJSON(b []byte) []byte {
	b = append(b, `{"evidenceId":`...)
	b = jsonquote.Append(b, n.EvidenceID)
	b = append(b, `,"code":`...)
	b = jsonquote.Append(b, n.Code)
	b = append(b, `,"reason":`...)
	b = jsonquote.Append(b, n.Reason)
	if len(n.Customers) > 0 {
		b = append(b, `,"customers":`...)
		b = appendStrings(b, n.Customers)
	}
	if len(n.Individuals) > 0 {
		b = append(b, `,"individuals":`...)
		b = appendStrings(b, n.Individuals)
	}
	return append(b, '}')
}

// appendList writes a list as encoding/json does: null for a nil slice.
func appendList[T any](b []byte, xs []T, each func(*T, []byte) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(&xs[i], b)
	}
	return append(b, ']')
}

func appendStrings[S ~string](b []byte, xs []S) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonquote.Append(b, s)
	}
	return append(b, ']')
}
