// Package apperr is the small vocabulary of failures that domain packages
// return and the HTTP layer turns into status codes, so that no handler
// decides a status on its own.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what went wrong from the caller's point of view.
type Kind int

const (
	KindInternal     Kind = iota
	KindInvalid           // the request is malformed or breaks a rule: 400
	KindNotFound          // the addressed object does not exist: 404
	KindConflict          // the request clashes with the current state: 409
	KindUnauthorized      // no valid session or token: 401
	KindForbidden         // authenticated, but not allowed: 403
	KindTooMany           // rate limited: 429
	KindTooLarge          // the body is over its limit: 413
	KindUnsupported       // wrong content type: 415
	KindUnavailable       // the server cannot take it now; retry later: 503
	KindTimeout           // the request body did not arrive in time: 408
	KindStale             // the object changed since the version the client named (If-Match): 412
)

// Error is a failure a person can act on: a stable code, a message, and for
// invalid input the offending fields.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter, when set, tells the client how long to wait before trying
	// again (the Retry-After header of a 429 or 503).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Invalid reports bad input; fields maps each offending field to its reason.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_request", Message: message, Fields: fields}
}

// NotFound reports a missing object, e.g. NotFound("framework %q not found", id).
func NotFound(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a clash with the current state.
func Conflict(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: "conflict", Message: fmt.Sprintf(format, args...)}
}

// Stale reports a write refused because the object is no longer at the
// version the writer read: saving it would overwrite someone's change.
func Stale(format string, args ...any) *Error {
	return &Error{Kind: KindStale, Code: "version_mismatch", Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports an action the caller's role or token may not take.
func Forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Code: "forbidden", Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
