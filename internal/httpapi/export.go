package httpapi

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/version"
)

// exportHandlers writes workbooks to a temporary file under the data
// directory, then streams it, at most two at a time: a workbook of a large
// programme takes memory and CPU, and a third request waits its turn.
type exportHandlers struct {
	svc   *engagement.Service
	db    *store.DB
	blobs *blob.Store
	dir   string
	slots chan struct{}
}

func newExportHandlers(svc *engagement.Service, db *store.DB, blobs *blob.Store, dir string) exportHandlers {
	return exportHandlers{svc: svc, db: db, blobs: blobs, dir: dir, slots: make(chan struct{}, 2)}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// slot waits for one of the two export slots; release it when done.
func (h exportHandlers) slot(c *gin.Context) (release func(), ok bool) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, true
	case <-c.Request.Context().Done():
		return nil, false
	}
}

// buildWorkbook writes the engagement's workbook to a temporary file under
// the data directory and returns it open at its start; the caller removes it.
func (h exportHandlers) buildWorkbook(ctx context.Context, id int64) (*os.File, exports.Written, error) {
	summary, tables, err := h.svc.Workbook(ctx, id, version.Version)
	if err != nil {
		return nil, exports.Written{}, err
	}
	if err := os.MkdirAll(h.dir, 0o750); err != nil {
		return nil, exports.Written{}, err
	}
	tmp, err := os.CreateTemp(h.dir, "workbook-*.xlsx")
	if err != nil {
		return nil, exports.Written{}, err
	}
	written, err := exports.WriteWorkbook(tmp, summary, tables)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, written, err
	}
	return tmp, written, nil
}

func (h exportHandlers) record(ctx context.Context, id int64, what string, shortened int) error {
	return auditlog.Record(ctx, h.db, auditlog.Event{Action: "engagement.export", ObjectType: "engagement",
		ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"export": {After: what},
			"shortened_cells": {After: shortened}}})
}

func (h exportHandlers) attachment(c *gin.Context, id int64, suffix, contentType string) error {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		return err
	}
	name := strings.Trim(unsafeName.ReplaceAllString(d.Name, "-"), "-")
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", contentType)
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "socmap-" + name + suffix}))
	hdr.Set("Cache-Control", "private, no-store")
	return nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (h exportHandlers) workbook(c *gin.Context) {
	id, err := engagementHandlers{svc: h.svc}.engagementID(c)
	if err != nil {
		fail(c, err)
		return
	}
	release, ok := h.slot(c)
	if !ok {
		fail(c, c.Request.Context().Err())
		return
	}
	defer release()
	ctx := c.Request.Context()
	tmp, written, err := h.buildWorkbook(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	info, err := tmp.Stat()
	if err == nil {
		err = h.record(ctx, id, "workbook", len(written.Shortened))
	}
	if err == nil {
		err = h.attachment(c, id, ".xlsx", xlsxType)
	}
	if err != nil {
		fail(c, err)
		return
	}
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), tmp)
}

// evidencePackage streams a ZIP: the workbook, every evidence file of the
// engagement's controls as <control ref>/<evidence id>-<name>, and a
// manifest.sha256 that `sha256sum -c` checks.
func (h exportHandlers) evidencePackage(c *gin.Context) {
	id, err := engagementHandlers{svc: h.svc}.engagementID(c)
	if err != nil {
		fail(c, err)
		return
	}
	release, ok := h.slot(c)
	if !ok {
		fail(c, c.Request.Context().Err())
		return
	}
	defer release()
	ctx := c.Request.Context()
	entries, err := h.svc.PackageEntries(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	tmp, written, err := h.buildWorkbook(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	files := []exports.PackageFile{{Path: "workbook.xlsx", Open: func() (io.ReadCloser, error) { return io.NopCloser(tmp), nil }}}
	for _, e := range entries {
		sha := e.SHA256
		files = append(files, exports.PackageFile{
			Path:   exports.SafePath(e.ControlRef, fmt.Sprintf("%d-%s", e.EvidenceID, e.Name)),
			SHA256: sha,
			Open:   func() (io.ReadCloser, error) { return h.blobs.Open(sha) },
		})
	}
	if err := h.record(ctx, id, "evidence package", len(written.Shortened)); err != nil {
		fail(c, err)
		return
	}
	if err := h.attachment(c, id, "-evidence.zip", "application/zip"); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusOK)
	if err := exports.WritePackage(c.Writer, files, time.Now().UTC()); err != nil {
		// The answer has started: cut it off so the client sees a broken download.
		panic(http.ErrAbortHandler)
	}
}

// csvTable answers one sheet of the workbook as CSV.
func (h exportHandlers) csvTable(sheet, suffix string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := engagementHandlers{svc: h.svc}.engagementID(c)
		if err != nil {
			fail(c, err)
			return
		}
		ctx := c.Request.Context()
		_, tables, err := h.svc.Workbook(ctx, id, version.Version)
		if err != nil {
			fail(c, err)
			return
		}
		for _, t := range tables {
			if t.Name != sheet {
				continue
			}
			if err := h.record(ctx, id, sheet+" CSV", 0); err != nil {
				fail(c, err)
				return
			}
			if err := h.attachment(c, id, suffix, "text/csv; charset=utf-8"); err != nil {
				fail(c, err)
				return
			}
			c.Status(http.StatusOK)
			if err := exports.WriteCSV(c.Writer, t); err != nil {
				panic(http.ErrAbortHandler)
			}
			return
		}
		fail(c, apperr.NotFound("no %s sheet", sheet))
	}
}
