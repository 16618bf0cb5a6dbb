package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Occurrence windows of an engagement's control, named by their first
// day: marked not expected with a reason, or given summary evidence.

// attachBody names the summary evidence that speaks for a window.
type attachBody struct {
	EvidenceID int64 `json:"evidence_id"`
}

func (h engagementHandlers) markNotExpected(c *gin.Context) {
	var b reasonBody
	id, control, err := h.ids(c, "control")
	if err == nil {
		err = bindJSON(c, &b)
	}
	if err == nil {
		err = h.windows.MarkNotExpected(c.Request.Context(), id, control, c.Param("window"), b.Reason)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h engagementHandlers) clearNotExpected(c *gin.Context) {
	id, control, err := h.ids(c, "control")
	if err == nil {
		err = h.windows.ClearNotExpected(c.Request.Context(), id, control, c.Param("window"))
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h engagementHandlers) attachEvidence(c *gin.Context) {
	var b attachBody
	id, control, err := h.ids(c, "control")
	if err == nil {
		err = bindJSON(c, &b)
	}
	if err == nil {
		err = h.windows.AttachEvidence(c.Request.Context(), id, control, c.Param("window"), b.EvidenceID)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h engagementHandlers) detachEvidence(c *gin.Context) {
	id, control, err := h.ids(c, "control")
	var evidenceID int64
	if err == nil {
		evidenceID, err = pathID(c, "evidence")
	}
	if err == nil {
		err = h.windows.DetachEvidence(c.Request.Context(), id, control, c.Param("window"), evidenceID)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
