package record_test

import (
	"context"
	"testing"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// summaryValue is the value of a Summary row of the workbook.
func summaryValue(t *testing.T, summary func(exports.Written) exports.Table, item string) any {
	t.Helper()
	for _, r := range summary(exports.Written{}).Rows {
		if len(r) == 2 && r[0] == item {
			return r[1]
		}
	}
	t.Fatalf("no %q row in the Summary", item)
	return nil
}

// The record is taken as the engagement locks, not when a deliverable is
// first asked for: a name changed after the lock (the name stays
// editable) is not in the locked workbook, its status is; moving the
// engagement back supersedes the record, and the workbook is live again.
func TestLockingTakesTheRecord(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			eng := engagement.NewService(db, nil)
			records := record.NewService(db, eng)
			eng.Records = records
			name, report, typ, asOf := "SOC 2 2026", "soc2", "type1", "2026-06-30"
			e, err := eng.Create(ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, AsOf: &asOf})
			if err != nil {
				t.Fatal(err)
			}
			if _, found, err := records.Current(ctx, e.ID); err != nil || found {
				t.Fatalf("record of an engagement in planning: found %v, %v", found, err)
			}
			status := "reporting"
			if _, err := eng.Update(ctx, e.ID, engagement.Input{Status: &status}); err != nil {
				t.Fatal(err)
			}
			rec, found, err := records.Current(ctx, e.ID)
			if err != nil || !found || rec.Status != "reporting" || rec.ContentSHA256 == "" {
				t.Fatalf("record after locking: %+v, found %v, %v", rec, found, err)
			}
			renamed := "Renamed after the lock"
			if _, err := eng.Update(ctx, e.ID, engagement.Input{Name: &renamed}); err != nil {
				t.Fatal(err)
			}
			summary, _, err := records.Workbook(ctx, e.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			if got := summaryValue(t, summary, "Engagement"); got != name {
				t.Errorf("locked workbook names the engagement %v, want %q as it was locked", got, name)
			}
			if got := summaryValue(t, summary, "Status"); got != "Reporting" {
				t.Errorf("locked workbook's status %v, want Reporting", got)
			}

			back, reason := "fieldwork", "a sample was missed"
			if _, err := eng.Update(ctx, e.ID, engagement.Input{Status: &back, Reason: &reason, ByAdmin: true}); err != nil {
				t.Fatal(err)
			}
			if _, found, err := records.Current(ctx, e.ID); err != nil || found {
				t.Fatalf("record after moving back: found %v, %v", found, err)
			}
			if summary, _, err = records.Workbook(ctx, e.ID, "test"); err != nil {
				t.Fatal(err)
			}
			if got := summaryValue(t, summary, "Engagement"); got != renamed {
				t.Errorf("workbook after moving back names the engagement %v, want %q", got, renamed)
			}
		})
	}
}
