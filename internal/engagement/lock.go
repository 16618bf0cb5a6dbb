package engagement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// LockedStatuses are the statuses in which an engagement's report rests on
// what was tested: from reporting on, its scope, period, results, samples,
// populations, exceptions, evaluations and the evidence relied on are
// frozen.
var LockedStatuses = []string{"reporting", "issued", "closed"}

// Locked reports whether an engagement in this status is frozen.
func Locked(status string) bool { return slices.Contains(LockedStatuses, status) }

// LockError is the refusal of a change to a frozen engagement.
func LockError(name, status string) *apperr.Error {
	return &apperr.Error{Kind: apperr.KindConflict, Code: "engagement_locked",
		Message: fmt.Sprintf("the engagement %q is in %s: its scope, period, results, samples and evidence are locked; "+
			"move it back to fieldwork (an admin, with a reason) to change them", name, status)}
}

// CheckUnlocked refuses with LockError when the engagement is frozen. An
// engagement that does not exist is not refused here: the caller answers
// "not found" its own way.
func (s *Service) CheckUnlocked(ctx context.Context, id int64) error {
	e, err := s.st.EngagementHead(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if Locked(e.Status) {
		return LockError(e.Name, e.Status)
	}
	return nil
}

// statusIndex is a status's place in StatusFlow.
func statusIndex(status string) int { return slices.Index(StatusFlow, status) }

// checkStatusChange decides a change of status: forward freely, back
// within planning and fieldwork freely; back from reporting or later only
// by an admin with a reason; never from issued or closed to planning,
// since a report already went out on what planning would let change.
func checkStatusChange(from, to string, in Input) error {
	if from == to || statusIndex(to) > statusIndex(from) || !Locked(from) {
		return nil
	}
	if statusIndex(from) >= statusIndex("issued") && to == "planning" {
		return &apperr.Error{Kind: apperr.KindConflict, Code: "status_not_allowed",
			Message: fmt.Sprintf("an engagement that was %s cannot go back to planning: roll it forward to start the next period", from),
			Fields:  map[string]string{"status": "cannot go back from " + from + " to planning"}}
	}
	if !in.ByAdmin {
		return apperr.Forbidden("only an admin can move an engagement back from %s to %s", from, to)
	}
	reason := ""
	if in.Reason != nil {
		reason = strings.TrimSpace(*in.Reason)
	}
	if reason == "" {
		return apperr.Invalid("say why the engagement goes back from "+from+" to "+to,
			map[string]string{"reason": "required to move an engagement back from " + from})
	}
	if len([]rune(reason)) > 2000 {
		return apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	return nil
}

// frozenKeys are the engagement's own fields (as its snapshot names them)
// that a locked engagement keeps: what the report is on and when, who
// tested it and how recent its evidence had to be. Its
// name, audit firm, auditor contact and status stay editable.
var frozenKeys = []string{"report", "type", "as_of", "period_start", "period_end", "categories", "objectives", "tester", "evidence_window_days",
	"pervasive_percent"}

// checkFrozen refuses a change of a frozen field of a locked engagement.
func checkFrozen(e Engagement, wasStatus string, before, after map[string]any) error {
	if !Locked(wasStatus) {
		return nil
	}
	changes := auditlog.Diff(before, after)
	for _, k := range frozenKeys {
		if _, ok := changes[k]; ok {
			err := LockError(e.Name, wasStatus)
			err.Fields = map[string]string{k: "locked while the engagement is in " + wasStatus}
			return err
		}
	}
	return nil
}

// Recorder keeps the point-in-time record of what a locked engagement's
// report rests on (package record does). Without one the record is taken
// when a deliverable of the locked engagement is first asked for.
type Recorder interface {
	Take(ctx context.Context, id int64) error
}

// takeRecord has the Recorder keep the engagement's record now.
func (s *Service) takeRecord(ctx context.Context, id int64) error {
	if s.Records == nil {
		return nil
	}
	return s.Records.Take(ctx, id)
}

// supersedeRecord sets the current record aside when the engagement goes
// back below reporting; it is kept, with who did it and why.
func (s *Service) supersedeRecord(ctx context.Context, id int64, reason string) error {
	found, err := s.st.SupersedeRecord(ctx, id, s.now(), auditlog.ActorFrom(ctx).UserID, reason)
	if err != nil || !found {
		return err
	}
	return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.record_superseded", ObjectType: "engagement",
		ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"reason": {After: reason}}})
}
