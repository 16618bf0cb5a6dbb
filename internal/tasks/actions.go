package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

// AdhocInput is a task a compliance user asks of someone, e.g. an
// auditor's follow-up request.
type AdhocInput struct {
	Title        *string
	Description  *string
	OwnerID      *int64
	DueOn        *string
	ControlID    *int64
	EngagementID *int64
}

// CreateAdhoc adds an ad-hoc task.
func (s *Service) CreateAdhoc(ctx context.Context, createdBy int64, in AdhocInput) (Task, error) {
	now := s.now().UTC()
	t := Task{Kind: "adhoc", OpensOn: s.Today(), CreatedBy: &createdBy, CreatedAt: now, UpdatedAt: now}
	f := apperr.Fields{}
	f.Text("title", in.Title, &t.Title, 300)
	f.Text("description", in.Description, &t.Description, 4000)
	var due *string
	f.Date("due_on", in.DueOn, &due)
	f.Require("title", t.Title)
	if due == nil && f["due_on"] == "" {
		f["due_on"] = "required"
	} else if due != nil {
		t.DueOn = *due
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		s.checkAssignee(ctx, in.OwnerID, f)
		if err := checkExists(ctx, f, "control_id", "control", in.ControlID, s.db.ControlExists); err != nil {
			return err
		}
		if err := checkExists(ctx, f, "engagement_id", "engagement", in.EngagementID, s.db.EngagementExists); err != nil {
			return err
		}
		if err := f.Err("the task is not valid"); err != nil {
			return err
		}
		t.OwnerID, t.ControlID = in.OwnerID, in.ControlID
		if err := s.db.CreateTask(ctx, &t, in.EngagementID); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "task.create", ObjectType: "task", ObjectID: fmt.Sprint(t.ID),
			Changes: auditlog.Diff(nil, map[string]any{"title": t.Title, "owner_id": t.OwnerID, "due_on": t.DueOn,
				"control_id": t.ControlID, "engagement_id": in.EngagementID})})
	})
	return t, err
}

// checkAssignee: tasks go to active users who can work on them.
func (s *Service) checkAssignee(ctx context.Context, ownerID *int64, f apperr.Fields) {
	if ownerID == nil {
		f["owner_id"] = "required"
		return
	}
	if u, err := s.db.UserByID(ctx, *ownerID); err != nil || u.DisabledAt != nil {
		f["owner_id"] = fmt.Sprintf("user %d is not an active user", *ownerID)
	} else if !auth.RoleCan(auth.Role(u.Role), auth.WorkOnTasks) {
		f["owner_id"] = fmt.Sprintf("%s is a %s and cannot work on tasks", u.Email, u.Role)
	}
}

// checkExists names field in f when the thing it refers to does not exist.
func checkExists(ctx context.Context, f apperr.Fields, field, thing string, id *int64,
	exists func(context.Context, int64) (bool, error)) error {
	if id == nil {
		return nil
	}
	ok, err := exists(ctx, *id)
	if err != nil {
		return err
	}
	if !ok {
		f[field] = fmt.Sprintf("%s %d not found", thing, *id)
	}
	return nil
}

// SetNotApplicable marks an open task not applicable, with the reason the
// export shows.
func (s *Service) SetNotApplicable(ctx context.Context, p *auth.Principal, id int64, reason string, ifVersion *int64) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 2000 {
		return apperr.Invalid("say why the task does not apply", map[string]string{"reason": "required, at most 2000 characters"})
	}
	return s.change(ctx, p, id, "task.not_applicable", ifVersion, func(t *Task) error {
		if t.DoneAt != nil || t.NotApplicable {
			return apperr.Conflict("the task is already closed; reopen it first")
		}
		t.NotApplicable, t.NaReason = true, reason
		return nil
	})
}

// Complete marks an ad-hoc task done. Occurrence and renewal tasks are
// completed by the evidence itself, so nobody can tick them off without it.
func (s *Service) Complete(ctx context.Context, p *auth.Principal, id int64, ifVersion *int64) error {
	now := s.now().UTC()
	return s.change(ctx, p, id, "task.done", ifVersion, func(t *Task) error {
		if t.Kind != "adhoc" {
			return apperr.Conflict("this task is done when evidence covering it is uploaded")
		}
		if t.DoneAt != nil || t.NotApplicable {
			return apperr.Conflict("the task is already closed")
		}
		t.DoneAt, t.DoneVia, t.DoneBy = &now, "manual", &p.User.ID
		return nil
	})
}

// Reopen undoes "not applicable" or a manual completion.
func (s *Service) Reopen(ctx context.Context, p *auth.Principal, id int64, ifVersion *int64) error {
	return s.change(ctx, p, id, "task.reopen", ifVersion, func(t *Task) error {
		switch {
		case t.NotApplicable:
			t.NotApplicable, t.NaReason = false, ""
		case t.DoneVia == "manual":
			t.DoneAt, t.DoneVia, t.DoneBy = nil, "", nil
		default:
			return apperr.Conflict("only a task marked not applicable or done by hand can be reopened")
		}
		return nil
	})
}

// change applies edit to a task the principal may work on, audited.
// ifVersion, when set, is the version the writer read (If-Match).
func (s *Service) change(ctx context.Context, p *auth.Principal, id int64, action string, ifVersion *int64, edit func(*Task) error) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		t, err := s.db.TaskByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("no such task")
		} else if err != nil {
			return err
		}
		if !p.CanWorkOnTask(t.OwnerID) {
			return apperr.Forbidden("this task is assigned to someone else")
		}
		before := t
		if err := edit(&t); err != nil {
			return err
		}
		t.UpdatedAt = s.now().UTC()
		if err := s.db.SaveTask(ctx, &t, ifVersion); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: action, ObjectType: "task", ObjectID: fmt.Sprint(id),
			Changes: auditlog.Diff(
				map[string]any{"not_applicable": before.NotApplicable, "na_reason": before.NaReason, "done_at": timeOrNil(before.DoneAt)},
				map[string]any{"not_applicable": t.NotApplicable, "na_reason": t.NaReason, "done_at": timeOrNil(t.DoneAt)})})
	})
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}
