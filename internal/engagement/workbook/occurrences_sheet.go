package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
)

// byMonth are the frequencies whose windows the Occurrences sheet shows a
// month to a row: an auditor reads a daily control's year as twelve
// months with the days that lack evidence named, not as 365 lines.
var byMonth = []string{period.Daily, period.SeveralTimesADay, period.Weekly}

// occurrences is the Occurrences sheet: one row per expected occurrence
// window, or per month of windows for daily and weekly controls, with its
// state (or the count of each state), due date, evidence, summary
// evidence attached and why a window was not expected. The rows are
// folded now, a month of a daily control into one, so that the caller
// can drop the windows themselves (releaseWindows): held until the sheet
// is written, they were the largest part of the export's memory.
func (b sheetBuilder) occurrences() exports.Table {
	var rows [][]any
	for _, c := range b.scoped {
		if !c.Included {
			continue
		}
		monthly := slices.Contains(byMonth, c.Frequency)
		for i := 0; i < len(c.Windows); {
			n := 1
			if monthly {
				n = sameMonth(c.Windows[i:])
			}
			rows = append(rows, occurrenceRow(c.Ref, c.Windows[i:i+n], monthly))
			i += n
		}
	}
	return exports.Table{Name: "Occurrences", Columns: []exports.Column{{Header: "Control", Width: 11}, {Header: "Window or month", Width: 14},
		{Header: "From", Width: 11, Kind: exports.Date}, {Header: "To", Width: 11, Kind: exports.Date},
		{Header: "Partial", Width: 7}, {Header: "State", Width: 22, Words: true}, {Header: "Due", Width: 11, Kind: exports.Date},
		{Header: "Evidence IDs", Width: 22}, {Header: "Summary evidence attached", Width: 16},
		{Header: "Not expected, or without evidence", Width: 36}}, Rows: rows}
}

// releaseWindows drops the controls' occurrence windows once the sheets
// that read them (the roll-up, Control operation, Occurrences) are built.
func (b sheetBuilder) releaseWindows() {
	for i := range b.scoped {
		b.scoped[i].Windows = nil
	}
	for id, c := range b.byID {
		c.Windows = nil
		b.byID[id] = c
	}
}

// sameMonth counts the windows at the start of ws that begin in the
// month of the first.
func sameMonth(ws []engagement.WindowState) int {
	y, m, _ := ws[0].Start.Time().Date()
	n := 1
	for n < len(ws) {
		y2, m2, _ := ws[n].Start.Time().Date()
		if y2 != y || m2 != m {
			break
		}
		n++
	}
	return n
}

// occurrenceRow is one window, or a month of windows, as a row.
func occurrenceRow(ref string, ws []engagement.WindowState, monthly bool) []any {
	first, last := ws[0], ws[len(ws)-1]
	if !monthly || len(ws) == 1 {
		// The dates are in their own columns: "Month 8", not "Month 8 (2026-11-15 to 2026-12-14)".
		label, _, _ := strings.Cut(first.Label, " (")
		label, _, _ = strings.Cut(label, " for ") // "Baseline: test of one"
		return []any{ref, label, first.Start, first.End, yesNo(first.Partial), string(first.State), first.DueOn,
			compactIDs(first.Evidence), compactIDs(first.Attached), first.Reason}
	}
	counts := map[period.State]int{}
	named := map[period.State][]string{} // the windows of a state, by their short names
	var evidence, attached []int64
	var reasons []string
	partial := false
	for _, w := range ws {
		counts[w.State]++
		named[w.State] = append(named[w.State], w.Short)
		evidence = append(evidence, w.Evidence...)
		attached = append(attached, w.Attached...)
		partial = partial || w.Partial
		if w.State == period.NotExpected && !slices.Contains(reasons, w.Reason) {
			reasons = append(reasons, w.Reason)
		}
	}
	var states, notes []string
	for _, st := range period.States {
		if counts[st] == 0 {
			continue
		}
		words := strings.ReplaceAll(string(st), "_", " ")
		states = append(states, fmt.Sprintf("%d %s", counts[st], words))
		switch st {
		case period.Missing, period.Due:
			notes = append(notes, words+": "+strings.Join(named[st], ", "))
		case period.NotExpected:
			notes = append(notes, words+": "+strings.Join(named[st], ", ")+" ("+strings.Join(reasons, "; ")+")")
		}
	}
	label := fmt.Sprintf("%s (%d)", first.Start.Time().Format("Jan 2006"), len(ws))
	return []any{ref, label, first.Start, last.End, yesNo(partial), strings.Join(states, ", "), last.DueOn,
		compactIDs(evidence), compactIDs(attached), strings.Join(notes, "; ")}
}

// compactIDs writes IDs sorted, once each, with runs as ranges:
// "12, 15-40, 42".
func compactIDs(ids []int64) string {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, fmt.Sprint(ids[i]))
		case j == i+1:
			parts = append(parts, fmt.Sprint(ids[i]), fmt.Sprint(ids[j]))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", ids[i], ids[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
