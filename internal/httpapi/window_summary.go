package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
)

// gridRowJSON is one row of the engagement's grid: the control as the
// control's own page has it, its windows counted by state instead of
// listed. The control's page reads them one by one.
func gridRowJSON(sc engagement.ScopedControl) gin.H {
	item := controlFieldsJSON(sc)
	item["window_summary"] = windowSummary(sc.Windows)
	return item
}

// windowSummary counts a control's windows: how many are expected in the
// period, how many are in each state, how many are partial.
func windowSummary(ws []engagement.WindowState) gin.H {
	counts := make(map[period.State]int, len(period.States))
	for _, s := range period.States {
		counts[s] = 0
	}
	partial := 0
	for _, w := range ws {
		counts[w.State]++
		if w.Partial {
			partial++
		}
	}
	return gin.H{"expected": len(ws), "counts": counts, "partial": partial}
}
