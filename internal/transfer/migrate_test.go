package transfer

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/dashboard"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/tasks"
)

var day = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// demoStore is a SQLite installation with the demo organisation, its
// evidence in a store of the backend.
func demoStore(t *testing.T, backend blobtest.Backend) (*store.DB, blob.Store, demo.Result) {
	t.Helper()
	db := storetest.Open(t, storetest.Targets(t)[0])
	blobs, _ := backend.Open(t)
	return db, blobs, loadDemo(t, db, blobs)
}

// loadDemo loads the catalogs and the demo organisation into db.
func loadDemo(t *testing.T, db *store.DB, blobs blob.Store) demo.Result {
	t.Helper()
	cats, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Load(context.Background(), db, cats); err != nil {
		t.Fatal(err)
	}
	r, err := demo.Load(context.Background(), db, blobs, taskService(db), demo.Options{Seed: demo.DefaultSeed, Today: day})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func taskService(db *store.DB) *tasks.Service {
	t := tasks.NewService(db, engagement.NewService(db, nil), tasks.DefaultSettings())
	t.SetClock(func() time.Time { return day })
	return t
}

func TestMigrateSQLiteToPostgres(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		if target.Name != "postgres" {
			continue // the destination is PostgreSQL; CI always has it
		}
		for _, b := range blobtest.Backends(t) {
			t.Run(b.Name, func(t *testing.T) { testMigrate(t, target, b) })
		}
	}
}

// testMigrate copies a SQLite installation whose evidence is in the
// backend's store into PostgreSQL.
func testMigrate(t *testing.T, target storetest.Target, backend blobtest.Backend) {
	ctx := context.Background()
	src, blobs, loaded := demoStore(t, backend)
	dst := storetest.Open(t, target)
	rep, err := Copy(ctx, src, dst, blobs)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, tc := range rep.Tables {
		rows[tc.Table] = tc.Rows
	}
	var controlCount, lastControl int64 // the demo's, whatever it holds
	storetest.Must(t, src.R.Table("controls").Count(&controlCount))
	storetest.Must(t, src.R.Table("controls").Select("MAX(id)").Scan(&lastControl))
	if controlCount < 80 || rows["controls"] != controlCount || rows["evidence"] < 200 || rows["requirements"] < 100 || rep.EvidenceFiles < 200 || rep.AuditEntries < 500 {
		t.Errorf("report: %+v", rep)
	}
	// The copy is the same programme: the dashboards agree.
	for _, id := range loaded.Engagements {
		a, err := dashboard.NewService(src, engagement.NewService(src, nil), taskService(src)).ForEngagement(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dashboard.NewService(dst, engagement.NewService(dst, nil), taskService(dst)).ForEngagement(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Readiness.Percent != b.Readiness.Percent || len(a.Heatmap) != len(b.Heatmap) || len(a.Tasks) != len(b.Tasks) {
			t.Errorf("engagement %d: SQLite %d%%, PostgreSQL %d%%", id, a.Readiness.Percent, b.Readiness.Percent)
		}
	}
	// New rows get new IDs: the sequences moved past the copied ones.
	ref, title, freq, nature, typ := "NEW-1", "Added after the move", "monthly", "manual", "detective"
	c, err := controls.NewService(dst).Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &freq, Nature: &nature, Type: &typ})
	if err != nil || c.ID != lastControl+1 {
		t.Errorf("a control created after the move: id %d, %v", c.ID, err)
	}
	// A used database is never overwritten.
	if _, err := Copy(ctx, src, dst, blobs); err == nil {
		t.Error("copied into a database that is in use")
	}
}
