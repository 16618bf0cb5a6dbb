package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/requests"
	"github.com/socmap/socmap/internal/store"
)

// requestHandlers serve an engagement's request list. The engagement gate
// has already checked an auditor's grant.
type requestHandlers struct {
	svc *requests.Service
	ev  *evidence.Service
}

type requestBody struct {
	Type        *string             `json:"type"`
	Phase       *string             `json:"phase"`
	Description *string             `json:"description"`
	OwnerEmail  *string             `json:"owner_email"`
	DueOn       *string             `json:"due_on"`
	AuditorRef  *string             `json:"auditor_ref"`
	ControlIDs  *[]int64            `json:"control_ids"`
	SampleItems *[]requests.ItemRef `json:"sample_items"`
}

func (b requestBody) input() requests.Input {
	return requests.Input{Kind: b.Type, Phase: b.Phase, Description: b.Description, OwnerEmail: b.OwnerEmail,
		DueOn: b.DueOn, AuditorRef: b.AuditorRef, ControlIDs: b.ControlIDs, SampleItems: b.SampleItems}
}

// target reads the engagement and the request number from the path.
func (h requestHandlers) target(c *gin.Context) (int64, int, error) {
	id, err := engagementFrom(c)
	if err != nil {
		return 0, 0, err
	}
	n, ok := requests.ParseRef(c.Param("request"))
	if !ok {
		return 0, 0, apperr.Invalid("invalid request in the path", map[string]string{"request": "a request ID such as REQ-001"})
	}
	return id, n, nil
}

func (h requestHandlers) list(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	f := store.RequestFilter{EngagementID: id, Status: q.oneOf("status", requests.Statuses),
		OwnerID: int64(q.integer("owner_id", 0, 1, 1<<31)), Kind: q.oneOf("type", requests.Kinds),
		ControlID: int64(q.integer("control_id", 0, 1, 1<<31))}
	limit, offset := q.integer("limit", 100, 1, maxPageSize), q.integer("offset", 0, 0, 100_000_000)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	list, total, err := h.svc.Page(c.Request.Context(), f, limit, offset)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, requestPage{Requests: requestsOf(list), Total: total, Limit: limit, Offset: offset})
}

func (h requestHandlers) create(c *gin.Context) {
	var b requestBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	d, err := h.svc.Create(c.Request.Context(), principal(c), id, b.input(), nil)
	h.answer(c, http.StatusCreated, d, err)
}

func (h requestHandlers) get(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	d, err := h.svc.Get(c.Request.Context(), id, n)
	h.answer(c, http.StatusOK, d, err)
}

func (h requestHandlers) update(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b requestBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	in := b.input()
	var ok bool
	if in.IfVersion, ok = ifMatchOrFail(c); !ok {
		return
	}
	d, err := h.svc.Update(c.Request.Context(), id, n, in)
	if err != nil {
		failWrite(c, err, h.current(c, id, n))
		return
	}
	h.answer(c, http.StatusOK, d, nil)
}

// current is the request as its GET renders it, for a 412.
func (h requestHandlers) current(c *gin.Context, id int64, n int) currentState {
	return func() (any, int64, error) {
		d, err := h.svc.Get(c.Request.Context(), id, n)
		return requestOne{Request: requestJSON(d)}, d.Version, err
	}
}

func (h requestHandlers) answer(c *gin.Context, status int, d requests.Detail, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, d.Version)
	c.JSON(status, requestOne{Request: requestJSON(d)})
}

func (h requestHandlers) accept(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	if c.Request.ContentLength != 0 { // the body is optional: nothing to say but yes
		if err := bindJSON(c, &emptyBody{}); err != nil {
			fail(c, err)
			return
		}
	}
	d, err := h.svc.Accept(c.Request.Context(), id, n)
	h.answer(c, http.StatusOK, d, err)
}

func (h requestHandlers) sendBack(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b reasonBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	d, err := h.svc.Return(c.Request.Context(), id, n, b.Reason)
	h.answer(c, http.StatusOK, d, err)
}

