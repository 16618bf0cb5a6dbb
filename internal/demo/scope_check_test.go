package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// TestControlInScopeAgreesWithTheScope: checking one control against an
// engagement gives, for every control of the demo and every engagement,
// the answer of the engagement's whole scope, also after a mapped
// control is excluded by hand, an unmapped one included and one retired.
func TestControlInScopeAgreesWithTheScope(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			blobs, err := blob.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			eng := engagement.NewService(db, nil)
			today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
			taskService := tasks.NewService(db, eng, tasks.DefaultSettings())
			loaded, err := demo.Load(ctx, db, blobs, taskService, demo.Options{Seed: demo.DefaultSeed, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			var controls []int64
			if err := db.R.Model(&store.Control{}).Order("id").Pluck("id", &controls).Error; err != nil {
				t.Fatal(err)
			}
			agree(t, eng, loaded.Engagements, controls)
			first := loaded.Engagements[0]
			in, err := eng.InScopeControlIDs(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			out := slices.DeleteFunc(slices.Clone(controls), func(id int64) bool { return slices.Contains(in, id) })
			if len(in) == 0 || len(out) == 0 {
				t.Fatalf("the demo's first engagement should hold some controls and not others: %d in, %d out", len(in), len(out))
			}
			if err := eng.SetScope(ctx, first, in[0], false, "covered by the parent company's report"); err != nil {
				t.Fatal(err)
			}
			if err := eng.SetScope(ctx, first, out[0], true, "the auditor asked for it"); err != nil {
				t.Fatal(err)
			}
			if err := db.W.Model(&store.Control{}).Where("id = ?", in[1]).Update("status", "retired").Error; err != nil {
				t.Fatal(err)
			}
			agree(t, eng, loaded.Engagements, controls)
		})
	}
}

func agree(t *testing.T, eng *engagement.Service, engagements, controls []int64) {
	t.Helper()
	ctx := context.Background()
	for _, e := range engagements {
		in, err := eng.InScopeControlIDs(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range controls {
			got, err := eng.ControlInScope(ctx, e, c)
			if err != nil {
				t.Fatal(err)
			}
			if want := slices.Contains(in, c); got != want {
				t.Errorf("engagement %d, control %d: in scope %v, the whole scope says %v", e, c, got, want)
			}
		}
	}
}
