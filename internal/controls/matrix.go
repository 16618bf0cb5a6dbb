package controls

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/tabular"
)

// Matrix is a control matrix as read from a file: the controls with the
// spreadsheet's own row numbers, the problems that stop the import, and
// warnings about columns that were not imported.
type Matrix struct {
	Rows     []ImportRow
	Problems []ImportProblem
	Warnings []ImportProblem
}

// importLimits bound a control-matrix file: a programme has thousands of
// controls, not hundreds of thousands.
var importLimits = tabular.Limits{FileBytes: 16 << 20, UnpackedBytes: 64 << 20, Rows: 50_000, Columns: 200,
	Cells: 1_000_000, CellRunes: 32767}

// ReadMatrix reads a control matrix from an XLSX file (its "Control
// matrix" sheet, else the first) or a CSV file (comma, semicolon or tab
// separated). A file over the limits is a *tabular.LimitError.
func ReadMatrix(name string, r io.Reader) (Matrix, error) {
	var rows []tabular.Row
	err := tabular.Read(name, r, tabular.Options{Limits: importLimits, Sheet: "Control matrix"}, func(row tabular.Row) error {
		rows = append(rows, row)
		return nil
	})
	var fe *tabular.FormatError
	switch {
	case errors.As(err, &fe):
		return Matrix{}, apperr.Invalid(fe.Error(), nil)
	case errors.Is(err, tabular.ErrUnsupported):
		return Matrix{}, apperr.Invalid("import a .xlsx or .csv file", nil)
	case err != nil:
		return Matrix{}, err
	}
	return ParseImport(rows), nil
}

// importColumns maps header names, compared by normHeader, to control
// fields: socmap's own headers (so an exported workbook imports back) and
// the names other tools and auditors' templates use.
var importColumns = map[string]string{}

func init() {
	for field, names := range map[string][]string{
		"ref": {"reference", "ref", "control id", "control", "control ref", "control reference", "control no", "control number",
			"control #", "id", "control code"},
		"title":       {"title", "control title", "control name", "name"},
		"description": {"description", "control description", "control activity", "activity", "control activities"},
		"owner":       {"owner", "owner e-mail", "owner email", "control owner", "control owner e-mail", "control owner email", "owned by"},
		"performer":   {"performer", "performed by", "control performer", "operator"},
		"frequency":   {"frequency", "control frequency", "periodicity", "how often"},
		"nature":      {"nature", "control nature", "automation", "manual / automated", "manual or automated"},
		"type":        {"type", "control type", "preventive / detective"},
		"key":         {"key", "key control", "key?"},
		"ipe":         {"ipe", "ipe flag", "relies on ipe", "information produced by the entity"},
		"systems":     {"systems", "system", "systems involved", "applications", "application"},
		"evidence_expected": {"evidence expected", "expected evidence", "evidence", "evidence of operation",
			"evidence to be provided"},
		"risk_addressed": {"risk addressed", "risk", "risks", "risks addressed", "risk description", "risk statement"},
		"ipe_relied_on":  {"ipe relied on", "ipe used", "reports relied on", "ipe reports", "key reports"},
		"implemented_on": {"implemented on", "implementation date", "implemented", "date implemented", "in place since",
			"operating since"},
		"status": {"status", "control status"},
		"requirements": {"mapped requirements", "mapped requirement ids", "requirements", "tsc", "tsc mapping", "tsc mappings",
			"criteria", "mapped criteria", "criteria mapping", "tsc criteria", "trust services criteria", "soc 2 criteria",
			"control objectives", "objectives", "mapped objectives"},
	} {
		for _, n := range names {
			importColumns[normHeader(n)] = field
		}
	}
}

// exportOnly are the columns of socmap's own control matrix that are
// results kept in an engagement, not control fields.
var exportOnly = []string{"design result", "test method", "test procedure", "population size", "sample size", "result",
	"exceptions", "cuec or csoc dependency", "changes in the period", "tester", "reviewer", "prepared by", "prepared on", "reviewed by", "reviewed on", "evidence on file"}

func normHeader(h string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '#' {
			return r
		}
		return -1
	}, strings.ToLower(h))
}

// headerSearch is how many rows above the header a title block may take.
const headerSearch = 20

