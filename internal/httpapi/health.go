package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Readiness is what /readyz asks: is the database reachable and current?
type Readiness interface {
	Ready(ctx context.Context) error
}

// healthJSON is the state of the process or of its database.
type healthJSON struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// healthz answers as long as the process serves requests.
func healthz(c *gin.Context) {
	c.JSON(http.StatusOK, healthJSON{Status: "ok"})
}

func readyz(r Readiness) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := r.Ready(ctx); err != nil {
			c.JSON(http.StatusServiceUnavailable, healthJSON{Status: "unavailable", Reason: err.Error()})
			return
		}
		c.JSON(http.StatusOK, healthJSON{Status: "ready"})
	}
}
