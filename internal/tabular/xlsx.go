package tabular

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
)

// workbook is what reading a sheet needs from the rest of the archive.
type workbook struct {
	zr       *zip.Reader
	budget   int64 // decompressed bytes left
	limit    int64
	shared   []string
	dates    map[int]bool // cell style index -> shows a date
	date1904 bool
}

func readXLSX(r io.ReaderAt, size int64, sheet string, c *counter, fn func(Row) error) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &FormatError{Reason: "not a readable XLSX workbook (it is not a valid zip archive)"}
	}
	wb := &workbook{zr: zr, budget: c.lim.UnpackedBytes, limit: c.lim.UnpackedBytes}
	part, err := wb.sheetPart(sheet)
	if err != nil {
		return err
	}
	if err := wb.readSharedStrings(); err != nil {
		return err
	}
	if err := wb.readStyles(); err != nil {
		return err
	}
	return wb.readSheet(part, c, fn)
}

// open gives a part's decompressed bytes, counted against the budget; a
// part that declares more than is left is refused before it is inflated.
func (wb *workbook) open(name string) (io.ReadCloser, error) {
	for _, f := range wb.zr.File {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		if f.UncompressedSize64 > uint64(max(wb.budget, 0)) {
			return nil, &LimitError{What: "bytes unpacked", Limit: wb.limit}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, &FormatError{Reason: "not a readable XLSX workbook: " + err.Error()}
		}
		return &budgeted{rc: rc, wb: wb}, nil
	}
	return nil, nil
}

// budgeted stops a part that inflates to more than the budget, whatever
// its header claimed.
type budgeted struct {
	rc io.ReadCloser
	wb *workbook
}

func (b *budgeted) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.wb.budget -= int64(n)
	if b.wb.budget < 0 {
		return n, &LimitError{What: "bytes unpacked", Limit: b.wb.limit}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var le *LimitError
		if !errors.As(err, &le) {
			err = &FormatError{Reason: "not a readable XLSX workbook: " + err.Error()}
		}
	}
	return n, err
}

func (b *budgeted) Close() error { return b.rc.Close() }

// decode parses a whole (small) part into v; a missing part leaves v as it is.
func (wb *workbook) decode(name string, v any) (bool, error) {
	rc, err := wb.open(name)
	if err != nil || rc == nil {
		return false, err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			return false, le
		}
		return false, &FormatError{Reason: fmt.Sprintf("not a readable XLSX workbook: %s: %v", name, err)}
	}
	return true, nil
}

// sheetPart finds the part of the named sheet, or of the first sheet.
func (wb *workbook) sheetPart(want string) (string, error) {
	var book struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			RID2 string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	found, err := wb.decode("xl/workbook.xml", &book)
	if err != nil {
		return "", err
	}
	if !found || len(book.Sheets) == 0 {
		return "", &FormatError{Reason: "not a readable XLSX workbook: it has no sheets"}
	}
	wb.date1904 = book.Pr.Date1904 == "1" || book.Pr.Date1904 == "true"
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if _, err := wb.decode("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	chosen := book.Sheets[0]
	for _, s := range book.Sheets {
		if want != "" && strings.EqualFold(strings.TrimSpace(s.Name), want) {
			chosen = s
			break
		}
	}
	id := chosen.RID + chosen.RID2
	for _, r := range rels.Rel {
		if r.ID == id {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return "", &FormatError{Reason: fmt.Sprintf("not a readable XLSX workbook: the sheet %q has no part", chosen.Name)}
}

// readSharedStrings reads the workbook's string table: the text of each
// item, rich-text runs joined, phonetic guides left out.
func (wb *workbook) readSharedStrings() error {
	rc, err := wb.open("xl/sharedStrings.xml")
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var item strings.Builder
	inItem, inText, phonetic := false, false, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return wrapXML(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inItem = true
				item.Reset()
			case "rPh":
				phonetic++
			case "t":
				inText = inItem && phonetic == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				wb.shared = append(wb.shared, item.String())
				inItem = false
			case "rPh":
				phonetic--
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				item.Write(t)
			}
		}
	}
}

// readStyles learns which cell styles show a date, so a date cell reads
// as a date rather than as Excel's day number.
func (wb *workbook) readStyles() error {
	var ss struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if _, err := wb.decode("xl/styles.xml", &ss); err != nil {
		return err
	}
	custom := map[int]bool{}
	for _, f := range ss.NumFmts {
		custom[f.ID] = isDateFormat(f.Code)
	}
	wb.dates = map[int]bool{}
	for i, xf := range ss.Xfs {
		id := xf.NumFmt
		if id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58 || custom[id] {
			wb.dates[i] = true
		}
	}
	return nil
}

// isDateFormat tells a date or time number format by its codes (y, m, d,
// h, s) outside quoted text, escapes and [colour] brackets.
func isDateFormat(code string) bool {
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			inBracket = c != ']'
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case strings.IndexByte("ymdhsYMDHS", c) >= 0:
			return true
		}
	}
	return false
}

