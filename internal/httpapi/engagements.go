package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/engagement/scoping"
	"github.com/socmap/socmap/internal/engagement/windows"
	"github.com/socmap/socmap/internal/engagement/workpapers"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

type engagementJSON struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	Report         string   `json:"report" enum:"report"`
	Type           string   `json:"type" enum:"report_type"`
	AsOf           *string  `json:"as_of"`
	PeriodStart    *string  `json:"period_start"`
	PeriodEnd      *string  `json:"period_end"`
	Categories     []string `json:"categories" enum:"category"`
	AuditFirm      string   `json:"audit_firm"`
	AuditorContact string   `json:"auditor_contact"`
	Status         string   `json:"status" enum:"engagement_status"`
	Tester         string   `json:"tester" enum:"tester"`
	// EvidenceWindowDays: a Type I's evidence must be dated within this many days before its as-of date.
	EvidenceWindowDays int `json:"evidence_window_days"`
	// PervasivePercent: criteria not met and scope limitations above this
	// share of the criteria are pervasive.
	PervasivePercent int       `json:"pervasive_percent"`
	Warning          string    `json:"warning"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"` // the ETag's value: send it back as If-Match
}

func toEngagementJSON(e engagement.Engagement) engagementJSON {
	d := engagement.Detail{Engagement: e}
	return engagementJSON{ID: e.ID, Name: e.Name, Report: e.Report, Type: e.ReportType, AsOf: e.AsOf,
		PeriodStart: e.PeriodStart, PeriodEnd: e.PeriodEnd, Categories: d.CategoryList(), AuditFirm: e.AuditFirm,
		AuditorContact: e.AuditorContact, Status: e.Status, Tester: e.Tester, EvidenceWindowDays: e.EvidenceWindowDays, PervasivePercent: e.PervasivePercent, Warning: e.Warning(), UpdatedAt: e.UpdatedAt, Version: e.Version}
}

type engagementBody struct {
	Name               *string   `json:"name"`
	Report             *string   `json:"report" enum:"report"`
	Type               *string   `json:"type" enum:"report_type"`
	AsOf               *string   `json:"as_of"`
	PeriodStart        *string   `json:"period_start"`
	PeriodEnd          *string   `json:"period_end"`
	Categories         *[]string `json:"categories" enum:"category"`
	Objectives         *[]string `json:"objectives"`
	AuditFirm          *string   `json:"audit_firm"`
	AuditorContact     *string   `json:"auditor_contact"`
	Status             *string   `json:"status" enum:"engagement_status"`
	Tester             *string   `json:"tester" enum:"tester"`
	EvidenceWindowDays *int      `json:"evidence_window_days"`
	// PervasivePercent: 1–100.
	PervasivePercent *int `json:"pervasive_percent"`
	// Reason says why a locked engagement goes back to an earlier status.
	Reason *string `json:"reason"`
}

func (b engagementBody) input() engagement.Input {
	return engagement.Input{Name: b.Name, Report: b.Report, ReportType: b.Type, AsOf: b.AsOf,
		PeriodStart: b.PeriodStart, PeriodEnd: b.PeriodEnd, Categories: b.Categories, Objectives: b.Objectives,
		AuditFirm: b.AuditFirm, AuditorContact: b.AuditorContact, Status: b.Status, Tester: b.Tester, EvidenceWindowDays: b.EvidenceWindowDays,
		PervasivePercent: b.PervasivePercent, Reason: b.Reason}
}

// engagementList is a page of the engagements the caller may open.
type engagementList struct {
	Engagements []engagementJSON `json:"engagements"`
	Total       int64            `json:"total"`
	Limit       int              `json:"limit"`
	Offset      int              `json:"offset"`
}

// engagementDetail is an engagement as its page shows it.
type engagementDetail struct {
	Engagement   engagementJSON          `json:"engagement"`
	Objectives   []string                `json:"objectives"` // SOC 1 objective refs
	Auditors     []string                `json:"auditors"`   // e-mail addresses
	SamplePolicy engagement.SamplePolicy `json:"sample_policy"`
	// NextPeriod is what a roll forward without dates would give.
	NextPeriod nextPeriodJSON `json:"next_period"`
}

type nextPeriodJSON struct {
	AsOf        *string `json:"as_of"`
	PeriodStart *string `json:"period_start"`
	PeriodEnd   *string `json:"period_end"`
}

