package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/settings"
)

// settingsHandlers serve the installation's stored settings.
type settingsHandlers struct{ svc *settings.Service }

func (h settingsHandlers) get(c *gin.Context) {
	org, err := h.svc.Organisation(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"settings": gin.H{"organisation": org}})
}

func (h settingsHandlers) put(c *gin.Context) {
	var b struct {
		Organisation string `json:"organisation"`
	}
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	org, err := h.svc.SetOrganisation(c.Request.Context(), b.Organisation)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"settings": gin.H{"organisation": org}})
}

func (h settingsHandlers) holidays(c *gin.Context) {
	list, err := h.svc.Holidays(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"holidays": list})
}

func (h settingsHandlers) putHolidays(c *gin.Context) {
	var b struct {
		Holidays []settings.Holiday `json:"holidays"`
	}
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.SetHolidays(c.Request.Context(), b.Holidays)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"holidays": list})
}
