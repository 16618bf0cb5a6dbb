package exports

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/civil"
)

// Kind says how a column's values are written.
type Kind int

const (
	Text   Kind = iota // neutralised string, wrapped
	Number             // int or float, right-aligned
	Date               // "YYYY-MM-DD" string or time.Time, written as a real date
	Link               // URL string: a hyperlink only when http or https
)

// Percent is a share (0.87 for 87 %), written as a number with a
// percentage format in any column.
type Percent float64

// Heading is the text of a group row (a criterion above its controls in
// Section IV), written bold on a shaded cell in any column.
type Heading string

// Column is one column of a sheet.
type Column struct {
	Header  string
	Width   float64
	Kind    Kind
	Choices []string // drop-down validation
	// Words shows the column's codes (and Choices) as words: "Suitably
	// designed", not "suitably_designed".
	Words bool
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

// WriteWorkbook streams the tables into an XLSX workbook: styled, frozen
// header rows with filters, set column widths, wrapped text with row
// heights that show it in full, real dates and numbers, drop-downs on
// choice columns, hyperlinks (never formulas) only for http(s), the used
// range declared, and a page setup for printing (see pageSetup). Every
// string passes Neutralize; a value over Excel's cell limit is shortened
// with a visible marker. The summary sheet comes first but is written
// last, so it can say which cells were shortened.
func WriteWorkbook(w io.Writer, page Page, summary func(Written) Table, tables []Table) (Written, error) {
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
	zw := newSheetZip(w)
	f.SetZipWriter(zw.wrap)
	for _, t := range tables {
		if err := writeTable(f, st, page, t, zw, &out); err != nil {
			return out, fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if err := writeTable(f, st, page, summary(out), zw, &out); err != nil {
		return out, fmt.Errorf("summary: %w", err)
	}
	return out, f.Write(io.Discard) // the archive goes to w through zw
}

func writeTable(f *excelize.File, st styles, page Page, t Table, zw *sheetZip, out *Written) error {
	// Validations and the page setup go in before streaming: the stream
	// writer keeps what the sheet already has.
	if err := addChoices(f, t); err != nil {
		return err
	}
	if err := pageSetup(f, t.Name, page); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = c.Width
		if widths[i] == 0 {
			widths[i] = 16
		}
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	texts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		texts[i] = Neutralize(c.Header)
		header[i] = excelize.Cell{StyleID: st.header, Value: texts[i]}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: rowHeight(texts, widths), StyleID: st.header}); err != nil {
		return err
	}
	rows, links := 0, 0
	cells := make([]any, len(t.Columns))
	err = t.Each(func(row []any) error {
		rows++
		var pending []string // hyperlinks of this row, by column
		for c, col := range t.Columns {
			var v any
			if c < len(row) {
				v = row[c]
			}
			var link string
			at := position{sheet: t.Name, col: c + 1, row: rows + 1}
			if code, ok := v.(string); ok && col.Words {
				v = Words(code)
			}
			cells[c], texts[c], link = cell(st, col.Kind, v, at, out)
			if link != "" && links < excelize.TotalSheetHyperlinks {
				pending = append(pending, at.cell(), link)
				links++
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, rows+1)
		if err := sw.SetRow(ref, cells, excelize.RowOpts{Height: rowHeight(texts, widths), StyleID: st.text}); err != nil {
			return err
		}
		for i := 0; i < len(pending); i += 2 {
			// A relationship of the sheet, never a HYPERLINK formula.
			if err := f.SetCellHyperLink(t.Name, pending[i], pending[i+1], "External"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), rows+1)
	zw.dimension(f, t.Name, "A1:"+last)
	if rows > 0 {
		// A table gives the header row its filter buttons.
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(t.Name),
			StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(false)}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	releaseStreamBuffer(sw)
	return nil
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
		choices := c.Choices
		if c.Words {
			choices = make([]string, len(c.Choices))
			for i, code := range c.Choices {
				choices[i] = Words(code)
			}
		}
		if err := dv.SetDropList(choices); err != nil {
			return err
		}
		if err := f.AddDataValidation(t.Name, dv); err != nil {
			return err
		}
	}
	return nil
}

// cell is the value to stream for v, the text it shows (for the row
// height; empty when it is one line at most) and the web address to link
// it to, if any. Numbers are numbers in any column.
func cell(st styles, kind Kind, v any, where position, out *Written) (any, string, string) {
	switch x := v.(type) {
	case nil:
		return nil, "", ""
	case *string:
		if x == nil {
			return nil, "", ""
		}
		return cell(st, kind, *x, where, out)
	case *int64:
		if x == nil {
			return nil, "", ""
		}
		return cell(st, kind, *x, where, out)
	case Percent:
		return excelize.Cell{StyleID: st.percent, Value: float64(x)}, "", ""
	case Heading:
		text := fit(Neutralize(string(x)), where, out)
		return excelize.Cell{StyleID: st.group, Value: text}, text, ""
	case int, int32, int64, uint, uint32, uint64:
		return excelize.Cell{StyleID: st.integer, Value: x}, "", ""
	case float32, float64:
		return excelize.Cell{StyleID: st.decimal, Value: x}, "", ""
	}
	switch kind {
	case Date:
		switch d := v.(type) {
		case time.Time:
			return excelize.Cell{StyleID: st.date, Value: d}, "", ""
		case string:
			if t, err := time.Parse(time.DateOnly, d); err == nil {
				return excelize.Cell{StyleID: st.date, Value: t}, "", ""
			}
		case civil.Date:
			if !d.IsZero() {
				return excelize.Cell{StyleID: st.date, Value: d.Time()}, "", ""
			}
			return nil, "", ""
		case *civil.Date:
			if d == nil {
				return nil, "", ""
			}
			return cell(st, kind, *d, where, out)
		}
	case Link:
		if s, ok := v.(string); ok && isWebLink(s) {
			text := fit(Neutralize(s), where, out)
			return excelize.Cell{StyleID: st.link, Value: text}, text, s
		}
	}
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	text := fit(Neutralize(s), where, out)
	return excelize.Cell{StyleID: st.text, Value: text}, text, ""
}

// position is a cell, named only when needed.
type position struct {
	sheet    string
	col, row int
}

func (p position) cell() string {
	ref, _ := excelize.CoordinatesToCellName(p.col, p.row)
	return ref
}

// isWebLink accepts only absolute http and https addresses.
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

// fit shortens a value over Excel's cell limit, visibly, and reports it.
func fit(s string, where position, out *Written) string {
	if len(s) <= MaxCellRunes || utf8.RuneCountInString(s) <= MaxCellRunes {
		return s
	}
	out.Shortened = append(out.Shortened, where.sheet+"!"+where.cell())
	r := []rune(s)
	return string(r[:MaxCellRunes-utf8.RuneCountInString(cutMarker)]) + cutMarker
}
