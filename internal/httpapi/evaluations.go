package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/engagement"
)

// The conclusions of an engagement's criteria: the evaluation of a
// criterion's deviations (GET/PUT/DELETE …/requirements/:ref/evaluation,
// PUT …/evaluation/sign-off), the opinion impact, and the criteria decided
// not applicable to the engagement (PUT/DELETE …/applicability/:ref).

// evaluation is GET …/requirements/:ref/evaluation: the criterion's
// conclusion, its deviating controls, the deviation rate against the
// tolerable rate, the controls that may compensate and the evaluation.
func (h engagementHandlers) evaluation(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	body, version, err := h.evaluationBody(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, version)
	c.JSON(http.StatusOK, body)
}

func (h engagementHandlers) evaluationBody(c *gin.Context, id int64) (any, int64, error) {
	v, err := h.svc.Evaluation(c.Request.Context(), id, c.Param("ref"))
	if err != nil {
		return nil, 0, err
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		return nil, 0, err
	}
	var version int64
	if v.Evaluation != nil {
		version = v.Evaluation.Version
	}
	return evaluationViewJSON(v, users), version, nil
}

// setEvaluation is PUT …/requirements/:ref/evaluation: the caller records
// the evaluation of the criterion's deviations.
func (h engagementHandlers) setEvaluation(c *gin.Context) {
	var b evaluationBody
	id, v, ok := h.editEvaluation(c, &b)
	if !ok {
		return
	}
	var systemic *bool
	switch b.Extent {
	case "isolated", "systemic":
		s := b.Extent == "systemic"
		systemic = &s
	}
	_, err := h.svc.Evaluate(c.Request.Context(), id, c.Param("ref"), principal(c).User.ID, engagement.CriterionEvaluationInput{
		Cause: b.Cause, Systemic: systemic, CompensatingID: b.CompensatingID, Conclusion: b.Conclusion, IfVersion: v})
	h.answerEvaluation(c, id, err)
}

// editEvaluation reads the engagement, the body into b and If-Match of a
// change to a criterion's evaluation; on a bad one it answers and reports false.
func (h engagementHandlers) editEvaluation(c *gin.Context, b any) (id int64, version *int64, ok bool) {
	id, err := engagementFrom(c)
	if err == nil {
		err = bindJSON(c, b)
	}
	if err != nil {
		fail(c, err)
		return 0, nil, false
	}
	version, ok = ifMatchOrFail(c)
	return id, version, ok
}

// answerEvaluation answers a change of an evaluation with the evaluation
// as GET shows it, or the error (a 412 with the current state).
func (h engagementHandlers) answerEvaluation(c *gin.Context, id int64, err error) {
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.evaluationBody(c, id) })
		return
	}
	body, version, err := h.evaluationBody(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, version)
	c.JSON(http.StatusOK, body)
}

// signEvaluation is PUT …/evaluation/sign-off {"as":"preparer"|"reviewer"}.
func (h engagementHandlers) signEvaluation(c *gin.Context) {
	var b signAsBody
	id, v, ok := h.editEvaluation(c, &b)
	if !ok {
		return
	}
	_, err := h.svc.SignEvaluation(c.Request.Context(), id, c.Param("ref"), principal(c).User.ID, engagement.SignOffInput{As: b.As, IfVersion: v})
	h.answerEvaluation(c, id, err)
}

// deleteEvaluation is DELETE …/requirements/:ref/evaluation: the
// deviations need evaluating again.
func (h engagementHandlers) deleteEvaluation(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	if err := h.svc.DeleteEvaluation(c.Request.Context(), id, c.Param("ref"), v); err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.evaluationBody(c, id) })
		return
	}
	c.Status(http.StatusNoContent)
}

// impactRow is a criterion that modifies, or may yet modify, the opinion.
type impactRow struct {
	Ref       string   `json:"ref"`
	Title     string   `json:"title"`
	State     string   `json:"state"`
	Controls  []string `json:"controls"`
	Deviating []string `json:"deviating"`
}

// opinionImpactJSON: the criteria not met, the scope limitations, those
// still to be evaluated, and whether the matters are pervasive.
type opinionImpactJSON struct {
	NotMet           []impactRow `json:"not_met"`
	ScopeLimitations []impactRow `json:"scope_limitations"`
	EvaluationNeeded []impactRow `json:"evaluation_needed"`
	Applicable       int         `json:"applicable"`
	Affected         int         `json:"affected"`
	PervasivePercent int         `json:"pervasive_percent"`
	Pervasive        bool        `json:"pervasive"`
}

// applicabilityJSON is a criterion decided not applicable to the engagement.
type applicabilityJSON struct {
	Ref           string    `json:"ref"`
	NotApplicable bool      `json:"not_applicable"`
	Reason        string    `json:"reason"`
	DecidedAt     time.Time `json:"decided_at"`
}

type applicabilityOne struct {
	Applicability applicabilityJSON `json:"applicability"`
}

func rollUpRowsJSON(rs []engagement.RequirementRollUp) []impactRow {
	out := make([]impactRow, len(rs))
	for i, r := range rs {
		out[i] = impactRow{Ref: r.Ref, Title: r.Title, State: r.State, Controls: r.Controls, Deviating: r.Deviating}
	}
	return out
}

// opinionImpact is GET …/opinion-impact: the criteria not met, the scope
// limitations, those still to be evaluated, and whether the matters that
// modify the opinion are pervasive.
func (h engagementHandlers) opinionImpact(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	o, err := h.svc.OpinionImpact(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, opinionImpactJSON{NotMet: rollUpRowsJSON(o.NotMet), ScopeLimitations: rollUpRowsJSON(o.ScopeLimitations),
		EvaluationNeeded: rollUpRowsJSON(o.EvaluationNeeded), Applicable: o.Applicable, Affected: o.Affected(),
		PervasivePercent: o.PervasivePercent, Pervasive: o.Pervasive})
}

// setNotApplicable is PUT …/applicability/:ref {"reason":"…"}: the
// criterion does not apply to this engagement.
func (h engagementHandlers) setNotApplicable(c *gin.Context) {
	var b reasonBody
	id, err := engagementFrom(c)
	if err == nil {
		err = bindJSON(c, &b)
	}
	if err != nil {
		fail(c, err)
		return
	}
	a, err := h.svc.SetNotApplicable(c.Request.Context(), id, c.Param("ref"), b.Reason, principal(c).User.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, applicabilityOne{Applicability: applicabilityJSON{Ref: c.Param("ref"), NotApplicable: true,
		Reason: a.Reason, DecidedAt: a.DecidedAt}})
}

// clearNotApplicable is DELETE …/applicability/:ref: the criterion
// applies to this engagement again.
func (h engagementHandlers) clearNotApplicable(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.ClearNotApplicable(c.Request.Context(), id, c.Param("ref")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
