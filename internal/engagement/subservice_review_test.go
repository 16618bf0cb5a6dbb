package engagement_test

import (
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// A review is current when made within 12 months of our period end and
// the vendor's period ends at most 3 months before ours, or longer before
// with a bridge letter; months count to the month end.
func TestReviewStanding(t *testing.T) {
	for _, c := range []struct {
		name                      string
		ours, vendorEnd, reviewed string
		bridge                    bool
		want                      string
	}{
		{"gap of exactly 3 months", "2026-12-31", "2026-09-30", "2026-11-10", false, engagement.ReviewCurrent},
		{"gap of 3 months and a day", "2026-12-31", "2026-09-29", "2026-11-10", false, engagement.ReviewGapWithoutBridge},
		{"gap of 6 months, no bridge letter", "2026-12-31", "2026-06-30", "2026-08-10", false, engagement.ReviewGapWithoutBridge},
		{"gap of 6 months with a bridge letter", "2026-12-31", "2026-06-30", "2026-08-10", true, engagement.ReviewCurrent},
		{"vendor period ends after ours", "2026-12-31", "2027-03-31", "2027-04-20", false, engagement.ReviewCurrent},
		{"reviewed exactly 12 months before our end", "2026-12-31", "2026-10-31", "2025-12-31", false, engagement.ReviewCurrent},
		{"reviewed 12 months and a day before", "2026-12-31", "2026-10-31", "2025-12-30", false, engagement.ReviewOutOfDate},
		{"reviewed after our period end", "2026-12-31", "2026-12-31", "2027-02-15", false, engagement.ReviewCurrent},
		{"an old review is out of date, bridge letter or not", "2026-12-31", "2025-03-31", "2025-06-01", true, engagement.ReviewOutOfDate},
		{"mid-year end, 3 months", "2026-06-30", "2026-03-31", "2026-05-01", false, engagement.ReviewCurrent},
		{"mid-year end, 3 months and a day", "2026-06-30", "2026-03-29", "2026-05-01", false, engagement.ReviewGapWithoutBridge},
		{"February end, from 30 November", "2027-02-28", "2026-11-30", "2027-01-05", false, engagement.ReviewCurrent},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := engagement.ReviewStanding(civil.MustParse(c.ours), civil.MustParse(c.vendorEnd), civil.MustParse(c.reviewed), c.bridge)
			if got != c.want {
				t.Errorf("%s", got)
			}
		})
	}
}

