package httpapi

import (
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/store"
)

type ingestHandlers struct {
	svc     *ingest.Service
	maxFile int64
}

type controlRefJSON struct {
	ID    int64  `json:"id"`
	Ref   string `json:"ref"`
	Title string `json:"title"`
}

func toControlRefs(refs []ingest.ControlRef) []controlRefJSON {
	out := make([]controlRefJSON, len(refs))
	for i, r := range refs {
		out[i] = controlRefJSON{ID: r.ID, Ref: r.Ref, Title: r.Title}
	}
	return out
}

type countsJSON struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"errored"`
	Skipped int `json:"skipped"`
}

type runJSON struct {
	ID              int64     `json:"id"`
	SourceID        int64     `json:"source_id"`
	Source          string    `json:"source"`
	ScanID          string    `json:"scan_id"`
	Format          string    `json:"format"`
	FormatVersion   string    `json:"format_version"`
	Tool            string    `json:"tool"`
	ToolVersion     string    `json:"tool_version"`
	Target          string    `json:"target"`
	ScannedAt       time.Time `json:"scanned_at"`
	EvidenceID      int64     `json:"evidence_id"`
	EvidenceDeleted bool      `json:"evidence_deleted"`
	countsJSON
	CreatedAt time.Time `json:"created_at"`
}

func toRunJSON(r store.IngestRun, source string, deleted bool) runJSON {
	return runJSON{ID: r.ID, SourceID: r.SourceID, Source: source, ScanID: r.ScanID, Format: r.Format, FormatVersion: r.FormatVersion,
		Tool: r.Tool, ToolVersion: r.ToolVersion, Target: r.Target, ScannedAt: r.ScannedAt, EvidenceID: r.EvidenceID,
		EvidenceDeleted: deleted, countsJSON: countsJSON{r.Passed, r.Failed, r.Errored, r.Skipped}, CreatedAt: r.CreatedAt}
}

type ingestedJSON struct {
	Created        bool             `json:"created"`
	Run            runJSON          `json:"run"`
	ControlsPassed []controlRefJSON `json:"controls_passed"`
	ControlsFailed []controlRefJSON `json:"controls_failed"`
	UnmappedChecks []string         `json:"unmapped_checks"`
}

// ingestFile takes scanner output as the raw request body (or the part
// named "file" of a multipart form) and answers 201 with the run, or 200
// with the run ingested before when the scan is known already.
func (h ingestHandlers) ingestFile(c *gin.Context) {
	q := newQuery(c)
	in := ingest.Input{Source: q.str("source", 100), ScanID: q.str("scan_id", 200), FileName: q.str("filename", 255)}
	if v := q.get("scanned_at"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			q.fields["scanned_at"] = "a date and time such as 2026-03-02T02:00:00Z"
		}
		in.ScannedAt = t
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	up := uploadLimit{what: "scan file", limit: h.maxFile, body: h.maxFile + formOverhead}
	if c.Request.ContentLength > up.body {
		fail(c, up.tooLarge())
		return
	}
	body, name, err := h.body(c, up)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	if in.FileName == "" {
		in.FileName = name
	}
	in.Body, in.By = body, &principal(c).User.ID
	out, err := h.svc.Ingest(c.Request.Context(), in)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	resp := ingestedJSON{Created: out.Created, Run: toRunJSON(out.Run, out.Source.Name, false), UnmappedChecks: out.Unmapped}
	passed, err := h.svc.ControlRefs(c.Request.Context(), out.Passed)
	if err != nil {
		fail(c, err)
		return
	}
	failed, err := h.svc.ControlRefs(c.Request.Context(), out.Failed)
	if err != nil {
		fail(c, err)
		return
	}
	resp.ControlsPassed, resp.ControlsFailed = toControlRefs(passed), toControlRefs(failed)
	if resp.UnmappedChecks == nil {
		resp.UnmappedChecks = []string{}
	}
	status := http.StatusCreated
	if !out.Created {
		status = http.StatusOK
	}
	c.JSON(status, resp)
}

// body is the file: the whole body, or the "file" part of a form.
func (h ingestHandlers) body(c *gin.Context, up uploadLimit) (io.Reader, string, error) {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "multipart/form-data" {
		uploadRate(c)
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, up.body)
		return c.Request.Body, "", nil
	}
	mr, err := up.open(c)
	if err != nil {
		return nil, "", err
	}
	_, part, err := nextFilePart(mr, nil)
	if err != nil {
		return nil, "", err
	}
	return part, part.FileName(), nil
}

type sourceJSON struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Tool          string     `json:"tool"`
	OwnerID       *int64     `json:"owner_id"`
	OwnerEmail    string     `json:"owner_email"`
	IntervalHours int        `json:"interval_hours"`
	LastScannedAt *time.Time `json:"last_scanned_at"`
	Runs          int        `json:"runs"`
	Stale         bool       `json:"stale"`
	StaleSince    *time.Time `json:"stale_since"`
}

type sourceList struct {
	Sources []sourceJSON `json:"sources"`
}

// sourcePatchBody changes the fields it names and leaves the rest.
type sourcePatchBody struct {
	IntervalHours *int   `json:"interval_hours"`
	OwnerID       *int64 `json:"owner_id"`
}

type runList struct {
	Runs   []runJSON `json:"runs"`
	Total  int64     `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
}

