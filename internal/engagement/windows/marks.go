package windows

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// maxMarkReason bounds why a window is not expected.
const maxMarkReason = 2000

// window finds one expected window of an in-scope control by its first
// day: marks and attachments are only for windows the engagement expects.
func (s *Service) window(ctx context.Context, id, controlID int64, start string) (engagement.WindowState, error) {
	ws, err := s.windows(ctx, id, controlID, []string{start})
	if err != nil {
		return engagement.WindowState{}, err
	}
	return ws[0], nil
}

// windows finds several windows of a control at once.
func (s *Service) windows(ctx context.Context, id, controlID int64, starts []string) ([]engagement.WindowState, error) {
	days := make([]civil.Date, len(starts))
	for i, start := range starts {
		day, err := civil.Parse(start)
		if err != nil {
			return nil, apperr.Invalid("a window is named by its first day",
				map[string]string{"window": fmt.Sprintf("%q: a date such as 2026-04-15", start)})
		}
		days[i] = day
	}
	d, err := s.eng.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.ReportType != "type2" {
		return nil, apperr.Invalid("a Type I engagement has no occurrence windows", nil)
	}
	scoped, err := s.eng.Controls(ctx, id)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(scoped, func(c engagement.ScopedControl) bool { return c.ID == controlID })
	if i < 0 {
		return nil, apperr.NotFound("control %d is not in engagement %d", controlID, id)
	}
	c := scoped[i]
	if !c.Included {
		return nil, apperr.Invalid(c.Ref+" is excluded from this engagement", nil)
	}
	out := make([]engagement.WindowState, len(days))
	for k, day := range days {
		j := slices.IndexFunc(c.Windows, func(w engagement.WindowState) bool { return w.Start == day })
		if j < 0 {
			return nil, apperr.NotFound("%s has no occurrence window starting %s in this engagement", c.Ref, day)
		}
		out[k] = c.Windows[j]
	}
	return out, nil
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
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.SaveMark(ctx, store.WindowMark{EngagementID: id, ControlID: controlID,
			WindowStart: w.Start.String(), WindowEnd: w.End.String(), Reason: reason,
			MarkedBy: auditlog.ActorFrom(ctx).UserID, MarkedAt: s.eng.Now().UTC()})
		if err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.window_not_expected", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"control_id": {After: controlID},
				"window": {After: w.Label}, "reason": {Before: before, After: reason}}})
	})
	s.eng.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

// ClearNotExpected withdraws a window's mark: it is expected again.
func (s *Service) ClearNotExpected(ctx context.Context, id, controlID int64, start string) error {
	w, err := s.window(ctx, id, controlID, start)
	if err != nil {
		return err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.DeleteMark(ctx, id, controlID, w.Start.String())
		if err != nil {
			return err
		}
		if before == "" {
			return apperr.NotFound("the window %s is not marked not expected", w.Label)
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.window_expected", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"control_id": {After: controlID},
				"window": {After: w.Label}, "reason": {Before: before}}})
	})
	s.eng.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

// AttachEvidence attaches summary evidence of the control (a listing that
// spans several windows) to one window it speaks for, which it then covers.
func (s *Service) AttachEvidence(ctx context.Context, id, controlID int64, start string, evidenceID int64) error {
	return s.attachment(ctx, id, controlID, start, evidenceID, true)
}

// AttachEvidenceToWindows attaches summary evidence to several windows in
// one change: a month's log export to each day of the month. Every window
// must be one the engagement expects, or nothing is attached.
func (s *Service) AttachEvidenceToWindows(ctx context.Context, id, controlID int64, starts []string, evidenceID int64) error {
	if len(starts) == 0 || len(starts) > 400 {
		return apperr.Invalid("name the windows to attach the evidence to", map[string]string{"windows": "1 to 400 first days"})
	}
	ws, err := s.windows(ctx, id, controlID, starts)
	if err != nil {
		return err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.liveEvidence(ctx, evidenceID, controlID); err != nil {
			return err
		}
		var labels []string
		for _, w := range ws {
			added, err := s.st.AttachToWindow(ctx, store.WindowEvidence{EngagementID: id, ControlID: controlID,
				WindowStart: w.Start.String(), EvidenceID: evidenceID, AttachedBy: auditlog.ActorFrom(ctx).UserID, AttachedAt: s.eng.Now().UTC()})
			if err != nil {
				return err
			}
			if added {
				labels = append(labels, w.Label)
			}
		}
		if len(labels) == 0 {
			return nil
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.window_attach", ObjectType: "engagement", ObjectID: fmt.Sprint(id),
			Changes: map[string]auditlog.Change{"control_id": {After: controlID}, "window": {After: strings.Join(labels, ", ")},
				"evidence_id": {After: evidenceID}}})
	})
	s.eng.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

func (s *Service) liveEvidence(ctx context.Context, evidenceID, controlID int64) error {
	live, err := s.st.IsLiveEvidenceOf(ctx, evidenceID, controlID)
	if err != nil {
		return err
	}
	if !live {
		return apperr.Invalid("only the control's own current evidence can be attached",
			map[string]string{"evidence_id": fmt.Sprintf("evidence %d is not linked to this control", evidenceID)})
	}
	return nil
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
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		var changed bool
		if attach {
			if err := s.liveEvidence(ctx, evidenceID, controlID); err != nil {
				return err
			}
			var err error
			changed, err = s.st.AttachToWindow(ctx, store.WindowEvidence{EngagementID: id, ControlID: controlID,
				WindowStart: w.Start.String(), EvidenceID: evidenceID, AttachedBy: auditlog.ActorFrom(ctx).UserID, AttachedAt: s.eng.Now().UTC()})
			if err != nil || !changed {
				return err // attaching twice changes nothing
			}
		} else {
			if changed, err = s.st.DetachFromWindow(ctx, id, controlID, w.Start.String(), evidenceID); err != nil {
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
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: action, ObjectType: "engagement", ObjectID: fmt.Sprint(id),
			Changes: map[string]auditlog.Change{"control_id": {After: controlID}, "window": {After: w.Label}, "evidence_id": change}})
	})
	s.eng.Changed.Notify(ctx, err, []int64{controlID})
	return err
}
