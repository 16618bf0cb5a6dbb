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
	// SOC 1 objective templates: the industry ("all" for every one), whether
	// it is offered rather than proposed, the retired templates it replaces
	// and the control activities suggested beneath it.
	Industry   string         `json:"industry"`
	Optional   bool           `json:"optional"`
	Replaces   []string       `json:"replaces"`
	Activities []activityJSON `json:"activities"`
}

type activityJSON struct {
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Frequency   string `json:"frequency"`
	Nature      string `json:"nature"`
	Type        string `json:"type"`
}

func toRequirementJSON(r store.Requirement) requirementJSON {
	return requirementJSON{FrameworkID: r.FrameworkID, Ref: r.Ref, Category: r.Category,
		Series: r.Series, SeriesName: r.SeriesName, COSOPrinciple: r.COSOPrinciple,
		Title: r.Title, Description: r.Description, Industry: r.Industry, Optional: r.Optional,
		Replaces: append([]string{}, r.Replaces...), Activities: []activityJSON{}}
}

// withActivities is r with the activities suggested beneath it.
func withActivities(r store.Requirement, acts []store.TemplateActivity) requirementJSON {
	out := toRequirementJSON(r)
	for _, a := range acts {
		if a.RequirementRef == r.Ref {
			out.Activities = append(out.Activities, toActivityJSON(a))
		}
	}
	return out
}

func toActivityJSON(a store.TemplateActivity) activityJSON {
	return activityJSON{Ref: a.Ref, Title: a.Title, Description: a.Description,
		Frequency: a.Frequency, Nature: a.Nature, Type: a.ControlType}
}

type industryJSON struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Services     []string `json:"services"`
	TemplateRefs []string `json:"template_refs"`
}

func toIndustryJSON(ind store.Industry) industryJSON {
	return industryJSON{Code: ind.Code, Name: ind.Name, Description: ind.Description,
		Services: append([]string{}, ind.Services...), TemplateRefs: append([]string{}, ind.TemplateRefs...)}
}

type frameworkList struct {
	Frameworks []frameworkJSON `json:"frameworks"`
}

type requirementList struct {
	Requirements []requirementJSON `json:"requirements"`
	Total        int64             `json:"total"`
	Limit        int               `json:"limit"`
	Offset       int               `json:"offset"`
}

type industryList struct {
	Industries []industryJSON `json:"industries"`
}

type requirementOne struct {
	Requirement requirementJSON `json:"requirement"`
}

type catalogHandlers struct{ svc *catalog.Service }

func (h catalogHandlers) listFrameworks(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
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
	c.JSON(http.StatusOK, frameworkList{Frameworks: out})
}

const maxPageSize = 500

func (h catalogHandlers) listRequirements(c *gin.Context) {
	q := newQuery(c)
	f := store.RequirementFilter{
		FrameworkID: c.Param("framework"),
		Category:    q.str("category", 64),
		Series:      q.str("series", 64),
		Industry:    q.str("industry", 64),
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
	refs := make([]string, len(reqs))
	for i, r := range reqs {
		refs[i] = r.Ref
	}
	acts, err := h.svc.Activities(c.Request.Context(), f.FrameworkID, refs)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]requirementJSON, len(reqs))
	for i, r := range reqs {
		out[i] = withActivities(r, acts)
	}
	c.JSON(http.StatusOK, requirementList{Requirements: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// listIndustries returns the industries a framework's templates are
// written for, each with its objective set in report order.
func (h catalogHandlers) listIndustries(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	inds, err := h.svc.Industries(c.Request.Context(), c.Param("framework"))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]industryJSON, len(inds))
	for i, ind := range inds {
		out[i] = toIndustryJSON(ind)
	}
	c.JSON(http.StatusOK, industryList{Industries: out})
}

func (h catalogHandlers) getRequirement(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	r, err := h.svc.Requirement(c.Request.Context(), c.Param("framework"), c.Param("ref"))
	if err != nil {
		fail(c, err)
		return
	}
	acts, err := h.svc.Activities(c.Request.Context(), r.FrameworkID, []string{r.Ref})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, requirementOne{Requirement: withActivities(r, acts)})
}
