package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
)

// errorBody is the one JSON shape of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func writeError(c *gin.Context, status int, code, message string, fields map[string]string) {
	c.AbortWithStatusJSON(status, errorBody{errorDetail{Code: code, Message: message, Fields: fields}})
}

var statusOf = map[apperr.Kind]int{
	apperr.KindInvalid:      http.StatusBadRequest,
	apperr.KindNotFound:     http.StatusNotFound,
	apperr.KindConflict:     http.StatusConflict,
	apperr.KindUnauthorized: http.StatusUnauthorized,
	apperr.KindForbidden:    http.StatusForbidden,
	apperr.KindTooMany:      http.StatusTooManyRequests,
	apperr.KindTooLarge:     http.StatusRequestEntityTooLarge,
	apperr.KindUnsupported:  http.StatusUnsupportedMediaType,
	apperr.KindUnavailable:  http.StatusServiceUnavailable,
	apperr.KindTimeout:      http.StatusRequestTimeout,
	apperr.KindStale:        http.StatusPreconditionFailed,
}

// errorMapper answers the last error a handler recorded with c.Error. Only
// domain errors (apperr) reach the client as they are; anything else is
// logged and answered with a generic 500.
func errorMapper(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		if e, ok := apperr.As(err); ok && e.Kind != apperr.KindInternal {
			if e.RetryAfter > 0 {
				c.Header("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
			}
			writeError(c, statusOf[e.Kind], e.Code, e.Message, e.Fields)
			return
		}
		if errors.Is(err, context.Canceled) {
			c.AbortWithStatus(499) // the client left; nobody reads the answer
			return
		}
		log.Error("request failed", "request_id", c.GetString("request_id"), "error", err)
		writeError(c, http.StatusInternalServerError, "internal", "internal error; see the server log", nil)
	}
}

// fail records err for errorMapper and stops the handler chain.
func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}
