package exports

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/exports/exportstest"
)

func summaryOf(rows [][]any) func(Written) Table {
	return func(w Written) Table {
		r := append([][]any{}, rows...)
		if len(w.Shortened) > 0 {
			r = append(r, []any{"Shortened cells", strings.Join(w.Shortened, ", ")})
		}
		return Table{Name: "Summary", Columns: []Column{{Header: "Item"}, {Header: "Value"}}, Rows: r}
	}
}

var testPage = Page{Organisation: "Larkspur & Co", Title: "SOC 2 Type II 2026", Generated: time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)}

func TestWriteWorkbook(t *testing.T) {
	long := strings.Repeat("y", MaxCellRunes+10)
	wrapped := strings.Repeat("Quarterly review of user access by the system owner. ", 8)
	data := Table{Name: "Control matrix", Columns: []Column{
		{Header: "Control ID"}, {Header: "Title", Width: 40}, {Header: "Implemented", Kind: Date},
		{Header: "Sample", Kind: Number}, {Header: "Link", Width: 40, Kind: Link}, {Header: "Result", Choices: []string{"Suitably designed", "Design deficiency"}},
	}, Rows: [][]any{
		{"AC-03", `=HYPERLINK("http://x","y")`, "2026-01-15", 25, "https://wiki.example.com/a\"b", "Suitably designed"},
		{"AC-04", "@SUM(A1:A2)", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 2.5, "javascript:alert(1)", "Design deficiency"},
		{"AC-05", long, nil, nil, nil, nil},
		{"AC-06", wrapped, nil, Percent(0.875), nil, nil},
	}}
	var buf bytes.Buffer
	w, err := WriteWorkbook(&buf, testPage, summaryOf([][]any{{"Engagement", "SOC 2 Type II"}, {"Controls", 83}}), []Table{data})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Shortened) != 1 || w.Shortened[0] != "Control matrix!B4" {
		t.Errorf("shortened: %v", w.Shortened)
	}
	raw := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Control matrix"
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "Summary" || sheets[1] != sheet {
		t.Fatalf("sheets %v", sheets)
	}
	get := func(cell string) string {
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("A1") != "Control ID" || get("A2") != "AC-03" {
		t.Errorf("header/first row: %q %q", get("A1"), get("A2"))
	}
	if get("B2") != `'=HYPERLINK("http://x","y")` || get("B3") != "'@SUM(A1:A2)" {
		t.Errorf("formula-like titles not neutralised: %q %q", get("B2"), get("B3"))
	}
	if n := countFormulas(t, raw); n != 0 {
		t.Errorf("%d formula cells, want none", n)
	}
	if ok, target, err := f.GetCellHyperLink(sheet, "E2"); err != nil || !ok || target != "https://wiki.example.com/a\"b" || get("E2") != target {
		t.Errorf("https link: %v %q %v, shows %q", ok, target, err, get("E2"))
	}
	if ok, _, _ := f.GetCellHyperLink(sheet, "E3"); ok || get("E3") != "javascript:alert(1)" {
		t.Errorf("a javascript: link became live")
	}
	if typ, _ := f.GetCellType(sheet, "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("number cell type %v", typ)
	}
	if v := get("D5"); v != "88%" {
		t.Errorf("percentage shows %q, want 88%%", v)
	}
	if v, _ := f.GetCellValue(sheet, "D5", excelize.Options{RawCellValue: true}); v != "0.875" {
		t.Errorf("percentage stored as %q", v)
	}
	if raw, _ := f.GetCellValue(sheet, "C2", excelize.Options{RawCellValue: true}); raw != "46037" { // 2026-01-15 as an Excel serial date
		t.Errorf("date stored as %q, want the serial 46037", raw)
	}
	if v := get("B4"); len([]rune(v)) != MaxCellRunes || !strings.HasSuffix(v, cutMarker) {
		t.Errorf("long value: %d runes", len([]rune(v)))
	}
	if h, _ := f.GetRowHeight(sheet, 5); h < 6*lineHeight {
		t.Errorf("a wrapped row of %d characters in a 40-wide column is %v points high", len(wrapped), h)
	}
	if h, _ := f.GetRowHeight(sheet, 2); h != lineHeight {
		t.Errorf("a one-line row is %v points high", h)
	}
	dvs, err := f.GetDataValidations(sheet)
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "F2:F1048576" || dvs[0].Formula1 != `"Suitably designed,Design deficiency"` {
		t.Errorf("data validation: %+v %v", dvs, err)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes: %+v %v", panes, err)
	}
	if tables, err := f.GetTables(sheet); err != nil || len(tables) != 1 || tables[0].Range != "A1:F5" {
		t.Errorf("filter table: %+v %v", tables, err)
	}
	if dims := dimensions(t, raw); dims["xl/worksheets/sheet2.xml"] != "A1:F5" || dims["xl/worksheets/sheet1.xml"] != "A1:B4" {
		t.Errorf("declared used ranges: %v", dims)
	}
	summary, _ := f.GetRows("Summary")
	if len(summary) != 4 || !strings.Contains(summary[3][1], "Control matrix!B4") {
		t.Errorf("summary does not report the shortened cell: %v", summary)
	}
	if typ, _ := f.GetCellType("Summary", "B3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("a count in the summary is not a number: %v", typ)
	}
	checkPageSetup(t, f, "Summary")
	checkPageSetup(t, f, sheet)
}

