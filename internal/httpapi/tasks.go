package httpapi

import (
	"bytes"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/tasks"
	"github.com/socmap/socmap/internal/version"
)

type taskJSON struct {
	ID             int64                 `json:"id"`
	Kind           string                `json:"kind" enum:"task_kind"`
	Title          string                `json:"title"`
	Description    string                `json:"description"`
	State          string                `json:"state" enum:"task_state"`
	ControlID      *int64                `json:"control_id"`
	ControlRef     string                `json:"control_ref"`
	EvidenceID     *int64                `json:"evidence_id"`
	OwnerID        *int64                `json:"owner_id"`
	OwnerEmail     string                `json:"owner_email"`
	WindowLabel    string                `json:"window_label"`
	WindowStart    *string               `json:"window_start"`
	WindowEnd      *string               `json:"window_end"`
	OpensOn        string                `json:"opens_on"`
	DueOn          string                `json:"due_on"`
	DoneAt         *time.Time            `json:"done_at"`
	DoneVia        string                `json:"done_via"`
	DoneEvidenceID *int64                `json:"done_evidence_id"`
	NotApplicable  bool                  `json:"not_applicable"`
	NAReason       string                `json:"na_reason"`
	Engagements    []tasks.EngagementRef `json:"engagements"`
	Version        int64                 `json:"version"` // the ETag's value: send it back as If-Match
}

func toTaskJSON(r tasks.Row) taskJSON {
	return taskJSON{ID: r.ID, Kind: r.Kind, Title: r.Title, Description: r.Description, State: r.State,
		ControlID: r.ControlID, ControlRef: r.ControlRef, EvidenceID: r.EvidenceID, OwnerID: r.OwnerID,
		OwnerEmail: r.OwnerEmail, WindowLabel: r.WindowLabel, WindowStart: r.WindowStart, WindowEnd: r.WindowEnd,
		OpensOn: r.OpensOn, DueOn: r.DueOn, DoneAt: r.DoneAt, DoneVia: r.DoneVia, DoneEvidenceID: r.DoneEvidenceID,
		NotApplicable: r.NotApplicable, NAReason: r.NaReason, Engagements: r.Engagements, Version: r.Version}
}

// taskList is a page of tasks, with the day "overdue" and "due" are counted from.
type taskList struct {
	Tasks  []taskJSON `json:"tasks"`
	Total  int64      `json:"total"`
	Limit  int        `json:"limit"`
	Offset int        `json:"offset"`
	Today  string     `json:"today"`
}

// taskCounts counts each owner's tasks by state.
type taskCounts struct {
	Owners []tasks.OwnerCounts `json:"owners"`
	Today  string              `json:"today"`
}

