package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/period"
)

type controlJSON struct {
	ID          int64  `json:"id"`
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerID     *int64 `json:"owner_id"`
	OwnerEmail  string `json:"owner_email"`
	Performer   string `json:"performer"`
	Frequency   string `json:"frequency" enum:"frequency"`
	Nature      string `json:"nature" enum:"nature"`
	Type        string `json:"type" enum:"control_type"`
	KeyControl  bool   `json:"key_control"`
	IPE         bool   `json:"ipe"`
	Systems     string `json:"systems"`
	// EvidenceExpected, RiskAddressed and IPERelied are the organisation's
	// words for the control matrix.
	EvidenceExpected string       `json:"evidence_expected"`
	RiskAddressed    string       `json:"risk_addressed"`
	IPERelied        string       `json:"ipe_relied_on"`
	ImplementedOn    *string      `json:"implemented_on"`
	Status           string       `json:"status" enum:"control_status"`
	RetiredOn        *string      `json:"retired_on"`
	ReplacedBy       *int64       `json:"replaced_by"`
	Schedule         scheduleJSON `json:"schedule"`
	ScheduleWords    string       `json:"schedule_words"`
	Calendar         string       `json:"calendar" enum:"calendar"`
	MappingCount     int          `json:"mapping_count"`
	EvidenceCount    int          `json:"evidence_count"`
	CreatedAt        time.Time    `json:"created_at"`
	UpdatedAt        time.Time    `json:"updated_at"`
	Version          int64        `json:"version"` // the ETag's value: send it back as If-Match
}

func toControlJSON(r controls.Row) controlJSON {
	c := r.Control
	out := controlJSON{ID: c.ID, Ref: c.Ref, Title: c.Title, Description: c.Description, OwnerID: c.OwnerID,
		OwnerEmail: r.OwnerEmail, Performer: c.Performer, Frequency: c.Frequency, Nature: c.Nature,
		Type: c.ControlType, KeyControl: c.KeyControl, IPE: c.IPE, Systems: c.Systems,
		ImplementedOn: c.ImplementedOn, Status: c.Status, MappingCount: r.MappingCount,
		EvidenceCount: r.EvidenceCount, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		RetiredOn: c.RetiredOn, ReplacedBy: c.ReplacedBy, Calendar: calendarOf(c.Calendar),
		EvidenceExpected: c.EvidenceExpected, RiskAddressed: c.RiskAddressed, IPERelied: c.IPERelied, Version: c.Version}
	out.Schedule, out.ScheduleWords = scheduleOf(c.Schedule, c.Frequency)
	return out
}

// scheduleJSON is a control's schedule: at most one field is set.
type scheduleJSON struct {
	Weekday     *int  `json:"weekday,omitempty"` // 0 Sunday … 6 Saturday
	Day         int   `json:"day,omitempty"`
	BusinessDay int   `json:"business_day,omitempty"`
	Months      []int `json:"months,omitempty"`
}

func scheduleOf(stored, frequency string) (scheduleJSON, string) {
	s, err := period.ParseSchedule(stored)
	if err != nil {
		return scheduleJSON{}, ""
	}
	out := scheduleJSON{Day: s.Day, BusinessDay: s.BusinessDay, Months: s.Months}
	if s.Weekday != nil {
		wd := int(*s.Weekday)
		out.Weekday = &wd
	}
	return out, s.Words(frequency)
}

func (s scheduleJSON) schedule() *period.Schedule {
	out := period.Schedule{Day: s.Day, BusinessDay: s.BusinessDay, Months: s.Months}
	if s.Weekday != nil {
		wd := time.Weekday(*s.Weekday)
		out.Weekday = &wd
	}
	return &out
}

func calendarOf(c string) string {
	if c == "" {
		return controls.EveryDay
	}
	return c
}

// controlBody is a control in a request; absent fields stay as they are.
type controlBody struct {
	Ref              *string `json:"ref"`
	Title            *string `json:"title"`
	Description      *string `json:"description"`
	OwnerID          *int64  `json:"owner_id"`
	Performer        *string `json:"performer"`
	Frequency        *string `json:"frequency" enum:"frequency"`
	Nature           *string `json:"nature" enum:"nature"`
	Type             *string `json:"type" enum:"control_type"`
	KeyControl       *bool   `json:"key_control"`
	IPE              *bool   `json:"ipe"`
	Systems          *string `json:"systems"`
	EvidenceExpected *string `json:"evidence_expected"`
	RiskAddressed    *string `json:"risk_addressed"`
	IPERelied        *string `json:"ipe_relied_on"`
	ImplementedOn    *string `json:"implemented_on"`
	Status           *string `json:"status" enum:"control_status"`
	RetiredOn        *string `json:"retired_on"`
	ReplacedBy       *int64  `json:"replaced_by"`
	// Schedule: {} removes it.
	Schedule *scheduleJSON `json:"schedule"`
	Calendar *string       `json:"calendar" enum:"calendar"`
}

