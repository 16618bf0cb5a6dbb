package sampling

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestParseCSVPopulation(t *testing.T) {
	csv := "Item ID,Date,Description,Approver\nCHG-1,2026-01-05,Firewall rule,ann\nCHG-2,2026-01-09,DB patch,bob\n\nCHG-3,,Hotfix,\n"
	items, err := ParsePopulation("changes.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].ItemID != "CHG-1" || *items[0].Date != "2026-01-05" || items[1].Extra["Approver"] != "bob" ||
		items[2].Date != nil || items[2].Seq != 3 {
		t.Fatalf("items: %+v", items)
	}
}

func TestParseXLSXPopulation(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Reference", "Occurred on", "Description"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"T-1", 46027, "Termination"}) // 2026-01-05 as an Excel serial date
	f.SetSheetRow("Sheet1", "A3", &[]any{"T-2", "2026-02-01", "Termination"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	items, err := ParsePopulation("terminations.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || *items[0].Date != "2026-01-05" || *items[1].Date != "2026-02-01" {
		t.Fatalf("items: %+v", items)
	}
}

func TestParsePopulationErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		file, content string
		want          []string
	}{
		"no id column":   {"p.csv", "Date,Description\n2026-01-01,x\n", []string{"item ID column"}},
		"duplicate id":   {"p.csv", "id,date\nA,2026-01-01\nA,2026-01-02\n", []string{"row 3, column A", `"A" repeats row 2`}},
		"missing id":     {"p.csv", "id,date\n,2026-01-01\n", []string{"row 2, column A: missing item ID"}},
		"bad date":       {"p.csv", "id,date\nA,01/02/2026\n", []string{"row 2, column B", "not a date"}},
		"long cell":      {"p.csv", "id,description\nA," + strings.Repeat("x", 2001) + "\n", []string{"row 2, column B", "longer than 2000"}},
		"empty file":     {"p.csv", "", []string{"header row"}},
		"wrong type":     {"p.txt", "id\nA\n", []string{".csv or .xlsx"}},
		"broken csv":     {"p.csv", "id,\"unterminated\nA,x\n", []string{"not valid CSV"}},
		"not a workbook": {"p.xlsx", "plain text", []string{"not a readable XLSX"}},
		"stray column":   {"p.csv", "id\nA,surprise\n", []string{"row 2, column B: value in a column without a header"}},
	} {
		_, err := ParsePopulation(tc.file, strings.NewReader(tc.content))
		var pe *PopulationError
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a PopulationError", name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", name, err, w)
			}
		}
	}
}