// feedStateJSON says whether the caller's calendar feed is live.
type feedStateJSON struct {
	Active    bool       `json:"active"`
	CreatedAt *time.Time `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// newFeedJSON is a new calendar feed's address, shown once.
type newFeedJSON struct {
	Path string `json:"path"`
	URL  string `json:"url"`
}

// taskBulkBody names the tasks and what to change on all of them.
type taskBulkBody struct {
	TaskIDs []int64 `json:"task_ids"`
	Change  *struct {
		OwnerID *int64 `json:"owner_id"`
	} `json:"change"`
}

// taskBulkJSON lists whom each changed task had before, for an undo.
type taskBulkJSON struct {
	Changed int                `json:"changed"`
	Before  []tasks.Assignment `json:"before"`
}

// outboxList is a page of digests without their bodies: a body is an
// owner's whole task list, read with GET /outbox/:id when opened.
type outboxList struct {
	Digests []tasks.DigestSummary `json:"digests"`
	Total   int64                 `json:"total"`
	Limit   int                   `json:"limit"`
	Offset  int                   `json:"offset"`
}

// digestOne is one digest with its body.
type digestOne struct {
	Digest tasks.Digest `json:"digest"`
}

// taskOne is one task.
type taskOne struct {
	Task taskJSON `json:"task"`
}

type taskHandlers struct{ svc *tasks.Service }

// filter reads the task filters. Someone who may not read the team's
// tasks sees their own, whatever they ask for.
func (h taskHandlers) filter(c *gin.Context, paged bool) (tasks.Filter, error) {
	q := newQuery(c)
	f := tasks.Filter{
		OwnerID:      int64(q.integer("owner_id", 0, 1, 1<<31)),
		ControlID:    int64(q.integer("control_id", 0, 1, 1<<31)),
		EngagementID: int64(q.integer("engagement_id", 0, 1, 1<<31)),
		Kind:         q.oneOf("kind", tasks.Kinds),
	}
	if paged {
		f.Limit, f.Offset = q.integer("limit", 100, 1, maxPageSize), q.integer("offset", 0, 0, 100_000_000)
	}
	if v := q.str("state", 100); v != "" {
		for _, s := range strings.Split(v, ",") {
			if !slices.Contains(tasks.States, s) {
				q.fields["state"] = "comma-separated states from " + strings.Join(tasks.States, ", ")
			}
			f.States = append(f.States, s)
		}
	}
	if p := principal(c); !p.Can(auth.ReadTeamTasks) {
		f.OwnerID = p.User.ID
	}
	return f, q.err()
}

func (h taskHandlers) list(c *gin.Context) {
	f, err := h.filter(c, true)
	if err != nil {
		fail(c, err)
		return
	}
	rows, total, err := h.svc.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]taskJSON, len(rows))
	for i, r := range rows {
		out[i] = toTaskJSON(r)
	}
	c.JSON(http.StatusOK, taskList{Tasks: out, Total: total, Limit: f.Limit, Offset: f.Offset, Today: h.svc.Today()})
}

func (h taskHandlers) counts(c *gin.Context) {
	f, err := h.filter(c, false)
	if err != nil {
		fail(c, err)
		return
	}
	owners, err := h.svc.Counts(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	if owners == nil {
		owners = []tasks.OwnerCounts{}
	}
	c.JSON(http.StatusOK, taskCounts{Owners: owners, Today: h.svc.Today()})
}

// get answers 404 for a task that is someone else's when the caller may
// only see their own, so task IDs reveal nothing.
func (h taskHandlers) get(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	body, v, err := h.visible(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(http.StatusOK, body)
}

// visible is a task as GET /tasks/:id shows it, with its version, if the
// caller may see it.
func (h taskHandlers) visible(c *gin.Context, id int64) (any, int64, error) {
	r, err := h.svc.Get(c.Request.Context(), id)
	if err == nil && !principal(c).Can(auth.ReadTeamTasks) && (r.OwnerID == nil || *r.OwnerID != principal(c).User.ID) {
		err = apperr.NotFound("no such task")
	}
	if err != nil {
		return nil, 0, err
	}
	return taskOne{Task: toTaskJSON(r)}, r.Version, nil
}

// adhocTaskBody is a task someone sets by hand.
type adhocTaskBody struct {
	Title        *string `json:"title"`
	Description  *string `json:"description"`
	OwnerID      *int64  `json:"owner_id"`
	DueOn        *string `json:"due_on"`
	ControlID    *int64  `json:"control_id"`
	EngagementID *int64  `json:"engagement_id"`
}

func (h taskHandlers) create(c *gin.Context) {
	var b adhocTaskBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	t, err := h.svc.CreateAdhoc(c.Request.Context(), principal(c).User.ID, tasks.AdhocInput{Title: b.Title,
		Description: b.Description, OwnerID: b.OwnerID, DueOn: b.DueOn, ControlID: b.ControlID, EngagementID: b.EngagementID})
	if err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, t.ID)
}

// bulk changes many tasks at once: today their owner, as one audited
// transaction. The answer lists whom each task had before, for an undo.
func (h taskHandlers) bulk(c *gin.Context) {
	var b taskBulkBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if b.Change == nil {
		fail(c, apperr.Invalid("say what to change", map[string]string{"change": "missing"}))
		return
	}
	before, err := h.svc.Reassign(c.Request.Context(), b.TaskIDs, b.Change.OwnerID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, taskBulkJSON{Changed: len(before), Before: nonNil(before)})
}

func (h taskHandlers) respond(c *gin.Context, status int, id int64) {
	r, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, r.Version)
	c.JSON(status, taskOne{Task: toTaskJSON(r)})
}

func (h taskHandlers) notApplicable(c *gin.Context) {
	var b reasonBody
	id, ok := idAndBody(c, &b)
	if !ok {
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	h.done(c, id, h.svc.SetNotApplicable(c.Request.Context(), principal(c), id, b.Reason, v))
}

func (h taskHandlers) complete(c *gin.Context) {
	id, v, err := h.action(c)
	if err == nil {
		err = h.svc.Complete(c.Request.Context(), principal(c), id, v)
	}
	h.done(c, id, err)
}

func (h taskHandlers) reopen(c *gin.Context) {
	id, v, err := h.action(c)
	if err == nil {
		err = h.svc.Reopen(c.Request.Context(), principal(c), id, v)
	}
	h.done(c, id, err)
}

// action reads the task an action is for and the version it was read at.
func (h taskHandlers) action(c *gin.Context) (int64, *int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, nil, err
	}
	v, err := ifMatch(c)
	return id, v, err
}

// done answers a task action with the task as it is now; a stale
// If-Match gets the task as it is now with the 412.
func (h taskHandlers) done(c *gin.Context, id int64, err error) {
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.visible(c, id) })
		return
	}
	h.respond(c, http.StatusOK, id)
}

// export serves the filtered task list as XLSX or CSV. It is built in
// memory first so a failure is still a clean JSON error.
func (h taskHandlers) export(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := h.filter(c, false)
		if err != nil {
			fail(c, err)
			return
		}
		var buf bytes.Buffer
		contentType := xlsxType
		if format == "csv" {
			contentType = "text/csv; charset=utf-8"
			err = h.svc.WriteCSV(c.Request.Context(), &buf, f)
		} else {
			err = h.svc.WriteWorkbook(c.Request.Context(), &buf, f, version.Version)
		}
		if err != nil {
			fail(c, err)
			return
		}
		name := "socmap-tasks-" + h.svc.Today() + "." + format
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		c.Header("Cache-Control", "private, no-store")
		c.Data(http.StatusOK, contentType, buf.Bytes())
	}
}

func (h taskHandlers) outbox(c *gin.Context) {
	q := newQuery(c)
	limit, offset := q.integer("limit", 50, 1, maxPageSize), q.integer("offset", 0, 0, 100_000_000)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	out, total, err := h.svc.Outbox(c.Request.Context(), limit, offset)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, outboxList{Digests: nonNil(out), Total: total, Limit: limit, Offset: offset})
}

func (h taskHandlers) outboxDigest(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	d, err := h.svc.OutboxDigest(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, digestOne{Digest: d})
}

// The calendar feed: its URL carries a secret token in the query string,
// which the access log leaves out.
const feedPath = "/api/v1/calendar.ics"

func (h taskHandlers) feedState(c *gin.Context) {
	f, err := h.svc.Feed(c.Request.Context(), principal(c).User.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, feedStateJSON{Active: f.CreatedAt != nil && f.RevokedAt == nil, CreatedAt: f.CreatedAt, RevokedAt: f.RevokedAt})
}

func (h taskHandlers) newFeed(c *gin.Context) {
	token, err := h.svc.NewFeed(c.Request.Context(), principal(c).User.ID)
	if err != nil {
		fail(c, err)
		return
	}
	path := feedPath + "?token=" + token
	c.JSON(http.StatusCreated, newFeedJSON{Path: path, URL: h.svc.Link(path)})
}

func (h taskHandlers) revokeFeed(c *gin.Context) {
	if err := h.svc.RevokeFeed(c.Request.Context(), principal(c).User.ID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h taskHandlers) calendar(c *gin.Context) {
	q := newQuery(c)
	token := q.str("token", 100)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := h.svc.WriteCalendar(c.Request.Context(), &buf, token); err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}
