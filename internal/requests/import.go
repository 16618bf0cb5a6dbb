package requests

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tabular"
)

// importLimits bound an audit firm's request list.
var importLimits = tabular.Limits{FileBytes: 16 << 20, UnpackedBytes: 64 << 20, Rows: 10_050, Columns: 100,
	Cells: 500_000, CellRunes: 32767}

// importColumns maps the headers audit firms use to the fields they fill.
var importColumns = map[string][]string{
	"ref":         {"request ref", "ref", "request id", "request no", "request no.", "request #", "pbc ref", "pbc #", "pbc no", "pbc no.", "pbc id", "auditor ref", "item", "item no", "#", "no", "no."},
	"description": {"description", "request", "what is needed", "request description", "item description", "details", "requested item"},
	"controls":    {"controls", "control", "control ref", "control refs", "control id", "control ids", "control no", "control no."},
	"due":         {"due", "due date", "due on", "date due", "needed by", "deadline"},
	"type":        {"type", "request type", "category"},
	"phase":       {"phase", "stage", "fieldwork phase"},
	"owner":       {"owner", "owner email", "owner e-mail", "assigned to", "assignee"},
}

var typeWords = map[string]string{"population": "population", "populations": "population", "listing": "population",
	"sample": "sample_evidence", "sample evidence": "sample_evidence", "samples": "sample_evidence",
	"document": "document", "documents": "document", "documentation": "document", "policy": "document",
	"configuration": "configuration", "config": "configuration", "screenshot": "configuration", "point-in-time": "configuration",
	"configuration or point-in-time": "configuration", "walkthrough": "walkthrough", "inquiry": "walkthrough", "other": "other"}

// ImportRow is what one row of the list does.
type ImportRow struct {
	Row        int    `json:"row"`
	AuditorRef string `json:"auditor_ref"`
	Action     string `json:"action"` // create, update, unchanged
	Ref        string `json:"ref"`    // the request's ID, once it has one
}

// Problem is one thing wrong with the list, by its row and column.
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportPlan is a dry run's answer, or what was applied.
type ImportPlan struct {
	Rows     []ImportRow `json:"rows"`
	Problems []Problem   `json:"problems"`
	Applied  bool        `json:"applied"`
}

type importLine struct {
	row   int
	ref   string
	input Input
}

// Import reads an audit firm's request list (XLSX or CSV: their ref, a
// description, controls, a due date, optionally type, phase and owner)
// and plans a request per row, matched to the ones already imported by the
// firm's ref. With apply it writes every row in one transaction, or none
// when any row has a problem.
func (s *Service) Import(ctx context.Context, p *auth.Principal, engagementID int64, name string, r io.Reader, apply bool) (ImportPlan, error) {
	plan := ImportPlan{Rows: []ImportRow{}, Problems: []Problem{}}
	refs, err := s.controlRefs(ctx, engagementID)
	if err != nil {
		return plan, err
	}
	lines, err := readList(name, r, refs, &plan)
	if err != nil {
		return plan, err
	}
	existing, err := s.db.Requests(ctx, store.RequestFilter{EngagementID: engagementID})
	if err != nil {
		return plan, err
	}
	byRef := map[string]store.Request{}
	for _, e := range existing {
		if e.AuditorRef != "" {
			byRef[strings.ToLower(e.AuditorRef)] = e
		}
	}
	for _, l := range lines {
		row := ImportRow{Row: l.row, AuditorRef: l.ref, Action: "create"}
		if e, ok := byRef[strings.ToLower(l.ref)]; ok {
			row.Action, row.Ref = "update", Ref(e.Number)
			if e.Status == "accepted" {
				plan.Problems = append(plan.Problems, Problem{Row: l.row, Column: "ref", Message: row.Ref + " was accepted and can no longer be changed"})
			}
		}
		plan.Rows = append(plan.Rows, row)
	}
	if !apply || len(plan.Problems) > 0 {
		return plan, nil
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		for i, l := range lines {
			var d Detail
			var err error
			if plan.Rows[i].Action == "update" {
				d, err = s.Update(ctx, engagementID, byRef[strings.ToLower(l.ref)].Number, l.input)
			} else {
				d, err = s.Create(ctx, p, engagementID, l.input, nil)
			}
			if e, ok := apperr.As(err); ok && e.Kind == apperr.KindInvalid {
				for f, msg := range e.Fields {
					plan.Problems = append(plan.Problems, Problem{Row: l.row, Column: f, Message: msg})
				}
				return errRolledBack
			}
			if err != nil {
				return err
			}
			plan.Rows[i].Ref = d.Ref
		}
		return nil
	})
	if errors.Is(err, errRolledBack) {
		return plan, nil
	}
	plan.Applied = err == nil
	return plan, err
}

var errRolledBack = errors.New("a row was refused: nothing was imported")

