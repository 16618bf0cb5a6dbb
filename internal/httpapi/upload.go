package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/tabular"
)

// uploadLimit is a multipart upload of one kind of file, bounded in size.
type uploadLimit struct {
	what  string // what people are told is too big, e.g. "population file"
	limit int64  // the file's own limit
	body  int64  // what the whole body may hold: the file plus form framing
}

func (u uploadLimit) tooLarge() error {
	return &apperr.Error{Kind: apperr.KindTooLarge, Code: "file_too_large",
		Message: fmt.Sprintf("the %s is larger than the %d MiB limit", u.what, u.limit>>20)}
}

// open refuses a declared size over the limit before reading anything,
// bounds what will be read, and returns a reader over the parts.
func (u uploadLimit) open(c *gin.Context) (*multipart.Reader, error) {
	if c.Request.ContentLength > u.body {
		return nil, u.tooLarge()
	}
	uploadRate(c)
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, u.body)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, apperr.Invalid("send the "+u.what+" as multipart/form-data with a file part: "+err.Error(), nil)
	}
	return mr, nil
}

// fail turns a failure to read the body into a 4xx: over the limit is a
// 413, a cut-off body a 400. Anything else is passed on as it is.
func (u uploadLimit) fail(err error) error {
	var tooBig *http.MaxBytesError
	var overLimit *tabular.LimitError
	switch {
	case errors.As(err, &tooBig):
		return u.tooLarge()
	case errors.As(err, &overLimit):
		return &apperr.Error{Kind: apperr.KindTooLarge, Code: "file_too_large",
			Message: "the " + u.what + " cannot be read: " + overLimit.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalid("the upload was cut off or malformed; send it again", nil)
	}
	return err
}

// onlyFile opens a multipart body that holds one file and no fields, as
// an import sends it: the file's safe name and its part. When it answers
// false the error has been sent.
func (u uploadLimit) onlyFile(c *gin.Context) (string, *filePart, bool) {
	mr, err := u.open(c)
	if err != nil {
		fail(c, err)
		return "", nil, false
	}
	_, part, err := nextFilePart(mr, nil)
	if err != nil {
		fail(c, u.fail(err))
		return "", nil, false
	}
	return evidence.SafeName(part.FileName()), part, true
}
