package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// maxWindows is how many windows a twelve-month period holds at most.
var maxWindows = map[string]int{period.Annual: 1, period.SemiAnnual: 2, period.Quarterly: 4, period.Monthly: 12,
	period.BiWeekly: 26, period.Weekly: 52, period.Daily: 365, period.SeveralTimesADay: 365, period.Continuous: 1, period.EventDriven: 1}

// TestDemoWindowsAndTasks: in the demo's workbooks no control has more
// windows than its frequency allows in the period and no window that has
// not ended is missing; the SOC 2 period starts mid-month; the demo shows
// a control implemented in the period, one retired in it with its
// replacement, a business-day daily control and automated controls
// tested once; and no owner has 20 or more upcoming tasks.
func TestDemoWindowsAndTasks(t *testing.T) {
	ctx := context.Background()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eng := engagement.NewService(db, nil)
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	eng.SetClock(func() time.Time { return today.Add(9 * time.Hour) })
	taskService := tasks.NewService(db, eng, tasks.DefaultSettings())
	taskService.SetClock(func() time.Time { return today.Add(9 * time.Hour) })
	loaded, err := demo.Load(ctx, db, blobs, taskService, demo.Options{Seed: demo.DefaultSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range loaded.Engagements[:2] { // the Type II ones: a Type I has no windows
		checkWorkbookWindows(t, db, eng, id, civil.Of(today))
	}
	soc2, err := eng.Get(ctx, loaded.Engagements[0])
	if err != nil {
		t.Fatal(err)
	}
	if (*soc2.PeriodStart)[8:] == "01" {
		t.Errorf("the SOC 2 period starts on the 1st: %s", *soc2.PeriodStart)
	}
	scoped, err := eng.Controls(ctx, soc2.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]engagement.ScopedControl{}
	automated := 0
	for _, c := range scoped {
		seen[c.Ref] = c
		if c.Basis == period.Baseline {
			automated++
			if len(c.Windows) != 1 {
				t.Errorf("automated %s has %d windows", c.Ref, len(c.Windows))
			}
		}
	}
	if automated == 0 {
		t.Error("no automated control in the SOC 2 engagement")
	}
	if c := seen["OPS-05"]; c.RetiredWords() == "" || len(c.Changes) != 1 || c.ReplacedBy != "OPS-08" {
		t.Errorf("retired control: %q %+v", c.RetiredWords(), c.Changes)
	}
	if c := seen["OPS-08"]; len(c.Changes) != 1 || c.Changes[0].Kind != "implemented" {
		t.Errorf("replacement implemented in the period: %+v", c.Changes)
	}
	checkBusinessDays(t, eng, loaded.Engagements)
	checkUpcoming(t, db, taskService)
}

func checkWorkbookWindows(t *testing.T, db *store.DB, eng *engagement.Service, id int64, today civil.Date) {
	t.Helper()
	ctx := context.Background()
	scoped, err := eng.Controls(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	frequency := map[string]string{}
	count := map[string]int{} // windows per control
	for _, c := range scoped {
		frequency[c.Ref] = c.Frequency
		count[c.Ref] += len(c.Windows)
		for _, w := range c.Windows {
			if !w.End.Before(today) && w.State == period.Missing {
				t.Errorf("engagement %d: %s %s has not ended but is missing", id, c.Ref, w.Label)
			}
		}
	}
	_, tables, err := record.NewService(db, eng).Workbook(ctx, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	sheetRows := 0
	for _, tb := range tables {
		if tb.Name != "Occurrences" {
			continue
		}
		err := tb.Each(func(row []any) error {
			ref, end, state := row[0].(string), row[3].(civil.Date), row[5].(string)
			sheetRows++
			if !end.Before(today) && state == string(period.Missing) {
				t.Errorf("engagement %d: %s %v has not ended but is missing", id, ref, row[1])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if sheetRows == 0 {
		t.Fatalf("engagement %d: no occurrence windows in the workbook", id)
	}
	for ref, n := range count {
		if n > maxWindows[frequency[ref]] {
			t.Errorf("engagement %d: %s (%s) has %d windows, at most %d in a year", id, ref, frequency[ref], n, maxWindows[frequency[ref]])
		}
	}
}

// checkBusinessDays: the business-day control has fewer windows than an
// every-day one over the same period.
func checkBusinessDays(t *testing.T, eng *engagement.Service, ids []int64) {
	t.Helper()
	for _, id := range ids {
		scoped, err := eng.Controls(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		days := map[string]int{}
		for _, c := range scoped {
			if c.Basis == period.ByWindows && c.Frequency == period.Daily {
				days[c.Calendar] = len(c.Windows)
			}
		}
		if b, ok := days["on business days (Monday to Friday, less holidays)"]; ok {
			if every, ok := days["every day"]; !ok || b >= every*5/7+1 {
				t.Errorf("business days %d against every day %d", b, every)
			}
			return
		}
	}
	t.Error("no engagement has a daily control on business days")
}

func checkUpcoming(t *testing.T, db *store.DB, svc *tasks.Service) {
	t.Helper()
	var owners []store.User
	storetest.Must(t, db.R.Where("role = ?", "owner").Find(&owners))
	most, who := 0, ""
	for _, u := range owners {
		rows, _, err := svc.List(context.Background(), tasks.Filter{OwnerID: u.ID, States: []string{"upcoming"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > most {
			most, who = len(rows), u.Email
		}
	}
	if most >= 20 || most == 0 {
		t.Errorf("%s has %d upcoming tasks", who, most)
	}
	t.Logf("most upcoming tasks: %d (%s)", most, who)
}
