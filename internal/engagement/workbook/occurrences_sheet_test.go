package workbook

import (
	"fmt"
	"testing"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
)

func TestCompactIDs(t *testing.T) {
	for _, c := range []struct {
		in   []int64
		want string
	}{{nil, ""}, {[]int64{7}, "7"}, {[]int64{3, 2, 2}, "2, 3"}, {[]int64{12, 15, 16, 17, 18, 42, 40, 41}, "12, 15-18, 40-42"}} {
		if got := compactIDs(c.in); got != c.want {
			t.Errorf("compactIDs(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A daily control's March is one row: its days counted by state, the
// days without evidence named, its evidence as ranges.
func TestOccurrenceRowForAMonth(t *testing.T) {
	day := func(d int) civil.Date { return civil.Of(civil.MustParse("2026-03-01").Time().AddDate(0, 0, d-1)) }
	var ws []engagement.WindowState
	for d := 1; d <= 31; d++ {
		w := engagement.WindowState{Window: period.Window{Start: day(d), End: day(d), Label: day(d).String(), Short: fmt.Sprint(d)},
			State: period.Covered, Evidence: []int64{int64(100 + d)}}
		switch d {
		case 4:
			w.State, w.Evidence = period.Missing, nil
		case 9:
			w.State, w.Evidence, w.Reason = period.NotExpected, nil, "system freeze"
		}
		ws = append(ws, w)
	}
	if n := sameMonth(append(ws, engagement.WindowState{Window: period.Window{Start: civil.MustParse("2026-04-01")}})); n != 31 {
		t.Fatalf("sameMonth = %d", n)
	}
	row := occurrenceRow("NET-04", ws, true)
	if row[1] != "Mar 2026 (31)" || row[5] != "29 covered, 1 missing, 1 not expected" ||
		row[7] != "101-103, 105-108, 110-131" ||
		row[9] != "missing: 4; not expected: 9 (system freeze)" {
		t.Errorf("March row %q", row)
	}
}

// A single window keeps its own state, and its label loses the dates
// its From and To columns show.
func TestOccurrenceRowForAWindow(t *testing.T) {
	w := engagement.WindowState{Window: period.Window{Start: civil.MustParse("2026-11-15"), End: civil.MustParse("2026-12-14"),
		Label: "Month 8 (2026-11-15 to 2026-12-14)", Short: "M8"}, State: period.NotYetDue}
	if row := occurrenceRow("AC-06", []engagement.WindowState{w}, false); row[1] != "Month 8" || row[5] != "not_yet_due" {
		t.Errorf("row %q", row)
	}
}
