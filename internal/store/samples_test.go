package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// A first draw and its extension select their items from one population:
// what both selected is what an extension must not pick again, and the
// items are stored untested.
func TestSampleAndExtensionSelections(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			e, c := newEngagement(t, ctx, db), newControl(t, db, "AC-01")
			p := store.Population{EngagementID: e.ID, ControlID: c.ID, Phase: "period", FileName: "p.csv", ItemCount: 5, UploadedAt: time.Now()}
			items := make([]store.PopulationItem, 5)
			for i := range items {
				items[i] = store.PopulationItem{Seq: i + 1, ItemID: string(rune('A' + i)), Extra: "{}"}
			}
			if err := db.CreatePopulation(ctx, &p, items, nil); err != nil {
				t.Fatal(err)
			}
			first := store.Sample{EngagementID: e.ID, ControlID: c.ID, PopulationID: p.ID, Seed: "1", Method: "m", Size: 2, RequiredSize: 2,
				Attributes: `["approved"]`, SelectedAt: time.Now()}
			if err := db.CreateSample(ctx, &first, []int{2, 4}); err != nil {
				t.Fatal(err)
			}
			if got, drawn, err := db.FirstDrawFrom(ctx, p.ID); err != nil || !drawn || got.ID != first.ID {
				t.Fatalf("FirstDrawFrom = %d, %v, %v; want sample %d", got.ID, drawn, err, first.ID)
			}
			ext := store.Sample{EngagementID: e.ID, ControlID: c.ID, PopulationID: p.ID, ExtendsID: &first.ID, Seed: "2", Method: "m",
				Size: 1, RequiredSize: 1, Attributes: first.Attributes, SelectedAt: time.Now()}
			if err := db.CreateSample(ctx, &ext, []int{5}); err != nil {
				t.Fatal(err)
			}
			taken, err := db.SeqsSelectedWith(ctx, first.ID)
			if slices.Sort(taken); err != nil || !slices.Equal(taken, []int{2, 4, 5}) {
				t.Fatalf("SeqsSelectedWith = %v, %v; want [2 4 5]", taken, err)
			}
			results, err := db.ItemResultsOf(ctx, first)
			if err != nil || len(results) != 2 || results[0] != (store.ItemResults{ItemID: "B", Results: "{}"}) || results[1].ItemID != "D" {
				t.Fatalf("ItemResultsOf = %+v, %v; want B and D untested", results, err)
			}
			originals, err := db.OriginalSamplesFrom(ctx, p.ID)
			if err != nil || len(originals) != 2 {
				t.Fatalf("OriginalSamplesFrom = %d samples, %v; want the draw and its extension", len(originals), err)
			}
			if n, err := db.RequiredDrawnFrom(ctx, p.ID); err != nil || n != 3 {
				t.Fatalf("RequiredDrawnFrom = %d, %v; want 3, the draw's and its extension's", n, err)
			}
		})
	}
}