// engagementHandlers serve an engagement's routes: svc the engagement
// itself, comp its complementary controls, sampling its populations and
// samples, windows the marks and evidence of its occurrence windows,
// imports the results sheets filled in outside socmap.
type engagementHandlers struct {
	svc      *engagement.Service
	comp     *complementary.Service
	sampling *sampling.Service
	windows  *windows.Service
	imports  *results.Service
	papers   *workpapers.Service
}

// forControl lists the engagements a control is in scope of, with its
// results in each: what the control's page shows.
func (h engagementHandlers) forControl(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.ForControl(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, controlEngagements{Engagements: nonNil(list)})
}

func (h engagementHandlers) scoping(c *gin.Context) {
	var a scoping.Answers
	if err := bindJSON(c, &a); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, scopingJSON{Recommendation: scoping.Recommend(a)})
}

func (h engagementHandlers) list(c *gin.Context) {
	q := newQuery(c)
	f := store.EngagementFilter{
		Status: q.oneOf("status", engagement.StatusFlow),
		Text:   q.str("q", 200),
		Limit:  q.integer("limit", 100, 1, maxPageSize),
		Offset: q.integer("offset", 0, 0, 100_000_000),
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	if p := principal(c); p.LimitedToGrantedEngagements() {
		f.GrantedTo = p.User.ID
	}
	list, total, err := h.svc.Page(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]engagementJSON, len(list))
	for i, e := range list {
		out[i] = toEngagementJSON(e)
	}
	c.JSON(http.StatusOK, engagementList{Engagements: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

func (h engagementHandlers) respond(c *gin.Context, status int, id int64) {
	body, v, err := h.detail(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(status, body)
}

// detail is an engagement as GET /engagements/:id shows it, with its version.
func (h engagementHandlers) detail(c *gin.Context, id int64) (any, int64, error) {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	policy, err := h.svc.PolicyOf(d.Engagement)
	if err != nil {
		return nil, 0, err
	}
	asOf, start, end, err := engagement.NextDates(d.Engagement)
	if err != nil {
		return nil, 0, err
	}
	return engagementDetail{Engagement: toEngagementJSON(d.Engagement), Objectives: nonNil(d.Objectives),
		Auditors: nonNil(d.Auditors), SamplePolicy: policy,
		NextPeriod: nextPeriodJSON{AsOf: asOf, PeriodStart: start, PeriodEnd: end}}, d.Engagement.Version, nil
}

func (h engagementHandlers) get(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, id)
}

func (h engagementHandlers) create(c *gin.Context) {
	var b engagementBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	e, err := h.svc.Create(c.Request.Context(), b.input())
	if err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, e.ID)
}

func (h engagementHandlers) update(c *gin.Context) {
	var b engagementBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	in := b.input()
	if in.IfVersion, ok = ifMatchOrFail(c); !ok {
		return
	}
	in.ByAdmin = principal(c).Role() == auth.Admin
	if _, err := h.svc.Update(c.Request.Context(), id, in); err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.detail(c, id) })
		return
	}
	h.respond(c, http.StatusOK, id)
}

// controls lists the engagement's controls, in scope first: all of them,
// or with limit and offset one page of those that match the filters, with
// the total that match and the counts the engagement's page shows.
// fields=brief leaves out the windows and evidence flags, for the pickers
// that only name controls. A row carries its windows counted by state, as
// the grid shows them: a daily control has a year of windows, too heavy for
// a page of fifty. windows=full lists them, for a client that needs them.
func (h engagementHandlers) controls(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	f := engagement.GridFilter{Limit: q.integer("limit", 0, 1, maxPageSize), Offset: q.integer("offset", 0, 0, 100_000_000),
		Missing: q.boolean("missing"), Owner: q.str("owner", 320), NotConcluded: q.boolean("not_concluded"),
		Frequency: q.oneOf("frequency", controls.Frequencies), Text: q.str("q", 200)}
	switch q.oneOf("scope", []string{"included", "excluded"}) {
	case "included":
		f.Included = new(true)
	case "excluded":
		f.Included = new(false)
	}
	brief := q.oneOf("fields", []string{"brief"}) == "brief"
	full := q.oneOf("windows", []string{"full"}) == "full"
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	g, err := h.svc.Grid(c.Request.Context(), id, f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]any, len(g.Controls))
	for i, sc := range g.Controls {
		if brief {
			out[i] = briefControlJSON{ID: sc.ID, Ref: sc.Ref, Title: sc.Title, Included: sc.Included, Reason: sc.Reason}
		} else if full {
			out[i] = scopedControlJSON(sc)
		} else {
			out[i] = gridRowJSON(sc)
		}
	}
	counts := gridCountsJSON{InScope: g.Counts.InScope, Excluded: g.Counts.Excluded, Missing: g.Counts.Missing,
		NotConcluded: g.Counts.NotConcluded, Owners: g.Counts.Owners, Frequencies: g.Counts.Frequencies}
	c.JSON(http.StatusOK, gridJSON{Controls: out, Total: g.Total, Limit: f.Limit, Offset: f.Offset, Counts: counts})
}