// ParseImport finds the header row (the first with a reference and a
// title column, so a title block above it is skipped), reads every row
// below it into control fields with its values normalised, and reports
// the columns it does not import.
func ParseImport(rows []tabular.Row) Matrix {
	var m Matrix
	hi := -1
	var field []string
	for i, r := range rows[:min(len(rows), headerSearch)] {
		f := make([]string, len(r.Cells))
		for c, h := range r.Cells {
			f[c] = importColumns[normHeader(h)]
		}
		if slices.Contains(f, "ref") && slices.Contains(f, "title") {
			hi, field = i, f
			break
		}
	}
	if hi < 0 {
		m.Problems = []ImportProblem{{Row: 1, Reason: "no header row with a reference column (e.g. \"Control ID\") and a title column " +
			"in the first 20 rows"}}
		return m
	}
	header := rows[hi]
	seen := map[string]int{}
	for c, h := range header.Cells {
		at := cellName(c, header.Number)
		switch {
		case field[c] != "" && seen[field[c]] > 0:
			m.Problems = append(m.Problems, ImportProblem{Row: header.Number, Column: field[c], Cell: at,
				Reason: fmt.Sprintf("%q is a second %s column (the first is column %s)", h, field[c], columnName(seen[field[c]]-1))})
		case field[c] != "":
			seen[field[c]] = c + 1
		case strings.TrimSpace(h) == "":
		case slices.ContainsFunc(exportOnly, func(e string) bool { return normHeader(e) == normHeader(h) }):
			m.Warnings = append(m.Warnings, ImportProblem{Row: header.Number, Column: h, Cell: at,
				Reason: "engagement results are kept in the engagement; this column is not imported"})
		default:
			m.Warnings = append(m.Warnings, ImportProblem{Row: header.Number, Column: h, Cell: at,
				Reason: "not a column socmap knows; it is not imported"})
		}
	}
	for _, row := range rows[hi+1:] {
		values, cells := map[string]string{}, map[string]string{}
		blank := true
		for c, v := range row.Cells {
			if c < len(field) && field[c] != "" {
				v = unneutralise(strings.TrimSpace(strings.TrimPrefix(v, "\uFEFF")))
				values[field[c]] = normalise(field[c], v)
				cells[field[c]] = cellName(c, row.Number)
				blank = blank && v == ""
			} else if strings.TrimSpace(v) != "" && (c >= len(header.Cells) || strings.TrimSpace(header.Cells[c]) == "") {
				m.Problems = append(m.Problems, ImportProblem{Row: row.Number, Cell: cellName(c, row.Number),
					Reason: "a value in a column without a header"})
			}
		}
		if !blank {
			m.Rows = append(m.Rows, ImportRow{Row: row.Number, Fields: values, Cells: cells})
		}
	}
	if len(m.Rows) == 0 && len(m.Problems) == 0 {
		m.Problems = []ImportProblem{{Row: header.Number, Reason: "no controls below the header row"}}
	}
	return m
}

// synonyms are the words spreadsheets use for each fixed value, compared
// by normHeader (any case, spaces and punctuation ignored).
var synonyms = map[string]map[string]string{
	"frequency": words(map[string][]string{
		"annual":              {"annual", "annually", "yearly", "once a year", "every year", "12 months"},
		"semi-annual":         {"semi-annual", "semiannual", "semi-annually", "half-yearly", "half yearly", "biannual", "bi-annual", "twice a year", "every six months", "6 months"},
		"quarterly":           {"quarterly", "quarter", "every quarter", "every three months", "3 months"},
		"monthly":             {"monthly", "month", "every month"},
		"bi-weekly":           {"bi-weekly", "biweekly", "fortnightly", "every two weeks", "every other week"},
		"weekly":              {"weekly", "week", "every week"},
		"daily":               {"daily", "day", "every day", "each day", "nightly"},
		"several-times-a-day": {"several times a day", "multiple times a day", "multiple times per day", "several times per day", "intraday", "hourly"},
		"continuous":          {"continuous", "continuously", "real-time", "real time", "ongoing", "automated"},
		"event-driven":        {"event-driven", "event driven", "as needed", "as required", "ad hoc", "ad-hoc", "per event", "on demand", "upon occurrence", "per occurrence", "when needed", "recurring as needed"},
	}),
	"nature": words(map[string][]string{
		"manual":              {"manual", "manually"},
		"automated":           {"automated", "automatic", "automated control", "system", "system-enforced", "it automated", "application control"},
		"it-dependent-manual": {"it-dependent manual", "it dependent manual", "it-dependent-manual", "itdm", "it-dependent", "manual (it-dependent)", "semi-automated", "semi automated", "hybrid"},
	}),
	"type": words(map[string][]string{
		"preventive": {"preventive", "preventative", "prevent"},
		"detective":  {"detective", "detect", "detection"},
		"corrective": {"corrective", "correct", "correction"},
	}),
	"status": words(map[string][]string{
		"draft":   {"draft", "planned", "proposed", "design"},
		"active":  {"active", "in place", "implemented", "operating", "live"},
		"retired": {"retired", "inactive", "decommissioned", "withdrawn"},
	}),
}

func words(m map[string][]string) map[string]string {
	out := map[string]string{}
	for code, ws := range m {
		out[normHeader(code)] = code
		for _, w := range ws {
			out[normHeader(w)] = code
		}
	}
	return out
}

// normalise turns a value as spreadsheets write it into the stored form:
// a fixed value from any case or synonym, a date from the usual written
// forms, a requirement list from any separator. What it does not
// recognise is kept, for the row's checks to report.
func normalise(field, v string) string {
	if v == "" {
		return v
	}
	if known, ok := synonyms[field]; ok {
		if code, ok := known[normHeader(v)]; ok {
			return code
		}
		return v
	}
	switch field {
	case "implemented_on":
		return normaliseDate(v)
	case "requirements":
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '\n' || r == '\r' })
		var out []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, "; ")
	}
	return v
}

// dateLayouts are the unambiguous ways a date is written; 03/04/2026 is
// not among them, as it means different days in different countries.
var dateLayouts = []string{time.DateOnly, "2006/01/02", "2006.01.02", "2 January 2006", "2 Jan 2006", "January 2, 2006",
	"Jan 2, 2006", "2-Jan-2006", "02-Jan-2006", "2-Jan-06", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

func normaliseDate(v string) string {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return v
}

func cellName(col, row int) string { return fmt.Sprintf("%s%d", columnName(col), row) }

// columnName names a 0-based column as a spreadsheet does: A, B, … AA.
func columnName(c int) string {
	name := ""
	for c++; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name
}
