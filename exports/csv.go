package exports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/civil"
)

// bom makes Excel on Windows read the file as UTF-8.
const bom = "\uFEFF"

// WriteCSV writes a table as CSV for spreadsheets: UTF-8 with a byte-order
// mark, CRLF line breaks (RFC 4180), a header row, every text field
// quoted and neutralised (neutralizeField) so that no separator setting
// turns it into a formula; numbers and YYYY-MM-DD dates unquoted. The
// XLSX workbook stays the lossless format: a spreadsheet opening a CSV
// still reads "0012" as a number.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(bom); err != nil {
		return err
	}
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = quote(c.Header)
	}
	writeRecord(bw, header)
	rec := make([]string, len(t.Columns))
	err := t.Each(func(row []any) error {
		for i, col := range t.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			rec[i] = csvField(col, v)
		}
		writeRecord(bw, rec)
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func writeRecord(bw *bufio.Writer, fields []string) {
	// Errors stick in the bufio.Writer and come back from Flush.
	_, _ = bw.WriteString(strings.Join(fields, ","))
	_, _ = bw.WriteString("\r\n")
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(neutralizeField(s), `"`, `""`) + `"`
}

func csvField(col Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *string:
		if x == nil {
			return ""
		}
		return csvField(col, *x)
	case *int64:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	case int, int32, int64, uint, uint32, uint64, float32, float64:
		return fmt.Sprint(x)
	case Percent:
		return fmt.Sprintf("%g%%", float64(x)*100)
	case time.Time:
		return x.Format(time.DateOnly)
	case civil.Date:
		return x.String()
	case *civil.Date:
		if x == nil {
			return ""
		}
		return x.String()
	case string:
		if col.Kind == Date {
			if _, err := time.Parse(time.DateOnly, x); err == nil {
				return x
			}
		}
		if col.Words {
			x = Words(x)
		}
		return quote(x)
	}
	return quote(fmt.Sprint(v))
}
