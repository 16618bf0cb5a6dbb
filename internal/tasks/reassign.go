package tasks

import (
	"context"
	"fmt"
	"slices"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
)

// maxBulk is the most tasks one bulk change takes: a page of a list.
const maxBulk = 500

// Assignment is whom a task was assigned to before a reassignment, so the
// change can be taken back.
type Assignment struct {
	TaskID  int64  `json:"task_id"`
	OwnerID *int64 `json:"owner_id"`
}

// Reassign gives the listed open ad-hoc tasks to ownerID in one
// transaction, each audited and its version moved on: all of them or, when
// one cannot be, none. The other kinds follow the owner of their control
// or source, which the next refresh would restore, so they are refused
// with a pointer to where their owner is changed.
func (s *Service) Reassign(ctx context.Context, ids []int64, ownerID *int64) ([]Assignment, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 || len(ids) > maxBulk {
		return nil, apperr.Invalid("choose the tasks to reassign", apperr.Fields{"task_ids": fmt.Sprintf("1 to %d task ids", maxBulk)})
	}
	var before []Assignment
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		f := apperr.Fields{}
		s.checkAssignee(ctx, ownerID, f)
		if err := f.Err("the tasks cannot be reassigned"); err != nil {
			return err
		}
		rows, err := s.db.TasksByID(ctx, ids)
		if err != nil {
			return err
		}
		if err := s.reassignable(ctx, ids, rows); err != nil {
			return err
		}
		for _, t := range rows {
			before = append(before, Assignment{TaskID: t.ID, OwnerID: t.OwnerID})
			if err := s.reassignOne(ctx, t, ownerID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return before, nil
}

// reassignable refuses the whole change when a task is missing, closed or
// follows its control's owner, naming each such task.
func (s *Service) reassignable(ctx context.Context, ids []int64, rows []Task) error {
	f := apperr.Fields{}
	found := make(map[int64]bool, len(rows))
	for _, t := range rows {
		found[t.ID] = true
		key := fmt.Sprintf("task %d", t.ID)
		switch {
		case t.DoneAt != nil || t.NotApplicable:
			f[key] = "is closed; reopen it first"
		case t.Kind != "adhoc":
			msg, err := s.followsOwner(ctx, t)
			if err != nil {
				return err
			}
			f[key] = msg
		}
	}
	for _, id := range ids {
		if !found[id] {
			f[fmt.Sprintf("task %d", id)] = "not found"
		}
	}
	return f.Err("some of the tasks cannot be reassigned")
}

// followsOwner says whose owner a planned task follows.
func (s *Service) followsOwner(ctx context.Context, t Task) (string, error) {
	if t.ControlID == nil {
		return "follows the owner of its source: change the source's owner", nil
	}
	ref, err := s.db.ControlRefOf(ctx, *t.ControlID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("follows the owner of control %s: change the control's owner", ref), nil
}

func (s *Service) reassignOne(ctx context.Context, t Task, ownerID *int64) error {
	if ptrEqual(t.OwnerID, ownerID) {
		return nil
	}
	was := t.OwnerID
	t.OwnerID, t.UpdatedAt = ownerID, s.now().UTC()
	if err := s.db.SaveTask(ctx, &t, nil); err != nil {
		return err
	}
	return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "task.reassign", ObjectType: "task", ObjectID: fmt.Sprint(t.ID),
		Changes: auditlog.Diff(map[string]any{"owner_id": was}, map[string]any{"owner_id": ownerID})})
}

func ptrEqual(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