// control is one control of the engagement as its grid shows it.
func (h engagementHandlers) control(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	controlID, err := pathID(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	sc, err := h.svc.ControlIn(c.Request.Context(), id, controlID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, scopedControlOne{Control: scopedControlJSON(sc)})
}

// scopedControlJSON is one control of the engagement with every one of its
// windows.
func scopedControlJSON(sc engagement.ScopedControl) scopedControl {
	windows := make([]windowStateJSON, len(sc.Windows))
	for j, w := range sc.Windows {
		windows[j] = windowStateJSON{Label: w.Label, Short: w.Short, Start: w.Start, End: w.End,
			Partial: w.Partial, State: w.State, DueOn: w.DueOn, Evidence: w.Evidence,
			Attached: orEmptyIDs(w.Attached), Missing: w.Missing(), Reason: w.Reason,
			MarkedBy: w.MarkedBy, MarkedAt: w.MarkedAt}
	}
	return scopedControl{controlFields: controlFieldsJSON(sc), Windows: windows}
}

// controlFieldsJSON is one control of the engagement without its windows.
func controlFieldsJSON(sc engagement.ScopedControl) controlFields {
	changes := make([]changeJSON, len(sc.Changes))
	for j, ch := range sc.Changes {
		changes[j] = changeJSON{Kind: ch.Kind, On: ch.On}
	}
	return controlFields{ID: sc.ID, Ref: sc.Ref, Title: sc.Title, Frequency: sc.Frequency, Nature: sc.Nature,
		OwnerEmail: sc.OwnerEmail, Included: sc.Included, Reason: sc.Reason,
		Requirements: orEmpty(sc.Requirements), SampleNote: sc.SampleNote,
		EvidenceOutsidePeriod: orEmptyIDs(sc.Outside), EvidenceAfterAsOf: orEmptyIDs(sc.AfterAsOf), Sample: sc.Sample,
		EvidenceStale: orEmptyIDs(sc.Stale), ImplementedAfterAsOf: sc.ImplementedAfterAsOf,
		Basis: sc.Basis, ScheduleWords: sc.Schedule, CalendarWords: sc.Calendar,
		ImplementedOn: sc.ImplementedOn, RetiredOn: sc.RetiredOn, ReplacedBy: sc.ReplacedBy,
		Retired: sc.RetiredWords(), Changes: changes}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orEmptyIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

func (h engagementHandlers) setScope(c *gin.Context) {
	var b scopeBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	if err := h.svc.SetScope(c.Request.Context(), id, b.ControlID, b.Included, b.Reason); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h engagementHandlers) setAuditors(c *gin.Context) {
	var b auditorsBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	if err := h.svc.SetAuditors(c.Request.Context(), id, b.Auditors, v); err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.detail(c, id) })
		return
	}
	h.respond(c, http.StatusOK, id)
}

func (h engagementHandlers) ids(c *gin.Context, second string) (int64, int64, error) {
	id, err := engagementFrom(c)
	if err != nil {
		return 0, 0, err
	}
	other, err := pathID(c, second)
	return id, other, err
}

// edit reads what every edit of an engagement's object needs, in this
// order: the engagement and the object named by second, the JSON body
// into b, and the If-Match version. When it answers false the error has
// been sent.
func (h engagementHandlers) edit(c *gin.Context, second string, b any) (id, other int64, version *int64, ok bool) {
	id, other, err := h.ids(c, second)
	if err == nil {
		err = bindJSON(c, b)
	}
	if err != nil {
		fail(c, err)
		return 0, 0, nil, false
	}
	version, ok = ifMatchOrFail(c)
	return id, other, version, ok
}

