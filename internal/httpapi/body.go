package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
)

// maxJSONBody bounds every JSON request body; uploads have their own limit.
const maxJSONBody = 1 << 20

// bindJSON decodes a JSON request body strictly: the right content type,
// at most maxJSONBody bytes, no unknown fields, one value only.
func bindJSON(c *gin.Context, v any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return &apperr.Error{Kind: apperr.KindUnsupported, Code: "unsupported_media_type",
			Message: "send the body as JSON with Content-Type: application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case isTimeout(err):
			return err
		case errors.As(err, &tooBig):
			return &apperr.Error{Kind: apperr.KindTooLarge, Code: "body_too_large",
				Message: fmt.Sprintf("the request body is larger than %d bytes", maxJSONBody)}
		case errors.As(err, &typeErr):
			return apperr.Invalid("a field has the wrong type",
				map[string]string{typeErr.Field: "must be a " + typeErr.Type.String()})
		case errors.Is(err, io.EOF):
			return apperr.Invalid("the request body is empty; send a JSON object", nil)
		default:
			return apperr.Invalid("the request body is not valid JSON: "+err.Error(), nil)
		}
	}
	if dec.More() {
		return apperr.Invalid("the request body holds more than one JSON value", nil)
	}
	return nil
}

// idAndBody reads the "id" path parameter and the JSON body, answering
// the error itself when either is bad.
func idAndBody(c *gin.Context, body any) (int64, bool) {
	id, err := pathID(c, "id")
	if err == nil {
		err = bindJSON(c, body)
	}
	if err != nil {
		fail(c, err)
		return 0, false
	}
	return id, true
}
