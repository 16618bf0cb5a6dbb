package tasks_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// BenchmarkLargeTaskLists reads the task lists and counts the pages ask for,
// on the large programme (90,000 tasks):
//
//	go test -run '^$' -bench LargeTaskLists -benchtime 20x ./internal/tasks/
func BenchmarkLargeTaskLists(b *testing.B) {
	ctx := context.Background()
	db := catalogtest.Open(b, storetest.Targets(b)[0])
	blobs, err := blob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	eng := engagement.NewService(db, nil)
	svc := tasks.NewService(db, eng, tasks.DefaultSettings())
	svc.SetClock(func() time.Time { return today })
	res, err := demo.LoadLarge(ctx, db, blobs, svc, demo.Options{Seed: demo.DefaultSeed, Today: today})
	if err != nil {
		b.Fatal(err)
	}
	open := []string{"overdue", "due", "upcoming"}
	for _, c := range []struct {
		name string
		f    tasks.Filter
	}{
		{"all", tasks.Filter{Limit: 50}},
		{"open", tasks.Filter{States: open, Limit: 100}},
		{"upcoming-page-20", tasks.Filter{States: []string{"upcoming"}, Limit: 50, Offset: 1000}},
		{"done", tasks.Filter{States: []string{"done"}, Limit: 50}},
		{"owner", tasks.Filter{OwnerID: 5, States: open, Limit: 50}},
		{"engagement", tasks.Filter{EngagementID: res.Engagements[0], Limit: 50}},
	} {
		b.Run("list-"+c.name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for range b.N {
				if _, _, err := svc.List(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, c := range []struct {
		name string
		f    tasks.Filter
	}{
		{"all", tasks.Filter{}},
		{"overdue-due", tasks.Filter{States: []string{"overdue", "due"}}},
		{"engagement", tasks.Filter{EngagementID: res.Engagements[0]}},
	} {
		b.Run("counts-"+c.name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for range b.N {
				if _, err := svc.Counts(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuPerOp reports the process's CPU time per operation, which on a busy
// machine says more than the wall-clock time: call it at the start and the
// function it returns at the end.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op") }
}