func (b controlBody) input() controls.Input {
	in := controls.Input{Ref: b.Ref, Title: b.Title, Description: b.Description, OwnerID: b.OwnerID,
		Performer: b.Performer, Frequency: b.Frequency, Nature: b.Nature, Type: b.Type,
		KeyControl: b.KeyControl, IPE: b.IPE, Systems: b.Systems, ImplementedOn: b.ImplementedOn, Status: b.Status,
		RetiredOn: b.RetiredOn, ReplacedBy: b.ReplacedBy, Calendar: b.Calendar,
		EvidenceExpected: b.EvidenceExpected, RiskAddressed: b.RiskAddressed, IPERelied: b.IPERelied}
	if b.Schedule != nil {
		in.Schedule = b.Schedule.schedule()
	}
	return in
}

// controlList is a page of the control library.
type controlList struct {
	Controls []controlJSON `json:"controls"`
	Total    int64         `json:"total"`
	Limit    int           `json:"limit"`
	Offset   int           `json:"offset"`
}

// controlOne answers a change to one control.
type controlOne struct {
	Control controlJSON `json:"control"`
}

// controlDetail is a control with the requirements it meets and its evidence.
type controlDetail struct {
	Control  controlJSON           `json:"control"`
	Mappings []controlMappingJSON  `json:"mappings"`
	Evidence []controlEvidenceJSON `json:"evidence"`
}

type controlMappingJSON struct {
	Requirement string `json:"requirement"` // framework/ref
	FrameworkID string `json:"framework_id"`
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	Rationale   string `json:"rationale"`
}

