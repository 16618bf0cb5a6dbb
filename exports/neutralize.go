// Package exports writes what auditors take away: workbooks, CSV files and
// evidence packages. Every user- or catalog-supplied string that reaches a
// cell or a CSV field goes through Neutralize first.
package exports

import "strings"

// Neutralize makes a string safe to put in a spreadsheet cell or CSV field:
// NUL bytes are removed (no spreadsheet can store them, and a leading NUL
// could hide what follows), then a value that a spreadsheet would read as a
// formula (leading =, +, -, @) or that starts with a tab or carriage return
// is prefixed with a single quote, which spreadsheets show as text.
func Neutralize(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