// controlRefs maps the engagement's in-scope control references, in
// lower case, to their IDs.
func (s *Service) controlRefs(ctx context.Context, engagementID int64) (map[string]int64, error) {
	controls, err := s.eng.Controls(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, c := range controls {
		if c.Included {
			out[strings.ToLower(c.Ref)] = c.ID
		}
	}
	return out, nil
}

var listSeparators = regexp.MustCompile(`[,;\n]+`)

// readList finds the header row and reads every row after it.
func readList(name string, r io.Reader, refs map[string]int64, plan *ImportPlan) ([]importLine, error) {
	var cols map[string]int
	var lines []importLine
	seen := map[string]int{}
	err := tabular.Read(name, r, tabular.Options{Limits: importLimits, Sheet: "Requests (PBC)"}, func(row tabular.Row) error {
		if cols == nil { // rows above the header (a title block) are skipped
			if c := headerColumns(row.Cells); hasColumns(c, "ref", "description") {
				cols = c
			}
			return nil
		}
		cell := func(field string) string {
			if i, ok := cols[field]; ok && i < len(row.Cells) {
				return strings.TrimSpace(row.Cells[i])
			}
			return ""
		}
		l, problems := lineOf(row.Number, cell, refs)
		if prev, dup := seen[strings.ToLower(l.ref)]; dup && l.ref != "" {
			problems = append(problems, Problem{Row: row.Number, Column: "ref", Message: fmt.Sprintf("the same ref as row %d", prev)})
		}
		seen[strings.ToLower(l.ref)] = row.Number
		plan.Problems = append(plan.Problems, problems...)
		lines = append(lines, l)
		return nil
	})
	var fe *tabular.FormatError
	switch {
	case errors.As(err, &fe):
		return nil, apperr.Invalid(fe.Error(), nil)
	case errors.Is(err, tabular.ErrUnsupported):
		return nil, apperr.Invalid("import a .xlsx or .csv file", nil)
	case err != nil:
		return nil, err
	case cols == nil:
		return nil, apperr.Invalid("no header row names the request ref and the description (e.g. Ref and Description)",
			map[string]string{"file": "no header row"})
	}
	return lines, nil
}

// headerColumns finds each field's column; a header row lacking the ref
// or the description is refused when its first data row is read.
func headerColumns(cells []string) map[string]int {
	out := map[string]int{}
	for i, c := range cells { // socmap's own sheet: the firm's ref, not socmap's ID
		if strings.EqualFold(strings.TrimSpace(c), "auditor ref") {
			out["ref"] = i
		}
	}
	for i, c := range cells {
		h := strings.ToLower(strings.TrimSpace(c))
		for field, names := range importColumns {
			for _, n := range names {
				if h == n {
					if _, taken := out[field]; !taken {
						out[field] = i
					}
				}
			}
		}
	}
	return out
}

func lineOf(number int, cell func(string) string, refs map[string]int64) (importLine, []Problem) {
	var problems []Problem
	bad := func(col, msg string) { problems = append(problems, Problem{Row: number, Column: col, Message: msg}) }
	l := importLine{row: number, ref: cell("ref")}
	if l.ref == "" {
		bad("ref", "the audit firm's request ref is required (a column named Ref, Request ID, PBC # …)")
	}
	desc := cell("description")
	if desc == "" {
		bad("description", "say what is requested (a column named Description or Request)")
	}
	kind := "other"
	if t := cell("type"); t != "" {
		if kind = typeWords[strings.ToLower(t)]; kind == "" {
			bad("type", fmt.Sprintf("%q is not a request type: population, sample evidence, document, configuration, walkthrough or other", t))
		}
	}
	phase := strings.ToLower(cell("phase"))
	switch phase {
	case "":
		phase = "final"
	case "interim", "final":
	default:
		bad("phase", fmt.Sprintf("%q is not a phase: interim or final", phase))
	}
	var ids []int64
	for _, ref := range listSeparators.Split(cell("controls"), -1) {
		if ref = strings.TrimSpace(ref); ref == "" {
			continue
		}
		id, ok := refs[strings.ToLower(ref)]
		if !ok {
			bad("controls", fmt.Sprintf("%s is not a control in this engagement's scope", ref))
			continue
		}
		ids = append(ids, id)
	}
	due := cell("due")
	if due != "" {
		if d, ok := parseDay(due); ok {
			due = d
		} else {
			bad("due", fmt.Sprintf("%q is not a date such as 2026-03-31 or 31 March 2026", due))
		}
	}
	ref, owner := l.ref, cell("owner")
	l.input = Input{Kind: &kind, Phase: &phase, Description: &desc, AuditorRef: &ref, DueOn: &due, ControlIDs: &ids}
	if owner != "" {
		l.input.OwnerEmail = &owner
	}
	return l, problems
}

// parseDay reads the written dates a spreadsheet holds; day/month orders
// that differ between countries (03/04/2026) are refused.
func parseDay(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

func hasColumns(cols map[string]int, fields ...string) bool {
	for _, f := range fields {
		if _, ok := cols[f]; !ok {
			return false
		}
	}
	return true
}
