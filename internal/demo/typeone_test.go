package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// TestDemoTypeOne: the demo's third engagement is a SOC 2 Type I as of
// the end of the month before last, with three controls walked through,
// each suitably designed and implemented on evidence from the 90 days
// before the as-of date; its control matrix has no Type II column.
func TestDemoTypeOne(t *testing.T) {
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
	if len(loaded.Engagements) != 3 {
		t.Fatalf("engagements %v, want the SOC 2, the SOC 1 and the Type I", loaded.Engagements)
	}
	id := loaded.Engagements[2]
	d, err := eng.Get(ctx, id)
	if err != nil || d.ReportType != "type1" || *d.AsOf != "2026-09-30" || d.EvidenceWindowDays != 90 {
		t.Fatalf("the Type I: %+v %v", d.Engagement, err)
	}
	walkthroughs, err := results.WalkthroughsOf(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	results, evidence, err := eng.Results(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || len(walkthroughs) != 3 {
		t.Fatalf("%d results and %d walkthroughs, want 3 of each", len(results), len(walkthroughs))
	}
	for c, r := range results {
		if r.DesignResult != "suitably_designed" || r.Implementation != "implemented" || len(evidence[c]) == 0 {
			t.Errorf("control %d: %s, %q on %v", c, r.DesignResult, r.Implementation, evidence[c])
		}
		if w := walkthroughs[c]; w.PerformedOn != "2026-09-25" || w.InstanceTraced == "" {
			t.Errorf("control %d walkthrough %+v", c, w)
		}
	}
	_, tables, err := record.NewService(db, eng).Workbook(ctx, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		for _, col := range tb.Columns {
			if slices.Contains([]string{"Test method", "Sample size", "Result", "Exceptions"}, col.Header) {
				t.Errorf("%s has the Type II column %s", tb.Name, col.Header)
			}
		}
		if tb.Name == "Samples" || tb.Name == "Occurrences" {
			t.Errorf("a Type I workbook has the %s sheet", tb.Name)
		}
	}
}
