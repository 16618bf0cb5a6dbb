package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

func newEngagement(t *testing.T, ctx context.Context, db *store.DB) store.Engagement {
	t.Helper()
	now := time.Now().UTC()
	e := store.Engagement{Name: "FY", Report: "soc2", ReportType: "type1", Status: "planning", CreatedAt: now, UpdatedAt: now}
	if err := db.CreateEngagement(ctx, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// A CUEC or CSOC number is handed out once: deleting the item does not
// free it, and the next period goes on from where this one stopped.
func TestComplementaryNumbersAreNeverReused(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			e := newEngagement(t, ctx, db)
			first, err := db.TakeCUECNumbers(ctx, e.ID, 1)
			if err != nil || first != 1 {
				t.Fatalf("first CUEC number = %d, %v; want 1", first, err)
			}
			c := store.CUEC{EngagementID: e.ID, Number: first, Text: "Users review access", CreatedAt: time.Now()}
			if err := db.CreateCUEC(ctx, &c); err != nil {
				t.Fatal(err)
			}
			if found, err := db.DeleteCUEC(ctx, e.ID, c.ID); err != nil || !found {
				t.Fatalf("DeleteCUEC = %v, %v; want it found", found, err)
			}
			if found, err := db.DeleteCUEC(ctx, e.ID, c.ID); err != nil || found {
				t.Fatalf("second DeleteCUEC = %v, %v; want nothing left to delete", found, err)
			}
			if n, err := db.TakeCUECNumbers(ctx, e.ID, 1); err != nil || n != 2 {
				t.Fatalf("CUEC number after a delete = %d, %v; want 2", n, err)
			}
			if n, err := db.TakeCSOCNumbers(ctx, e.ID, 3); err != nil || n != 1 {
				t.Fatalf("first of three CSOC numbers = %d, %v; want 1", n, err)
			}
			next := newEngagement(t, ctx, db)
			if err := db.CarryCounters(ctx, e.ID, next.ID); err != nil {
				t.Fatal(err)
			}
			if n, err := db.TakeCUECNumbers(ctx, next.ID, 1); err != nil || n != 3 {
				t.Fatalf("next period's CUEC number = %d, %v; want 3", n, err)
			}
			if n, err := db.TakeCSOCNumbers(ctx, next.ID, 1); err != nil || n != 4 {
				t.Fatalf("next period's CSOC number = %d, %v; want 4", n, err)
			}
		})
	}
}

// Deleting a subservice organisation takes its CSOCs and the reviews of
// its report, with the vendor's CUECs, along; another's stay.
func TestDeleteSubserviceTakesItsReviews(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			e := newEngagement(t, ctx, db)
			subs := make([]store.Subservice, 2)
			for i := range subs {
				subs[i] = store.Subservice{EngagementID: e.ID, Name: "Cloud", Method: "carve-out", ReviewDue: true, CreatedAt: time.Now(),
					CSOCs: []store.CSOC{{Number: i + 1, Text: "Physical access", CreatedAt: time.Now()}}}
				if err := db.CreateSubservice(ctx, &subs[i]); err != nil {
					t.Fatal(err)
				}
				r := store.SubserviceReview{SubserviceID: subs[i].ID, Report: "soc2", ReportType: "type1", PeriodEnd: "2026-06-30",
					Opinion: "unmodified", ReviewedOn: "2026-07-15", CreatedAt: time.Now(), CUECs: []store.VendorCUEC{{Text: "Review users"}}}
				if err := db.CreateReview(ctx, &r); err != nil {
					t.Fatal(err)
				}
			}
			if got, err := db.SubserviceIn(ctx, e.ID, subs[0].ID); err != nil || got.ReviewDue || len(got.CSOCs) != 1 {
				t.Fatalf("reviewed organisation = %+v, %v; want its CSOC and no review due", got, err)
			}
			if found, err := db.DeleteSubservice(ctx, subs[0].ID); err != nil || !found {
				t.Fatalf("DeleteSubservice = %v, %v", found, err)
			}
			if _, err := db.SubserviceIn(ctx, e.ID, subs[0].ID); err != store.ErrNotFound {
				t.Fatalf("deleted organisation: err = %v, want ErrNotFound", err)
			}
			for table, want := range map[string]int64{"csocs": 1, "subservice_reviews": 1, "subservice_review_cuecs": 1} {
				if n := storetest.Count(t, db.R.Table(table)); n != want {
					t.Errorf("%s has %d rows, want %d (the other organisation's)", table, n, want)
				}
			}
			reviews, err := db.ReviewsInEngagement(ctx, e.ID)
			if err != nil || len(reviews) != 1 || reviews[0].SubserviceID != subs[1].ID || len(reviews[0].CUECs) != 1 {
				t.Fatalf("reviews left = %+v, %v; want the other organisation's with its CUEC", reviews, err)
			}
		})
	}
}