func checkPageSetup(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	layout, err := f.GetPageLayout(sheet)
	if err != nil || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
		t.Errorf("%s: page layout %+v %v", sheet, layout, err)
	}
	if props, err := f.GetSheetProps(sheet); err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("%s: not fitted to the page: %v", sheet, err)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil || hf.OddHeader != "&LLarkspur && Co&CSOC 2 Type II 2026&R&A" ||
		hf.OddFooter != "&LPage &P of &N&RGenerated 2026-07-01 09:30 UTC" {
		t.Errorf("%s: header and footer %+v %v", sheet, hf, err)
	}
	found := false
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet && n.RefersTo == "'"+sheet+"'!$1:$1" {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: the header row is not repeated on each page: %+v", sheet, f.GetDefinedName())
	}
}

func countFormulas(t *testing.T, xlsx []byte) int {
	t.Helper()
	n, err := exportstest.Formulas(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func dimensions(t *testing.T, xlsx []byte) map[string]string {
	t.Helper()
	d, err := exportstest.Dimensions(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStreamedSheetOnDisk writes a sheet larger than excelize keeps in
// memory: its buffer is released once the rows are on disk, and the
// declared used range is filled in although the rows were streamed.
func TestStreamedSheetOnDisk(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	value := strings.Repeat("x", 30000)
	for r := 1; r <= excelize.StreamChunkSize/30000+10; r++ {
		ref, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(ref, []any{excelize.Cell{StyleID: st.text, Value: value}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !releaseStreamBuffer(sw) {
		t.Fatal("the stream writer's buffer was not released: excelize's StreamWriter changed; see releaseStreamBuffer")
	}
	var buf bytes.Buffer
	zw := newSheetZip(&buf)
	zw.dimension(f, "Sheet1", "A1:A569")
	f.SetZipWriter(zw.wrap)
	if err := f.Write(io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := dimensions(t, buf.Bytes())["xl/worksheets/sheet1.xml"]; got != "A1:A569" {
		t.Errorf("dimension %q", got)
	}
	// Every row is there although the buffer it went through is gone.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" && zf.UncompressedSize64 < 569*30000 {
			t.Errorf("the sheet lost rows: %d bytes", zf.UncompressedSize64)
		}
	}
}

func TestWrappedLines(t *testing.T) {
	for _, tt := range []struct {
		text  string
		width float64
		want  int
	}{
		{"", 20, 1},
		{"short", 20, 1},
		{"one two three four five six seven eight", 20, 2},
		{"one two three four five six seven eight nine ten eleven", 20, 3},
		{"first line\nsecond line", 40, 2},
		{strings.Repeat("0", 100), 20, 6}, // a long word breaks inside
		{strings.Repeat("0", 64), 66, 1},  // a SHA-256 in the evidence index,
	} {
		if got := wrappedLines(tt.text, tt.width); got != tt.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", tt.text, tt.width, got, tt.want)
		}
	}
	if h := rowHeight([]string{strings.Repeat("word ", 5000)}, []float64{10}); h != maxRowHeight {
		t.Errorf("a very long cell asks for %v points, more than Excel allows", h)
	}
}
