package reporting

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// seedProgramme loads the large programme (1,000 controls, 100,000
// evidence records, 5,000 sampled items) and returns a reporter for its
// first engagement, the one with the samples.
func seedProgramme(b *testing.B) (Reporter, int64) {
	b.Helper()
	ctx := context.Background()
	db := catalogtest.Open(b, storetest.Targets(b)[0])
	blobs, err := blob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc := engagement.NewService(db, nil)
	res, err := demo.LoadLarge(ctx, db, blobs, tasks.NewService(db, svc, tasks.DefaultSettings()), demo.Options{Seed: demo.DefaultSeed})
	if err != nil {
		b.Fatal(err)
	}
	return Reporter{Engagements: svc, DB: db, Blobs: blobs, TmpDir: b.TempDir()}, res.Engagements[0]
}

// peakHeap samples the heap while fn runs and returns the peak growth.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	fn()
	close(done)
	if peak.Load() < base {
		return 0
	}
	return peak.Load() - base
}

// BenchmarkWorkbookExport exports the workbook of a programme of 1,000
// controls, 100,000 evidence items and 5,000 sampled items.
//
//	go test -run '^$' -bench Workbook -benchtime 3x ./internal/reporting/
func BenchmarkWorkbookExport(b *testing.B) {
	rep, id := seedProgramme(b)
	ctx := context.Background()
	cells := countCells(b, rep, id)
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		peak = max(peak, peakHeap(func() {
			if err := rep.Workbook(ctx, id, io.Discard); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(cells), "cells")
}

// countCells counts the cells the workbook's data sheets hold, streamed
// sheets included.
func countCells(b *testing.B, rep Reporter, id int64) int {
	_, tables, err := rep.records().Workbook(context.Background(), id, "bench")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, t := range tables {
		rows := 1
		if err := t.Each(func([]any) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
		n += rows * len(t.Columns)
	}
	return n
}

// BenchmarkStreamWriterFloor writes the same number of cells with
// excelize's StreamWriter and no database: the floor the export is
// measured against.
func BenchmarkStreamWriterFloor(b *testing.B) {
	rep, id := seedProgramme(b)
	cells := countCells(b, rep, id)
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		peak = max(peak, peakHeap(func() {
			f := excelize.NewFile()
			sw, err := f.NewStreamWriter("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			const width = 20
			row := make([]any, width)
			for r := 0; r*width < cells; r++ {
				for c := range row {
					row[c] = fmt.Sprintf("value %d-%d", r, c)
				}
				ref, _ := excelize.CoordinatesToCellName(1, r+1)
				if err := sw.SetRow(ref, row); err != nil {
					b.Fatal(err)
				}
			}
			if err := sw.Flush(); err != nil {
				b.Fatal(err)
			}
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(cells), "cells")
}
