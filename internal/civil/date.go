// Package civil is a date without a time of day or a time zone: an as-of
// date, a period bound, a due date. It is parsed once where it enters the
// product (JSON, a query parameter, a database column) and compared and
// counted as a date from then on, so no code re-parses "YYYY-MM-DD" strings.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day. The zero value is "no date"; it is written as
// JSON null and as SQL NULL.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Parse reads a YYYY-MM-DD date; anything else (a time, a 31 February) is
// an error.
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (expected YYYY-MM-DD)", s)
	}
	return Of(t), nil
}

// MustParse is Parse for constants in tests and tables; it panics on a
// malformed date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of is the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Today is the date now in loc (the organisation's time zone).
func Today(loc *time.Location) Date { return Of(time.Now().In(loc)) }

// IsZero reports whether d is the zero value ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// String is YYYY-MM-DD, or "" for the zero value.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time is midnight at the start of d in UTC.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// In is midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays is d moved by n days (negative n moves back).
func (d Date) AddDays(n int) Date { return Of(d.Time().AddDate(0, 0, n)) }

// AddMonths is d moved by n calendar months, normalised the way time.AddDate
// is (31 January + 1 month is 3 March); callers that need "the same day or
// the month's last day" clamp themselves.
func (d Date) AddMonths(n int) Date { return Of(d.Time().AddDate(0, n, 0)) }

// DaysSince is the number of days from e to d (positive when d is later).
func (d Date) DaysSince(e Date) int { return int(d.Time().Sub(e.Time()).Hours() / 24) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Before, After and Compare order dates.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }
func (d Date) After(e Date) bool  { return d.Compare(e) > 0 }
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero value.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date is a string YYYY-MM-DD")
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores the date as YYYY-MM-DD text (NULL for the zero value), the
// same on SQLite and PostgreSQL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column: text, bytes, or a time from drivers that
// convert DATE columns themselves.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Of(v.UTC())
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("civil.Date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	if len(s) > len(time.DateOnly) { // "2026-03-01T00:00:00Z" from a timestamp column
		s = s[:len(time.DateOnly)]
	}
	p, err := Parse(s)
	if err != nil {
		return fmt.Errorf("civil.Date: %w", err)
	}
	*d = p
	return nil
}
