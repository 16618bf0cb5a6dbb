package engagement_test

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// Owners' tasks follow an engagement's period and scope, not its status or
// who tests: only a change to what they follow refreshes them.
func TestTasksFollowThePeriodNotTheStatus(t *testing.T) {
	ctx, svc := context.Background(), engagement.NewService(catalogtest.Open(t, storetest.Targets(t)[0]), nil)
	name, report, typ, from, to := "2026", "soc2", "type2", "2026-01-01", "2026-12-31"
	e, err := svc.Create(ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		t.Fatal(err)
	}
	heard := 0
	svc.Changed = func(context.Context, []int64) { heard++ }
	status, tester, end := "fieldwork", "service_auditor", "2026-11-30"
	for _, c := range []struct {
		what string
		in   engagement.Input
		want int
	}{
		{"status", engagement.Input{Status: &status}, 0},
		{"tester", engagement.Input{Tester: &tester}, 0},
		{"period", engagement.Input{PeriodEnd: &end}, 1},
	} {
		heard = 0
		if _, err := svc.Update(ctx, e.ID, c.in); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if heard != c.want {
			t.Errorf("a %s change refreshed tasks %d times, want %d", c.what, heard, c.want)
		}
	}
}
