package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// signOff records who tested a control in an engagement and who reviewed
// the testing: PUT …/controls/:control/sign-off {"tester","reviewer"}.
func (h engagementHandlers) signOff(c *gin.Context) {
	var b struct {
		Tester   *string `json:"tester"`
		Reviewer *string `json:"reviewer"`
	}
	id, control, v, ok := h.edit(c, "control", &b)
	if !ok {
		return
	}
	s, err := h.svc.SignOff(c.Request.Context(), id, control, engagement.SignOffInput{Tester: b.Tester, Reviewer: b.Reviewer,
		IfVersion: v})
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, s.Version)
	c.JSON(http.StatusOK, gin.H{"sign_off": gin.H{"control_id": control, "tester": s.Tester, "reviewer": s.Reviewer,
		"version": s.Version}})
}

func evaluationJSON(x store.ExceptionEvaluation) gin.H {
	return gin.H{"exception_id": x.ID, "identified_on": x.IdentifiedOn, "root_cause": x.RootCause, "extent": x.Extent,
		"compensating_controls": x.CompensatingControls, "remediation": x.Remediation, "retest": x.Retest, "version": x.Version}
}

// evaluateException records the auditor's evaluation of an exception:
// PUT …/exceptions/:exception/evaluation; absent fields stay as they are.
func (h engagementHandlers) evaluateException(c *gin.Context) {
	var b struct {
		IdentifiedOn         *string `json:"identified_on"`
		RootCause            *string `json:"root_cause"`
		Extent               *string `json:"extent"`
		CompensatingControls *string `json:"compensating_controls"`
		Remediation          *string `json:"remediation"`
		Retest               *string `json:"retest"`
	}
	id, exc, v, ok := h.edit(c, "exception", &b)
	if !ok {
		return
	}
	x, err := h.svc.EvaluateException(c.Request.Context(), id, exc, engagement.EvaluationInput{IdentifiedOn: b.IdentifiedOn,
		RootCause: b.RootCause, Extent: b.Extent, CompensatingControls: b.CompensatingControls, Remediation: b.Remediation,
		Retest: b.Retest, IfVersion: v})
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusOK, gin.H{"evaluation": evaluationJSON(x)})
}
