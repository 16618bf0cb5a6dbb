package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// readCSV reads comma-, semicolon- or tab-separated text (the separator
// is detected), with or without a UTF-8 byte-order mark.
func readCSV(data []byte, c *counter, fn func(Row) error) error {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	// Quotes are strict: read lazily, one unclosed quote would swallow the
	// rest of the file into one field without a word.
	number, nextLine := 0, 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &FormatError{Reason: "not valid CSV: " + pe.Error()}
			}
			return err
		}
		// A spreadsheet shows an empty line as an empty row, and a
		// quoted line break does not start a new one.
		line, _ := cr.FieldPos(0)
		number += 1 + max(line-nextLine, 0)
		nextLine = line + 1
		for _, f := range rec {
			nextLine += strings.Count(f, "\n")
		}
		if err := c.row(number); err != nil {
			return err
		}
		for i, v := range rec {
			if err := c.cell(i+1, v); err != nil {
				return err
			}
		}
		if !blank(rec) {
			if err := fn(Row{Number: number, Cells: rec}); err != nil {
				return err
			}
		}
	}
}

// separator picks ',', ';' or tab: the one that splits the first lines
// into the same number of fields (more than one) most often, so a
// description with commas in a semicolon file does not mislead it.
func separator(data []byte) rune {
	sample := data[:min(len(data), 64<<10)]
	best, bestScore := ',', 0
	for _, sep := range []rune{',', ';', '\t'} {
		cr := csv.NewReader(bytes.NewReader(sample))
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = sep, -1, true
		counts := map[int]int{}
		for i := 0; i < 50; i++ {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		score := 0
		for fields, n := range counts {
			score = max(score, n*1000+fields)
		}
		if score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}
