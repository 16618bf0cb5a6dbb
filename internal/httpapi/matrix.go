package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/store"
)

// matrixStore is what the mapping matrix reads.
type matrixStore interface {
	ScopeRequirements(ctx context.Context, categories []string, soc1 bool) ([]store.Requirement, error)
	MatrixControls(ctx context.Context) ([]store.MatrixControl, error)
}

// matrixJSON is the mapping matrix of a scope.
type matrixJSON struct {
	Requirements []matrixRequirement `json:"requirements"`
	Controls     []matrixControl     `json:"controls"`
}

type matrixRequirement struct {
	Requirement string `json:"requirement"` // framework_id/ref
	FrameworkID string `json:"framework_id"`
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	Category    string `json:"category"`
}

type matrixControl struct {
	ID           int64    `json:"id"`
	Ref          string   `json:"ref"`
	Title        string   `json:"title"`
	Status       string   `json:"status" enum:"control_status"`
	Requirements []string `json:"requirements"` // framework_id/ref of each mapped requirement in scope
}

type matrixHandlers struct{ db matrixStore }

// get answers the mapping matrix of a scope (?categories=…&soc1=true, as
// for coverage): its requirements in catalog order and every control that
// is not retired with the requirements of the scope it is mapped to, so
// the whole matrix of a large programme is one answer of a few hundred KB.
func (h matrixHandlers) get(c *gin.Context) {
	q := newQuery(c)
	categories, soc1 := scopeCategories(q), q.boolean("soc1")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	reqs, err := h.db.ScopeRequirements(ctx, categories, soc1)
	if err != nil {
		fail(c, err)
		return
	}
	ctls, err := h.db.MatrixControls(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	keys := make(map[int64]string, len(reqs))
	outReqs := make([]matrixRequirement, len(reqs))
	for i, r := range reqs {
		keys[r.ID] = r.FrameworkID + "/" + r.Ref
		outReqs[i] = matrixRequirement{Requirement: keys[r.ID], FrameworkID: r.FrameworkID, Ref: r.Ref, Title: r.Title, Category: r.Category}
	}
	outCtls := make([]matrixControl, len(ctls))
	for i, ctl := range ctls {
		mapped := []string{}
		for _, id := range ctl.Requirements {
			if k, ok := keys[id]; ok {
				mapped = append(mapped, k)
			}
		}
		outCtls[i] = matrixControl{ID: ctl.ID, Ref: ctl.Ref, Title: ctl.Title, Status: ctl.Status, Requirements: mapped}
	}
	c.JSON(http.StatusOK, matrixJSON{Requirements: outReqs, Controls: outCtls})
}
