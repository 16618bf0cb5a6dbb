package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// FailureGraceDays is how long the owner of a control whose checks failed
// has before the task to fix them is overdue.
const FailureGraceDays = 7

// followRun keeps the owners' tasks in step with a run: each control it
// failed gets a task for the day (one per control and day), each control
// it passed has the tasks its earlier failures in this source opened
// closed, and a source that had gone stale is current again.
func (s *Service) followRun(ctx context.Context, run store.IngestRun, src store.IngestSource, out Ingested, sum summary,
	targets map[string]Target, now time.Time) ([]auditlog.Event, error) {
	controls, err := s.db.IngestControls(ctx, append(slices.Clone(out.Passed), out.Failed...))
	if err != nil {
		return nil, err
	}
	var events []auditlog.Event
	for _, c := range out.Passed {
		answered, err := s.db.ClearFailureTaskRuns(ctx, c, src.ID, run.ScannedAt)
		if err != nil {
			return nil, err
		}
		for _, t := range answered {
			t.DoneAt, t.DoneVia, t.DoneEvidenceID, t.UpdatedAt = &now, store.DoneByPassingRun, &run.EvidenceID, now
			if err := s.db.SaveIngestTask(ctx, &t); err != nil {
				return nil, err
			}
			events = append(events, taskEvent("task.done", t, map[string]any{"done_via": "passing run", "run_id": run.ID}))
		}
	}
	for _, c := range out.Failed {
		if controls[c].Status == "retired" {
			continue // nobody runs it any more: its failures are history
		}
		ev, err := s.openFailure(ctx, run, src, controls[c], failingChecks(sum, targets, c), targets, now)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	stale, err := s.db.OpenStaleTasks(ctx, src.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range stale {
		t.DoneAt, t.DoneVia, t.UpdatedAt = &now, store.DoneBySourceReport, now
		if err := s.db.SaveIngestTask(ctx, &t); err != nil {
			return nil, err
		}
		events = append(events, taskEvent("task.done", t, map[string]any{"done_via": "the source reported", "run_id": run.ID}))
	}
	return events, nil
}

func taskEvent(action string, t store.IngestTask, changes map[string]any) auditlog.Event {
	after := map[string]any{"title": t.Title, "kind": t.Kind, "owner_id": t.OwnerID, "due_on": t.DueOn}
	for k, v := range changes {
		after[k] = v
	}
	return auditlog.Event{Action: action, ObjectType: "task", ObjectID: fmt.Sprint(t.ID), Changes: auditlog.Diff(nil, after)}
}

// failingChecks names the checks of a control that failed or could not
// run in the file, with how many resources each.
func failingChecks(sum summary, targets map[string]Target, control int64) []string {
	var out []string
	for _, id := range sum.order {
		st := sum.checks[id]
		if n := st.Failed + st.Errored; n > 0 && slices.Contains(targets[id].Controls, control) {
			out = append(out, fmt.Sprintf("%s (%d)", id, n))
		}
	}
	return out
}

// openFailure opens, updates or reopens the task of a control for the day
// of a failing run. A run that arrives after a later passing run of the
// same source is history already answered, and opens nothing.
func (s *Service) openFailure(ctx context.Context, run store.IngestRun, src store.IngestSource, c store.Control,
	failing []string, targets map[string]Target, now time.Time) ([]auditlog.Event, error) {
	if passed, err := s.passedSince(ctx, c.ID, src.ID, run.ScannedAt, targets); err != nil || passed {
		return nil, err
	}
	day := run.ScannedAt.In(s.location).Format(time.DateOnly)
	key := fmt.Sprintf("failure/%d/%s", c.ID, day)
	desc := shorten(fmt.Sprintf("Failed or could not run in %s's scan of %s: %s. The task is done when a later scan of each failing source passes.",
		src.Name, run.ScannedAt.In(s.location).Format("2006-01-02 15:04 MST"), strings.Join(failing, ", ")), 2000)
	t, err := s.db.IngestTaskByKey(ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		t = store.IngestTask{TaskKey: &key, Kind: store.TaskCheckFailure, ControlID: &c.ID, OwnerID: c.OwnerID,
			Title:       fmt.Sprintf("Fix the failing checks of %s (%s)", c.Ref, day),
			Description: desc, WindowLabel: day, WindowStart: &day, WindowEnd: &day, OpensOn: day,
			DueOn: run.ScannedAt.In(s.location).AddDate(0, 0, FailureGraceDays).Format(time.DateOnly), CreatedAt: now, UpdatedAt: now}
		if err := s.save(ctx, &t, src.ID, run.ID); err != nil {
			return nil, err
		}
		return []auditlog.Event{taskEvent("task.create", t, map[string]any{"control_id": c.ID, "run_id": run.ID})}, nil
	case err != nil:
		return nil, err
	case t.NotApplicable:
		return nil, nil // the owner has decided about this day's failures
	case t.DoneAt != nil:
		if later, err := s.laterThanClosing(ctx, t, run); err != nil || !later {
			return nil, err
		}
		t.DoneAt, t.DoneVia, t.DoneEvidenceID = nil, "", nil
		t.Description, t.UpdatedAt = desc, now
		if err := s.save(ctx, &t, src.ID, run.ID); err != nil {
			return nil, err
		}
		return []auditlog.Event{taskEvent("task.reopen", t, map[string]any{"reopened_by": "a later failing run", "run_id": run.ID})}, nil
	}
	t.Description, t.UpdatedAt = desc, now
	if err := s.save(ctx, &t, src.ID, run.ID); err != nil {
		return nil, err
	}
	return []auditlog.Event{taskEvent("task.update", t, map[string]any{"failed_again_in_run": run.ID})}, nil
}

func (s *Service) save(ctx context.Context, t *store.IngestTask, sourceID, runID int64) error {
	if err := s.db.SaveIngestTask(ctx, t); err != nil {
		return err
	}
	return s.db.SetFailureTaskRun(ctx, t.ID, sourceID, runID)
}

// laterThanClosing: is the run later than the one whose pass closed the task?
func (s *Service) laterThanClosing(ctx context.Context, t store.IngestTask, run store.IngestRun) (bool, error) {
	if t.DoneEvidenceID == nil {
		return false, nil
	}
	closing, err := s.db.IngestRunByEvidence(ctx, *t.DoneEvidenceID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && run.ScannedAt.After(closing.ScannedAt), err
}

// passedSince reports whether a run of the source scanned after t passed the control.
func (s *Service) passedSince(ctx context.Context, control, source int64, t time.Time, targets map[string]Target) (bool, error) {
	rows, err := s.db.IngestRunCheckCounts(ctx, store.RunCheckFilter{CheckIDs: checksOfControls(targets, []int64{control}),
		SourceID: source, From: t.Add(time.Microsecond)})
	if err != nil {
		return false, err
	}
	order, byRun, _ := outcomesByRun(rows, targets, map[int64]bool{control: true})
	for _, run := range order {
		if n := byRun[run][control]; n != nil && n.Outcome() == Pass {
			return true, nil
		}
	}
	return false, nil
}