func resultJSON(r engagement.Result, evidence []int64, pinned map[int64]int, users map[int64]string) resultFields {
	revisions := map[string]int{} // evidence ID → the revision relied on (files only)
	for ev, rev := range pinned {
		revisions[strconv.FormatInt(ev, 10)] = rev
	}
	methods := []string{}
	if r.TestMethods != "" {
		methods = strings.Split(r.TestMethods, ",")
	}
	return resultFields{ControlID: r.ControlID, DesignResult: r.DesignResult, DesignNotes: r.DesignNotes,
		Implementation: r.Implementation, ImplementedOn: r.ImplementedOn,
		EvidenceIDs: orEmptyIDs(evidence), EvidenceRevisions: revisions, TestMethods: methods, TestProcedure: r.TestProcedure,
		Result: r.Result, ResultLabel: r.Label(), ExceptionsFound: r.ExceptionsFound,
		TestedCount: r.TestedCount, ResultNotes: r.ResultNotes, SampleRisk: r.SampleRisk,
		ShortfallReason: r.ShortfallReason, SignOff: signaturesJSON(r.Signatures, users), Version: r.Version}
}

// result is one control's result as GET …/controls/:control/result shows
// it, with its version (0 while none was saved).
func (h engagementHandlers) result(c *gin.Context, id, control int64) (any, int64, error) {
	r, evidence, err := h.svc.Result(c.Request.Context(), id, control)
	if err != nil {
		return nil, 0, err
	}
	pinned, err := h.svc.Pinned(c.Request.Context(), id, control)
	if err != nil {
		return nil, 0, err
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		return nil, 0, err
	}
	return resultOne{Result: resultJSON(r, evidence, pinned[control], users)}, r.Version, nil
}

// visibleIDs is ids for reads: an auditor's engagement must be granted.
func (h engagementHandlers) visibleIDs(c *gin.Context, second string) (int64, int64, error) {
	id, err := engagementFrom(c)
	if err != nil {
		return 0, 0, err
	}
	other, err := pathID(c, second)
	return id, other, err
}

func (h engagementHandlers) setResult(c *gin.Context) {
	id, control, err := h.ids(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	var b resultBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if b.ExceptionsFound != nil || b.TestedCount != nil {
		fail(c, apperr.Invalid("n of m is counted from the samples: record each sampled item's results instead",
			map[string]string{"exceptions_found": "computed, not given", "tested_count": "computed, not given"}))
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	_, err = h.svc.SetResult(c.Request.Context(), id, control, engagement.ResultInput{DesignResult: b.DesignResult,
		DesignNotes: b.DesignNotes, Implementation: b.Implementation, ImplementedOn: b.ImplementedOn, EvidenceIDs: b.EvidenceIDs, TestMethods: b.TestMethods, TestProcedure: b.TestProcedure,
		Result: b.Result, ResultNotes: b.ResultNotes, SampleRisk: b.SampleRisk, ShortfallReason: b.ShortfallReason,
		IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.result(c, id, control) })
		return
	}
	body, version, err := h.result(c, id, control) // with the evidence it relies on as saved
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, version)
	c.JSON(http.StatusOK, body)
}

