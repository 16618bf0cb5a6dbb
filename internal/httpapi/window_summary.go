package httpapi

import (
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
)

// gridRowJSON is one row of the engagement's grid: the control as the
// control's own page has it, its windows counted by state instead of
// listed. The control's page reads them one by one.
func gridRowJSON(sc engagement.ScopedControl) gridRow {
	return gridRow{controlFields: controlFieldsJSON(sc), WindowSummary: windowSummary(sc.Windows)}
}

type gridRow struct {
	controlFields
	WindowSummary windowSummaryJSON `json:"window_summary"`
}

// windowSummaryJSON counts a control's expected windows by state.
type windowSummaryJSON struct {
	Expected int                  `json:"expected"`
	Counts   map[period.State]int `json:"counts"`
	Partial  int                  `json:"partial"`
}

// windowSummary counts a control's windows: how many are expected in the
// period, how many are in each state, how many are partial.
func windowSummary(ws []engagement.WindowState) windowSummaryJSON {
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
	return windowSummaryJSON{Expected: len(ws), Counts: counts, Partial: partial}
}
