package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/engagement"
)

type engagementJSON struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Report         string    `json:"report"`
	Type           string    `json:"type"`
	AsOf           *string   `json:"as_of"`
	PeriodStart    *string   `json:"period_start"`
	PeriodEnd      *string   `json:"period_end"`
	Categories     []string  `json:"categories"`
	AuditFirm      string    `json:"audit_firm"`
	AuditorContact string    `json:"auditor_contact"`
	Status         string    `json:"status"`
	Warning        string    `json:"warning"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func toEngagementJSON(e engagement.Engagement) engagementJSON {
	d := engagement.Detail{Engagement: e}
	return engagementJSON{ID: e.ID, Name: e.Name, Report: e.Report, Type: e.ReportType, AsOf: e.AsOf,
		PeriodStart: e.PeriodStart, PeriodEnd: e.PeriodEnd, Categories: d.CategoryList(), AuditFirm: e.AuditFirm,
		AuditorContact: e.AuditorContact, Status: e.Status, Warning: e.Warning(), UpdatedAt: e.UpdatedAt}
}

type engagementBody struct {
	Name           *string   `json:"name"`
	Report         *string   `json:"report"`
	Type           *string   `json:"type"`
	AsOf           *string   `json:"as_of"`
	PeriodStart    *string   `json:"period_start"`
	PeriodEnd      *string   `json:"period_end"`
	Categories     *[]string `json:"categories"`
	Objectives     *[]string `json:"objectives"`
	AuditFirm      *string   `json:"audit_firm"`
	AuditorContact *string   `json:"auditor_contact"`
	Status         *string   `json:"status"`
}

func (b engagementBody) input() engagement.Input {
	return engagement.Input{Name: b.Name, Report: b.Report, ReportType: b.Type, AsOf: b.AsOf,
		PeriodStart: b.PeriodStart, PeriodEnd: b.PeriodEnd, Categories: b.Categories, Objectives: b.Objectives,
		AuditFirm: b.AuditFirm, AuditorContact: b.AuditorContact, Status: b.Status}
}

type engagementHandlers struct{ svc *engagement.Service }

func (h engagementHandlers) scoping(c *gin.Context) {
	var a engagement.Answers
	if err := bindJSON(c, &a); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"recommendation": engagement.Recommend(a)})
}

// engagementID reads the path ID and, for an auditor, checks the grant:
// an engagement not granted to them is "not found" to them.
func (h engagementHandlers) engagementID(c *gin.Context) (int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	if p := principal(c); p.LimitedToGrantedEngagements() {
		ok, err := h.svc.Granted(c.Request.Context(), id, p.User.ID)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, apperr.NotFound("engagement %d not found", id)
		}
	}
	return id, nil
}

func (h engagementHandlers) list(c *gin.Context) {
	var grantedTo int64
	if p := principal(c); p.LimitedToGrantedEngagements() {
		grantedTo = p.User.ID
	}
	list, err := h.svc.List(c.Request.Context(), grantedTo)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]engagementJSON, len(list))
	for i, e := range list {
		out[i] = toEngagementJSON(e)
	}
	c.JSON(http.StatusOK, gin.H{"engagements": out})
}

func (h engagementHandlers) respond(c *gin.Context, status int, id int64) {
	d, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, gin.H{"engagement": toEngagementJSON(d.Engagement), "objectives": d.Objectives, "auditors": d.Auditors})
}

func (h engagementHandlers) get(c *gin.Context) {
	id, err := h.engagementID(c)
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
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b engagementBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if _, err := h.svc.Update(c.Request.Context(), id, b.input()); err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, id)
}

func (h engagementHandlers) controls(c *gin.Context) {
	id, err := h.engagementID(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.Controls(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]gin.H, len(list))
	for i, sc := range list {
		windows := make([]gin.H, len(sc.Windows))
		for j, w := range sc.Windows {
			windows[j] = gin.H{"label": w.Label, "start": w.Start.Format(time.DateOnly), "end": w.End.Format(time.DateOnly),
				"partial": w.Partial, "evidence": w.Evidence, "missing": w.Missing}
		}
		item := gin.H{"id": sc.ID, "ref": sc.Ref, "title": sc.Title, "frequency": sc.Frequency, "nature": sc.Nature,
			"owner_email": sc.OwnerEmail, "included": sc.Included, "reason": sc.Reason,
			"requirements": orEmpty(sc.Requirements), "windows": windows, "sample_note": sc.SampleNote,
			"evidence_outside_period": orEmptyIDs(sc.Outside), "evidence_after_as_of": orEmptyIDs(sc.AfterAsOf), "sample": nil}
		if sc.Sample != nil {
			item["sample"] = gin.H{"population": sc.Sample.Population, "size": sc.Sample.Size,
				"test_all": sc.Sample.TestAll, "reason": sc.Sample.Reason}
		}
		out[i] = item
	}
	c.JSON(http.StatusOK, gin.H{"controls": out})
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
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b struct {
		ControlID int64  `json:"control_id"`
		Included  bool   `json:"included"`
		Reason    string `json:"reason"`
	}
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.SetScope(c.Request.Context(), id, b.ControlID, b.Included, b.Reason); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h engagementHandlers) setAuditors(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b struct {
		Auditors []string `json:"auditors"`
	}
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.SetAuditors(c.Request.Context(), id, b.Auditors); err != nil {
		fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, id)
}
