package tabular

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/tabular/tabulartest"
)

func readRows(t *testing.T, name string, data []byte, opts Options) ([]Row, error) {
	t.Helper()
	var rows []Row
	err := Read(name, bytes.NewReader(data), opts, func(r Row) error {
		rows = append(rows, Row{Number: r.Number, Cells: append([]string(nil), r.Cells...)})
		return nil
	})
	return rows, err
}

func TestCSV(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		want       []Row
	}{
		{"comma with BOM", "\uFEFFID,Title\r\nAC-01,Review\r\n",
			[]Row{{1, []string{"ID", "Title"}}, {2, []string{"AC-01", "Review"}}}},
		{"semicolon with commas in the text", "ID;Title;Criteria\nAC-01;Access, quarterly;CC6.1, CC6.2\nAC-02;Backups;A1.2\n",
			[]Row{{1, []string{"ID", "Title", "Criteria"}}, {2, []string{"AC-01", "Access, quarterly", "CC6.1, CC6.2"}}, {3, []string{"AC-02", "Backups", "A1.2"}}}},
		{"comma with semicolons in the text", "ID,Criteria\nAC-01,CC6.1; CC6.2\nAC-02,A1.2\n",
			[]Row{{1, []string{"ID", "Criteria"}}, {2, []string{"AC-01", "CC6.1; CC6.2"}}, {3, []string{"AC-02", "A1.2"}}}},
		{"blank lines and a quoted line break keep the spreadsheet's row numbers", "Matrix\n\nID,Title\n\"AC-01\",\"two\nlines\"\n\nAC-02,x\n",
			[]Row{{1, []string{"Matrix"}}, {3, []string{"ID", "Title"}}, {4, []string{"AC-01", "two\nlines"}}, {6, []string{"AC-02", "x"}}}},
		{"tab separated", "ID\tTitle\nAC-01\tReview\n", []Row{{1, []string{"ID", "Title"}}, {2, []string{"AC-01", "Review"}}}},
		{"blank separated row skipped", "a,b\n,\nc,d\n", []Row{{1, []string{"a", "b"}}, {3, []string{"c", "d"}}}},
	} {
		rows, err := readRows(t, "m.csv", []byte(tt.data), Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got, want := format(rows), format(tt.want); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
	}
}

func format(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(append([]string{string(rune('0' + r.Number))}, r.Cells...), "|") + " ")
	}
	return b.String()
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.NewSheet("Control matrix")
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom, _ := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr(`d "of" mmmm yyyy`)})
	f.SetCellValue("Sheet1", "A1", "not this sheet")
	sheet := "Control matrix"
	f.SetCellValue(sheet, "A1", "Larkspur control matrix")
	f.MergeCell(sheet, "A1", "D1")
	f.SetSheetRow(sheet, "A3", &[]any{"Control ID", "Title", "Implemented on", "Key"})
	f.SetSheetRow(sheet, "A4", &[]any{"AC-01", "Review & approve", time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), true})
	f.SetCellStyle(sheet, "C4", "C4", date)
	f.SetCellValue(sheet, "A6", "AC-02")
	f.SetCellValue(sheet, "C6", 46068) // 2026-02-15 as a day number with a custom date format
	f.SetCellStyle(sheet, "C6", "C6", custom)
	f.SetCellValue(sheet, "D6", 25)
	f.SetCellRichText(sheet, "B6", []excelize.RichTextRun{{Text: "Bold "}, {Text: "and plain"}})
	f.SetCellFormula(sheet, "E6", "1+1")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := readRows(t, "m.XLSX", buf.Bytes(), Options{Sheet: "control MATRIX"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{1, []string{"Larkspur control matrix"}}, {3, []string{"Control ID", "Title", "Implemented on", "Key"}},
		{4, []string{"AC-01", "Review & approve", "2026-01-15", "TRUE"}}, {6, []string{"AC-02", "Bold and plain", "2026-02-15", "25"}}}
	if got, w := format(rows), format(want); got != w {
		t.Errorf("rows\n got %s\nwant %s", got, w)
	}
	all, err := ReadAll("m.xlsx", bytes.NewReader(buf.Bytes()), Options{Sheet: "Control matrix"})
	if err != nil || len(all) != 6 || all[1] != nil || all[5][0] != "AC-02" {
		t.Errorf("ReadAll: %q %v", all, err)
	}
	first, err := readRows(t, "m.xlsx", buf.Bytes(), Options{Sheet: "Other"})
	if err != nil || len(first) != 1 || first[0].Cells[0] != "not this sheet" {
		t.Errorf("without the named sheet the first is read: %v", first)
	}
}

func strPtr(s string) *string { return &s }

func TestLimits(t *testing.T) {
	lim := Limits{FileBytes: 1 << 20, UnpackedBytes: 1 << 20, Rows: 5, Columns: 3, Cells: 8, CellRunes: 10}
	for _, tt := range []struct {
		name, data, what string
	}{
		{"rows", "a\nb\nc\nd\ne\nf\n", "rows"},
		{"columns", "a,b,c,d\n", "columns"},
		{"cells", "a,b,c\na,b,c\na,b,c\n", "cells with a value"},
		{"cell length", "abcdefghijk\n", "characters in a cell"},
	} {
		_, err := readRows(t, "x.csv", []byte(tt.data), Options{Limits: lim})
		var le *LimitError
		if !errors.As(err, &le) || le.What != tt.what {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	_, err := readRows(t, "x.csv", bytes.Repeat([]byte("a\n"), 1<<20), Options{Limits: lim})
	if le := (*LimitError)(nil); !errors.As(err, &le) || le.What != "bytes" {
		t.Errorf("file size: %v", err)
	}
	if _, err := readRows(t, "x.txt", []byte("a"), Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a .txt file: %v", err)
	}
	if _, err := readRows(t, "x.xlsx", []byte("PK\x03\x04 not a zip"), Options{}); !isFormat(err) {
		t.Errorf("a broken workbook: %v", err)
	}
}

func isFormat(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe)
}

// TestZipBomb: a small workbook whose sheet inflates to 480 MiB is refused
// by its declared size before anything is inflated; one whose header
// understates the size is refused as broken once the inflated bytes pass
// what it declared.
func TestZipBomb(t *testing.T) {
	_, err := readRows(t, "bomb.xlsx", tabulartest.ZipBomb(480<<20, false), Options{})
	var le *LimitError
	if !errors.As(err, &le) || le.What != "bytes unpacked" || le.Limit != 64<<20 {
		t.Errorf("bomb: %v", err)
	}
	if _, err := readRows(t, "bomb.xlsx", tabulartest.ZipBomb(480<<20, true), Options{}); !isFormat(err) {
		t.Errorf("bomb with a lying header: %v", err)
	}
	// Within the declared size, the inflated bytes are counted too.
	wb := &workbook{budget: 1 << 20, limit: 1 << 20}
	r := &budgeted{rc: io.NopCloser(bytes.NewReader(make([]byte, 2<<20))), wb: wb}
	if _, err := io.Copy(io.Discard, r); !errors.As(err, &le) {
		t.Errorf("inflating past the budget: %v", err)
	}
}
