package sampling

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/tabular"
)

// PopulationItem is one occurrence of a control in an uploaded population.
type PopulationItem struct {
	Seq         int
	Row         int // in the file, so a refusal can point at it
	ItemID      string
	Date        *string
	Description string
	Extra       map[string]string
}

// Limits of a population upload: bigger inputs are refused, never cut.
const (
	MaxPopulationItems = 100_000
	maxCellRunes       = 2000
	maxReportedErrors  = 20
)

// populationLimits bound what is read of a population file; items past
// MaxPopulationItems are refused with the count.
var populationLimits = tabular.Limits{FileBytes: 32 << 20, UnpackedBytes: 64 << 20, Rows: 2 * MaxPopulationItems,
	Columns: 200, Cells: 4_000_000, CellRunes: 32767}

// PopulationError lists the problems of an uploaded population with their
// row and column, so the person can fix the file.
type PopulationError struct{ Problems []string }

func (e *PopulationError) Error() string {
	return "the population cannot be read:\n  " + strings.Join(e.Problems, "\n  ")
}

// header names accepted for the three known columns.
var columnNames = map[string]string{
	"itemid": "id", "id": "id", "item": "id", "reference": "id", "ref": "id",
	"date": "date", "itemdate": "date", "occurredon": "date",
	"description": "description", "desc": "description",
}

func normaliseHeader(h string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(h)))
}

// ParsePopulation reads a CSV or XLSX population: a header row with an item
// ID column (and optionally date and description), one row per item;
// other columns are kept as extra attributes.
func ParsePopulation(fileName string, r io.Reader) ([]PopulationItem, error) {
	var rows [][]string
	var excelDates bool
	var err error
	switch ext := strings.ToLower(filepath.Ext(fileName)); ext {
	case ".csv", ".xlsx":
		rows, err = tabular.ReadAll(fileName, r, tabular.Options{Limits: populationLimits})
		var bad *tabular.FormatError
		if errors.As(err, &bad) {
			return nil, &PopulationError{[]string{bad.Error()}}
		}
		if err != nil {
			return nil, err // over a limit: the caller answers 413
		}
		excelDates = ext == ".xlsx"
	default:
		return nil, &PopulationError{[]string{"upload the population as a .csv or .xlsx file"}}
	}
	return itemsFromRows(rows, excelDates)
}

func itemsFromRows(rows [][]string, excelDates bool) ([]PopulationItem, error) {
	if len(rows) < 1 {
		return nil, &PopulationError{[]string{"the file needs a header row (an empty population is a header row alone)"}}
	}
	if len(rows)-1 > MaxPopulationItems {
		return nil, &PopulationError{[]string{fmt.Sprintf("%d items: a population may have at most %d", len(rows)-1, MaxPopulationItems)}}
	}
	header := rows[0]
	role := make([]string, len(header))
	idCol := -1
	for i, h := range header {
		role[i] = columnNames[normaliseHeader(h)]
		if role[i] == "id" && idCol < 0 {
			idCol = i
		} else if role[i] == "id" {
			role[i] = ""
		}
	}
	if idCol < 0 {
		return nil, &PopulationError{[]string{`the header row needs an item ID column (named "item id", "id" or "reference")`}}
	}
	var problems []string
	report := func(row, col int, msg string) {
		if len(problems) < maxReportedErrors {
			problems = append(problems, fmt.Sprintf("row %d, column %s: %s", row, columnLetter(col), msg))
		}
	}
	seen := map[string]int{}
	items := make([]PopulationItem, 0, len(rows)-1)
	for r, row := range rows[1:] {
		rowNo := r + 2
		if isBlank(row) {
			continue
		}
		item := PopulationItem{Seq: len(items) + 1, Row: rowNo, Extra: map[string]string{}}
		for c, cell := range row {
			cell = strings.TrimSpace(cell)
			if utf8.RuneCountInString(cell) > maxCellRunes {
				report(rowNo, c, fmt.Sprintf("longer than %d characters", maxCellRunes))
				continue
			}
			switch {
			case c == idCol:
				item.ItemID = cell
			case c < len(role) && role[c] == "date" && cell != "":
				d, ok := parseItemDate(cell, excelDates)
				if !ok {
					report(rowNo, c, fmt.Sprintf("%q is not a date (use YYYY-MM-DD)", cell))
				}
				item.Date = &d
			case c < len(role) && role[c] == "description":
				item.Description = cell
			case c < len(header) && cell != "":
				item.Extra[strings.TrimSpace(header[c])] = cell
			case cell != "":
				report(rowNo, c, "value in a column without a header")
			}
		}
		switch first, dup := seen[item.ItemID]; {
		case item.ItemID == "":
			report(rowNo, idCol, "missing item ID")
		case dup:
			report(rowNo, idCol, fmt.Sprintf("item ID %q repeats row %d", item.ItemID, first))
		}
		seen[item.ItemID] = rowNo
		items = append(items, item)
	}
	if len(problems) > 0 {
		return nil, &PopulationError{problems}
	}
	// No items is a population too: a conditional control that had
	// nothing to do. The service asks for its completeness evidence.
	return items, nil
}

func parseItemDate(s string, excel bool) (string, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly), true
	}
	if excel {
		if serial, err := strconv.ParseFloat(s, 64); err == nil && serial > 0 {
			if t, err := excelize.ExcelDateToTime(serial, false); err == nil {
				return t.Format(time.DateOnly), true
			}
		}
	}
	return s, false
}

func isBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnLetter names a 0-based column as a spreadsheet does: A, B, … AA.
func columnLetter(c int) string {
	name, err := excelize.ColumnNumberToName(c + 1)
	if err != nil {
		return strconv.Itoa(c + 1)
	}
	return name
}