type controlEvidenceJSON struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	ExpiresOn  *string   `json:"expires_on"`
	CoversFrom *string   `json:"covers_from"`
	CoversTo   *string   `json:"covers_to"`
	AsOf       *string   `json:"as_of"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type controlHandlers struct{ svc *controls.Service }

func (h controlHandlers) list(c *gin.Context) {
	q := newQuery(c)
	f := controls.Filter{
		OwnerID:    int64(q.integer("owner_id", 0, 1, 1<<31)),
		Frequency:  q.oneOf("frequency", controls.Frequencies),
		Status:     q.oneOf("status", controls.Statuses),
		NoEvidence: q.boolean("no_evidence"),
		Text:       q.str("q", 200),
		Sort:       q.oneOf("sort", controls.SortKeys()),
		Limit:      q.integer("limit", 100, 1, maxPageSize),
		Offset:     q.integer("offset", 0, 0, 100_000_000),
	}
	requirement := q.str("requirement", 100)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	if requirement != "" {
		id, err := h.svc.RequirementID(c.Request.Context(), requirement)
		if err != nil {
			fail(c, err)
			return
		}
		f.Requirement = id
	}
	rows, total, err := h.svc.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]controlJSON, len(rows))
	for i, r := range rows {
		out[i] = toControlJSON(r)
	}
	c.JSON(http.StatusOK, controlList{Controls: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

func (h controlHandlers) get(c *gin.Context) {
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

// detail is a control as GET /controls/:id shows it, with its version.
func (h controlHandlers) detail(c *gin.Context, id int64) (any, int64, error) {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	mappings := make([]controlMappingJSON, len(d.Mappings))
	for i, m := range d.Mappings {
		mappings[i] = controlMappingJSON{Requirement: m.FrameworkID + "/" + m.Ref, FrameworkID: m.FrameworkID,
			Ref: m.Ref, Title: m.Title, Rationale: m.Rationale}
	}
	evidence := make([]controlEvidenceJSON, len(d.Evidence))
	for i, e := range d.Evidence {
		evidence[i] = controlEvidenceJSON{ID: e.ID, Kind: e.Kind, Title: e.Title, ExpiresOn: e.ExpiresOn,
			CoversFrom: e.CoversFrom, CoversTo: e.CoversTo, AsOf: e.AsOf, UpdatedAt: e.UpdatedAt}
	}
	return controlDetail{Control: toControlJSON(d.Row), Mappings: mappings, Evidence: evidence}, d.Control.Version, nil
}

func (h controlHandlers) create(c *gin.Context) {
	var b controlBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	ctl, err := h.svc.Create(c.Request.Context(), b.input())
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, ctl.Version)
	c.JSON(http.StatusCreated, controlOne{Control: toControlJSON(controls.Row{Control: ctl})})
}

func (h controlHandlers) update(c *gin.Context) {
	var b controlBody
	id, ok := idAndBody(c, &b)
	if !ok {
		return
	}
	in := b.input()
	if in.IfVersion, ok = ifMatchOrFail(c); !ok {
		return
	}
	ctl, err := h.svc.Update(c.Request.Context(), id, in)
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.detail(c, id) })
		return
	}
	setETag(c, ctl.Version)
	c.JSON(http.StatusOK, controlOne{Control: toControlJSON(controls.Row{Control: ctl})})
}

// controlBulkBody names the controls and the one change to make to all.
type controlBulkBody struct {
	ControlIDs []int64      `json:"control_ids"`
	Change     *controlBody `json:"change"`
}

// changedJSON says how many rows a change reached.
type changedJSON struct {
	Changed int `json:"changed"`
}

// bulkUpdate makes one change (an owner, a retirement) to the controls
// listed, all or none.
func (h controlHandlers) bulkUpdate(c *gin.Context) {
	var b controlBulkBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if b.Change == nil {
		fail(c, apperr.Invalid("say what to change", map[string]string{"change": "missing"}))
		return
	}
	if err := h.svc.UpdateMany(c.Request.Context(), b.ControlIDs, b.Change.input()); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, changedJSON{Changed: len(b.ControlIDs)})
}

func (h controlHandlers) remove(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.Delete(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type mappingJSON struct {
	ControlID   int64  `json:"control_id"`
	Requirement string `json:"requirement"`
	Rationale   string `json:"rationale"`
}

// mappingChangeBody adds and removes mappings in one transaction.
type mappingChangeBody struct {
	Add    []mappingJSON `json:"add"`
	Remove []mappingJSON `json:"remove"`
}

type mappingChangedJSON struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

type mappingList struct {
	Mappings []mappingJSON `json:"mappings"`
}

// applicabilityBody excludes a requirement from the organisation's
// coverage, with the reason, or brings it back.
type applicabilityBody struct {
	Requirement   string `json:"requirement"`
	NotApplicable bool   `json:"not_applicable"`
	Reason        string `json:"reason"`
}

func (h controlHandlers) changeMappings(c *gin.Context) {
	var b mappingChangeBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	convert := func(in []mappingJSON) []controls.MappingChange {
		out := make([]controls.MappingChange, len(in))
		for i, m := range in {
			out[i] = controls.MappingChange{ControlID: m.ControlID, Requirement: m.Requirement, Rationale: m.Rationale}
		}
		return out
	}
	if err := h.svc.ApplyMappings(c.Request.Context(), convert(b.Add), convert(b.Remove)); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, mappingChangedJSON{Added: len(b.Add), Removed: len(b.Remove)})
}

// listMappings returns every mapping of one framework, for the matrix.
func (h controlHandlers) listMappings(c *gin.Context) {
	q := newQuery(c)
	framework := q.str("framework", 100)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rows, err := h.svc.Mappings(c.Request.Context(), framework)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]mappingJSON, len(rows))
	for i, m := range rows {
		out[i] = mappingJSON{ControlID: m.ControlID, Requirement: m.Requirement, Rationale: m.Rationale}
	}
	c.JSON(http.StatusOK, mappingList{Mappings: out})
}

func (h controlHandlers) setApplicability(c *gin.Context) {
	var b applicabilityBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.SetApplicability(c.Request.Context(), strings.TrimSpace(b.Requirement), b.NotApplicable, b.Reason); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// maxImportFile bounds a control-matrix file; it is read as a stream
// under the limits of controls.ReadMatrix.
const maxImportFile = 16 << 20

// importControls takes a control matrix (XLSX or CSV) as multipart "file";
// without ?apply=true it only reports what would change.
func (h controlHandlers) importControls(c *gin.Context) {
	q := newQuery(c)
	apply := q.boolean("apply")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	up := uploadLimit{what: "control matrix", limit: maxImportFile, body: maxImportFile}
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	_, part, err := nextFilePart(mr, nil)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	matrix, err := controls.ReadMatrix(part.FileName(), part)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	plan, err := h.svc.Import(c.Request.Context(), matrix, apply)
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if apply && !plan.Applied {
		status = http.StatusBadRequest // nothing was changed: fix the problems listed
	}
	c.JSON(status, importAnswer[controls.Plan]{Plan: plan})
}
