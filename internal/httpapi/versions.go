package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Optimistic concurrency. Every editable resource has a version that each
// save bumps. Its GET answers with the version as a strong entity tag
// ("7"), and a PATCH or PUT that sends If-Match with it is refused with
// 412 and the current state when someone saved in between, so a stale
// form never overwrites another person's change. Requests without
// If-Match are applied to whatever is current, as before.

// etag is the entity tag of version v.
func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// setETag labels the answer with the version it shows.
func setETag(c *gin.Context, v int64) { c.Header("ETag", etag(v)) }

// ifMatch reads the If-Match header: nil when it is absent or "*" (any
// current version will do), else the version its one entity tag names.
// A weak tag (W/"7") is taken as its strong form: the tags socmap hands
// out are versions, never byte hashes. Anything else is a 400 naming the
// header, so a malformed precondition is never silently ignored.
func ifMatch(c *gin.Context) (*int64, error) {
	values := c.Request.Header.Values("If-Match")
	if len(values) == 0 {
		return nil, nil
	}
	h := strings.TrimSpace(strings.Join(values, ","))
	if h == "*" {
		return nil, nil
	}
	tag := strings.TrimPrefix(h, "W/")
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return nil, badIfMatch(h)
	}
	v, err := strconv.ParseInt(tag[1:len(tag)-1], 10, 64)
	if err != nil || v < 0 {
		return nil, badIfMatch(h)
	}
	return &v, nil
}

func badIfMatch(h string) error {
	if len(h) > 40 {
		h = h[:40] + "…"
	}
	return apperr.Invalid("If-Match must be one entity tag from this resource's ETag, such as \"3\"",
		map[string]string{"If-Match": strconv.Quote(h) + " is not an entity tag socmap gave out"})
}

// ifMatchOrFail is ifMatch for handlers: on a malformed header it answers
// the 400 and reports false.
func ifMatchOrFail(c *gin.Context) (*int64, bool) {
	v, err := ifMatch(c)
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return v, true
}

// currentState renders a resource as its GET does, with its version.
type currentState func() (body any, version int64, err error)

// staleBody is a 412: the error, and the resource as it is now.
type staleBody struct {
	Error   errorDetail `json:"error"`
	Current any         `json:"current"`
}

// failWrite answers a failed PATCH or PUT. A refusal because the resource
// moved on since the client's version is a 412 that carries the current
// state ("current", shaped like the GET answer, with its ETag), so the
// client can show what changed without a second request; every other
// error goes to the error mapper as usual.
func failWrite(c *gin.Context, err error, current currentState) {
	e, stale := apperr.As(err)
	if !stale || !store.IsStale(err) {
		fail(c, err)
		return
	}
	body, v, cerr := current()
	if cerr != nil {
		fail(c, cerr) // e.g. deleted meanwhile: 404
		return
	}
	setETag(c, v)
	c.AbortWithStatusJSON(http.StatusPreconditionFailed, staleBody{Error: errorDetail{Code: e.Code, Message: e.Message},
		Current: body})
}
