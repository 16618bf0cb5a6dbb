package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
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
}
