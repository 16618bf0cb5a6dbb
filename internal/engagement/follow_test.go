package engagement_test

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/engagement"
)

// Owners' tasks follow an engagement's period and scope, not its status or
// who tests: only a change to what they follow refreshes them.
func TestTasksFollowThePeriodNotTheStatus(t *testing.T) {
	b := newTestbed(t)
	heard := 0
	b.svc.Changed = func(context.Context, []int64) { heard++ }
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
		if _, err := b.svc.Update(b.ctx, b.id, c.in); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if heard != c.want {
			t.Errorf("a %s change refreshed tasks %d times, want %d", c.what, heard, c.want)
		}
	}
}
