package httpapi

import (
	"fmt"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
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
	dir   string
	slots chan struct{}
}

func newExportHandlers(svc *engagement.Service, db *store.DB, dir string) exportHandlers {
	return exportHandlers{svc: svc, db: db, dir: dir, slots: make(chan struct{}, 2)}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (h exportHandlers) workbook(c *gin.Context) {
	eh := engagementHandlers{svc: h.svc}
	id, err := eh.engagementID(c)
	if err != nil {
		fail(c, err)
		return
	}
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	case <-c.Request.Context().Done():
		fail(c, c.Request.Context().Err())
		return
	}
	ctx := c.Request.Context()
	summary, tables, err := h.svc.Workbook(ctx, id, version.Version)
	if err != nil {
		fail(c, err)
		return
	}
	if err := os.MkdirAll(h.dir, 0o750); err != nil {
		fail(c, err)
		return
	}
	tmp, err := os.CreateTemp(h.dir, "workbook-*.xlsx")
	if err != nil {
		fail(c, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	written, err := exports.WriteWorkbook(tmp, summary, tables)
	if err != nil {
		fail(c, err)
		return
	}
	info, err := tmp.Stat()
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := tmp.Seek(0, 0); err != nil {
		fail(c, err)
		return
	}
	err = auditlog.Record(ctx, h.db, auditlog.Event{Action: "engagement.export", ObjectType: "engagement",
		ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"export": {After: "workbook"},
			"shortened_cells": {After: len(written.Shortened)}}})
	if err != nil {
		fail(c, err)
		return
	}
	d, err := h.svc.Get(ctx, id)
	if err != nil {
		fail(c, apperr.NotFound("engagement %d not found", id))
		return
	}
	name := strings.Trim(unsafeName.ReplaceAllString(d.Name, "-"), "-")
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "socmap-" + name + ".xlsx"}))
	hdr.Set("Cache-Control", "private, no-store")
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), tmp)
}
