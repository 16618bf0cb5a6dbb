package exports

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Kind says how a column's values are written.
type Kind int

const (
	Text   Kind = iota // neutralised string, wrapped
	Number             // int or float, right-aligned
	Date               // "YYYY-MM-DD" string or time.Time, written as a real date
	Link               // URL string: a hyperlink only when http or https
)

// Column is one column of a sheet.
type Column struct {
	Header  string
	Width   float64
	Kind    Kind
	Choices []string // drop-down validation for status/result columns
}

// Table is one sheet: a header row and data rows, one value per column.
// Rows holds small sheets; Stream, when set, yields the rows of a large one
// one at a time (e.g. from a database cursor) so they are never all in
// memory.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
	Stream  func(emit func(row []any) error) error
}

// Each calls fn for every row, from Stream or Rows.
func (t Table) Each(fn func(row []any) error) error {
	if t.Stream != nil {
		return t.Stream(fn)
	}
	for _, r := range t.Rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// MaxCellRunes is Excel's limit on the characters in one cell.
const MaxCellRunes = 32767

// cutMarker ends a value shortened to fit a cell, so the cut is visible.
const cutMarker = " [… shortened to fit an Excel cell; the full text is in socmap]"

// Written reports what writing changed about the data.
type Written struct {
	Shortened []string // "Sheet!Cell" of values cut to Excel's cell limit
}

type styles struct{ header, text, date, number, link int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1D3D5C"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "0B1F33", Style: 2}}})
	s.text = mk(&excelize.Style{Alignment: top})
	s.date = mk(&excelize.Style{NumFmt: 14, CustomNumFmt: strPtr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Vertical: "top"}})
	s.number = mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	s.link = mk(&excelize.Style{Font: &excelize.Font{Color: "1F4E9E", Underline: "single"}, Alignment: top})
	return s, err
}

func strPtr(s string) *string { return &s }

// WriteWorkbook streams the tables into an XLSX workbook: styled, frozen
// header rows with filters, set column widths, wrapped text, real dates and
// numbers, drop-downs on choice columns, and hyperlinks only for http(s).
// Every string passes Neutralize; a value over Excel's cell limit is
// shortened with a visible marker. The summary sheet comes first but is
// written last, so it can say which cells were shortened.
func WriteWorkbook(w io.Writer, summary func(Written) Table, tables []Table) (Written, error) {
	var out Written
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return out, err
	}
	first := summary(out)
	if err := f.SetSheetName("Sheet1", first.Name); err != nil {
		return out, err
	}
	for _, t := range tables {
		if _, err := f.NewSheet(t.Name); err != nil {
			return out, err
		}
	}
	for _, t := range tables {
		if err := writeTable(f, st, t, &out); err != nil {
			return out, fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if err := writeTable(f, st, summary(out), &out); err != nil {
		return out, fmt.Errorf("summary: %w", err)
	}
	return out, f.Write(w)
}

func writeTable(f *excelize.File, st styles, t Table, out *Written) error {
	// Validations go in before streaming: the stream writer keeps what the
	// sheet already has, but nothing can be added to it afterwards.
	if err := addChoices(f, t); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		width := c.Width
		if width == 0 {
			width = 16
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: Neutralize(c.Header)}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	rows := 0
	cells := make([]any, len(t.Columns))
	err = t.Each(func(row []any) error {
		rows++
		for c, col := range t.Columns {
			var v any
			if c < len(row) {
				v = row[c]
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, rows+1)
			cells[c] = cell(st, col.Kind, v, t.Name+"!"+ref, out)
		}
		ref, _ := excelize.CoordinatesToCellName(1, rows+1)
		return sw.SetRow(ref, cells)
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), rows+1)
	if rows > 0 {
		// A table gives the header row its filter buttons.
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(t.Name),
			StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(false)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func boolPtr(b bool) *bool { return &b }

// tableName makes a valid Excel table name from a sheet name.
func tableName(sheet string) string {
	var b strings.Builder
	for _, r := range sheet {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return "t" + b.String()
}

func addChoices(f *excelize.File, t Table) error {
	for i, c := range t.Columns {
		if len(c.Choices) == 0 {
			continue
		}
		// The whole column below the header: the row count of a streamed
		// sheet is not known before it is written.
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows)
		if err := dv.SetDropList(c.Choices); err != nil {
			return err
		}
		if err := f.AddDataValidation(t.Name, dv); err != nil {
			return err
		}
	}
	return nil
}

func cell(st styles, kind Kind, v any, where string, out *Written) any {
	if v == nil {
		return nil
	}
	switch kind {
	case Number:
		return excelize.Cell{StyleID: st.number, Value: v}
	case Date:
		switch d := v.(type) {
		case time.Time:
			return excelize.Cell{StyleID: st.date, Value: d}
		case string:
			if t, err := time.Parse(time.DateOnly, d); err == nil {
				return excelize.Cell{StyleID: st.date, Value: t}
			}
		case *string:
			if d == nil {
				return nil
			}
			return cell(st, kind, *d, where, out)
		}
	case Link:
		if s, ok := v.(string); ok && isWebLink(s) {
			link := strings.ReplaceAll(s, `"`, `""`)
			return excelize.Cell{StyleID: st.link, Formula: `HYPERLINK("` + link + `")`, Value: fit(Neutralize(s), where, out)}
		}
	}
	return excelize.Cell{StyleID: st.text, Value: fit(Neutralize(fmt.Sprint(v)), where, out)}
}

// isWebLink accepts only absolute http and https addresses.
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

// fit shortens a value over Excel's cell limit, visibly, and reports it.
func fit(s, where string, out *Written) string {
	if utf8.RuneCountInString(s) <= MaxCellRunes {
		return s
	}
	out.Shortened = append(out.Shortened, where)
	r := []rune(s)
	return string(r[:MaxCellRunes-utf8.RuneCountInString(cutMarker)]) + cutMarker
}
