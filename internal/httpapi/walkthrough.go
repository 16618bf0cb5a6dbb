package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/engagement/results"
)

// walkthroughFields is a control's walkthrough; performed_by is an e-mail
// address.
type walkthroughFields struct {
	ControlID         int64     `json:"control_id"`
	PerformedOn       string    `json:"performed_on"`
	Participants      string    `json:"participants"`
	InstanceTraced    string    `json:"instance_traced"`
	EvidenceInspected string    `json:"evidence_inspected"`
	EvidenceIDs       []int64   `json:"evidence_ids"`
	PerformedBy       string    `json:"performed_by"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int64     `json:"version"`
}

type walkthroughOne struct {
	Walkthrough walkthroughFields `json:"walkthrough"`
}

// walkthroughBody changes the fields it names.
type walkthroughBody struct {
	PerformedOn       *string  `json:"performed_on"`
	Participants      *string  `json:"participants"`
	InstanceTraced    *string  `json:"instance_traced"`
	EvidenceInspected *string  `json:"evidence_inspected"`
	EvidenceIDs       *[]int64 `json:"evidence_ids"`
}

func walkthroughJSON(w results.Walkthrough, users map[int64]string) walkthroughFields {
	by := ""
	if w.PerformedBy != nil {
		by = users[*w.PerformedBy]
	}
	return walkthroughFields{ControlID: w.ControlID, PerformedOn: w.PerformedOn, Participants: w.Participants,
		InstanceTraced: w.InstanceTraced, EvidenceInspected: w.EvidenceInspected, EvidenceIDs: w.Evidence(),
		PerformedBy: by, UpdatedAt: w.UpdatedAt, Version: w.Version}
}

// walkthrough is a control's walkthrough as GET …/controls/:control/walkthrough
// shows it; version 0 while none was recorded.
func (h engagementHandlers) walkthrough(c *gin.Context, id, control int64) (any, int64, error) {
	w, err := h.imports.Walkthrough(c.Request.Context(), id, control)
	if err != nil {
		return nil, 0, err
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		return nil, 0, err
	}
	return walkthroughOne{Walkthrough: walkthroughJSON(w, users)}, w.Version, nil
}

// setWalkthrough records a control's walkthrough, performed by the caller.
func (h engagementHandlers) setWalkthrough(c *gin.Context) {
	var b walkthroughBody
	id, control, v, ok := h.edit(c, "control", &b)
	if !ok {
		return
	}
	_, err := h.imports.SetWalkthrough(c.Request.Context(), id, control, principal(c).User.ID, results.WalkthroughInput{
		PerformedOn: b.PerformedOn, Participants: b.Participants, InstanceTraced: b.InstanceTraced,
		EvidenceInspected: b.EvidenceInspected, EvidenceIDs: b.EvidenceIDs, IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.walkthrough(c, id, control) })
		return
	}
	body, version, err := h.walkthrough(c, id, control)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, version)
	c.JSON(http.StatusOK, body)
}