// Recording a review makes the organisation's standing follow it; a
// review needs the report, its period and opinion, and vendor CUECs are
// addressed by in-scope controls only; a refused save changes nothing.
func TestSubserviceReviews(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			o := newOccurrences(t, target, "2026-06-01") // SOC 2 Type II, 2026-03-15 to 2027-03-14
			monitor := o.control("VEN-02", "annual", "manual", controls.Input{})
			title, freq, nature, typ, ref := "Not in scope", "annual", "manual", "detective", "OUT-01"
			outside, err := o.controls.Create(o.ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &freq, Nature: &nature, Type: &typ})
			if err != nil {
				t.Fatal(err)
			}
			svc, comp := o.engagements, complementary.NewService(o.db, o.engagements)
			reviewer := store.User{Email: "compliance@example.com", Name: "Casey", Role: "compliance", CreatedAt: time.Now()}
			if err := o.db.W.Create(&reviewer).Error; err != nil {
				t.Fatal(err)
			}
			sub, err := comp.AddSubservice(o.ctx, o.id, complementary.SubserviceInput{Name: "Stratus Cloud", Method: "carve-out", MonitoringControlID: &monitor})
			if err != nil {
				t.Fatal(err)
			}
			standing := func() engagement.Standing {
				t.Helper()
				all, err := svc.Standings(o.ctx, o.id)
				if err != nil {
					t.Fatal(err)
				}
				return all[sub.ID]
			}
			if s := standing(); s.State != engagement.ReviewIsDue || s.Latest != nil {
				t.Fatalf("without a review: %+v", s)
			}
			str := func(s string) *string { return &s }
			in := complementary.ReviewInput{Report: str("soc2"), ReportType: str("type2"), PeriodStart: str("2025-10-01"), PeriodEnd: str("2026-09-30"),
				VendorAuditor: str("Audit & Co"), Opinion: str("unmodified"), ReviewedOn: str("2026-11-02"),
				CUECs: &[]complementary.VendorCUECInput{{Text: "Customers manage their console users", ControlID: &monitor}}}
			for name, bad := range map[string]func(complementary.ReviewInput) complementary.ReviewInput{
				"no opinion":         func(i complementary.ReviewInput) complementary.ReviewInput { i.Opinion = nil; return i },
				"an unknown opinion": func(i complementary.ReviewInput) complementary.ReviewInput { i.Opinion = str("clean"); return i },
				"no period start":    func(i complementary.ReviewInput) complementary.ReviewInput { i.PeriodStart = nil; return i },
				"a period backwards": func(i complementary.ReviewInput) complementary.ReviewInput {
					i.PeriodStart = str("2026-10-01")
					return i
				},
				"not a review date": func(i complementary.ReviewInput) complementary.ReviewInput { i.ReviewedOn = str("soon"); return i },
				"no such bridge": func(i complementary.ReviewInput) complementary.ReviewInput {
					i.BridgeLetterEvidenceID = ptr(int64(999))
					return i
				},
				"out-of-scope control": func(i complementary.ReviewInput) complementary.ReviewInput {
					i.CUECs = &[]complementary.VendorCUECInput{{Text: "x", ControlID: &outside.ID}}
					return i
				},
				"an empty vendor CUEC": func(i complementary.ReviewInput) complementary.ReviewInput {
					i.CUECs = &[]complementary.VendorCUECInput{{Text: " "}}
					return i
				},
			} {
				if _, err := comp.AddReview(o.ctx, o.id, sub.ID, reviewer.ID, bad(in)); !isInvalid(err) {
					t.Errorf("%s: %v, want a refusal", name, err)
				}
			}
			if _, err := comp.AddReview(o.ctx, o.id, sub.ID+100, reviewer.ID, in); err == nil {
				t.Error("a review of another engagement's organisation was recorded")
			}
			if s := standing(); s.State != engagement.ReviewIsDue {
				t.Fatalf("refused reviews were kept: %+v", s)
			}

			r, err := comp.AddReview(o.ctx, o.id, sub.ID, reviewer.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			// Vendor period end 2026-09-30, ours 2027-03-14: a gap over 3 months.
			if s := standing(); s.State != engagement.ReviewGapWithoutBridge || s.Latest == nil || s.Latest.ID != r.ID || *s.Latest.ReviewedBy != reviewer.ID ||
				len(s.Latest.CUECs) != 1 || *s.Latest.CUECs[0].ControlID != monitor {
				t.Fatalf("after the review: %+v", s)
			}
			if _, err := comp.UpdateReview(o.ctx, o.id, sub.ID, r.ID, complementary.ReviewInput{PeriodEnd: str("2027-01-31"), IfVersion: ptr(r.Version + 1)}); err == nil {
				t.Error("a change from a stale version was saved")
			}
			r, err = comp.UpdateReview(o.ctx, o.id, sub.ID, r.ID, complementary.ReviewInput{PeriodStart: str("2026-02-01"), PeriodEnd: str("2027-01-31"), IfVersion: &r.Version})
			if err != nil {
				t.Fatal(err)
			}
			if s := standing(); s.State != engagement.ReviewCurrent || len(s.Latest.CUECs) != 1 || s.Latest.Version != 2 {
				t.Fatalf("after the vendor's later report: %+v", s)
			}
			if err := comp.RemoveReview(o.ctx, o.id, sub.ID, r.ID); err != nil {
				t.Fatal(err)
			}
			if s := standing(); s.State != engagement.ReviewIsDue {
				t.Fatalf("after the review was removed: %+v", s)
			}
			if _, err := comp.AddReview(o.ctx, o.id, sub.ID, reviewer.ID, in); err != nil {
				t.Fatal(err)
			}
			if err := comp.RemoveComplementary(o.ctx, o.id, "subservice", sub.ID); err != nil {
				t.Fatalf("an organisation with a review cannot be removed: %v", err)
			}
		})
	}
}

