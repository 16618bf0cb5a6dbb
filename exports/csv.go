package exports

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"
)

// WriteCSV writes a table as RFC 4180 CSV in UTF-8 with a header row.
// Every field passes Neutralize; dates are written as YYYY-MM-DD.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 line breaks
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Neutralize(c.Header)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	err := t.Each(func(row []any) error {
		for i := range t.Columns {
			rec[i] = ""
			if i < len(row) {
				rec[i] = Neutralize(csvValue(row[i]))
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format(time.DateOnly)
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case *int64:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprint(v)
}