func (h engagementHandlers) results(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	results, evidence, err := h.svc.Results(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	pinned, err := h.svc.Pinned(c.Request.Context(), id, 0)
	if err != nil {
		fail(c, err)
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := []resultFields{}
	for _, r := range results {
		out = append(out, resultJSON(r, evidence[r.ControlID], pinned[r.ControlID], users))
	}
	c.JSON(http.StatusOK, resultList{Results: out})
}

func (h engagementHandlers) rollUp(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	reqs, ready, err := h.svc.RollUp(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	rows := make([]rollUpRow, len(reqs))
	for i, r := range reqs {
		rows[i] = rollUpRow{Ref: r.Ref, Title: r.Title, State: r.State, Reason: r.Reason, Controls: r.Controls,
			Deviating: r.Deviating, Deviations: r.Deviations, Evaluated: r.Evaluation != nil}
	}
	parts := make([]readinessPart, len(ready.Parts))
	for i, p := range ready.Parts {
		parts[i] = readinessPart{Name: p.Name, Done: p.Done, Total: p.Total}
	}
	c.JSON(http.StatusOK, rollUpJSON{Requirements: rows,
		Readiness: readinessJSON{Percent: ready.Percent, Parts: parts, Exceptions: ready.Exceptions}})
}

func exceptionJSON(x engagement.Exception, ref string) exceptionFields {
	return exceptionFields{ID: x.ID, ControlID: x.ControlID, ControlRef: ref, Description: x.Description,
		ManagementResponse: x.ManagementResponse, SampleID: x.SampleID, SampleSeq: x.SampleSeq,
		RemediationDate: x.RemediationDate, RemediationOwnerID: x.RemediationOwnerID,
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, Version: x.Version}
}

// withRemediationOwner names the remediation's owner by e-mail address.
func withRemediationOwner(j exceptionFields, x engagement.Exception, users map[int64]string) exceptionFields {
	owner := ""
	if x.RemediationOwnerID != nil {
		owner = users[*x.RemediationOwnerID]
	}
	j.RemediationOwner = &owner
	return j
}

// exception is one exception as GET …/exceptions/:exception shows it.
func (h engagementHandlers) exception(c *gin.Context, id, exc int64) (any, int64, error) {
	x, err := h.svc.Exception(c.Request.Context(), id, exc)
	if err != nil {
		return nil, 0, err
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		return nil, 0, err
	}
	return exceptionOne{Exception: withRemediationOwner(exceptionJSON(x.Exception, x.ControlRef), x.Exception, users)}, x.Version, nil
}

func (h engagementHandlers) addException(c *gin.Context) {
	id, control, err := h.ids(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	var b newExceptionBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	x, err := h.svc.AddException(c.Request.Context(), id, control, b.Description, b.ManagementResponse)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, exceptionOne{Exception: exceptionJSON(x, "")})
}

func (h engagementHandlers) respondToException(c *gin.Context) {
	var b exceptionPatchBody
	id, exc, v, ok := h.edit(c, "exception", &b)
	if !ok {
		return
	}
	if _, err := h.svc.ChangeException(c.Request.Context(), id, exc, engagement.ExceptionChange{Description: b.Description,
		ManagementResponse: b.ManagementResponse, RemediationDate: b.RemediationDate, RemediationOwnerID: b.RemediationOwnerID,
		IfVersion: v}); err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.exception(c, id, exc) })
		return
	}
	body, version, err := h.exception(c, id, exc)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, version)
	c.JSON(http.StatusOK, body)
}

func (h engagementHandlers) exceptions(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.Exceptions(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]exceptionFields, len(list))
	for i, x := range list {
		out[i] = withRemediationOwner(exceptionJSON(x.Exception, x.ControlRef), x.Exception, users)
	}
	c.JSON(http.StatusOK, exceptionList{Exceptions: out})
}

// maxPopulationUpload bounds a population file; it is parsed in memory.
const maxPopulationUpload = 32 << 20

var populationFields = map[string]bool{"source": true, "query": true, "phase": true, "covers_from": true, "covers_to": true,
	"parameters": true, "generated_by": true, "generated_at": true, "record_count": true, "evidence_ids": true}

