package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/settings"
)

// settingsHandlers serve the installation's stored settings.
type settingsHandlers struct{ svc *settings.Service }

type settingsJSON struct {
	Organisation string `json:"organisation"`
}

type settingsOne struct {
	Settings settingsJSON `json:"settings"`
}

type holidayList struct {
	Holidays []settings.Holiday `json:"holidays"`
}

func (h settingsHandlers) get(c *gin.Context) {
	org, err := h.svc.Organisation(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, settingsOne{Settings: settingsJSON{Organisation: org}})
}

func (h settingsHandlers) put(c *gin.Context) {
	var b settingsJSON
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	org, err := h.svc.SetOrganisation(c.Request.Context(), b.Organisation)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, settingsOne{Settings: settingsJSON{Organisation: org}})
}

func (h settingsHandlers) holidays(c *gin.Context) {
	list, err := h.svc.Holidays(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, holidayList{Holidays: nonNil(list)})
}

func (h settingsHandlers) putHolidays(c *gin.Context) {
	var b holidayList
	if err := bindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	list, err := h.svc.SetHolidays(c.Request.Context(), b.Holidays)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, holidayList{Holidays: nonNil(list)})
}