func isInvalid(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.KindInvalid
}

// A carved-out criterion is addressed by its subservice organisation only
// with its CSOCs mapped, our monitoring control in scope and effective,
// and a current review of the organisation's SOC report; short of any of
// them it asks for an evaluation.
func TestCarveOutFollowsTheReview(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			o := newOccurrences(t, target, "2026-03-20")
			svc, comp := o.engagements, complementary.NewService(o.db, o.engagements)
			name, report, typ, asOf := "SOC 2 Type I", "soc2", "type1", "2026-12-31"
			e, err := svc.Create(o.ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, AsOf: &asOf})
			if err != nil {
				t.Fatal(err)
			}
			o.id = e.ID
			monitor := o.control("VEN-02", "annual", "manual", controls.Input{})
			reviewer := store.User{Email: "compliance@example.com", Name: "Casey", Role: "compliance", CreatedAt: time.Now()}
			if err := o.db.W.Create(&reviewer).Error; err != nil {
				t.Fatal(err)
			}
			sub, err := comp.AddSubservice(o.ctx, o.id, complementary.SubserviceInput{Name: "Stratus Cloud", Method: "carve-out", MonitoringControlID: &monitor,
				CSOCs: []struct {
					Text         string
					Requirements []string
				}{{"Data centre access is restricted", []string{"soc2-tsc-2017/CC6.4"}}}})
			if err != nil {
				t.Fatal(err)
			}
			state := func() string {
				t.Helper()
				reqs, _, err := svc.RollUp(o.ctx, o.id)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range reqs {
					if r.Ref == "CC6.4" {
						return r.State
					}
				}
				t.Fatal("CC6.4 is not in the roll-up")
				return ""
			}
			str := func(s string) *string { return &s }
			if got := state(); got != engagement.DeviationsEvaluationNeeded {
				t.Errorf("no review, monitoring control not concluded: %s", got)
			}
			proofOn := "2026-12-15"
			proof := store.Evidence{Kind: "note", Title: "Review of the SOC 2 report", AsOf: &proofOn, CreatedAt: time.Now(), UpdatedAt: time.Now()}
			storetest.Must(t, o.db.W.Create(&proof))
			storetest.Must(t, o.db.W.Create(&store.EvidenceControl{EvidenceID: proof.ID, ControlID: monitor}))
			if _, err := svc.SetResult(o.ctx, o.id, monitor, engagement.ResultInput{DesignResult: str("suitably_designed"),
				Implementation: str("implemented"), ImplementedOn: str("2026-01-10"), EvidenceIDs: &[]int64{proof.ID}}); err != nil {
				t.Fatal(err)
			}
			if got := state(); got != engagement.DeviationsEvaluationNeeded {
				t.Errorf("effective monitoring control, no review: %s", got)
			}
			old := complementary.ReviewInput{Report: str("soc2"), ReportType: str("type2"), PeriodStart: str("2024-10-01"), PeriodEnd: str("2025-09-30"),
				Opinion: str("unmodified"), ReviewedOn: str("2025-11-02")}
			if _, err := comp.AddReview(o.ctx, o.id, sub.ID, reviewer.ID, old); err != nil {
				t.Fatal(err)
			}
			if got := state(); got != engagement.DeviationsEvaluationNeeded {
				t.Errorf("a review out of date for our period end: %s", got)
			}
			current := old
			current.PeriodStart, current.PeriodEnd, current.ReviewedOn = str("2026-01-01"), str("2026-12-31"), str("2027-01-20")
			if _, err := comp.AddReview(o.ctx, o.id, sub.ID, reviewer.ID, current); err != nil {
				t.Fatal(err)
			}
			if got := state(); got != engagement.CarvedOut {
				t.Errorf("a current review and an effective monitoring control: %s", got)
			}
			if _, err := svc.SetResult(o.ctx, o.id, monitor, engagement.ResultInput{DesignResult: str("design_deficiency")}); err != nil {
				t.Fatal(err)
			}
			if got := state(); got != engagement.DeviationsEvaluationNeeded {
				t.Errorf("the monitoring control failed: %s", got)
			}
		})
	}
}
