package httpapi

import (
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/exportjobs"
	"github.com/socmap/socmap/internal/reporting"
	"github.com/socmap/socmap/internal/store"
)

// exportHandlers serve the auditor deliverables, at most two at a time
// across every instance sharing the database: a workbook of a large
// programme takes memory and CPU, and a third request waits its turn.
type exportHandlers struct {
	rep   reporting.Reporter
	slots *store.ExportSlots
	jobs  *exportjobs.Jobs // downloads prepared in the background
}

func newExportHandlers(rep reporting.Reporter) exportHandlers {
	return exportHandlers{rep: rep, slots: store.NewExportSlots(rep.DB), jobs: exportjobs.New(rep.TmpDir, exportjobs.TTL)}
}

// fileName is the download's name: the engagement's, made safe.
func fileName(engagementName, suffix string) string {
	return "socmap-" + strings.Trim(unsafeName.ReplaceAllString(engagementName, "-"), "-") + suffix
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// serve checks access, waits for a slot, sets the attachment headers and
// lets write stream the file. A failure after the first byte cuts the
// download off, so the client never keeps a truncated file as complete.
func (h exportHandlers) serve(suffix, contentType string, write func(c *gin.Context, id int64, w *countingWriter) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := engagementFrom(c)
		if err != nil {
			fail(c, err)
			return
		}
		release, err := h.slots.Acquire(c.Request.Context())
		if err != nil {
			fail(c, err)
			return
		}
		defer release()
		d, err := h.rep.Engagements.Get(c.Request.Context(), id)
		if err != nil {
			fail(c, err)
			return
		}
		hdr := c.Writer.Header()
		hdr.Set("Content-Type", contentType)
		hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName(d.Name, suffix)}))
		hdr.Set("Cache-Control", "private, no-store")
		w := &countingWriter{w: c.Writer}
		if err := write(c, id, w); err != nil {
			if w.n == 0 {
				hdr.Del("Content-Disposition")
				fail(c, err)
				return
			}
			panic(http.ErrAbortHandler)
		}
	}
}

// countingWriter knows whether anything reached the client yet.
type countingWriter struct {
	w io.Writer
	n int
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += n
	return n, err
}

// reporterFor writes for the caller: an auditor gets the whole
// workbook, the organisation's users only the samples already requested.
func (h exportHandlers) reporterFor(c *gin.Context) reporting.Reporter {
	if principal(c).Role() == auth.Auditor {
		return h.rep
	}
	return h.rep.ForOrganisation()
}

func (h exportHandlers) workbook() gin.HandlerFunc {
	return h.serve(".xlsx", xlsxType, func(c *gin.Context, id int64, w *countingWriter) error {
		return h.reporterFor(c).Workbook(c.Request.Context(), id, w)
	})
}

// requests serves the request list alone as XLSX.
func (h exportHandlers) requests() gin.HandlerFunc {
	return h.serve("-requests.xlsx", xlsxType, func(c *gin.Context, id int64, w *countingWriter) error {
		return h.rep.Requests(c.Request.Context(), id, w)
	})
}

func (h exportHandlers) evidencePackage() gin.HandlerFunc {
	return h.serve("-evidence.zip", "application/zip", func(c *gin.Context, id int64, w *countingWriter) error {
		return h.reporterFor(c).Package(c.Request.Context(), id, w)
	})
}

func (h exportHandlers) csv(sheet, suffix string) gin.HandlerFunc {
	return h.serve(suffix, "text/csv; charset=utf-8", func(c *gin.Context, id int64, w *countingWriter) error {
		return h.reporterFor(c).CSV(c.Request.Context(), id, sheet, w)
	})
}
