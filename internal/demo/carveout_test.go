package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// TestDemoCarvesOutStratusCloud: in the demo's SOC 2, physical access
// (CC6.4) is addressed by Stratus Cloud as a carved-out subservice
// organisation rather than marked not applicable: its CSOCs map to CC6.4,
// VEN-02 monitors it and is effective, and a current review of its SOC 2
// Type II (unmodified, with a bridge letter) records its CUECs, each
// addressed by a control in scope.
func TestDemoCarvesOutStratusCloud(t *testing.T) {
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
	soc2 := loaded.Engagements[0]
	_, subs, err := complementary.NewService(db, eng).Complementary(ctx, soc2)
	if err != nil || len(subs) != 1 || subs[0].Name != "Stratus Cloud" || subs[0].Method != "carve-out" {
		t.Fatalf("subservice organisations: %+v %v", subs, err)
	}
	standings, err := eng.Standings(ctx, soc2)
	if err != nil {
		t.Fatal(err)
	}
	st := standings[subs[0].ID]
	if st.State != engagement.ReviewCurrent || st.Latest == nil || st.Latest.Report != "soc2" || st.Latest.ReportType != "type2" ||
		st.Latest.Opinion != "unmodified" || st.Latest.BridgeLetterEvidenceID == nil || len(st.Latest.CUECs) == 0 {
		t.Fatalf("Stratus Cloud's review: %+v", st)
	}
	for _, c := range st.Latest.CUECs {
		in, err := eng.ControlInScope(ctx, soc2, *c.ControlID)
		if err != nil || !in {
			t.Errorf("vendor CUEC %q is addressed by control %d, not in scope (%v)", c.Text, *c.ControlID, err)
		}
	}
	reqs, _, err := eng.RollUp(ctx, soc2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.State == engagement.NotApplicable {
			t.Errorf("%s is not applicable", r.Ref)
		}
		if r.Ref == "CC6.4" && r.State != engagement.CarvedOut {
			t.Errorf("CC6.4: %s, want addressed by the subservice organisation", r.State)
		}
	}
	// The SOC 1 carries Stratus Cloud too, its review not yet recorded.
	if standings, err := eng.Standings(ctx, loaded.Engagements[1]); err != nil || len(standings) != 1 {
		t.Errorf("SOC 1 standings: %+v %v", standings, err)
	}
}
