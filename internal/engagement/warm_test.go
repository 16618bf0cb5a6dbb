package engagement_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
)

// The server computes an open engagement's progress once it starts, and
// again after a change once the programme stands still, so the next view
// of the engagement does not compute it cold.
func TestProgressIsComputedAheadOfTheView(t *testing.T) {
	b := newOccurrences(t, storetest.Targets(t)[0], "2026-06-30")
	b.control("CC-01", "monthly", "manual", controls.Input{})
	ctx, cancel := context.WithCancel(b.ctx)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		b.engagements.KeepWarm(ctx, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-stopped }()
	waitKept(t, b, "once the server starts")
	name := "2026 renamed"
	if _, err := b.engagements.Update(b.ctx, b.id, engagement.Input{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if kept, err := b.engagements.ProgressKept(b.ctx, b.id); err != nil || kept {
		t.Fatalf("progress still kept after a change: %v %v", kept, err)
	}
	waitKept(t, b, "after a change")
}

func waitKept(t *testing.T, b *occurrences, when string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		kept, err := b.engagements.ProgressKept(b.ctx, b.id)
		if err != nil {
			t.Fatal(err)
		}
		if kept {
			return
		}
	}
	t.Fatalf("the engagement's progress was not computed ahead %s", when)
}
