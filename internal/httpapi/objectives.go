package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/soc1"
)

type objectiveHandlers struct{ svc *soc1.Service }

type objectiveBody struct {
	Ref         string `json:"ref"`
	TemplateRef string `json:"template_ref"`
	Category    string `json:"category"`
	Domain      string `json:"domain"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

func (b objectiveBody) input() soc1.Input {
	return soc1.Input{Ref: b.Ref, TemplateRef: b.TemplateRef, Category: b.Category,
		Domain: b.Domain, Title: b.Title, Description: b.Description}
}

type objectiveOne struct {
	Objective objectiveJSON `json:"objective"`
}

// objectiveSaved is an objective after an edit, as a catalog requirement
// and as the organisation's objective.
type objectiveSaved struct {
	Requirement requirementJSON `json:"requirement"`
	Objective   objectiveJSON   `json:"objective"`
}

type objectiveList struct {
	Objectives []objectiveJSON `json:"objectives"`
}

// proposalJSON is a complete, numbered objective set for the industries
// and services asked about.
type proposalJSON struct {
	Industries []industryJSON `json:"industries"`
	Objectives []proposedJSON `json:"objectives"`
	Numbering  []string       `json:"numbering"`
}

// adoptBody is a whole objective set, as the user reworded it.
type adoptBody struct {
	Objectives []objectiveBody `json:"objectives"`
}

type adoptedJSON struct {
	Objectives []requirementJSON `json:"objectives"`
}

// adoptActivitiesBody picks suggested activities and the ref each draft
// control takes.
type adoptActivitiesBody struct {
	Activities []struct {
		Ref        string `json:"ref"`
		ControlRef string `json:"control_ref"`
	} `json:"activities"`
}

type draftControlJSON struct {
	ID     int64  `json:"id"`
	Ref    string `json:"ref"`
	Title  string `json:"title"`
	Status string `json:"status" enum:"control_status"`
}

type draftControlList struct {
	Controls []draftControlJSON `json:"controls"`
}

func (h objectiveHandlers) create(c *gin.Context) {
	var b objectiveBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	r, err := h.svc.Create(c.Request.Context(), b.input())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, requirementOne{Requirement: toRequirementJSON(r)})
}

func (h objectiveHandlers) update(c *gin.Context) {
	var b objectiveBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	in := b.input()
	var ok bool
	if in.IfVersion, ok = ifMatchOrFail(c); !ok {
		return
	}
	ref := c.Param("ref")
	r, err := h.svc.Update(c.Request.Context(), ref, in)
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.objective(c, ref) })
		return
	}
	o, err := h.svc.Objective(c.Request.Context(), ref)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, r.Version)
	c.JSON(http.StatusOK, objectiveSaved{Requirement: toRequirementJSON(r), Objective: toObjectiveJSON(o)})
}

// objective is one objective as GET /soc1-objectives/:ref shows it, with
// its version.
func (h objectiveHandlers) objective(c *gin.Context, ref string) (any, int64, error) {
	o, err := h.svc.Objective(c.Request.Context(), ref)
	if err != nil {
		return nil, 0, err
	}
	return objectiveOne{Objective: toObjectiveJSON(o)}, o.Version, nil
}

func (h objectiveHandlers) get(c *gin.Context) {
	body, v, err := h.objective(c, c.Param("ref"))
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(http.StatusOK, body)
}

type templateStateJSON struct {
	Ref        string   `json:"ref"`
	Current    bool     `json:"current"`
	ReplacedBy []string `json:"replaced_by"`
}

type objectiveJSON struct {
	requirementJSON
	TemplateRef string `json:"template_ref"`
	// Template is what became of the template the objective was written
	// from; null for an objective written from scratch.
	Template *templateStateJSON `json:"template"`
	Version  int64              `json:"version"` // the ETag's value: send it back as If-Match
}

func toObjectiveJSON(o soc1.Objective) objectiveJSON {
	out := objectiveJSON{requirementJSON: withActivities(o.Requirement, nil), TemplateRef: o.TemplateRef, Version: o.Version}
	for _, a := range o.Activities {
		out.Activities = append(out.Activities, toActivityJSON(a))
	}
	if t := o.Template; t != nil {
		out.Template = &templateStateJSON{Ref: t.Ref, Current: t.Current, ReplacedBy: t.ReplacedBy}
	}
	return out
}

// list returns the organisation's objectives with the control activities
// suggested beneath each.
func (h objectiveHandlers) list(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		fail(c, err)
		return
	}
	objectives, err := h.svc.Objectives(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]objectiveJSON, len(objectives))
	for i, o := range objectives {
		out[i] = toObjectiveJSON(o)
	}
	c.JSON(http.StatusOK, objectiveList{Objectives: out})
}

type proposedJSON struct {
	Ref       string          `json:"ref"`
	Selected  bool            `json:"selected"`
	AdoptedAs []string        `json:"adopted_as"`
	Template  requirementJSON `json:"template"`
}

// proposal answers ?industries=payroll,claims and/or ?services=payroll,saas
// (the scoping assistant's answers) with a complete, numbered objective set.
func (h objectiveHandlers) proposal(c *gin.Context) {
	q := newQuery(c)
	industries, services := commaList(q.str("industries", 500)), commaList(q.str("services", 500))
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	p, err := h.svc.Propose(c.Request.Context(), industries, services)
	if err != nil {
		fail(c, err)
		return
	}
	inds := make([]industryJSON, len(p.Industries))
	for i, ind := range p.Industries {
		inds[i] = toIndustryJSON(ind)
	}
	objectives := make([]proposedJSON, len(p.Objectives))
	for i, o := range p.Objectives {
		objectives[i] = proposedJSON{Ref: o.Ref, Selected: o.Selected, AdoptedAs: append([]string{}, o.AdoptedAs...),
			Template: withActivities(o.Template.Requirement, o.Template.Activities)}
	}
	c.JSON(http.StatusOK, proposalJSON{Industries: inds, Objectives: objectives, Numbering: p.Numbering})
}

// commaList splits "a, b,,c" into [a b c].
func commaList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// adopt takes a whole objective set, as the user reworded it, in one request.
func (h objectiveHandlers) adopt(c *gin.Context) {
	var b adoptBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	ins := make([]soc1.Input, len(b.Objectives))
	for i, o := range b.Objectives {
		ins[i] = o.input()
	}
	created, err := h.svc.Adopt(c.Request.Context(), ins)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]requirementJSON, len(created))
	for i, r := range created {
		out[i] = toRequirementJSON(r)
	}
	c.JSON(http.StatusCreated, adoptedJSON{Objectives: out})
}

// adoptActivities turns suggested control activities into draft controls
// mapped to the objective.
func (h objectiveHandlers) adoptActivities(c *gin.Context) {
	var b adoptActivitiesBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	picks := make([]soc1.ActivityPick, len(b.Activities))
	for i, a := range b.Activities {
		picks[i] = soc1.ActivityPick{Ref: a.Ref, ControlRef: a.ControlRef}
	}
	drafts, err := h.svc.AdoptActivities(c.Request.Context(), c.Param("ref"), picks)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]draftControlJSON, len(drafts))
	for i, d := range drafts {
		out[i] = draftControlJSON{ID: d.ID, Ref: d.Ref, Title: d.Title, Status: d.Status}
	}
	c.JSON(http.StatusCreated, draftControlList{Controls: out})
}
