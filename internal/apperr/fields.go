package apperr

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Fields collects why each field of a request is invalid, so one answer
// can name every problem at once. The setters copy a valid value into
// place and leave dst unchanged when v is nil (not given).
type Fields map[string]string

// Text trims v and stores it if it has at most max characters.
func (f Fields) Text(name string, v *string, dst *string, max int) {
	if v == nil {
		return
	}
	t := strings.TrimSpace(*v)
	if n := utf8.RuneCountInString(t); n > max {
		f[name] = fmt.Sprintf("at most %d characters (this is %d)", max, n)
		return
	}
	*dst = t
}

// Choice stores v if it is one of allowed.
func (f Fields) Choice(name string, v *string, dst *string, allowed []string) {
	if v == nil {
		return
	}
	if !slices.Contains(allowed, *v) {
		f[name] = "must be one of " + strings.Join(allowed, ", ")
		return
	}
	*dst = *v
}

// Date stores a YYYY-MM-DD date; "" clears it.
func (f Fields) Date(name string, v *string, dst **string) {
	if v == nil {
		return
	}
	if *v == "" {
		*dst = nil
		return
	}
	if _, err := time.Parse(time.DateOnly, *v); err != nil {
		f[name] = "must be a date such as 2026-03-31"
		return
	}
	d := *v
	*dst = &d
}

// Require reports an empty value as missing, unless the field already has
// a problem.
func (f Fields) Require(name, value string) {
	if value == "" && f[name] == "" {
		f[name] = "required"
	}
}

// Err is an Invalid error with message, or nil when every field is valid.
func (f Fields) Err(message string) error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(message, f)
}
