package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/dashboard"
)

type dashboardHandlers struct{ svc *dashboard.Service }

// get answers one engagement's dashboard, or the organisation's without
// ?engagement_id.
func (h dashboardHandlers) get(c *gin.Context) {
	q := newQuery(c)
	id := int64(q.integer("engagement_id", 0, 1, 1<<31))
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	var d dashboard.Dashboard
	var err error
	if id == 0 {
		d, err = h.svc.ForOrganisation(c.Request.Context())
	} else {
		d, err = h.svc.ForEngagement(c.Request.Context(), id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