func (h engagementHandlers) uploadPopulation(c *gin.Context) {
	id, control, err := h.ids(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	up := uploadLimit{what: "population file", limit: maxPopulationUpload, body: maxPopulationUpload}
	mr, err := up.open(c)
	if err != nil {
		fail(c, err)
		return
	}
	values, part, err := nextFilePart(mr, populationFields)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	name := evidence.SafeName(part.FileName())
	items, err := sampling.ParsePopulation(name, part)
	var bad *sampling.PopulationError
	if errors.As(err, &bad) {
		fail(c, &apperr.Error{Kind: apperr.KindInvalid, Code: "invalid_population", Message: bad.Error()})
		return
	}
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	in, err := populationInput(values)
	if err != nil {
		fail(c, err)
		return
	}
	in.FileName, in.Items = name, items
	pop, err := h.sampling.UploadPopulation(c.Request.Context(), id, control, principal(c).User.ID, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, populationOne{Population: populationJSON(pop, nil)})
}

// populationInput reads the form fields that describe a population.
func populationInput(v map[string]string) (sampling.PopulationInput, error) {
	in := sampling.PopulationInput{Source: v["source"], Query: v["query"], Phase: strings.TrimSpace(v["phase"]),
		Parameters: v["parameters"], GeneratedBy: v["generated_by"]}
	opt := func(name string) *string {
		if s := strings.TrimSpace(v[name]); s != "" {
			return &s
		}
		return nil
	}
	in.CoversFrom, in.CoversTo, in.GeneratedAt = opt("covers_from"), opt("covers_to"), opt("generated_at")
	if s := opt("record_count"); s != nil {
		n, err := strconv.Atoi(*s)
		if err != nil || n < 0 {
			return in, apperr.Invalid("the record count is not a number", map[string]string{"record_count": "a whole number of records"})
		}
		in.RecordCount = &n
	}
	for _, part := range strings.Split(v["evidence_ids"], ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n < 1 {
			return in, apperr.Invalid("evidence IDs are numbers", map[string]string{"evidence_ids": "comma-separated evidence IDs"})
		}
		in.EvidenceIDs = append(in.EvidenceIDs, n)
	}
	return in, nil
}

func populationJSON(p engagement.Population, evidence []int64) populationRow {
	return populationRow{ID: p.ID, Phase: p.Phase, CoversFrom: p.CoversFrom, CoversTo: p.CoversTo,
		Source: p.Source, Query: p.Query, Parameters: p.Parameters, GeneratedBy: p.GeneratedBy,
		GeneratedAt: p.GeneratedAt, FileName: p.FileName, ItemCount: p.ItemCount, UploadedAt: p.UploadedAt,
		EvidenceIDs: orEmptyIDs(evidence)}
}

// drawBody is what a sample or a retest is drawn with.
type drawBody struct {
	PopulationID *int64   `json:"population_id"`
	Seed         *uint64  `json:"seed"`
	Size         *int     `json:"size"`
	Attributes   []string `json:"attributes"`
}

// drawWith draws a sample named by the engagement and the path's second
// ID (the control, or the exception retested) and answers it.
func (h engagementHandlers) drawWith(c *gin.Context, second string, draw func(ctx context.Context, id, other, userID int64, b drawBody) (engagement.DrawnSample, error)) {
	id, other, err := h.ids(c, second)
	if err != nil {
		fail(c, err)
		return
	}
	var b drawBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	smp, err := draw(c.Request.Context(), id, other, principal(c).User.ID, b)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, sampleOne{Sample: drawnJSON(smp)})
}

func (h engagementHandlers) drawSample(c *gin.Context) {
	h.drawWith(c, "control", func(ctx context.Context, id, control, userID int64, b drawBody) (engagement.DrawnSample, error) {
		return h.sampling.DrawSample(ctx, id, control, userID,
			sampling.DrawInput{PopulationID: b.PopulationID, Seed: b.Seed, Size: b.Size, Attributes: b.Attributes})
	})
}

func drawnJSON(smp engagement.DrawnSample) sampleFields {
	return sampleFields{ID: smp.ID, Seed: smp.Seed, Size: smp.Size, Method: smp.Method, PopulationID: smp.PopulationID,
		ExtendsID: smp.ExtendsID, RequiredSize: smp.RequiredSize, Risk: smp.Risk, SizeReason: smp.SizeReason,
		SelectedAt: smp.SelectedAt, Purpose: smp.Purpose, RemediationExceptionID: smp.RemediationExceptionID,
		CoversFrom: smp.CoversFrom, CoversTo: smp.CoversTo, Version: smp.Version}
}

// drawRetest samples an exception's remediated control over the rest of
// the period: POST …/exceptions/:exception/retest.
func (h engagementHandlers) drawRetest(c *gin.Context) {
	h.drawWith(c, "exception", func(ctx context.Context, id, exc, userID int64, b drawBody) (engagement.DrawnSample, error) {
		return h.svc.DrawRetest(ctx, id, exc, userID,
			engagement.RetestInput{PopulationID: b.PopulationID, Seed: b.Seed, Size: b.Size, Attributes: b.Attributes})
	})
}

func (h engagementHandlers) extendSample(c *gin.Context) {
	id, sample, err := h.ids(c, "sample")
	if err != nil {
		fail(c, err)
		return
	}
	var b extendBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	smp, err := h.sampling.ExtendSample(c.Request.Context(), id, sample, principal(c).User.ID, b.Size, b.Seed, b.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, sampleOne{Sample: drawnJSON(smp)})
}

func (h engagementHandlers) setSamplePolicy(c *gin.Context) {
	var b samplePolicyBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	if _, err := h.svc.SetSamplePolicy(c.Request.Context(), id, engagement.PolicyInput{BuiltIn: b.BuiltIn, Table: b.Table,
		Bands: b.Bands, Risk: b.Risk}); err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, id)
}

