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

type matrixHandlers struct{ db matrixStore }

// get answers the mapping matrix of a scope (?categories=…&soc1=true, as
// for coverage): its requirements in catalog order and every control that
// is not retired with the requirements of the scope it is mapped to, so
// the whole matrix of a large programme is one answer of a few hundred KB.
func (h matrixHandlers) get(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "categories", "soc1")
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
	outReqs := make([]gin.H, len(reqs))
	for i, r := range reqs {
		keys[r.ID] = r.FrameworkID + "/" + r.Ref
		outReqs[i] = gin.H{"requirement": keys[r.ID], "framework_id": r.FrameworkID, "ref": r.Ref, "title": r.Title, "category": r.Category}
	}
	outCtls := make([]gin.H, len(ctls))
	for i, ctl := range ctls {
		mapped := []string{}
		for _, id := range ctl.Requirements {
			if k, ok := keys[id]; ok {
				mapped = append(mapped, k)
			}
		}
		outCtls[i] = gin.H{"id": ctl.ID, "ref": ctl.Ref, "title": ctl.Title, "status": ctl.Status, "requirements": mapped}
	}
	c.JSON(http.StatusOK, gin.H{"requirements": outReqs, "controls": outCtls})
}
