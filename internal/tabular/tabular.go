// Package tabular reads the rows of an uploaded spreadsheet, XLSX or CSV,
// as a stream and under limits, so a file that is small on the wire but
// huge when unpacked (a "zip bomb") is refused after reading no more than
// the limit allows, and memory does not grow with the rows.
package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Limits bound what one file may hold. A file over any of them is
// refused with a *LimitError; nothing is cut.
type Limits struct {
	FileBytes     int64 // the file as uploaded (compressed, for an XLSX)
	UnpackedBytes int64 // the parts of an XLSX read, once decompressed
	Rows          int   // the highest row number
	Columns       int   // the highest column number
	Cells         int   // non-empty cells in all
	CellRunes     int   // characters in one cell
}

// DefaultLimits suit a control matrix or a population of 100,000 items.
var DefaultLimits = Limits{FileBytes: 32 << 20, UnpackedBytes: 64 << 20, Rows: 100_050, Columns: 200,
	Cells: 2_000_000, CellRunes: 32767}

// LimitError says which limit a file went over.
type LimitError struct {
	What  string // e.g. "rows"
	Limit int64
}

func (e *LimitError) Error() string {
	if e.What == "bytes unpacked" || e.What == "bytes" {
		return fmt.Sprintf("the file is too large: it may hold at most %d MiB (%s)", e.Limit>>20, e.What)
	}
	return fmt.Sprintf("the file is too large: it may have at most %d %s", e.Limit, e.What)
}

// FormatError says the file is not the spreadsheet it claims to be.
type FormatError struct{ Reason string }

func (e *FormatError) Error() string { return e.Reason }

// Row is one row of the sheet. Number is the row number the spreadsheet
// shows (blank rows count), Cells the values by column, "" when empty.
// Date-formatted cells come as YYYY-MM-DD; numbers as written, without
// the cell's display format.
type Row struct {
	Number int
	Cells  []string
}

// Options choose what is read.
type Options struct {
	Limits Limits
	// Sheet is the sheet to read from a workbook when it has one of that
	// name (any case); otherwise the first sheet is read.
	Sheet string
}

// ErrUnsupported is returned for a file that is neither .xlsx nor .csv.
var ErrUnsupported = errors.New("the file must be an .xlsx workbook or a .csv file")

// Read calls fn for every row that has a value, in order. The kind of
// file comes from its name's extension.
func Read(name string, r io.Reader, opts Options, fn func(Row) error) error {
	lim := opts.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.FileBytes+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > lim.FileBytes {
		return &LimitError{What: "bytes", Limit: lim.FileBytes}
	}
	c := &counter{lim: lim}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return readCSV(data, c, fn)
	case ".xlsx":
		return readXLSX(bytes.NewReader(data), int64(len(data)), opts.Sheet, c, fn)
	}
	return ErrUnsupported
}

// ReadAll returns every row up to the last with a value, blank rows
// included, so rows[i] is the spreadsheet's row i+1.
func ReadAll(name string, r io.Reader, opts Options) ([][]string, error) {
	var rows [][]string
	err := Read(name, r, opts, func(row Row) error {
		for len(rows) < row.Number-1 {
			rows = append(rows, nil)
		}
		rows = append(rows, row.Cells)
		return nil
	})
	return rows, err
}

// counter applies the row, column, cell and size limits as rows come.
type counter struct {
	lim   Limits
	cells int
}

func (c *counter) row(n int) error {
	if n > c.lim.Rows {
		return &LimitError{What: "rows", Limit: int64(c.lim.Rows)}
	}
	return nil
}

func (c *counter) cell(col int, value string) error {
	if col > c.lim.Columns {
		return &LimitError{What: "columns", Limit: int64(c.lim.Columns)}
	}
	if value == "" {
		return nil
	}
	c.cells++
	if c.cells > c.lim.Cells {
		return &LimitError{What: "cells with a value", Limit: int64(c.lim.Cells)}
	}
	if len(value) > c.lim.CellRunes && len([]rune(value)) > c.lim.CellRunes {
		return &LimitError{What: "characters in a cell", Limit: int64(c.lim.CellRunes)}
	}
	return nil
}

func blank(cells []string) bool {
	for _, v := range cells {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
