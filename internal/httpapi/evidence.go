package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

type evidenceJSON struct {
	ID           int64     `json:"id"`
	Kind         string    `json:"kind"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	URL          string    `json:"url"`
	Note         string    `json:"note"`
	CollectedOn  *string   `json:"collected_on"`
	CoversFrom   *string   `json:"covers_from"`
	CoversTo     *string   `json:"covers_to"`
	AsOf         *string   `json:"as_of"`
	ExpiresOn    *string   `json:"expires_on"`
	Status       string    `json:"status" enum:"evidence_status"`
	SourceSystem string    `json:"source_system"`
	ProvidedBy   string    `json:"provided_by"`
	Controls     string    `json:"controls"`
	Revisions    int       `json:"revisions"`
	FileName     string    `json:"file_name"`
	FileSize     int64     `json:"file_size"`
	SHA256       string    `json:"sha256"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"` // the ETag's value: send it back as If-Match
}

// expiryWarning is how far ahead "expiring" looks in lists.
const expiryWarning = 30 * 24 * time.Hour

func toEvidenceJSON(r evidence.Row, now time.Time) evidenceJSON {
	e := r.Evidence
	return evidenceJSON{ID: e.ID, Kind: e.Kind, Title: e.Title, Description: e.Description, URL: e.URL,
		Note: e.Note, CollectedOn: e.CollectedOn, CoversFrom: e.CoversFrom, CoversTo: e.CoversTo, AsOf: e.AsOf,
		ExpiresOn: e.ExpiresOn, SourceSystem: e.SourceSystem, ProvidedBy: e.ProvidedBy,
		Status:   evidence.Status(e.ExpiresOn, now.Format(time.DateOnly), now.Add(expiryWarning).Format(time.DateOnly)),
		Controls: r.ControlRefs, Revisions: r.Revisions, FileName: r.LatestName, FileSize: r.LatestSize,
		SHA256: r.LatestSHA256, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

type revisionJSON struct {
	Revision   int       `json:"revision"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	MediaType  string    `json:"media_type"`
	FileName   string    `json:"file_name"`
	UploadedAt time.Time `json:"uploaded_at"`
}

func toRevisionJSON(f store.EvidenceFile) revisionJSON {
	return revisionJSON{Revision: f.Revision, SHA256: f.SHA256, Size: f.Size, MediaType: f.MediaType,
		FileName: evidence.SafeName(f.OriginalName), UploadedAt: f.UploadedAt}
}

// metaJSON is evidence metadata in a JSON request.
type metaJSON struct {
	Title        *string  `json:"title"`
	Description  *string  `json:"description"`
	CollectedOn  *string  `json:"collected_on"`
	CoversFrom   *string  `json:"covers_from"`
	CoversTo     *string  `json:"covers_to"`
	AsOf         *string  `json:"as_of"`
	ExpiresOn    *string  `json:"expires_on"`
	SourceSystem *string  `json:"source_system"`
	ProvidedBy   *string  `json:"provided_by"`
	ControlIDs   *[]int64 `json:"control_ids"`
}

func (m metaJSON) meta() evidence.Meta {
	return evidence.Meta{Title: m.Title, Description: m.Description, CollectedOn: m.CollectedOn,
		CoversFrom: m.CoversFrom, CoversTo: m.CoversTo, AsOf: m.AsOf, ExpiresOn: m.ExpiresOn,
		SourceSystem: m.SourceSystem, ProvidedBy: m.ProvidedBy, ControlIDs: m.ControlIDs}
}

// evidenceList is a page of the evidence library.
type evidenceList struct {
	Evidence []evidenceJSON `json:"evidence"`
	Total    int64          `json:"total"`
	Limit    int            `json:"limit"`
	Offset   int            `json:"offset"`
}

// evidenceOne answers a change to one piece of evidence.
type evidenceOne struct {
	Evidence evidenceJSON `json:"evidence"`
}

// evidenceDetail is evidence with the controls it supports and its file's revisions.
type evidenceDetail struct {
	Evidence  evidenceJSON     `json:"evidence"`
	Controls  []controlRefJSON `json:"controls"`
	Revisions []revisionJSON   `json:"revisions"`
}

// evidenceBody is a link or a note sent as JSON; files come as multipart forms.
type evidenceBody struct {
	metaJSON
	Kind string `json:"kind"`
	URL  string `json:"url"`
	Note string `json:"note"`
}

type evidenceHandlers struct{ svc *evidence.Service }

func (h evidenceHandlers) list(c *gin.Context) {
	q := newQuery(c)
	f := evidence.Filter{
		ControlID: int64(q.integer("control_id", 0, 1, 1<<31)),
		Kind:      q.oneOf("kind", []string{"file", "link", "note"}),
		Text:      q.str("q", 200),
		Sort:      q.oneOf("sort", evidence.SortKeys()),
		Limit:     q.integer("limit", 100, 1, maxPageSize),
		Offset:    q.integer("offset", 0, 0, 100_000_000),
		Deleted:   q.boolean("deleted"),
	}
	if f.Deleted && !principal(c).Can(auth.ManageProgram) {
		fail(c, apperr.Forbidden("only compliance and administrators see deleted evidence, to restore it"))
		return
	}
	if q.has("expiring_days") {
		f.Expiring, f.ExpiringDays = true, q.integer("expiring_days", 30, 0, 3650)
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := h.svc.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	now := time.Now().UTC()
	out := make([]evidenceJSON, len(rows))
	for i, r := range rows {
		out[i] = toEvidenceJSON(r, now)
	}
	c.JSON(http.StatusOK, evidenceList{Evidence: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

func (h evidenceHandlers) get(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	body, v, err := h.detail(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(http.StatusOK, body)
}

// detail is evidence as GET /evidence/:id shows it, with its version.
func (h evidenceHandlers) detail(c *gin.Context, id int64) (any, int64, error) {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	revs := make([]revisionJSON, len(d.Revisions))
	for i, f := range d.Revisions {
		revs[i] = toRevisionJSON(f)
	}
	ctls := make([]controlRefJSON, len(d.Controls))
	for i, ctl := range d.Controls {
		ctls[i] = controlRefJSON{ID: ctl.ID, Ref: ctl.Ref, Title: ctl.Title}
	}
	return evidenceDetail{Evidence: toEvidenceJSON(d.Row, time.Now().UTC()), Controls: ctls, Revisions: revs}, d.Evidence.Version, nil
}

// evidenceUsage is where the engagements use one evidence item.
type evidenceUsage struct {
	ReliedOn []evidence.Reliance  `json:"relied_on"`
	Windows  []evidence.WindowUse `json:"windows"`
}

type revisionOne struct {
	Revision revisionJSON `json:"revision"`
}

// reasonBody is why something is deleted, for the audit trail.
type reasonBody struct {
	Reason string `json:"reason"`
}

// usage is where the engagements use the evidence: the conclusions that
// rely on it and the occurrence windows it was attached to.
func (h evidenceHandlers) usage(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	relied, windows, err := h.svc.Usage(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, evidenceUsage{ReliedOn: relied, Windows: windows})
}

// create takes a link or note as JSON, or a file as multipart/form-data
// (metadata fields first, the file part last).
func (h evidenceHandlers) create(c *gin.Context) {
	// Anything but a well-formed multipart type is JSON, or bindJSON's 415.
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err == nil && mt == "multipart/form-data" {
		h.createFile(c)
		return
	}
	var b evidenceBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	e, err := h.svc.CreateOther(c.Request.Context(), principal(c), b.Kind, b.URL, b.Note, b.meta())
	if err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, e.ID)
}

func (h evidenceHandlers) respond(c *gin.Context, status int, id int64) {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, d.Evidence.Version)
	c.JSON(status, evidenceOne{Evidence: toEvidenceJSON(d.Row, time.Now().UTC())})
}

// formOverhead is room for the multipart framing and metadata fields on
// top of the file size limit.
const formOverhead = 1 << 20

func (h evidenceHandlers) upload() uploadLimit {
	return uploadLimit{what: "file", limit: h.svc.MaxUpload, body: h.svc.MaxUpload + formOverhead}
}

var evidenceFields = map[string]bool{"title": true, "description": true, "collected_on": true, "covers_from": true,
	"covers_to": true, "as_of": true, "expires_on": true, "source_system": true, "provided_by": true, "control_ids": true}

// nextFilePart reads the allowed form fields until the part named "file".
// A field given twice is refused rather than one of its values silently
// winning; the file part must be the last (see filePart).
func nextFilePart(mr *multipart.Reader, allowed map[string]bool) (map[string]string, *filePart, error) {
	values := map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return values, nil, apperr.Invalid("the request has no file part", map[string]string{"file": "missing"})
		}
		if err != nil {
			return values, nil, partError(err)
		}
		name := part.FormName()
		if name == "file" {
			return values, &filePart{Part: part, mr: mr}, nil
		}
		if name == "" {
			return values, nil, apperr.Invalid(`a part has no form name; send the file as the part named "file"`, nil)
		}
		if !allowed[name] {
			return values, nil, apperr.Invalid("unknown form field", map[string]string{name: "unknown field"})
		}
		if _, dup := values[name]; dup {
			return values, nil, apperr.Invalid("a form field is given more than once", map[string]string{name: "given more than once"})
		}
		v, err := io.ReadAll(io.LimitReader(part, 64<<10+1))
		if err != nil {
			return values, nil, err
		}
		if len(v) > 64<<10 {
			return values, nil, apperr.Invalid("a form field is too long", map[string]string{name: "at most 64 KiB"})
		}
		values[name] = string(v)
	}
}

// partError says what is wrong with a multipart body that stopped
// parsing: over the limit and too slow pass through, the rest is a 400.
func partError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || isTimeout(err) {
		return err
	}
	return apperr.Invalid("the multipart body is malformed: "+err.Error(), nil)
}

// filePart is the file part of a form. Reading it to the end also checks
// that nothing follows it, before the caller keeps the file: a second
// file or a field after the file would otherwise be dropped unseen.
type filePart struct {
	*multipart.Part
	mr  *multipart.Reader
	err error // once the end is reached, what every later read returns
}

func (f *filePart) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err // sticky: a reader that peeks may drop the first one
	}
	n, err := f.Part.Read(p)
	if !errors.Is(err, io.EOF) {
		return n, err
	}
	f.err = f.afterFile()
	return n, f.err
}

// afterFile is io.EOF when the form ends with the file, else the 400.
func (f *filePart) afterFile() error {
	next, err := f.mr.NextPart()
	switch {
	case errors.Is(err, io.EOF):
		return io.EOF
	case err != nil:
		return partError(err)
	case next.FormName() == "file":
		return apperr.Invalid("a form field is given more than once", map[string]string{"file": "given more than once"})
	}
	name := next.FormName()
	if name == "" {
		name = "(a part without a name)"
	}
	return apperr.Invalid(`the file part must come last; send the form fields before it`,
		map[string]string{name: "after the file part"})
}

func metaFromForm(v map[string]string) (evidence.Meta, error) {
	opt := func(name string) *string {
		if s, ok := v[name]; ok {
			return &s
		}
		return nil
	}
	m := evidence.Meta{Title: opt("title"), Description: opt("description"), CollectedOn: opt("collected_on"),
		CoversFrom: opt("covers_from"), CoversTo: opt("covers_to"), AsOf: opt("as_of"), ExpiresOn: opt("expires_on"),
		SourceSystem: opt("source_system"), ProvidedBy: opt("provided_by")}
	if s, ok := v["control_ids"]; ok {
		ids := []int64{}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil || id < 1 {
				return m, apperr.Invalid("bad control ID", map[string]string{"control_ids": "comma-separated control IDs, e.g. 3,7"})
			}
			ids = append(ids, id)
		}
		m.ControlIDs = &ids
	}
	return m, nil
}

func (h evidenceHandlers) createFile(c *gin.Context) {
	up := h.upload()
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	values, part, err := nextFilePart(mr, evidenceFields)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	meta, err := metaFromForm(values)
	if err != nil {
		fail(c, err)
		return
	}
	e, err := h.svc.CreateFile(c.Request.Context(), principal(c), meta, func() (evidence.Upload, error) {
		return evidence.Upload{Name: part.FileName(), MediaType: part.Header.Get("Content-Type"), Body: part}, nil
	})
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	h.respond(c, http.StatusCreated, e.ID)
}

func (h evidenceHandlers) addRevision(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	up := h.upload()
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	values, part, err := nextFilePart(mr, nil)
	if err == nil && len(values) > 0 {
		err = apperr.Invalid("a new revision takes only the file part", nil)
	}
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	f, err := h.svc.AddRevision(c.Request.Context(), principal(c), id,
		evidence.Upload{Name: part.FileName(), MediaType: part.Header.Get("Content-Type"), Body: part})
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	c.JSON(http.StatusCreated, revisionOne{Revision: toRevisionJSON(f)})
}

func (h evidenceHandlers) update(c *gin.Context) {
	var b metaJSON
	id, ok := idAndBody(c, &b)
	if !ok {
		return
	}
	m := b.meta()
	if m.IfVersion, ok = ifMatchOrFail(c); !ok {
		return
	}
	if _, err := h.svc.Update(c.Request.Context(), principal(c), id, m); err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.detail(c, id) })
		return
	}
	h.respond(c, http.StatusOK, id)
}

func (h evidenceHandlers) remove(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	reason, err := deleteReason(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.Delete(c.Request.Context(), principal(c), id, reason); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// deleteReason is the reason given for a deletion: ?reason=… or a JSON
// body {"reason": "…"}, whichever the client sends.
func deleteReason(c *gin.Context) (string, error) {
	q := newQuery(c)
	reason := q.str("reason", 2000)
	if err := q.err(); err != nil {
		return "", err
	}
	if c.Request.ContentLength == 0 {
		return reason, nil
	}
	var b reasonBody
	if err := bindJSON(c, &b); err != nil {
		return "", err
	}
	if reason != "" && b.Reason != "" {
		return "", apperr.Invalid("give the reason once", map[string]string{"reason": "given in the query and the body"})
	}
	return reason + b.Reason, nil
}

// restore brings deleted evidence back (compliance and admins, for 30 days).
func (h evidenceHandlers) restore(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := h.svc.Restore(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, id)
}

// downloadName bounds the name offered to the browser; the full original
// name stays in the metadata.
func downloadName(name string) string {
	name = evidence.SafeName(name) // also for names stored before it dropped format characters
	if r := []rune(name); len(r) > 120 {
		return string(r[:120])
	}
	return name
}

// download sends the exact stored bytes as an attachment with the stored
// media type; nosniff and a sandbox policy keep a browser from running it.
func (h evidenceHandlers) download(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	serveEvidenceFile(c, h.svc, id)
}

// serveEvidenceFile answers with a revision (?revision=, else the latest)
// of a file evidence item, as an attachment that no browser renders.
func serveEvidenceFile(c *gin.Context, svc *evidence.Service, id int64) {
	q := newQuery(c)
	rev := q.integer("revision", 0, 1, 1_000_000)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	f, file, err := svc.Download(c.Request.Context(), id, rev)
	if err != nil {
		fail(c, err)
		return
	}
	defer file.Close()
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", f.MediaType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": downloadName(f.OriginalName)})
	if disposition == "" {
		disposition = fmt.Sprintf(`attachment; filename="evidence-%d"`, id)
	}
	hdr.Set("Content-Disposition", disposition)
	hdr.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "private, no-store")
	hdr.Set("X-Content-SHA256", f.SHA256)
	http.ServeContent(c.Writer, c.Request, "", f.UploadedAt, file)
}
