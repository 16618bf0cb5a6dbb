package engagement_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Sizes of the programme the benchmark computes progress on: the large
// demo's controls, and 40 evidence records a control.
const (
	benchControls         = 1000
	benchEvidencePerCtrl  = 40
	benchEvidenceMonthsOf = 12
)

// BenchmarkFirstProgressAfterAChange times the first read of an
// engagement's progress after one piece of evidence is re-dated, on 1,000
// controls with 40,000 evidence records: computed whole (as a service that
// keeps nothing does), and in part, on the progress kept before the change.
//
//	go test -run '^$' -bench FirstProgressAfterAChange ./internal/engagement/
func BenchmarkFirstProgressAfterAChange(b *testing.B) {
	p := newProgramme(b, storetest.Targets(b)[0], typeII())
	evidenceIDs := p.bulk(benchControls, benchEvidencePerCtrl)
	for _, mode := range []struct {
		name  string
		whole bool
	}{{"whole", true}, {"in_part", false}} {
		b.Run(mode.name, func(b *testing.B) {
			svc := p.service()
			if _, err := svc.Progress(p.ctx, p.id); err != nil {
				b.Fatal(err)
			}
			for i := range b.N {
				b.StopTimer()
				month := fmt.Sprintf("2026-%02d", i%10+1)
				from, to := month+"-01", month+"-28"
				if _, err := p.evidence.Update(p.ctx, p.admin, evidenceIDs[i%len(evidenceIDs)],
					evidence.Meta{CoversFrom: &from, CoversTo: &to}); err != nil {
					b.Fatal(err)
				}
				if mode.whole {
					svc = p.service()
				}
				b.StartTimer()
				if _, err := svc.Progress(p.ctx, p.id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// service is a new engagement service on the programme's clock.
func (p *programme) service() *engagement.Service {
	svc := engagement.NewService(p.db, nil)
	svc.SetClock(func() time.Time { return progressToday })
	return svc
}

// bulk adds controls mapped to the security criteria, each with evidence
// covering months of the period, written in bulk as the large demo does;
// it answers the evidence IDs.
func (p *programme) bulk(controls, evidencePer int) []int64 {
	p.t.Helper()
	reqs, err := p.db.RequirementsInCategories(p.ctx, "soc2-tsc-2017", []string{"security"})
	p.mustDo(err)
	now := time.Now().UTC()
	frequencies := []string{"monthly", "monthly", "quarterly", "weekly", "daily", "annual"}
	rows := make([]store.Control, controls)
	for i := range rows {
		rows[i] = store.Control{Ref: fmt.Sprintf("BC-%04d", i+1), Title: fmt.Sprintf("Bulk control %d", i+1),
			Frequency: frequencies[i%len(frequencies)], Nature: "manual", ControlType: "detective", Status: "active",
			CreatedAt: now, UpdatedAt: now}
	}
	p.mustDo(p.db.InsertInBatches(p.ctx, &rows, 500))
	var maps []store.Mapping
	for i, c := range rows {
		maps = append(maps, store.Mapping{ControlID: c.ID, RequirementID: reqs[i%len(reqs)].ID, CreatedAt: now})
	}
	p.mustDo(p.db.InsertInBatches(p.ctx, &maps, 1000))
	ev := make([]store.Evidence, 0, controls*evidencePer)
	for i := range controls * evidencePer {
		month := fmt.Sprintf("2026-%02d", i%benchEvidenceMonthsOf+1)
		from, to := month+"-01", month+"-28"
		ev = append(ev, store.Evidence{Kind: "note", Title: fmt.Sprintf("Bulk evidence %d", i+1), Note: "Reviewed.",
			CoversFrom: &from, CoversTo: &to, CreatedAt: now, UpdatedAt: now})
	}
	p.mustDo(p.db.InsertInBatches(p.ctx, &ev, 1000))
	links := make([]store.EvidenceControl, len(ev))
	ids := make([]int64, len(ev))
	for i, e := range ev {
		links[i] = store.EvidenceControl{EvidenceID: e.ID, ControlID: rows[i%controls].ID}
		ids[i] = e.ID
	}
	p.mustDo(p.db.InsertInBatches(p.ctx, &links, 1000))
	return ids
}
