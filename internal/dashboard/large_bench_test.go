package dashboard_test

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/dashboard"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// BenchmarkLargeDashboard builds the dashboard of the large programme's
// first engagement and the organisation's, per iteration:
//
//	go test -run '^$' -bench LargeDashboard -benchtime 5x ./internal/dashboard/
func BenchmarkLargeDashboard(b *testing.B) {
	ctx := context.Background()
	db := catalogtest.Open(b, storetest.Targets(b)[0])
	blobs, err := blob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	eng := engagement.NewService(db, nil)
	tsk := tasks.NewService(db, eng, tasks.DefaultSettings())
	res, err := demo.LoadLarge(ctx, db, blobs, tsk, demo.Options{Seed: demo.DefaultSeed, Today: demoToday})
	if err != nil {
		b.Fatal(err)
	}
	d := dashboard.NewService(db, eng, tsk)
	b.ResetTimer()
	for range b.N {
		if _, err := d.ForEngagement(ctx, res.Engagements[0]); err != nil {
			b.Fatal(err)
		}
		if _, err := d.ForOrganisation(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
