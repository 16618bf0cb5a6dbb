package httpapi

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/coverage"
)

var soc2Categories = []string{"availability", "confidentiality", "processing_integrity", "privacy"}

type coverageHandlers struct{ cache *coverage.Cache }

// get reports coverage for ?categories=availability,confidentiality&soc1=true&expiring_days=30;
// &engagement=ID uses that engagement's not-applicable decisions instead
// of the organisation's.
func (h coverageHandlers) get(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "categories", "soc1", "expiring_days", "engagement")
	scope := coverage.Scope{Categories: scopeCategories(q), SOC1: q.boolean("soc1"), ExpiringDays: q.integer("expiring_days", 30, 0, 3650),
		Engagement: int64(q.integer("engagement", 0, 1, math.MaxInt32))}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rep, err := h.cache.Compute(c.Request.Context(), scope, time.Now().UTC())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, coverageJSON(rep))
}

// scopeCategories reads ?categories=availability,confidentiality: the SOC 2
// categories beside Security, which is always in scope.
func scopeCategories(q *query) []string {
	var out []string
	for _, cat := range strings.Split(q.str("categories", 200), ",") {
		switch cat = strings.TrimSpace(cat); {
		case cat == "" || cat == "security":
		case slices.Contains(soc2Categories, cat):
			out = append(out, cat)
		default:
			q.fields["categories"] = "comma-separated SOC 2 categories: " + strings.Join(soc2Categories, ", ")
		}
	}
	return out
}

func coverageJSON(rep coverage.Report) gin.H {
	reqs := make([]gin.H, len(rep.Requirements))
	for i, r := range rep.Requirements {
		ctls := make([]gin.H, len(r.Controls))
		for j, c := range r.Controls {
			ctls[j] = gin.H{"id": c.ID, "ref": c.Ref, "title": c.Title, "evidence": c.Evidence, "state": c.State}
		}
		reqs[i] = gin.H{"requirement": r.FrameworkID + "/" + r.Ref, "framework_id": r.FrameworkID, "ref": r.Ref,
			"title": r.Title, "category": r.Category, "series": r.Series, "state": r.State, "reason": r.Reason,
			"controls": ctls, "covered_controls": r.CoveredControls()}
	}
	summary := make([]gin.H, len(rep.Summary))
	for i, s := range rep.Summary {
		summary[i] = gin.H{"framework_id": s.FrameworkID, "category": s.Code, "name": s.Name, "total": s.Total, "states": s.States}
	}
	noEvidence := make([]gin.H, len(rep.ControlsWithoutEvidence))
	for i, c := range rep.ControlsWithoutEvidence {
		noEvidence[i] = gin.H{"id": c.ID, "ref": c.Ref, "title": c.Title}
	}
	expiring := make([]gin.H, len(rep.ExpiringEvidence))
	for i, e := range rep.ExpiringEvidence {
		expiring[i] = gin.H{"id": e.ID, "title": e.Title, "expires_on": e.ExpiresOn, "expired": e.Expired}
	}
	return gin.H{"requirements": reqs, "summary": summary, "controls_without_evidence": noEvidence,
		"expiring_evidence": expiring}
}
