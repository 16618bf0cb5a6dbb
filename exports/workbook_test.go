package exports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
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

func TestWriteWorkbook(t *testing.T) {
	long := strings.Repeat("y", MaxCellRunes+10)
	data := Table{Name: "Control matrix", Columns: []Column{
		{Header: "Control ID"}, {Header: "Title", Width: 40}, {Header: "Implemented", Kind: Date},
		{Header: "Sample", Kind: Number}, {Header: "Link", Kind: Link}, {Header: "Result", Choices: []string{"pass", "fail"}},
	}, Rows: [][]any{
		{"AC-03", `=HYPERLINK("http://x","y")`, "2026-01-15", 25, "https://wiki.example.com/a\"b", "pass"},
		{"AC-04", "@SUM(A1:A2)", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 2.5, "javascript:alert(1)", "fail"},
		{"AC-05", long, nil, nil, nil, nil},
	}}
	var buf bytes.Buffer
	w, err := WriteWorkbook(&buf, summaryOf([][]any{{"Engagement", "SOC 2 Type II"}}), []Table{data})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Shortened) != 1 || w.Shortened[0] != "Control matrix!B4" {
		t.Errorf("shortened: %v", w.Shortened)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "Summary" || sheets[1] != "Control matrix" {
		t.Fatalf("sheets %v", sheets)
	}
	get := func(cell string) string {
		v, err := f.GetCellValue("Control matrix", cell)
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
	if formula, _ := f.GetCellFormula("Control matrix", "B2"); formula != "" {
		t.Errorf("a title became a formula: %q", formula)
	}
	if formula, _ := f.GetCellFormula("Control matrix", "E2"); formula != `HYPERLINK("https://wiki.example.com/a""b")` {
		t.Errorf("https link: %q", formula)
	}
	if formula, _ := f.GetCellFormula("Control matrix", "E3"); formula != "" || get("E3") != "javascript:alert(1)" {
		t.Errorf("a javascript: link became live: %q %q", formula, get("E3"))
	}
	if typ, _ := f.GetCellType("Control matrix", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("number cell type %v", typ)
	}
	raw, _ := f.GetCellValue("Control matrix", "C2", excelize.Options{RawCellValue: true})
	if raw != "46037" { // 2026-01-15 as an Excel serial date
		t.Errorf("date stored as %q, want the serial 46037", raw)
	}
	if v := get("B4"); len([]rune(v)) != MaxCellRunes || !strings.HasSuffix(v, cutMarker) {
		t.Errorf("long value: %d runes", len([]rune(v)))
	}
	dvs, err := f.GetDataValidations("Control matrix")
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "F2:F1048576" {
		t.Errorf("data validation: %+v %v", dvs, err)
	}
	panes, err := f.GetPanes("Control matrix")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes: %+v %v", panes, err)
	}
	if tables, err := f.GetTables("Control matrix"); err != nil || len(tables) != 1 || tables[0].Range != "A1:F4" {
		t.Errorf("filter table: %+v %v", tables, err)
	}
	summary, _ := f.GetRows("Summary")
	if len(summary) != 3 || !strings.Contains(summary[2][1], "Control matrix!B4") {
		t.Errorf("summary does not report the shortened cell: %v", summary)
	}
}
