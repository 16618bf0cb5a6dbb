package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
)

// Request bodies have read deadlines, so a client that sends headers and
// then stalls cannot hold a connection (and a goroutine, and for sign-in
// a hashing slot's queue) open for ever: any body must arrive within
// bodyDeadline, except an upload, which must instead keep uploadMinRate
// on average over every uploadWindow.
// They are variables only so that tests need not wait 30 seconds.
var (
	bodyDeadline        = 30 * time.Second
	uploadWindow        = 30 * time.Second
	uploadMinRate int64 = 8 << 10 // bytes per second
)

// deadlineBody enforces the deadlines on the connection while the body
// is read, and lifts them once it has been read to the end: net/http then
// watches the idle connection for the client going away, and a deadline
// left behind would cancel a long export's context.
type deadlineBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	upload   bool
	window   time.Time // start of the current upload window
	received int64     // bytes in the current window
	timedOut bool
}

const deadlineKey = "socmap.body"

// bodyDeadlines installs the deadline on every request that has a body.
// Without a connection to set it on (httptest) nothing changes.
func bodyDeadlines() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body == nil || c.Request.Body == http.NoBody {
			return
		}
		rc := http.NewResponseController(c.Writer)
		if err := rc.SetReadDeadline(time.Now().Add(bodyDeadline)); err != nil {
			return
		}
		b := &deadlineBody{ReadCloser: c.Request.Body, rc: rc}
		c.Request.Body = b
		c.Set(deadlineKey, b)
	}
}

// uploadRate switches the request's body to the upload rule.
func uploadRate(c *gin.Context) {
	if v, ok := c.Get(deadlineKey); ok {
		b := v.(*deadlineBody)
		b.upload, b.window, b.received = true, time.Now(), 0
	}
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.upload && n > 0 {
		b.received += int64(n)
		// A window that brought its share opens the next one.
		if b.received >= uploadMinRate*int64(uploadWindow)/int64(time.Second) {
			now := time.Now()
			b.window, b.received = now, 0
			if derr := b.rc.SetReadDeadline(now.Add(uploadWindow)); derr != nil {
				return n, derr
			}
		}
	}
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF):
		if derr := b.rc.SetReadDeadline(time.Time{}); derr != nil {
			return n, derr
		}
	case errors.As(err, &ne) && ne.Timeout():
		b.timedOut = true
		return n, b.timeoutError()
	}
	return n, err
}

// timeoutError is the 408 the caller sees; the connection is closed
// after it, since the rest of the body will not be read.
func (b *deadlineBody) timeoutError() error {
	msg := fmt.Sprintf("the request body did not arrive within %d seconds", int(bodyDeadline/time.Second))
	if b.upload {
		msg = fmt.Sprintf("the upload was slower than %d KiB/s over %d seconds; send it again on a faster connection",
			uploadMinRate>>10, int(uploadWindow/time.Second))
	}
	return &apperr.Error{Kind: apperr.KindTimeout, Code: "body_timeout", Message: msg}
}

// isTimeout reports whether err is a body read deadline passing.
func isTimeout(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.KindTimeout
}
