package httpapi

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/exportjobs"
	"github.com/socmap/socmap/internal/reporting"
)

// A download prepared as a job: POST …/workbook/jobs (or …/package/jobs)
// starts it and answers at once; GET …/jobs/:job says how far it has got;
// GET …/jobs/:job/file hands over the file once, which is then removed.
// Whoever may download the file directly may start a job; only they see it.

// writeFor writes one kind of file as the given reporter sees it.
type writeFor func(rep reporting.Reporter, ctx context.Context, id int64, w io.Writer) error

func (h exportHandlers) startJob(kind, suffix, contentType string, write writeFor) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := engagementFrom(c)
		if err != nil {
			fail(c, err)
			return
		}
		d, err := h.rep.Engagements.Get(c.Request.Context(), id)
		if err != nil {
			fail(c, err)
			return
		}
		rep := h.reporterFor(c) // decided now, by who asks
		st, err := h.jobs.Start(c.Request.Context(), exportjobs.Spec{Owner: principal(c).User.ID, Engagement: id, Kind: kind,
			FileName: fileName(d.Name, suffix), ContentType: contentType,
			Write: func(ctx context.Context, w io.Writer) error {
				release, err := h.slots.Acquire(ctx)
				if err != nil {
					return err
				}
				defer release()
				return write(rep, ctx, id, w)
			}})
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusAccepted, gin.H{"job": h.jobJSON(st)})
	}
}

func (h exportHandlers) jobJSON(st exportjobs.Status) gin.H {
	return gin.H{"id": st.ID, "kind": st.Kind, "state": st.State, "bytes": st.Bytes, "error": st.Error,
		"file_name": st.FileName, "started_at": st.StartedAt, "finished_at": st.FinishedAt,
		"expected_ms": st.Expected.Milliseconds(),
		"file_url":    engagementURL(st.Engagement) + "/jobs/" + st.ID + "/file"}
}

func engagementURL(id int64) string { return fmt.Sprintf("/api/v1/engagements/%d", id) }

// jobOf reads the engagement and job of the path, for the caller alone.
func (h exportHandlers) jobOf(c *gin.Context) (int64, string, error) {
	id, err := engagementFrom(c)
	return id, c.Param("job"), err
}

func (h exportHandlers) getJob(c *gin.Context) {
	id, job, err := h.jobOf(c)
	if err != nil {
		fail(c, err)
		return
	}
	st, err := h.jobs.Get(principal(c).User.ID, id, job)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"job": h.jobJSON(st)})
}

func (h exportHandlers) jobFile(c *gin.Context) {
	id, job, err := h.jobOf(c)
	if err != nil {
		fail(c, err)
		return
	}
	f, st, err := h.jobs.Take(principal(c).User.ID, id, job)
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", st.ContentType)
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": st.FileName}))
	hdr.Set("Cache-Control", "private, no-store")
	if fi, err := f.Stat(); err == nil {
		c.DataFromReader(http.StatusOK, fi.Size(), st.ContentType, f, nil)
		return
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, f); err != nil {
		panic(http.ErrAbortHandler)
	}
}

func (h exportHandlers) workbookJob() gin.HandlerFunc {
	return h.startJob("workbook", ".xlsx", xlsxType, reporting.Reporter.Workbook)
}

func (h exportHandlers) packageJob() gin.HandlerFunc {
	return h.startJob("package", "-evidence.zip", "application/zip", reporting.Reporter.Package)
}
