// Package exports writes what auditors take away: workbooks, CSV files and
// evidence packages. Every user- or catalog-supplied string that reaches a
// cell or a CSV field goes through Neutralize first.
package exports

import "strings"

// formulaStart holds the characters a spreadsheet reads a formula from
// when a value starts with them.
const formulaStart = "=+-@\t\r"

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
	if strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// neutralizeField is Neutralize for a CSV field, which a spreadsheet may
// split at any separator it is set to (",", ";", tab) or at a line break
// when it reads the file with another separator than it was written
// with: every place where a piece could start, after a separator or line
// break and any spaces, gets the same quote before a formula character.
func neutralizeField(s string) string {
	s = Neutralize(s)
	if !strings.ContainsAny(s, ",;\t\n\r") {
		return s
	}
	var b strings.Builder
	afterBreak := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if afterBreak && strings.IndexByte(formulaStart, c) >= 0 && c != '\t' && c != '\r' {
			b.WriteByte('\'')
			afterBreak = false
		}
		b.WriteByte(c)
		switch {
		case strings.IndexByte(",;\t\n\r", c) >= 0:
			afterBreak = true
		case c != ' ':
			afterBreak = false
		}
	}
	return b.String()
}
