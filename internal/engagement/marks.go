package engagement

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// maxMarkReason bounds why a window is not expected.
const maxMarkReason = 2000

// window finds one expected window of an in-scope control by its first
// day: marks and attachments are only for windows the engagement expects.
func (s *Service) window(ctx context.Context, id, controlID int64, start string) (WindowState, error) {
	day, err := civil.Parse(start)
	if err != nil {
		return WindowState{}, apperr.Invalid("the window is named by its first day",
			map[string]string{"window": "a date such as 2026-04-15"})
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return WindowState{}, err
	}
	if d.ReportType != "type2" {
		return WindowState{}, apperr.Invalid("a Type I engagement has no occurrence windows", nil)
	}
	scoped, err := s.Controls(ctx, id)
	if err != nil {
		return WindowState{}, err
	}
	for _, c := range scoped {
		if c.ID != controlID {
			continue
		}
		if !c.Included {
			return WindowState{}, apperr.Invalid(c.Ref+" is excluded from this engagement", nil)
		}
		for _, w := range c.Windows {
			if w.Start == day {
				return w, nil
			}
		}
		return WindowState{}, apperr.NotFound("%s has no occurrence window starting %s in this engagement", c.Ref, start)
	}
	return WindowState{}, apperr.NotFound("control %d is not in engagement %d", controlID, id)
}

// MarkNotExpected records, with the reason, that a control did not have to
// operate in one window (nothing to review that month); the window then
// asks for no evidence and does not count towards readiness.
func (s *Service) MarkNotExpected(ctx context.Context, id, controlID int64, start, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxMarkReason {
		return apperr.Invalid("say why the control did not have to operate in this window",
			map[string]string{"reason": fmt.Sprintf("required, at most %d characters", maxMarkReason)})
	}
	w, err := s.window(ctx, id, controlID, start)
	if err != nil {
		return err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := store.SaveWindowMark(ctx, tx, store.WindowMark{EngagementID: id, ControlID: controlID,
			WindowStart: w.Start.String(), WindowEnd: w.End.String(), Reason: reason,
			MarkedBy: auditlog.ActorFrom(ctx).UserID, MarkedAt: s.now().UTC()})
		if err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.window_not_expected", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"control_id": {After: controlID},
				"window": {After: w.Label}, "reason": {Before: before, After: reason}}})
	})
	s.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

// ClearNotExpected withdraws a window's mark: it is expected again.
func (s *Service) ClearNotExpected(ctx context.Context, id, controlID int64, start string) error {
	w, err := s.window(ctx, id, controlID, start)
	if err != nil {
		return err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := store.DeleteWindowMark(ctx, tx, id, controlID, w.Start.String())
		if err != nil {
			return err
		}
		if before == "" {
			return apperr.NotFound("the window %s is not marked not expected", w.Label)
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.window_expected", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"control_id": {After: controlID},
				"window": {After: w.Label}, "reason": {Before: before}}})
	})
	s.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

// AttachEvidence attaches summary evidence of the control (a listing that
// spans several windows) to one window it speaks for, which it then covers.
func (s *Service) AttachEvidence(ctx context.Context, id, controlID int64, start string, evidenceID int64) error {
	return s.attachment(ctx, id, controlID, start, evidenceID, true)
}

// DetachEvidence withdraws an attachment.
func (s *Service) DetachEvidence(ctx context.Context, id, controlID int64, start string, evidenceID int64) error {
	return s.attachment(ctx, id, controlID, start, evidenceID, false)
}

func (s *Service) attachment(ctx context.Context, id, controlID int64, start string, evidenceID int64, attach bool) error {
	w, err := s.window(ctx, id, controlID, start)
	if err != nil {
		return err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var changed bool
		if attach {
			live, err := store.LiveEvidenceOf(ctx, tx, evidenceID, controlID)
			if err != nil {
				return err
			}
			if !live {
				return apperr.Invalid("only the control's own current evidence can be attached",
					map[string]string{"evidence_id": fmt.Sprintf("evidence %d is not linked to this control", evidenceID)})
			}
			changed, err = store.AttachWindowEvidence(ctx, tx, store.WindowEvidence{EngagementID: id, ControlID: controlID,
				WindowStart: w.Start.String(), EvidenceID: evidenceID, AttachedBy: auditlog.ActorFrom(ctx).UserID, AttachedAt: s.now().UTC()})
			if err != nil || !changed {
				return err // attaching twice changes nothing
			}
		} else {
			if changed, err = store.DetachWindowEvidence(ctx, tx, id, controlID, w.Start.String(), evidenceID); err != nil {
				return err
			}
			if !changed {
				return apperr.NotFound("evidence %d is not attached to %s", evidenceID, w.Label)
			}
		}
		change := auditlog.Change{After: evidenceID}
		action := "engagement.window_attach"
		if !attach {
			change, action = auditlog.Change{Before: evidenceID}, "engagement.window_detach"
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: action, ObjectType: "engagement", ObjectID: fmt.Sprint(id),
			Changes: map[string]auditlog.Change{"control_id": {After: controlID}, "window": {After: w.Label}, "evidence_id": change}})
	})
	s.Changed.Notify(ctx, err, []int64{controlID})
	return err
}
