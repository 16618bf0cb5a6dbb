package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// relink brings the control links of every run's evidence in line with
// the mapping as it is now, for some controls (nil: all of them): a run's
// file is linked to exactly the controls it passed. It returns the
// controls whose links changed and one audit event per evidence item.
func (s *Service) relink(ctx context.Context, controls []int64) ([]int64, []auditlog.Event, error) {
	evidenceIDs, err := s.db.IngestEvidenceIDs(ctx)
	if err != nil || len(evidenceIDs) == 0 {
		return nil, nil, err
	}
	m, err := s.loadMapping(ctx)
	if err != nil {
		return nil, nil, err
	}
	targets := m.resolve()
	var only map[int64]bool
	filter := store.RunCheckFilter{}
	if controls != nil {
		only = map[int64]bool{}
		for _, c := range controls {
			only[c] = true
		}
		filter.CheckIDs = checksOfControls(targets, controls)
	}
	rows, err := s.db.IngestRunCheckCounts(ctx, filter)
	if err != nil {
		return nil, nil, err
	}
	order, byRun, runs := outcomesByRun(rows, targets, only)
	want := map[int64][]int64{} // evidence → controls it passed
	for _, run := range order {
		for c, n := range byRun[run] {
			if n.Outcome() == Pass {
				want[runs[run].EvidenceID] = append(want[runs[run].EvidenceID], c)
			}
		}
	}
	have, err := s.db.EvidenceLinks(ctx, evidenceIDs)
	if err != nil {
		return nil, nil, err
	}
	var changed []int64
	var events []auditlog.Event
	for _, e := range evidenceIDs {
		before := have[e]
		var add, remove []int64
		for _, c := range want[e] {
			if !slices.Contains(before, c) {
				add = append(add, c)
			}
		}
		for _, c := range before {
			if (only == nil || only[c]) && !slices.Contains(want[e], c) {
				remove = append(remove, c)
			}
		}
		if len(add) == 0 && len(remove) == 0 {
			continue
		}
		slices.Sort(add)
		if err := s.db.AddEvidenceLinks(ctx, e, add); err != nil {
			return nil, nil, err
		}
		if err := s.db.RemoveEvidenceLinks(ctx, e, remove); err != nil {
			return nil, nil, err
		}
		after := slices.DeleteFunc(append(slices.Clone(before), add...), func(c int64) bool { return slices.Contains(remove, c) })
		slices.Sort(after)
		changed = append(append(changed, add...), remove...)
		events = append(events, auditlog.Event{Action: "evidence.update", ObjectType: "evidence", ObjectID: fmt.Sprint(e),
			Changes: map[string]auditlog.Change{"control_ids": {Before: fmt.Sprint(before), After: fmt.Sprint(after)}}})
	}
	slices.Sort(changed)
	return slices.Compact(changed), events, nil
}

// Follow is the hook the controls service calls after controls or their
// mappings change: runs' evidence follows the criteria mappings, open
// failure tasks follow their controls' owners, and then next (the
// evidence tasks) hears of every control whose evidence changed.
func (s *Service) Follow(log *slog.Logger, next store.ControlsChanged) store.ControlsChanged {
	return func(ctx context.Context, controlIDs []int64) {
		ctx = context.WithoutCancel(ctx)
		var changed []int64
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			var events []auditlog.Event
			var err error
			if changed, events, err = s.relink(ctx, controlIDs); err != nil {
				return err
			}
			moved, err := s.db.FollowControlOwners(ctx, controlIDs)
			if err != nil {
				return err
			}
			for _, m := range moved {
				events = append(events, auditlog.Event{Action: "task.update", ObjectType: "task", ObjectID: fmt.Sprint(m.TaskID),
					Changes: auditlog.Diff(map[string]any{"owner_id": m.Before}, map[string]any{"owner_id": m.After})})
			}
			return auditlog.AppendIn(ctx, s.db, events...)
		})
		if err != nil {
			log.Error("relinking scan evidence after a change", "controls", controlIDs, "err", err)
		}
		if controlIDs == nil {
			next.Notify(ctx, nil, nil) // any control may have changed
			return
		}
		next.Notify(ctx, nil, append(changed, controlIDs...))
	}
}
