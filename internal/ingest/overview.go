package ingest

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/store"
)

// FailingControl is a control that the latest scan of some source failed.
type FailingControl struct {
	ControlRef
	Sources   []string  // the sources whose latest scan failed it
	ScannedAt time.Time // the latest of those scans
	Failed    int       // failing and erroring results in them
}

// Overview is automated evidence at a glance: how many sources report,
// which have gone stale, and which controls their latest scans fail.
type Overview struct {
	Sources int
	Stale   []SourceState
	Failing []FailingControl
}

// Overview looks at each source's latest scan; inScope, if given, keeps
// only the controls it accepts (an engagement's scope).
func (s *Service) Overview(ctx context.Context, inScope func(controlID int64) bool) (Overview, error) {
	sources, err := s.Sources(ctx)
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Sources: len(sources)}
	names := map[int64]string{}
	for _, src := range sources {
		names[src.ID] = src.Name
		if src.Stale {
			o.Stale = append(o.Stale, src)
		}
	}
	latest, err := s.db.LatestIngestRuns(ctx)
	if err != nil || len(latest) == 0 {
		return o, err
	}
	ids := make([]int64, len(latest))
	for i, r := range latest {
		ids[i] = r.ID
	}
	rows, err := s.db.IngestRunCheckCounts(ctx, store.RunCheckFilter{RunIDs: ids})
	if err != nil {
		return o, err
	}
	m, err := s.loadMapping(ctx)
	if err != nil {
		return o, err
	}
	order, byRun, runs := outcomesByRun(rows, m.resolve(), nil)
	failing := map[int64]*FailingControl{}
	for _, run := range order {
		for c, n := range byRun[run] {
			if n.Outcome() != Fail || (inScope != nil && !inScope(c)) {
				continue
			}
			f := failing[c]
			if f == nil {
				f = &FailingControl{ControlRef: ControlRef{ID: c}}
				failing[c] = f
			}
			f.Sources = append(f.Sources, names[runs[run].SourceID])
			f.ScannedAt = laterOf(f.ScannedAt, runs[run].ScannedAt)
			f.Failed += n.Failed + n.Errored
		}
	}
	cids := make([]int64, 0, len(failing))
	for c := range failing {
		cids = append(cids, c)
	}
	slices.Sort(cids)
	refs, err := s.ControlRefs(ctx, cids)
	for _, r := range refs {
		f := failing[r.ID]
		f.ControlRef = r
		slices.Sort(f.Sources)
		o.Failing = append(o.Failing, *f)
	}
	slices.SortFunc(o.Failing, func(a, b FailingControl) int { return strings.Compare(a.Ref, b.Ref) })
	return o, err
}
