package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// sectionIV is the table of section IV of the report in catalog order
// (CC1.1 … CC9.2, then A, C, PI and P; a SOC 1's objectives in their own
// order): each criterion or objective is a group row with its text and the
// complementary controls it depends on, followed by its controls with the
// control activity and, in a Type II, the tests performed and their
// results in words. Management's responses to the exceptions follow as
// section V, marked unaudited: the service auditor does not report on them.
func (b sheetBuilder) sectionIV(reqs []engagement.RequirementRollUp, exceptions []engagement.ExceptionRow, cuecs []store.CUEC, subs []store.Subservice) exports.Table {
	cols := []exports.Column{{Header: "Criterion or objective", Width: 14}, {Header: "Control no.", Width: 12},
		{Header: "Control activity", Width: 60}}
	if b.typeII() {
		cols = append(cols, exports.Column{Header: "Tests performed", Width: 60}, exports.Column{Header: "Results", Width: 40})
	}
	deviations := map[string][]engagement.ExceptionRow{}
	for _, x := range exceptions {
		deviations[x.ControlRef] = append(deviations[x.ControlRef], x)
	}
	complementary := complementaryRefs(cuecs, subs)
	var rows [][]any
	for _, req := range reqs {
		rows = append(rows, b.groupRow(req, complementary[req.FrameworkID+"/"+req.Ref]))
		if req.State == engagement.NotApplicable {
			rows = append(rows, b.row("", "Not applicable: "+req.Reason))
			continue
		}
		if len(req.Controls) == 0 {
			rows = append(rows, b.row("", "No control is mapped to this "+b.requirementWord()+"."))
		}
		for _, c := range b.controls {
			if !slices.Contains(req.Controls, c.Ref) {
				continue
			}
			row := []any{"", c.Ref, c.Description}
			if b.typeII() {
				row = append(row, b.testsPerformed(c.ID), b.resultWords(c.ID, deviations[c.Ref]))
			}
			rows = append(rows, row)
		}
	}
	return exports.Table{Name: "Section IV", Columns: cols, Rows: append(rows, b.sectionV(exceptions)...)}
}

func (b sheetBuilder) requirementWord() string {
	if b.d.Report == "soc1" {
		return "objective"
	}
	return "criterion"
}

// groupRow heads a criterion or objective: its reference, its text and the
// CUECs and CSOCs it depends on, shaded in every column.
func (b sheetBuilder) groupRow(req engagement.RequirementRollUp, complementary []string) []any {
	text := strings.TrimSpace(req.Title + "\n" + req.Description)
	row := []any{exports.Heading(req.Ref), exports.Heading(""), exports.Heading(text)}
	if b.typeII() {
		row = append(row, exports.Heading(""), exports.Heading(""))
	}
	if len(complementary) > 0 {
		row[len(row)-1] = exports.Heading("Depends on " + strings.Join(complementary, ", "))
	}
	return row
}

// row is a line under a criterion that is not a control.
func (b sheetBuilder) row(ref, text string) []any {
	row := []any{"", ref, text}
	if b.typeII() {
		row = append(row, "", "")
	}
	return row
}

// testsPerformed is what the auditor did: the methods in words, the
// procedure, and the sample the items were drawn from.
func (b sheetBuilder) testsPerformed(controlID int64) string {
	r := b.results[controlID]
	var parts []string
	if r.TestMethods != "" {
		methods := strings.Split(r.TestMethods, ",")
		for i, m := range methods {
			methods[i] = exports.Words(m)
		}
		parts = append(parts, "Methods: "+joinWords(methods)+".")
	}
	if p := strings.TrimSpace(r.TestProcedure); p != "" {
		parts = append(parts, p)
	}
	w := b.work[controlID]
	if w.Population != nil && len(w.Samples) > 0 {
		from := ""
		if w.Population.Source != "" {
			from = " from " + w.Population.Source
		}
		// Interim and remainder populations together are the period's.
		parts = append(parts, fmt.Sprintf("Inspected a sample of %d of %d occurrences%s.", w.SampleSize(), w.Stats.Items(), from))
	}
	if len(parts) == 0 {
		return "Testing not yet recorded."
	}
	return strings.Join(parts, " ")
}

// resultWords is the result as the report states it, followed by each
// deviation found with its remediation and the retest of the rest of the
// period: both results stay on record.
func (b sheetBuilder) resultWords(controlID int64, deviations []engagement.ExceptionRow) string {
	text := b.results[controlID].Label() + "."
	for _, x := range deviations {
		text += "\n" + strings.TrimSpace(x.Description)
		if x.RemediationDate != nil {
			text += "\nRemediated on " + *x.RemediationDate
			if x.RemediationOwnerID != nil {
				text += " (owner: " + b.users[*x.RemediationOwnerID] + ")"
			}
			text += "."
		}
		retests, err := engagement.RetestsOf(b.work[controlID], x.ID)
		if err != nil {
			text += "\nRetest: " + err.Error() + "."
			continue
		}
		for _, r := range retests {
			text += "\n" + r.Words() + "."
		}
	}
	return text
}

// joinWords joins "Inquiry", "Inspection" as "Inquiry and inspection".
func joinWords(words []string) string {
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToLower(words[i])
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// sectionV is management's response to each exception, which follows
// section IV as other information the auditor does not report on.
func (b sheetBuilder) sectionV(exceptions []engagement.ExceptionRow) [][]any {
	var rows [][]any
	for _, x := range exceptions {
		if strings.TrimSpace(x.ManagementResponse) == "" {
			continue
		}
		if rows == nil {
			rows = append(rows, b.groupRow(engagement.RequirementRollUp{Ref: "Section V",
				Title:       "Other information provided by management (unaudited)",
				Description: "Management's responses to the exceptions. The service auditor has not audited them and expresses no opinion on them."}, nil))
		}
		rows = append(rows, b.row(x.ControlRef, "Exception: "+x.Description+"\nManagement's response (unaudited): "+x.ManagementResponse))
	}
	return rows
}

// complementaryRefs names, per "framework/ref", the CUECs and CSOCs that
// requirement depends on, numbered as on the CUECs and subservice sheet.
func complementaryRefs(cuecs []store.CUEC, subs []store.Subservice) map[string][]string {
	out := map[string][]string{}
	add := func(reqs, name string) {
		for _, r := range strings.Split(reqs, ",") {
			if r = strings.TrimSpace(r); r != "" {
				out[r] = append(out[r], name)
			}
		}
	}
	for _, c := range cuecs {
		add(c.Requirements, c.Ref())
	}
	for _, s := range subs {
		for _, cs := range s.CSOCs {
			add(cs.Requirements, cs.Ref()+" ("+s.Name+")")
		}
	}
	return out
}
