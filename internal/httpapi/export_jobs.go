package httpapi

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

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
		c.JSON(http.StatusAccepted, h.jobJSON(st))
	}
}

// jobJSON is an export being prepared, and where to take its file.
type jobJSON struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	State      string     `json:"state"`
	Bytes      int64      `json:"bytes"`
	Error      string     `json:"error"`
	FileName   string     `json:"file_name"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	ExpectedMS int64      `json:"expected_ms"`
	FileURL    string     `json:"file_url"`
}

type jobOne struct {
	Job jobJSON `json:"job"`
}

func (h exportHandlers) jobJSON(st exportjobs.Status) jobOne {
	return jobOne{Job: jobJSON{ID: st.ID, Kind: st.Kind, State: st.State, Bytes: st.Bytes, Error: st.Error,
		FileName: st.FileName, StartedAt: st.StartedAt, FinishedAt: st.FinishedAt,
		ExpectedMS: st.Expected.Milliseconds(),
		FileURL:    engagementURL(st.Engagement) + "/jobs/" + st.ID + "/file"}}
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
	c.JSON(http.StatusOK, h.jobJSON(st))
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
