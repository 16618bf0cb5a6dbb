package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
)

type categoryJSON struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	Description      string `json:"description"`
	RequirementCount int    `json:"requirement_count"`
}

type frameworkJSON struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Kind             string         `json:"kind"`
	Version          string         `json:"version"`
	Description      string         `json:"description"`
	RequirementCount int            `json:"requirement_count"`
	Categories       []categoryJSON `json:"categories"`
}

type requirementJSON struct {
	FrameworkID   string `json:"framework_id"`
	Ref           string `json:"ref"`
	Category      string `json:"category"`
	Series        string `json:"series"`
	SeriesName    string `json:"series_name"`
	COSOPrinciple *int   `json:"coso_principle"`
	Title         string `json:"title"`
	Description   string `json:"description"`
}

func toRequirementJSON(r store.Requirement) requirementJSON {
	return requirementJSON{FrameworkID: r.FrameworkID, Ref: r.Ref, Category: r.Category,
		Series: r.Series, SeriesName: r.SeriesName, COSOPrinciple: r.COSOPrinciple,
		Title: r.Title, Description: r.Description}
}

type catalogHandlers struct{ svc *catalog.Service }

func (h catalogHandlers) listFrameworks(c *gin.Context) {
	if err := newQuery(c.Request.URL.Query()).err(); err != nil {
		fail(c, err)
		return
	}
	fws, err := h.svc.Frameworks(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]frameworkJSON, len(fws))
	for i, fw := range fws {
		cats := make([]categoryJSON, len(fw.Categories))
		for j, cat := range fw.Categories {
			cats[j] = categoryJSON{Code: cat.Code, Name: cat.Name, Description: cat.Description,
				RequirementCount: cat.RequirementCount}
		}
		out[i] = frameworkJSON{ID: fw.ID, Name: fw.Name, Kind: fw.Kind, Version: fw.Version,
			Description: fw.Description, RequirementCount: fw.RequirementCount, Categories: cats}
	}
	c.JSON(http.StatusOK, gin.H{"frameworks": out})
}

const maxPageSize = 500

func (h catalogHandlers) listRequirements(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "category", "series", "q", "limit", "offset")
	f := store.RequirementFilter{
		FrameworkID: c.Param("framework"),
		Category:    q.str("category", 64),
		Series:      q.str("series", 64),
		Text:        q.str("q", 200),
		Limit:       q.integer("limit", 100, 1, maxPageSize),
		Offset:      q.integer("offset", 0, 0, 1_000_000),
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	reqs, total, err := h.svc.Requirements(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]requirementJSON, len(reqs))
	for i, r := range reqs {
		out[i] = toRequirementJSON(r)
	}
	c.JSON(http.StatusOK, gin.H{"requirements": out, "total": total, "limit": f.Limit, "offset": f.Offset})
}

func (h catalogHandlers) getRequirement(c *gin.Context) {
	if err := newQuery(c.Request.URL.Query()).err(); err != nil {
		fail(c, err)
		return
	}
	r, err := h.svc.Requirement(c.Request.Context(), c.Param("framework"), c.Param("ref"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"requirement": toRequirementJSON(r)})
}