// readSheet streams the sheet's rows.
func (wb *workbook) readSheet(part string, c *counter, fn func(Row) error) error {
	rc, err := wb.open(part)
	if err != nil {
		return err
	}
	if rc == nil {
		return &FormatError{Reason: "not a readable XLSX workbook: the sheet's part is missing"}
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var (
		row                 Row
		inRow               bool
		cellCol, style      int
		cellType            string
		value, inline       strings.Builder
		inValue, inInline   bool
		inText              bool
		nextRow, nextColumn = 1, 1
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return wrapXML(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := nextRow
				if v := attr(t, "r"); v != "" {
					if n, err = strconv.Atoi(v); err != nil || n < nextRow {
						return &FormatError{Reason: fmt.Sprintf("not a readable XLSX workbook: row number %q", v)}
					}
				}
				if err := c.row(n); err != nil {
					return err
				}
				row, inRow, nextRow, nextColumn = Row{Number: n}, true, n+1, 1
			case "c":
				cellCol = nextColumn
				if ref := attr(t, "r"); ref != "" {
					if cellCol, err = columnOf(ref); err != nil || cellCol < nextColumn {
						return &FormatError{Reason: fmt.Sprintf("not a readable XLSX workbook: cell %q", ref)}
					}
				}
				if cellCol > c.lim.Columns {
					return &LimitError{What: "columns", Limit: int64(c.lim.Columns)}
				}
				nextColumn = cellCol + 1
				cellType = attr(t, "t")
				style = 0
				if s := attr(t, "s"); s != "" {
					if style, err = strconv.Atoi(s); err != nil {
						return &FormatError{Reason: fmt.Sprintf("not a readable XLSX workbook: cell style %q", s)}
					}
				}
				value.Reset()
				inline.Reset()
			case "v":
				inValue = true
			case "is":
				inInline = true
			case "t":
				inText = inInline
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inValue = false
			case "is":
				inInline = false
			case "t":
				inText = false
			case "c":
				v, err := wb.cellValue(cellType, style, value.String(), inline.String())
				if err != nil {
					return err
				}
				if err := c.cell(cellCol, v); err != nil {
					return err
				}
				if v != "" && inRow {
					for len(row.Cells) < cellCol-1 {
						row.Cells = append(row.Cells, "")
					}
					row.Cells = append(row.Cells, v)
				}
			case "row":
				inRow = false
				if !blank(row.Cells) {
					if err := fn(row); err != nil {
						return err
					}
				}
			}
		case xml.CharData:
			switch {
			case inValue:
				value.Write(t)
			case inText:
				inline.Write(t) // the <t> runs of an inline string
			}
		}
	}
}

// cellValue is a cell's text by its type: shared or inline string,
// boolean, error, ISO date, or number (a date when its style shows one).
func (wb *workbook) cellValue(typ string, style int, v, inline string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(wb.shared) {
			return "", &FormatError{Reason: "not a readable XLSX workbook: a cell refers to a missing shared string"}
		}
		return wb.shared[i], nil
	case "inlineStr":
		return inline, nil
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "d":
		if len(v) >= 10 {
			if t, err := time.Parse(time.DateOnly, v[:10]); err == nil {
				return t.Format(time.DateOnly), nil
			}
		}
		return v, nil
	case "str", "e":
		return v, nil
	}
	if wb.dates[style] {
		if serial, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			if d, ok := excelDate(serial, wb.date1904); ok {
				return d, nil
			}
		}
	}
	return v, nil
}

// excelDate turns Excel's day number into YYYY-MM-DD (the time of day, if
// any, is dropped: the fields read are dates).
func excelDate(serial float64, date1904 bool) (string, bool) {
	if serial < 1 || serial > 2958465 || math.IsNaN(serial) { // 9999-12-31
		return "", false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if serial < 61 {
		// Excel counts a 29 February 1900 that never was: days before it
		// are one later than the calendar.
		serial++
	}
	return epoch.AddDate(0, 0, int(math.Floor(serial))).Format(time.DateOnly), true
}

// columnOf reads the column number of a cell reference such as "AB12".
func columnOf(ref string) (int, error) {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			if i == 0 {
				return 0, errors.New("no column")
			}
			return col, nil
		}
		col = col*26 + int(c-'a'+1)
		if col > 1<<20 {
			return 0, errors.New("column out of range")
		}
	}
	return col, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func wrapXML(err error) error {
	var le *LimitError
	var fe *FormatError
	if errors.As(err, &le) || errors.As(err, &fe) {
		return err
	}
	return &FormatError{Reason: "not a readable XLSX workbook: " + err.Error()}
}
