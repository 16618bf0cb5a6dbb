package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// TestDemoResultsMatchTheirSamples: every concluded result of the demo's
// SOC 2 states the n of m of its samples, each rests on a tested sample,
// and the leavers' sample was extended after its deviation.
func TestDemoResultsMatchTheirSamples(t *testing.T) {
	ctx := context.Background()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eng := engagement.NewService(db, nil)
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	eng.SetClock(func() time.Time { return today.Add(9 * time.Hour) })
	loaded, err := demo.Load(ctx, db, blobs, tasks.NewService(db, eng, tasks.DefaultSettings()), demo.Options{Seed: demo.DefaultSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	soc2 := loaded.Engagements[0]
	results, _, err := eng.Results(ctx, soc2)
	if err != nil {
		t.Fatal(err)
	}
	concluded, extended := 0, false
	for controlID, r := range results {
		w, err := eng.Work(ctx, soc2, controlID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range w.Samples {
			extended = extended || s.ExtendsID != nil
		}
		if r.Result != "no_exceptions" && r.Result != "exceptions_noted" {
			continue
		}
		concluded++
		st := w.Stats
		if r.TestedCount != st.Tested || r.ExceptionsFound != st.Failed || st.Tested == 0 || len(st.Untested) > 0 || st.Tested < st.Required {
			t.Errorf("control %d: %q, but its samples have %d of %d tested (%d required, %d untested)",
				controlID, r.Label(), st.Failed, st.Tested, st.Required, len(st.Untested))
		}
		if (r.Result == "exceptions_noted") != (st.Failed > 0) {
			t.Errorf("control %d: %q with %d failed items", controlID, r.Label(), st.Failed)
		}
	}
	if concluded < 5 || !extended {
		t.Errorf("%d concluded results, a sample extended: %v", concluded, extended)
	}
	checkPopulationsFollowFrequency(t, eng, soc2, civil.Of(today))
	checkMatrixStatesTheTest(t, db, eng, soc2)
}

// checkPopulationsFollowFrequency: a tested control's population is its
// occurrences so far: one per window for a control tested by windows (12
// for a monthly control over a year, never a fortnightly list), one for
// an automated control's baseline.
func checkPopulationsFollowFrequency(t *testing.T, eng *engagement.Service, id int64, today civil.Date) {
	ctx := context.Background()
	scoped, err := eng.Controls(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	checked := map[period.Basis]int{}
	for _, c := range scoped {
		w, err := eng.Work(ctx, id, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.Population == nil || c.Basis == period.ByPopulation {
			continue
		}
		// An occurrence is listed once its window has ended, or, for a
		// control that has already operated (an annual review), started.
		ended, started := 1, 1
		if c.Basis == period.ByWindows {
			ended, started = 0, 0
			for _, win := range c.Windows {
				if win.Ended(today) {
					ended++
				}
				if !win.Start.After(today) {
					started++
				}
			}
		}
		if got := w.Stats.Items(); got < ended || got > started {
			t.Errorf("%s (%s): population of %d, want %d to %d", c.Ref, c.Frequency, got, ended, started)
		}
		checked[c.Basis]++
	}
	if checked[period.ByWindows] == 0 || checked[period.Baseline] == 0 {
		t.Errorf("populations checked by basis: %v, want controls tested by windows and by baseline", checked)
	}
}

// checkMatrixStatesTheTest: the control matrix gives a tested control's
// population and sample as tested, event-driven controls included.
func checkMatrixStatesTheTest(t *testing.T, db *store.DB, eng *engagement.Service, id int64) {
	ctx := context.Background()
	_, tables, err := record.NewService(db, eng).Workbook(ctx, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]int64{}
	scoped, err := eng.Controls(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range scoped {
		refs[c.Ref] = c.ID
	}
	for _, tb := range tables {
		if tb.Name != "Control matrix" {
			continue
		}
		col := map[string]int{}
		for i, c := range tb.Columns {
			col[c.Header] = i
		}
		rows := 0
		err := tb.Each(func(row []any) error {
			w, err := eng.Work(ctx, id, refs[fmt.Sprint(row[col["Control ID"]])])
			if err != nil || w.Population == nil {
				return err
			}
			rows++
			if row[col["Population size"]] != w.Stats.Items() || row[col["Sample size"]] != w.SampleSize() {
				t.Errorf("%v: population %v and sample %v, want %d and %d", row[col["Control ID"]],
					row[col["Population size"]], row[col["Sample size"]], w.Stats.Items(), w.SampleSize())
			}
			return nil
		})
		if err != nil || rows == 0 {
			t.Fatalf("control matrix: %v, %d tested rows", err, rows)
		}
		return
	}
	t.Fatal("no control matrix sheet")
}
