package engagement

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/socmap/socmap/internal/store"
)

// Computing an engagement's progress cold reads every evidence date in its
// scope: on the large programme (1,000 controls, 100,000 evidence records)
// that held an engagement's first view for seconds. The server therefore
// computes ahead of the views: the open engagements once it starts, and
// after a change, once the programme has stood still, those looked at
// lately.
const (
	progressKept = 16               // engagements whose progress is kept
	warmedAtMost = 12               // of them, how many are warmed at start
	lookedLately = 15 * time.Minute // a view this recent is warmed again after a change
)

// asked remembers when each engagement's progress was last asked for.
type asked struct {
	mu sync.Mutex
	at map[int64]time.Time
}

func (a *asked) note(id int64, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[int64]time.Time{}
	}
	a.at[id] = now
}

// since is the engagements asked for after t, the latest first; older
// ones are forgotten.
func (a *asked) since(t time.Time) []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ids []int64
	for id, at := range a.at {
		if at.After(t) {
			ids = append(ids, id)
		} else {
			delete(a.at, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return a.at[ids[i]].After(a.at[ids[j]]) })
	return ids
}

// KeepWarm computes progress ahead of the views until ctx ends: first the
// newest open engagements, then, every tick, when the audit trail has moved
// and stood still since the last tick, the engagements looked at lately,
// the latest first. Any change moves the trail, a sign-in too, so the open
// engagements count as looked at when the server starts.
func (s *Service) KeepWarm(ctx context.Context, tick time.Duration, log *slog.Logger) {
	open, err := s.openEngagements(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("listing the engagements to compute ahead", "err", err)
		}
		return
	}
	started := s.now()
	for i, id := range open {
		s.viewed.note(id, started.Add(-time.Duration(i))) // the newest first
	}
	warmed := s.warm(ctx, open, -1, log)
	last := warmed
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := s.st.AuditVersion(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("reading the audit trail's version", "err", err)
			}
			continue
		}
		if v != warmed && v == last {
			warmed = s.warm(ctx, s.viewed.since(s.now().Add(-lookedLately)), v, log)
		}
		last = v
	}
}

// openEngagements are the newest engagements not closed.
func (s *Service) openEngagements(ctx context.Context) ([]int64, error) {
	rows, _, err := s.st.EngagementsPage(ctx, store.EngagementFilter{Limit: warmedAtMost + 4})
	var ids []int64
	for _, e := range rows {
		if e.Status != "closed" && len(ids) < warmedAtMost {
			ids = append(ids, e.ID)
		}
	}
	return ids, err
}

// warm computes the engagements' progress and answers the audit trail's
// version it started from (v, or the current one when v is -1); it stops
// when the trail moves meanwhile and answers -1, to start again once it
// stands still.
func (s *Service) warm(ctx context.Context, ids []int64, v int64, log *slog.Logger) int64 {
	if v < 0 {
		var err error
		if v, err = s.st.AuditVersion(ctx); err != nil {
			return -1
		}
	}
	for _, id := range ids {
		now, err := s.st.AuditVersion(ctx)
		if err != nil {
			return -1
		}
		if now != v {
			return -1 // changed again: what is computed now is stale at once
		}
		if _, err := s.computeAhead(ctx, id); err != nil && ctx.Err() == nil {
			log.Warn("computing an engagement's progress ahead", "engagement", id, "err", err)
		}
	}
	return v
}

// computeAhead is Progress without counting as a view.
func (s *Service) computeAhead(ctx context.Context, id int64) (Progress, error) {
	key := progressKey{id: id, today: s.Today()} // window states move on with the days
	kp, err := s.progress.Get(ctx, s.st, key, func() (keptProgress, error) { return s.computeKept(ctx, key) })
	return kp.Progress, err
}

// ProgressKept reports whether the engagement's progress is computed and
// current, so its next view reads it without computing.
func (s *Service) ProgressKept(ctx context.Context, id int64) (bool, error) {
	return s.progress.Kept(ctx, s.st, progressKey{id: id, today: s.Today()})
}
