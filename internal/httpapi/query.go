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
// malformed values are collected and reported together as one 400. The
// names a route takes are those its description names (the Query of its
// bodies entry), so the two cannot differ: a handler that reads a name the
// description leaves out fails with a 500 naming it, which every API test
// of the route sees.
type query struct {
	values      url.Values
	fields      map[string]string
	allowed     map[string]bool
	undescribed []string
}

func newQuery(c *gin.Context) *query {
	q := &query{values: c.Request.URL.Query(), fields: map[string]string{},
		allowed: queryNames()[c.Request.Method+" "+c.FullPath()]}
	for name, vs := range q.values {
		switch {
		case !q.allowed[name]:
			q.fields[name] = "unknown parameter"
		case len(vs) > 1:
			q.fields[name] = "given more than once"
		}
	}
	return q
}

// get is a parameter's text as sent, "" when absent.
func (q *query) get(name string) string {
	if !q.allowed[name] {
		q.undescribed = append(q.undescribed, name)
		return ""
	}
	return q.values.Get(name)
}

// has reports whether the parameter was sent at all.
func (q *query) has(name string) bool { return q.get(name) != "" }

// str returns a text parameter, refusing one longer than maxLen characters.
func (q *query) str(name string, maxLen int) string {
	v := q.get(name)
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
	v := q.get(name)
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
	if len(q.undescribed) > 0 {
		return fmt.Errorf("the handler reads query parameters its route's description does not name: %s",
			strings.Join(q.undescribed, ", "))
	}
	if len(q.fields) == 0 {
		return nil
	}
	return apperr.Invalid("invalid query parameters", q.fields)
}

// date returns a YYYY-MM-DD parameter, or "" when absent.
func (q *query) date(name string) string {
	v := q.get(name)
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
	v := q.get(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.fields[name] = "must be one of " + strings.Join(allowed, ", ")
		return ""
	}
	return v
}

// boolean returns a true/false parameter; absent is false.
func (q *query) boolean(name string) bool {
	switch q.get(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	q.fields[name] = "must be true or false"
	return false
}

// describedQuery refuses, on every API route, a query parameter the
// route's description does not name: a handler that reads no query would
// otherwise answer as if the parameter had not been sent.
func describedQuery(c *gin.Context) {
	allowed := queryNames()[c.Request.Method+" "+c.FullPath()]
	fields := map[string]string{}
	for name := range c.Request.URL.Query() {
		if !allowed[name] {
			fields[name] = "unknown parameter"
		}
	}
	if len(fields) > 0 {
		fail(c, apperr.Invalid("invalid query parameters", fields))
	}
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