func isMultipart(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// submit attaches existing evidence (JSON {"evidence_ids","note"}) or a new
// upload (multipart: evidence fields and a note, then the file) and
// submits the request, in one step.
func (h requestHandlers) submit(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	ctx, p := c.Request.Context(), principal(c)
	if !isMultipart(c) {
		var b requestSubmitBody
		if err := bindJSON(c, &b); err != nil {
			fail(c, err)
			return
		}
		d, err := h.svc.Submit(ctx, p, id, n, b.EvidenceIDs, b.Note)
		h.answer(c, http.StatusOK, d, err)
		return
	}
	r, err := h.svc.CheckSubmit(ctx, p, id, n)
	if err != nil {
		fail(c, err)
		return
	}
	controls, err := h.svc.UploadControls(ctx, p, r)
	if err != nil {
		fail(c, err)
		return
	}
	up := evidenceHandlers{svc: h.ev}.upload()
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	values, part, err := nextFilePart(mr, submitFields)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	note := values["note"]
	delete(values, "note")
	meta, err := metaFromForm(values)
	if err != nil {
		fail(c, err)
		return
	}
	if meta.Title == nil || strings.TrimSpace(*meta.Title) == "" {
		t := requests.Ref(n) + ": " + evidence.SafeName(part.FileName())
		meta.Title = &t
	}
	meta.ControlIDs = &controls
	e, err := h.ev.CreateFile(ctx, p, meta, func() (evidence.Upload, error) {
		return evidence.Upload{Name: part.FileName(), MediaType: part.Header.Get("Content-Type"), Body: part}, nil
	})
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	d, err := h.svc.Submit(ctx, p, id, n, []int64{e.ID}, note)
	h.answer(c, http.StatusOK, d, err)
}

var submitFields = map[string]bool{"title": true, "description": true, "collected_on": true, "covers_from": true,
	"covers_to": true, "as_of": true, "expires_on": true, "source_system": true, "provided_by": true, "note": true}

// comment adds to the thread: JSON {"body"}, or multipart with a body
// field and any number of file parts.
func (h requestHandlers) comment(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	ctx, p := c.Request.Context(), principal(c)
	if !isMultipart(c) {
		var b requestCommentBody
		if err := bindJSON(c, &b); err != nil {
			fail(c, err)
			return
		}
		d, err := h.svc.Comment(ctx, p, id, n, b.Body, nil)
		h.answer(c, http.StatusCreated, d, err)
		return
	}
	if _, err := h.svc.CheckComment(ctx, p, id, n); err != nil {
		fail(c, err)
		return
	}
	up := evidenceHandlers{svc: h.ev}.upload()
	up.what = "attachment"
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	body, files, err := h.commentParts(c, mr)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	d, err := h.svc.Comment(ctx, p, id, n, body, files)
	h.answer(c, http.StatusCreated, d, err)
}

// maxCommentFiles bounds the attachments of one comment.
const maxCommentFiles = 10

func (h requestHandlers) commentParts(c *gin.Context, mr *multipart.Reader) (string, []store.RequestCommentFile, error) {
	values, first, err := nextFilePart(mr, map[string]bool{"body": true})
	if err != nil {
		return "", nil, err
	}
	// Several file parts may follow the fields, so they are read here one
	// by one rather than as the single last part filePart expects.
	part := first.Part
	var files []store.RequestCommentFile
	for part != nil {
		if part.FormName() != "file" {
			return "", nil, apperr.Invalid("after the files only more files may follow", map[string]string{part.FormName(): "unexpected field"})
		}
		if len(files) == maxCommentFiles {
			return "", nil, apperr.Invalid("too many attachments", map[string]string{"file": fmt.Sprintf("at most %d files", maxCommentFiles)})
		}
		f, err := h.ev.StoreFile(c.Request.Context(), evidence.Upload{Name: part.FileName(), MediaType: part.Header.Get("Content-Type"), Body: part})
		if err != nil {
			return "", nil, err
		}
		files = append(files, store.RequestCommentFile{SHA256: f.SHA256, Size: f.Size, MediaType: f.MediaType, OriginalName: f.OriginalName})
		part, err = mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, partError(err)
		}
	}
	return values["body"], files, nil
}

// file answers an attachment of the thread, as an attachment no browser renders.
func (h requestHandlers) file(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	fileID, err := pathID(c, "file")
	if err != nil {
		fail(c, err)
		return
	}
	f, err := h.svc.CommentFile(c.Request.Context(), id, n, fileID)
	if err != nil {
		fail(c, err)
		return
	}
	obj, err := h.ev.OpenFile(c.Request.Context(), f.SHA256)
	if err != nil {
		fail(c, fmt.Errorf("attachment %d: stored file missing: %w", f.ID, err))
		return
	}
	defer obj.Close()
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", f.MediaType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": downloadName(f.OriginalName)})
	if disposition == "" {
		disposition = fmt.Sprintf(`attachment; filename="attachment-%d"`, f.ID)
	}
	hdr.Set("Content-Disposition", disposition)
	hdr.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hdr.Set("Cache-Control", "private, no-store")
	hdr.Set("X-Content-SHA256", f.SHA256)
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, obj)
}

// generate adds the requests that follow from the engagement and are not
// there yet.
func (h requestHandlers) generate(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	if c.Request.ContentLength != 0 { // the body is optional
		if err := bindJSON(c, &emptyBody{}); err != nil {
			fail(c, err)
			return
		}
	}
	list, err := h.svc.Generate(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, requestsGenerated{Created: requestsOf(list)})
}

// mine lists, across engagements, the open and returned requests the
// caller owes: those they own or about a control they own.
func (h requestHandlers) mine(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.List(c.Request.Context(), store.RequestFilter{OwnedBy: principal(c).User.ID, Statuses: []string{"open", "returned"}})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, requestsOwed{Requests: requestsOf(list)})
}

// maxRequestList bounds an audit firm's request list file.
const maxRequestList = 16 << 20

// importList reads an audit firm's request list: a dry run unless
// ?apply=true, which writes every row or none.
func (h requestHandlers) importList(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	apply := q.boolean("apply")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	up := uploadLimit{what: "request list", limit: maxRequestList, body: maxRequestList + formOverhead}
	name, part, ok := up.onlyFile(c)
	if !ok {
		return
	}
	plan, err := h.svc.Import(c.Request.Context(), principal(c), id, name, part, apply)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	status := http.StatusOK
	if apply && !plan.Applied {
		status = http.StatusBadRequest // nothing was changed: fix the problems listed
	}
	c.JSON(status, importAnswer[requests.ImportPlan]{Plan: plan})
}

func (h requestHandlers) remove(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	if err := h.svc.Delete(c.Request.Context(), id, n, v); err != nil {
		failWrite(c, err, h.current(c, id, n))
		return
	}
	c.Status(http.StatusNoContent)
}

// undoBody names the step of the request's history to take back: the
// last one, as the caller saw it, so an undo never takes back someone
// else's later change.
type undoBody struct {
	Transition int64 `json:"transition"`
}

// undo takes back the request's last submission, acceptance or return.
func (h requestHandlers) undo(c *gin.Context) {
	id, n, err := h.target(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b undoBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if b.Transition <= 0 {
		fail(c, apperr.Invalid("say which transition to undo", map[string]string{"transition": "required: the id of the request's last history entry"}))
		return
	}
	d, err := h.svc.Undo(c.Request.Context(), principal(c), id, n, b.Transition)
	h.answer(c, http.StatusOK, d, err)
}