func (h engagementHandlers) work(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	control, err := pathID(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	w, err := h.svc.WorkSeenBy(c.Request.Context(), id, control, principal(c).Role() == auth.Auditor)
	if err != nil {
		fail(c, err)
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	samples := make([]workSample, len(w.Samples))
	for i, smp := range w.Samples {
		var attrs []string
		if err := json.Unmarshal([]byte(smp.Attributes), &attrs); err != nil {
			fail(c, fmt.Errorf("sample %d attributes: %w", smp.ID, err))
			return
		}
		items := make([]sampleItemJSON, len(w.Items[smp.ID]))
		for j, it := range w.Items[smp.ID] {
			results := map[string]string{}
			if err := json.Unmarshal([]byte(it.Results), &results); err != nil {
				fail(c, fmt.Errorf("sample %d item %d results: %w", smp.ID, it.Seq, err))
				return
			}
			items[j] = sampleItemJSON{Seq: it.Seq, ItemID: it.ItemID, Date: it.ItemDate, Description: it.Description,
				Results: results, Exception: it.Exception, Notes: it.Notes, TestedBy: it.TestedBy, TestedOn: it.TestedOn,
				EvidenceIDs: it.EvidenceIDs}
		}
		samples[i] = workSample{sampleFields: drawnJSON(smp), Attributes: attrs, Items: items,
			SignOff: signaturesJSON(smp.Signatures, users)}
	}
	var pop *populationRow
	if w.Population != nil {
		p := populationJSON(*w.Population, w.Evidence[w.Population.ID])
		pop = &p
	}
	pops := make([]populationRow, len(w.Populations))
	for i, p := range w.Populations {
		pops[i] = populationJSON(p, w.Evidence[p.ID])
	}
	untested := w.Stats.Untested
	if untested == nil {
		untested = []string{}
	}
	c.JSON(http.StatusOK, workJSON{Population: pop, Populations: pops, Samples: samples,
		Counts: workCounts{Required: w.Stats.Required, Selected: w.Stats.Selected, Tested: w.Stats.Tested,
			Failed: w.Stats.Failed, Untested: untested}})
}

func (h engagementHandlers) recordSampleItem(c *gin.Context) {
	id, sample, err := h.ids(c, "sample")
	if err != nil {
		fail(c, err)
		return
	}
	seq, err := pathID(c, "seq")
	if err != nil {
		fail(c, err)
		return
	}
	var b sampleItemBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if err := h.sampling.RecordSampleItem(c.Request.Context(), id, sample, int(seq), principal(c).User.ID,
		sampling.ItemInput{Results: b.Results, Notes: b.Notes, TestedOn: b.TestedOn, EvidenceIDs: b.Evidence}); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// passSampleItems marks the chosen items of a sample passed on every
// attribute, in one transaction (POST …/samples/:sample/items/pass).
func (h engagementHandlers) passSampleItems(c *gin.Context) {
	id, sample, err := h.ids(c, "sample")
	if err != nil {
		fail(c, err)
		return
	}
	var b passItemsBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if err := h.sampling.PassSampleItems(c.Request.Context(), id, sample, b.Seqs, principal(c).User.ID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func splitRefs(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func (h engagementHandlers) complementary(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	cuecs, subs, err := h.comp.Complementary(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	standings, err := h.svc.Standings(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	outC := make([]cuecJSONFields, len(cuecs))
	for i, x := range cuecs {
		outC[i] = cuecJSON(x)
	}
	outS := make([]subserviceStanding, len(subs))
	for i, x := range subs {
		// Where its review stands for this engagement, and the review it rests on.
		st := standings[x.ID]
		outS[i] = subserviceStanding{subserviceFields: subserviceJSON(x), ReviewState: st.State}
		if st.Latest != nil {
			r := toReviewJSON(*st.Latest)
			outS[i].LatestReview = &r
		}
	}
	c.JSON(http.StatusOK, complementaryJSON{CUECs: outC, SubserviceOrgs: outS})
}

func cuecJSON(x complementary.CUEC) cuecJSONFields {
	return cuecJSONFields{ID: x.ID, Ref: x.Ref(), Text: x.Text, Requirements: splitRefs(x.Requirements), Version: x.Version}
}

func subserviceJSON(x complementary.Subservice) subserviceFields {
	csocs := make([]csocJSON, len(x.CSOCs))
	for j, cs := range x.CSOCs {
		csocs[j] = csocJSON{ID: cs.ID, Ref: cs.Ref(), Text: cs.Text, Requirements: splitRefs(cs.Requirements)}
	}
	return subserviceFields{ID: x.ID, Name: x.Name, Services: x.Services, Method: x.Method,
		MonitoringControlID: x.MonitoringControlID, ReviewDue: x.ReviewDue, CSOCs: csocs, Version: x.Version}
}

func (h engagementHandlers) addCUEC(c *gin.Context) {
	var b newCUECBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	x, err := h.comp.AddCUEC(c.Request.Context(), id, b.Text, b.Requirements)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusCreated, cuecOne{CUEC: cuecJSON(x)})
}

func (h engagementHandlers) addSubservice(c *gin.Context) {
	var b newSubserviceBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	in := complementary.SubserviceInput{Name: b.Name, Services: b.Services, Method: b.Method, MonitoringControlID: b.MonitoringControlID}
	for _, cs := range b.CSOCs {
		in.CSOCs = append(in.CSOCs, struct {
			Text         string
			Requirements []string
		}{cs.Text, cs.Requirements})
	}
	x, err := h.comp.AddSubservice(c.Request.Context(), id, in)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusCreated, newSubserviceOne{SubserviceOrg: newSubserviceJSON{ID: x.ID, Name: x.Name, Method: x.Method,
		CSOCs: len(x.CSOCs), Version: x.Version}})
}

func (h engagementHandlers) removeComplementary(kind, param string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, item, err := h.ids(c, param)
		if err != nil {
			fail(c, err)
			return
		}
		if err := h.comp.RemoveComplementary(c.Request.Context(), id, kind, item); err != nil {
			fail(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func (h engagementHandlers) rollForward(c *gin.Context) {
	var b engagementBody
	id, ok := engagementAndBody(c, &b)
	if !ok {
		return
	}
	e, err := h.svc.RollForward(c.Request.Context(), id, b.input())
	if err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, e.ID)
}

// cuec is one CUEC as GET …/cuecs/:cuec shows it, with its version.
func (h engagementHandlers) cuec(c *gin.Context, id, cuec int64) (any, int64, error) {
	x, err := h.comp.CUEC(c.Request.Context(), id, cuec)
	if err != nil {
		return nil, 0, err
	}
	return cuecOne{CUEC: cuecJSON(x)}, x.Version, nil
}

// subservice is one subservice organisation as GET …/subservice-orgs/:org
// shows it, with its version.
func (h engagementHandlers) subservice(c *gin.Context, id, org int64) (any, int64, error) {
	x, err := h.comp.Subservice(c.Request.Context(), id, org)
	if err != nil {
		return nil, 0, err
	}
	return subserviceOne{SubserviceOrg: subserviceJSON(x)}, x.Version, nil
}

// getOne answers a GET of one object of an engagement (the path's second
// ID is named param) with its ETag.
func (h engagementHandlers) getOne(param string, load func(h engagementHandlers, c *gin.Context, id, other int64) (any, int64, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, other, err := h.visibleIDs(c, param)
		if err != nil {
			fail(c, err)
			return
		}
		body, v, err := load(h, c, id, other)
		if err != nil {
			fail(c, err)
			return
		}
		setETag(c, v)
		c.JSON(http.StatusOK, body)
	}
}

func (h engagementHandlers) updateCUEC(c *gin.Context) {
	var b cuecPatchBody
	id, cuec, v, ok := h.edit(c, "cuec", &b)
	if !ok {
		return
	}
	x, err := h.comp.UpdateCUEC(c.Request.Context(), id, cuec, complementary.CUECChange{Text: b.Text, Requirements: b.Requirements, IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.cuec(c, id, cuec) })
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusOK, cuecOne{CUEC: cuecJSON(x)})
}

func (h engagementHandlers) updateSubservice(c *gin.Context) {
	var b subservicePatchBody
	id, org, v, ok := h.edit(c, "org", &b)
	if !ok {
		return
	}
	x, err := h.comp.UpdateSubservice(c.Request.Context(), id, org, complementary.SubserviceChange{Name: b.Name, Services: b.Services,
		Method: b.Method, MonitoringControlID: b.MonitoringControlID, ReviewDue: b.ReviewDue, IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.subservice(c, id, org) })
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusOK, subserviceOne{SubserviceOrg: subserviceJSON(x)})
}
