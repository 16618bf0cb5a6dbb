package httpapi

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
)

// query reads URL query parameters strictly: unknown or repeated names and
// malformed values are collected and reported together as one 400.
type query struct {
	values url.Values
	fields map[string]string
}

func newQuery(values url.Values, allowed ...string) *query {
	q := &query{values: values, fields: map[string]string{}}
	known := map[string]bool{}
	for _, a := range allowed {
		known[a] = true
	}
	for name, vs := range values {
		switch {
		case !known[name]:
			q.fields[name] = "unknown parameter"
		case len(vs) > 1:
			q.fields[name] = "given more than once"
		}
	}
	return q
}

// str returns a text parameter, refusing one longer than maxLen characters.
func (q *query) str(name string, maxLen int) string {
	v := q.values.Get(name)
	if len([]rune(v)) > maxLen {
		q.fields[name] = fmt.Sprintf("at most %d characters", maxLen)
		return ""
	}
	return v
}

// integer returns an integer parameter within [lo, hi], or def when absent.
// Only plain digits (and a minus) count: strconv also takes "+5", which a
// client should not come to rely on.
func (q *query) integer(name string, def, lo, hi int) int {
	v := q.values.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || strings.HasPrefix(v, "+") || n < lo || n > hi {
		q.fields[name] = fmt.Sprintf("must be a whole number from %d to %d", lo, hi)
		return def
	}
	return n
}

func (q *query) err() error {
	if len(q.fields) == 0 {
		return nil
	}
	return apperr.Invalid("invalid query parameters", q.fields)
}

// date returns a YYYY-MM-DD parameter, or "" when absent.
func (q *query) date(name string) string {
	v := q.values.Get(name)
	if v == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		q.fields[name] = "must be a date such as 2026-03-31"
		return ""
	}
	return v
}

// oneOf returns a parameter that must be one of the allowed values, or "".
func (q *query) oneOf(name string, allowed []string) string {
	v := q.values.Get(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.fields[name] = "must be one of " + strings.Join(allowed, ", ")
		return ""
	}
	return v
}

// boolean returns a true/false parameter; absent is false.
func (q *query) boolean(name string) bool {
	switch q.values.Get(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	q.fields[name] = "must be true or false"
	return false
}

// strictQuery refuses an API request whose query string does not parse,
// naming the parameter: url.Values drops a pair it cannot read (one with
// a ";", or a bad %-escape) without a word, so a filter would silently
// not apply.
func strictQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
			return
		}
		if fields := queryProblems(c.Request.URL.RawQuery); len(fields) > 0 {
			fail(c, apperr.Invalid("the query string does not parse: separate parameters with & and percent-encode the rest", fields))
		}
	}
}

func queryProblems(raw string) map[string]string {
	fields := map[string]string{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		key, nameErr := url.QueryUnescape(name)
		if nameErr != nil {
			key = name
		}
		if i := strings.IndexByte(key, ';'); i >= 0 {
			key = key[:i]
		}
		_, valueErr := url.QueryUnescape(value)
		switch {
		case strings.Contains(pair, ";"):
			fields[key] = `contains ";": separate parameters with & (or write %3B)`
		case nameErr != nil:
			fields[key] = "the name is not percent-encoded correctly"
		case valueErr != nil:
			fields[key] = "the value is not percent-encoded correctly"
		}
	}
	return fields
}
