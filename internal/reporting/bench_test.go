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
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Programme size of the export benchmark.
const (
	benchControls = 1000
	benchEvidence = 100_000
	benchSamples  = 5000 // sampled items: 100 controls x 50
)

// seedProgramme writes a large programme straight into the store: controls
// mapped to the common criteria, evidence spread over the period, one
// Type II engagement with populations and samples.
func seedProgramme(b *testing.B) (Reporter, int64) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, storetest.Targets(b)[0])
	cats, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := catalog.Load(ctx, db, cats); err != nil {
		b.Fatal(err)
	}
	var reqs []store.Requirement
	db.R.Where("framework_id = ? AND category = ?", "soc2-tsc-2017", "security").Order("sort_order").Find(&reqs)
	now := time.Now().UTC()
	tx := db.W.Begin()
	must(b, tx.Create(&store.User{ID: 1, Email: "bench@example.com", Role: "admin", PasswordHash: "x", CreatedAt: now, UpdatedAt: now}).Error)
	controls := make([]store.Control, benchControls)
	for i := range controls {
		controls[i] = store.Control{Ref: fmt.Sprintf("C-%04d", i), Title: fmt.Sprintf("Control %d", i),
			Description: "Reviews access of every user in the period and records the outcome.",
			Frequency:   "monthly", Nature: "manual", ControlType: "detective", Status: "active", CreatedAt: now, UpdatedAt: now}
	}
	must(b, tx.CreateInBatches(&controls, 500).Error)
	var maps []store.Mapping
	for i, c := range controls {
		maps = append(maps, store.Mapping{ControlID: c.ID, RequirementID: reqs[i%len(reqs)].ID, CreatedAt: now})
	}
	must(b, tx.CreateInBatches(&maps, 1000).Error)
	for start := 0; start < benchEvidence; start += 5000 {
		ev := make([]store.Evidence, 5000)
		for i := range ev {
			month := (start+i)%6 + 1
			from, to := fmt.Sprintf("2026-%02d-01", month), fmt.Sprintf("2026-%02d-28", month)
			ev[i] = store.Evidence{Kind: "file", Title: fmt.Sprintf("Evidence %d", start+i), CoversFrom: &from, CoversTo: &to,
				CreatedAt: now, UpdatedAt: now}
		}
		must(b, tx.CreateInBatches(&ev, 1000).Error)
		links := make([]store.EvidenceControl, len(ev))
		files := make([]store.EvidenceFile, len(ev))
		for i, e := range ev {
			links[i] = store.EvidenceControl{EvidenceID: e.ID, ControlID: controls[(start+i)%benchControls].ID}
			files[i] = store.EvidenceFile{EvidenceID: e.ID, Revision: 1, SHA256: fmt.Sprintf("%064x", e.ID), Size: 1024,
				MediaType: "application/pdf", OriginalName: fmt.Sprintf("evidence-%d.pdf", e.ID), UploadedAt: now}
		}
		must(b, tx.CreateInBatches(&links, 1000).Error)
		must(b, tx.CreateInBatches(&files, 1000).Error)
	}
	must(b, tx.Commit().Error)

	svc := engagement.NewService(db, nil)
	name, report, typ, from, to := "Large programme", "soc2", "type2", "2026-01-01", "2026-06-30"
	e, err := svc.Create(ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < benchSamples/50; i++ {
		items := make([]engagement.PopulationItem, 50)
		for j := range items {
			items[j] = engagement.PopulationItem{Seq: j + 1, ItemID: fmt.Sprintf("I-%d-%d", i, j), Extra: map[string]string{}}
		}
		if _, err := svc.UploadPopulation(ctx, e.ID, controls[i].ID, 1, "system", "", "p.csv", items); err != nil {
			b.Fatal(err)
		}
		size := 50
		if _, err := svc.DrawSample(ctx, e.ID, controls[i].ID, 1, nil, &size, []string{"approved"}); err != nil {
			b.Fatal(err)
		}
	}
	blobs, err := blob.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return Reporter{Engagements: svc, DB: db, Blobs: blobs, TmpDir: b.TempDir()}, e.ID
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
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
	_, tables, err := rep.Engagements.Workbook(context.Background(), id, "bench")
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
