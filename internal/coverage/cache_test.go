package coverage_test

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/coverage"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// A cached report is reused until an audited change, then recomputed.
func TestCacheFollowsChanges(t *testing.T) {
	ctx := context.Background()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	cache := coverage.NewCache(db)
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	state := func() string {
		rep, err := cache.Compute(ctx, coverage.Scope{}, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Requirements {
			if r.Ref == "CC6.4" {
				return r.State
			}
		}
		return ""
	}
	if got := state(); got != coverage.NoControl {
		t.Fatalf("CC6.4 before: %s", got)
	}
	if err := controls.NewService(db).SetApplicability(ctx, "soc2-tsc-2017/CC6.4", true, "carved out"); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != coverage.NotApplicable {
		t.Errorf("CC6.4 after it was marked not applicable: %s (a stale report)", got)
	}
}
