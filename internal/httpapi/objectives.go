package httpapi

import (
	"net/http"

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
	c.JSON(http.StatusCreated, gin.H{"requirement": toRequirementJSON(r)})
}

func (h objectiveHandlers) update(c *gin.Context) {
	var b objectiveBody
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	r, err := h.svc.Update(c.Request.Context(), c.Param("ref"), b.input())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"requirement": toRequirementJSON(r)})
}
