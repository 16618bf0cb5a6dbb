package requests

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

// undoable are the transitions an undo takes back, with the permission
// needed to make (and so to undo) each.
var undoable = map[string]auth.Permission{
	"submit": auth.WorkOnRequests,
	"accept": auth.ManageRequests,
	"return": auth.ManageRequests,
}

// Undo takes back the request's transition stepID, which must still be
// its last: an acceptance or a return puts it back to submitted, a
// submission back to open or returned as it was. Evidence handed over
// and the thread stay as they are, so nothing anyone saved is lost; the
// undo is itself a step of the history and of the audit trail.
func (s *Service) Undo(ctx context.Context, p *auth.Principal, engagementID int64, number int, stepID int64) (Detail, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	step, last, err := s.findStep(ctx, r, stepID)
	if err != nil {
		return Detail{}, err
	}
	if err := s.mayUndo(ctx, p, r, step); err != nil {
		return Detail{}, err
	}
	if last.ID != step.ID || r.Status != step.ToStatus {
		return Detail{}, apperr.Conflict("%s has moved on since it was %s: it is %s now (%s by %s)",
			Ref(number), pastTense[step.Action], r.Status, pastTense[last.Action], last.actor())
	}
	now := s.now()
	undo := store.RequestTransition{RequestID: r.ID, Action: "undo", FromStatus: r.Status, ToStatus: step.FromStatus,
		ActorID: &p.User.ID, At: now, PrevSubmittedAt: r.SubmittedAt, PrevReturnReason: r.ReturnReason, Undoes: &step.ID}
	restore(&r, step.RequestTransition)
	r.UpdatedAt = now
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SaveRequest(ctx, &r, nil); err != nil {
			return err
		}
		if err := s.db.AddRequestTransition(ctx, &undo); err != nil {
			return err
		}
		return s.audit(ctx, r, "request.undo", map[string]auditlog.Change{"status": {Before: undo.FromStatus, After: r.Status},
			"undoes": {After: fmt.Sprintf("%s of %s", step.Action, step.At.Format("2006-01-02 15:04:05Z"))}})
	})
	if store.IsStale(err) { // another step (or the same undo) was saved meanwhile
		return Detail{}, apperr.Conflict("%s has moved on while the undo was saved: look at it again", Ref(number))
	}
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, number)
}

var pastTense = map[string]string{"submit": "submitted", "accept": "accepted", "return": "returned", "undo": "undone"}

type step struct{ store.TransitionRow }

func (t step) actor() string {
	if t.ActorEmail == "" {
		return "someone"
	}
	return t.ActorEmail
}

// findStep finds the step to undo in the request's history, and the
// history's last step.
func (s *Service) findStep(ctx context.Context, r store.Request, stepID int64) (found, last step, err error) {
	history, err := s.db.RequestTransitions(ctx, []int64{r.ID})
	if err != nil {
		return found, last, err
	}
	for _, t := range history {
		if t.ID == stepID {
			found = step{t}
		}
	}
	if found.ID == 0 {
		return found, last, apperr.Invalid("nothing to undo", map[string]string{"transition": fmt.Sprintf("%s has no transition %d", Ref(r.Number), stepID)})
	}
	if _, ok := undoable[found.Action]; !ok {
		return found, last, apperr.Conflict("an undo is not undone: make the change again instead")
	}
	return found, step{history[len(history)-1]}, nil
}

// mayUndo lets through whoever may make the transition: an owner takes
// back a submission on a request that is theirs, an auditor a decision.
func (s *Service) mayUndo(ctx context.Context, p *auth.Principal, r store.Request, t step) error {
	if !p.Can(undoable[t.Action]) {
		return apperr.Forbidden("only those who may %s a request may undo its %s", t.Action, t.Action)
	}
	if t.Action == "submit" {
		return s.mayAnswer(ctx, p, r)
	}
	return nil
}

// restore puts back what the transition t overwrote.
func restore(r *store.Request, t store.RequestTransition) {
	r.Status = t.FromStatus
	switch t.Action {
	case "accept":
		r.AcceptedAt = nil
	case "return":
		r.ReturnReason = t.PrevReturnReason
	case "submit":
		r.SubmittedAt = t.PrevSubmittedAt
	}
}