// runDetail is one run with its counts per check.
type runDetail struct {
	Run    runJSON        `json:"run"`
	Checks []runCheckJSON `json:"checks"`
}

type scanResultList struct {
	Results []scanResultJSON `json:"results"`
	Total   int64            `json:"total"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
}

type checkList struct {
	Checks []checkJSON `json:"checks"`
}

// ruleList is every mapping rule; after a change it also says how many
// rules the change created.
type ruleList struct {
	Rules   []ruleJSON `json:"rules"`
	Created *int       `json:"created,omitempty"`
}

type ruleBody struct {
	Pattern string `json:"pattern"`
	Control string `json:"control"`
	Note    string `json:"note"`
}

// historyJSON is a control's automated evidence over a span of days.
type historyJSON struct {
	ControlID int64             `json:"control_id"`
	Frequency string            `json:"frequency"`
	From      civil.Date        `json:"from"`
	To        civil.Date        `json:"to"`
	Checks    []mappedCheckJSON `json:"checks"`
	Runs      []historyRunJSON  `json:"runs"`
	Windows   []windowJSON      `json:"windows"`
}

func (h ingestHandlers) sources(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	rows, err := h.svc.Sources(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]sourceJSON, len(rows))
	for i, s := range rows {
		out[i] = sourceJSON{ID: s.ID, Name: s.Name, Tool: s.Tool, OwnerID: s.OwnerID, OwnerEmail: s.OwnerEmail,
			IntervalHours: s.IntervalHours, LastScannedAt: s.LastScannedAt, Runs: s.Runs, Stale: s.Stale}
		if s.Stale {
			out[i].StaleSince = &s.StaleSince
		}
	}
	c.JSON(http.StatusOK, sourceList{Sources: out})
}

func (h ingestHandlers) updateSource(c *gin.Context) {
	var b sourcePatchBody
	id, ok := idAndBody(c, &b)
	if !ok {
		return
	}
	if _, err := h.svc.UpdateSource(c.Request.Context(), id, ingest.SourceChange{IntervalHours: b.IntervalHours, OwnerID: b.OwnerID}); err != nil {
		fail(c, err)
		return
	}
	h.sources(c)
}

func (h ingestHandlers) runs(c *gin.Context) {
	q := newQuery(c)
	f := store.IngestRunFilter{SourceID: int64(q.integer("source_id", 0, 1, 1<<31)),
		Limit: q.integer("limit", 50, 1, maxPageSize), Offset: q.integer("offset", 0, 0, 100_000_000)}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := h.svc.Runs(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]runJSON, len(rows))
	for i, r := range rows {
		out[i] = toRunJSON(r.IngestRun, r.SourceName, r.EvidenceDeleted)
	}
	c.JSON(http.StatusOK, runList{Runs: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

type runCheckJSON struct {
	CheckID  string           `json:"check_id"`
	Title    string           `json:"title"`
	Controls []controlRefJSON `json:"controls"`
	Via      string           `json:"via"`
	countsJSON
}

func (h ingestHandlers) run(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	d, err := h.svc.Run(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	checks := make([]runCheckJSON, len(d.Checks))
	for i, rc := range d.Checks {
		n := rc.Counts
		checks[i] = runCheckJSON{CheckID: rc.CheckID, Title: rc.Title, Controls: toControlRefs(rc.Controls), Via: rc.Via,
			countsJSON: countsJSON{n.Passed, n.Failed, n.Errored, n.Skipped}}
	}
	c.JSON(http.StatusOK, runDetail{Run: toRunJSON(d.Run, d.Source.Name, false), Checks: checks})
}

type scanResultJSON struct {
	ID       int64  `json:"id"`
	RunID    int64  `json:"run_id"`
	CheckID  string `json:"check_id"`
	Status   string `json:"status"`
	Resource string `json:"resource"`
	Message  string `json:"message"`
}

func toResults(rows []store.IngestResult) []scanResultJSON {
	out := make([]scanResultJSON, len(rows))
	for i, r := range rows {
		out[i] = scanResultJSON{ID: r.ID, RunID: r.RunID, CheckID: r.CheckID, Status: r.Status, Resource: r.Resource, Message: r.Message}
	}
	return out
}

func statuses() []string {
	out := make([]string, len(ingest.Statuses))
	for i, s := range ingest.Statuses {
		out[i] = string(s)
	}
	return out
}

// results pages through a run's rows, filtered by status (a
// comma-separated list) and check.
func (h ingestHandlers) results(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	f := store.IngestResultFilter{RunIDs: []int64{id}, Limit: q.integer("limit", 100, 1, maxPageSize),
		Offset: q.integer("offset", 0, 0, 100_000_000)}
	if v := q.get("status"); v != "" {
		for _, s := range strings.Split(v, ",") {
			if !slices.Contains(statuses(), s) {
				q.fields["status"] = "a comma-separated list of " + strings.Join(statuses(), ", ")
			}
			f.Statuses = append(f.Statuses, s)
		}
	}
	if check := q.str("check_id", 300); check != "" {
		f.CheckIDs = []string{check}
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	if _, err := h.svc.Run(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := h.svc.Results(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, scanResultList{Results: toResults(rows), Total: total, Limit: f.Limit, Offset: f.Offset})
}

type checkJSON struct {
	CheckID    string           `json:"check_id"`
	Title      string           `json:"title"`
	Tool       string           `json:"tool"`
	LastSeenAt time.Time        `json:"last_seen_at"`
	Criteria   []string         `json:"criteria"`
	Controls   []controlRefJSON `json:"controls"`
	Via        string           `json:"via"`
	Latest     *countsJSON      `json:"latest"`
}

func (h ingestHandlers) checks(c *gin.Context) {
	q := newQuery(c)
	unmapped := q.boolean("unmapped")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rows, err := h.svc.Checks(c.Request.Context(), unmapped)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]checkJSON, len(rows))
	for i, r := range rows {
		out[i] = checkJSON{CheckID: r.CheckID, Title: r.Title, Tool: r.Tool, LastSeenAt: r.LastSeenAt, Criteria: r.Criteria,
			Controls: toControlRefs(r.Controls), Via: r.Via}
		if out[i].Criteria == nil {
			out[i].Criteria = []string{}
		}
		if n := r.Latest; n != nil {
			out[i].Latest = &countsJSON{n.Passed, n.Failed, n.Errored, n.Skipped}
		}
	}
	c.JSON(http.StatusOK, checkList{Checks: out})
}

type ruleJSON struct {
	ID           int64     `json:"id"`
	Pattern      string    `json:"pattern"`
	ControlID    int64     `json:"control_id"`
	ControlRef   string    `json:"control_ref"`
	ControlTitle string    `json:"control_title"`
	Note         string    `json:"note"`
	CreatedAt    time.Time `json:"created_at"`
}

func (h ingestHandlers) rules(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	h.listRules(c, http.StatusOK, -1)
}

func (h ingestHandlers) listRules(c *gin.Context, status, created int) {
	rows, err := h.svc.Rules(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]ruleJSON, len(rows))
	for i, r := range rows {
		out[i] = ruleJSON{ID: r.ID, Pattern: r.Pattern, ControlID: r.ControlID, ControlRef: r.ControlRef,
			ControlTitle: r.ControlTitle, Note: r.Note, CreatedAt: r.CreatedAt}
	}
	body := ruleList{Rules: out}
	if created >= 0 {
		body.Created = &created
	}
	c.JSON(status, body)
}

func (h ingestHandlers) createRule(c *gin.Context) {
	var b ruleBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	n, err := h.svc.CreateRules(c.Request.Context(), &principal(c).User.ID, []ingest.NewRule{{Pattern: b.Pattern, ControlRef: b.Control, Note: b.Note}})
	if err != nil {
		fail(c, err)
		return
	}
	if n == 0 {
		fail(c, apperr.Conflict("the rule %s → %s exists already", b.Pattern, b.Control))
		return
	}
	h.listRules(c, http.StatusCreated, n)
}

// maxRuleFile bounds an imported rule file.
const maxRuleFile = 1 << 20

// importRules takes a CSV file of rules (pattern,control,note) as the raw
// body or the "file" part of a form, all or nothing.
func (h ingestHandlers) importRules(c *gin.Context) {
	up := uploadLimit{what: "rule file", limit: maxRuleFile, body: maxRuleFile + formOverhead}
	if c.Request.ContentLength > up.body {
		fail(c, up.tooLarge())
		return
	}
	body, _, err := h.body(c, up)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	limited := &io.LimitedReader{R: body, N: maxRuleFile + 1}
	rules, err := ingest.ReadRules(limited)
	if err == nil && limited.N <= 0 {
		err = up.tooLarge()
	}
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	n, err := h.svc.CreateRules(c.Request.Context(), &principal(c).User.ID, rules)
	if err != nil {
		fail(c, err)
		return
	}
	h.listRules(c, http.StatusOK, n)
}

func (h ingestHandlers) deleteRule(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = h.svc.DeleteRule(c.Request.Context(), id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type windowJSON struct {
	Label       string     `json:"label"`
	Start       civil.Date `json:"start"`
	End         civil.Date `json:"end"`
	State       string     `json:"state"`
	PassingRuns int        `json:"passing_runs"`
	FailingRuns int        `json:"failing_runs"`
}

type historyRunJSON struct {
	RunID        int64            `json:"run_id"`
	SourceID     int64            `json:"source_id"`
	Source       string           `json:"source"`
	ScannedAt    time.Time        `json:"scanned_at"`
	EvidenceID   int64            `json:"evidence_id"`
	Outcome      string           `json:"outcome"`
	Failing      []scanResultJSON `json:"failing"`
	FailingTotal int64            `json:"failing_total"`
	countsJSON
}

type mappedCheckJSON struct {
	CheckID string `json:"check_id"`
	Title   string `json:"title"`
	Via     string `json:"via"`
}

// history is a control's automated evidence over ?from=…&to=… (by
// default the 90 days to today).
func (h ingestHandlers) history(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	from, to := q.date("from"), q.date("to")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	end := dateOr(to, civil.Of(time.Now().UTC()))
	start := dateOr(from, end.AddDays(-89))
	hist, err := h.svc.ControlHistory(c.Request.Context(), id, start, end)
	if err != nil {
		fail(c, err)
		return
	}
	checks := make([]mappedCheckJSON, len(hist.Checks))
	for i, m := range hist.Checks {
		checks[i] = mappedCheckJSON{CheckID: m.CheckID, Title: m.Title, Via: m.Via}
	}
	runs := make([]historyRunJSON, len(hist.Runs))
	for i, r := range hist.Runs {
		runs[i] = historyRunJSON{RunID: r.RunID, SourceID: r.SourceID, Source: r.SourceName, ScannedAt: r.ScannedAt,
			EvidenceID: r.EvidenceID, Outcome: string(r.Outcome), Failing: toResults(r.Failing), FailingTotal: r.FailingTotal,
			countsJSON: countsJSON{r.Passed, r.Failed, r.Errored, r.Skipped}}
	}
	windows := make([]windowJSON, len(hist.Windows))
	for i, w := range hist.Windows {
		windows[i] = windowJSON{Label: w.Label, Start: w.Start, End: w.End, State: w.State, PassingRuns: w.PassingRuns, FailingRuns: w.FailingRuns}
	}
	c.JSON(http.StatusOK, historyJSON{ControlID: hist.ControlID, Frequency: hist.Frequency, From: hist.From, To: hist.To,
		Checks: checks, Runs: runs, Windows: windows})
}

// dateOr parses a date the query has already checked, or gives def.
func dateOr(s string, def civil.Date) civil.Date {
	if d, err := civil.Parse(s); err == nil {
		return d
	}
	return def
}
