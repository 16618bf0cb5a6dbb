package demo_test

import (
	"context"
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

// The demo's SOC 2, granted to its auditor and tested by the service
// auditor, has requests in every state, each answered one with evidence
// and a thread.
func TestDemoRequestsInEveryState(t *testing.T) {
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
	soc2, err := eng.Get(ctx, loaded.Engagements[0])
	if err != nil || !soc2.ServiceAuditorTests() {
		t.Fatalf("the SOC 2 is tested by %q (%v), want the service auditor", soc2.Tester, err)
	}
	if soc1, err := eng.Get(ctx, loaded.Engagements[1]); err != nil || soc1.ServiceAuditorTests() {
		t.Errorf("the SOC 1 is tested by %q (%v), want management's readiness testing", soc1.Tester, err)
	}
	testedBy := map[string]int{}
	ids, err := eng.InScopeControlIDs(ctx, soc2.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		work, err := eng.Work(ctx, soc2.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, items := range work.Items {
			for _, it := range items {
				if it.TestedBy != "" {
					testedBy[it.TestedBy]++
				}
			}
		}
	}
	if len(testedBy) != 1 || testedBy["p.raman@hartwell-audit.example"] == 0 {
		t.Errorf("the SOC 2's sample items were tested by %v, want the service auditor alone", testedBy)
	}
	list, err := db.Requests(ctx, store.RequestFilter{EngagementID: loaded.Engagements[0]})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	var answered []int64
	for _, r := range list {
		states[r.Status]++
		if r.Status != "open" {
			answered = append(answered, r.ID)
		}
	}
	if states["open"] == 0 || states["submitted"] != 1 || states["returned"] != 1 || states["accepted"] != 1 {
		t.Errorf("request states: %v", states)
	}
	ev, err := db.RequestEvidenceOf(ctx, answered)
	if err != nil || len(ev) != 3 {
		t.Errorf("evidence handed over: %v %v", ev, err)
	}
	comments, err := db.RequestComments(ctx, answered)
	if err != nil || len(comments) < 7 {
		t.Errorf("threads: %d comments, %v", len(comments), err)
	}
}
