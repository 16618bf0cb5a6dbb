package soc1_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// A recordkeeper on a fresh installation picks its industry, rewords the
// proposed set and confirms it in one step.
func TestAdoptRecordkeepingSet(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			svc := soc1.NewService(db)

			p, err := svc.Propose(ctx, nil, []string{"retirement_recordkeeping", "saas"})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Industries) != 1 || p.Industries[0].Code != "retirement_recordkeeping" {
				t.Fatalf("industries from the scoping answers: %+v", p.Industries)
			}
			var picked []soc1.Input
			domains := map[string]string{}
			for _, o := range p.Objectives {
				if !o.Selected {
					if !o.Optional {
						t.Errorf("%s left out of a fresh set", o.Template.Ref)
					}
					continue
				}
				in := soc1.Input{Ref: o.Ref, TemplateRef: o.Template.Ref, Title: o.Template.Title,
					Description: o.Template.Description}
				if o.Template.Ref == "BP-RK-03" {
					in.Description = "Controls provide reasonable assurance that plan sponsors' contribution remittances are allocated to participants and invested on the day received in good order."
				}
				picked = append(picked, in)
				domains[o.Ref] = o.Template.Series
			}
			if len(picked) != 16 {
				t.Fatalf("%d objectives proposed, want the recordkeeping set of 9 and 7 ITGC domains", len(picked))
			}
			created, err := svc.Adopt(ctx, picked)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range created {
				if want := fmt.Sprintf("CO-%02d", i+1); r.Ref != want {
					t.Errorf("objective %d is %s, want %s", i+1, r.Ref, want)
				}
			}

			objectives, err := svc.Objectives(ctx)
			if err != nil || len(objectives) != 16 {
				t.Fatalf("objectives after adoption: %d, %v", len(objectives), err)
			}
			first, last := objectives[0], objectives[15]
			if first.Series != "Plan set-up and provisions" || last.Series != "Backup and recovery" {
				t.Errorf("set does not run from plan set-up to the ITGC domains: %s … %s", first.Series, last.Series)
			}
			for _, o := range objectives {
				if o.Template == nil || !o.Template.Current {
					t.Errorf("%s: template state %+v", o.Ref, o.Template)
				}
				if o.TemplateRef == "BP-RK-03" && !strings.Contains(o.Description, "good order") {
					t.Errorf("the reworded objective was not kept: %q", o.Description)
				}
				if itgc := o.Category == "itgc"; itgc != (len(o.Activities) > 0) {
					t.Errorf("%s (%s): %d suggested activities; the ITGC domains, and only they, have them", o.Ref, o.Series, len(o.Activities))
				}
			}

			// Asking again offers nothing new: each template is stated already.
			again, err := svc.Propose(ctx, []string{"retirement_recordkeeping"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range again.Objectives {
				if o.Selected || (!o.Optional && len(o.AdoptedAs) != 1) {
					t.Errorf("second proposal: %s selected %v, adopted as %v", o.Template.Ref, o.Selected, o.AdoptedAs)
				}
			}
		})
	}
}

func TestAdoptIsAllOrNothing(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			svc := soc1.NewService(db)
			_, err := svc.Adopt(ctx, []soc1.Input{{TemplateRef: "ITGC-LA"}, {TemplateRef: "ITGC-PC", Ref: "bad ref"},
				{TemplateRef: "NOPE"}, {TemplateRef: "ITGC-BR", Ref: "co-01"}, {TemplateRef: "ITGC-OPS", Ref: "CO-01"}})
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.KindInvalid {
				t.Fatalf("err = %v", err)
			}
			for _, f := range []string{"objectives[1].ref", "objectives[2].template_ref", "objectives[4].ref"} {
				if e.Fields[f] == "" {
					t.Errorf("no problem named for %s: %v", f, e.Fields)
				}
			}
			if len(e.Fields) != 3 {
				t.Errorf("problems %v: an unknown template is one problem, not one per field it would have filled", e.Fields)
			}
			if own, err := db.ListObjectives(ctx); err != nil || len(own) != 0 {
				t.Fatalf("a refused adoption wrote %d objectives (%v)", len(own), err)
			}
			if _, err := svc.Adopt(ctx, nil); err == nil {
				t.Error("an empty adoption was accepted")
			}
			if _, err := svc.Propose(ctx, []string{"bakery"}, nil); err == nil {
				t.Error("an unknown industry was accepted")
			}
			if _, err := svc.Propose(ctx, nil, []string{"saas"}); err == nil {
				t.Error("services without a SOC 1 set gave a proposal")
			}
		})
	}
}

func TestSuggestedActivitiesBecomeDraftControls(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			var notified []int64
			svc := soc1.NewService(db)
			svc.Changed = func(_ context.Context, ids []int64) { notified = append(notified, ids...) }
			if _, err := svc.Adopt(ctx, []soc1.Input{{TemplateRef: "ITGC-LA"}, {TemplateRef: "BP-PAY-01"}}); err != nil {
				t.Fatal(err)
			}
			drafts, err := svc.AdoptActivities(ctx, "CO-01", []soc1.ActivityPick{{Ref: "ITGC-LA.03"}, {Ref: "ITGC-LA.02", ControlRef: "AC-02"}, {Ref: "ITGC-LA.04"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(drafts) != 3 || drafts[0].Ref != "CO-01.1" || drafts[1].Ref != "AC-02" || drafts[2].Ref != "CO-01.2" {
				t.Fatalf("draft refs: %+v", drafts)
			}
			review := drafts[0]
			if review.Status != "draft" || review.Frequency != "quarterly" || review.Nature != "manual" ||
				review.ControlType != "detective" || review.Title != "User access reviewed periodically" {
				t.Errorf("draft from the access review activity: %+v", review)
			}
			if len(notified) != 3 {
				t.Errorf("tasks were told of %v", notified)
			}
			var mapped int64
			if err := db.R.Model(&store.Mapping{}).Where("control_id IN ?", []int64{drafts[0].ID, drafts[1].ID, drafts[2].ID}).Count(&mapped).Error; err != nil || mapped != 3 {
				t.Errorf("mappings to CO-01: %d, %v", mapped, err)
			}

			for _, bad := range []struct {
				objective string
				picks     []soc1.ActivityPick
				field     string
			}{
				{"CO-01", []soc1.ActivityPick{{Ref: "ITGC-PC.01"}}, "activities[0].ref"},                                // another domain's
				{"CO-01", []soc1.ActivityPick{{Ref: "ITGC-LA.05", ControlRef: "co-01.1"}}, "activities[0].control_ref"}, // taken
				{"CO-02", []soc1.ActivityPick{{Ref: "ITGC-LA.05"}}, "activities[0].ref"},                                // payroll has none
			} {
				_, err := svc.AdoptActivities(ctx, bad.objective, bad.picks)
				if e, ok := apperr.As(err); !ok || e.Fields[bad.field] == "" {
					t.Errorf("%s %+v: err = %v, want a problem with %s", bad.objective, bad.picks, err, bad.field)
				}
			}
			if _, err := svc.AdoptActivities(ctx, "CO-99", []soc1.ActivityPick{{Ref: "ITGC-LA.05"}}); err == nil {
				t.Error("activities adopted under a missing objective")
			}
			var controls int64
			if err := db.R.Model(&store.Control{}).Count(&controls).Error; err != nil || controls != 3 {
				t.Errorf("refused requests wrote controls: %d, %v", controls, err)
			}
		})
	}
}
