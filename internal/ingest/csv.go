package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// table is a CSV file read after its header row, its columns known by
// their lower-case names.
type table struct {
	cr  *csv.Reader
	col map[string]int
}

// openTable reads the header row. The separator is the one of , ; or tab
// that makes a column of one of keys appear in it (',' when none does).
func openTable(r io.Reader, keys ...string) (*table, error) {
	br := bufio.NewReader(r)
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	line, _, _ := strings.Cut(string(first), "\n")
	cr := csv.NewReader(br)
	cr.Comma = ','
	for _, sep := range []rune{',', ';', '\t'} {
		cols := headerCols(line, sep)
		if slices.ContainsFunc(keys, func(k string) bool { return slices.Contains(cols, k) }) {
			cr.Comma = sep
			break
		}
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &rowError{row: 1, reason: "unreadable header: " + csvReason(err)}
	}
	t := &table{cr: cr, col: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if _, dup := t.col[h]; !dup {
			t.col[h] = i
		}
	}
	return t, nil
}

// alias lets a column be found by another name too.
func (t *table) alias(name, other string) {
	if _, ok := t.col[name]; !ok {
		if i, ok := t.col[other]; ok {
			t.col[name] = i
		}
	}
}

func (t *table) has(name string) bool {
	_, ok := t.col[name]
	return ok
}

// each calls f for every record that is not blank, with the row it
// starts on and its cells by column name.
func (t *table) each(f func(row int, cell func(name string) string) error) error {
	for {
		rec, err := t.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		row := csvRow(t.cr, rec, err)
		if err != nil {
			return &rowError{row: row, reason: csvReason(err)}
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		cell := func(name string) string {
			if i, ok := t.col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if err := f(row, cell); err != nil {
			return err
		}
	}
}

// rowError is a CSV file that cannot be read at a row.
type rowError struct {
	row    int
	reason string
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %s", e.row, e.reason) }

// asParseError names the format in a CSV reading error.
func asParseError(f Format, err error) error {
	var re *rowError
	if errors.As(err, &re) {
		return parseErr(f, fmt.Sprintf("row %d", re.row), "%s", re.reason)
	}
	return err
}

// csvRow is the line a record (or the error reading it) starts on.
func csvRow(cr *csv.Reader, rec []string, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	if len(rec) == 0 {
		return 0
	}
	line, _ := cr.FieldPos(0)
	return line
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("malformed CSV at column %d: %s", pe.Column, pe.Err)
	}
	return err.Error()
}

func headerCols(line string, sep rune) []string {
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = sep
	r.LazyQuotes = true
	cols, err := r.Read()
	if err != nil {
		return nil
	}
	for i, c := range cols {
		cols[i] = strings.ToLower(strings.TrimSpace(c))
	}
	return cols
}
