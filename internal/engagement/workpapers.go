package engagement

import (
	"context"
	"errors"
	"fmt"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Extents say whether an exception is isolated or systemic; "" is not
// yet judged.
var Extents = []string{"isolated", "systemic"}

// SignOffInput names who tested a control and who reviewed the testing;
// nil leaves a name as it is.
type SignOffInput struct {
	Tester   *string
	Reviewer *string
	// IfVersion, when set, is the result's version the writer read.
	IfVersion *int64
}

// SignOff records the tester and reviewer of a control in scope.
func (s *Service) SignOff(ctx context.Context, id, controlID int64, in SignOffInput) (store.SignOff, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return store.SignOff{}, err
	}
	if err := s.checkInScope(ctx, id, controlID); err != nil {
		return store.SignOff{}, err
	}
	var out store.SignOff
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.EnsureResult(ctx, id, controlID, s.now()); err != nil {
			return err
		}
		all, err := s.db.SignOffs(ctx, id)
		if err != nil {
			return err
		}
		out = all[controlID]
		before := map[string]any{"tester": out.Tester, "reviewer": out.Reviewer}
		f := apperr.Fields{}
		f.Text("tester", in.Tester, &out.Tester, 200)
		f.Text("reviewer", in.Reviewer, &out.Reviewer, 200)
		if err := f.Err("the sign-off cannot be saved as given"); err != nil {
			return err
		}
		if err := s.db.SaveSignOff(ctx, &out, in.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, map[string]any{"tester": out.Tester, "reviewer": out.Reviewer})
		if len(changes) == 0 {
			return nil
		}
		changes["control_id"] = auditlog.Change{After: controlID}
		return auditlog.AppendAll(ctx, s.db.Conn(ctx, true), []auditlog.Event{{Action: "engagement.sign_off",
			ObjectType: "engagement", ObjectID: fmt.Sprint(id), Changes: changes}})
	})
	return out, err
}

// EvaluationInput is the auditor's evaluation of an exception; nil fields
// stay as they are, "" clears a date.
type EvaluationInput struct {
	IdentifiedOn         *string
	RootCause            *string
	Extent               *string
	CompensatingControls *string
	Remediation          *string
	Retest               *string
	// IfVersion, when set, is the exception's version the writer read.
	IfVersion *int64
}

func evaluationSnapshot(x store.ExceptionEvaluation) map[string]any {
	return map[string]any{"identified_on": x.IdentifiedOn, "root_cause": x.RootCause, "extent": x.Extent,
		"compensating_controls": x.CompensatingControls, "remediation": x.Remediation, "retest": x.Retest}
}

// EvaluateException records when an exception was identified, its root
// cause, whether it is isolated or systemic, the compensating controls,
// the remediation and its retest: what decides whether the criterion is
// still met despite it.
func (s *Service) EvaluateException(ctx context.Context, id, exceptionID int64, in EvaluationInput) (store.ExceptionEvaluation, error) {
	var x store.ExceptionEvaluation
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		x, err = s.db.ExceptionEvaluationOf(ctx, id, exceptionID)
		if errors.Is(err, store.ErrNoException) {
			return apperr.NotFound("exception %d not found in engagement %d", exceptionID, id)
		} else if err != nil {
			return err
		}
		before := evaluationSnapshot(x)
		f := apperr.Fields{}
		f.Date("identified_on", in.IdentifiedOn, &x.IdentifiedOn)
		f.Text("root_cause", in.RootCause, &x.RootCause, 5000)
		if in.Extent != nil && *in.Extent == "" {
			x.Extent = ""
		} else {
			f.Choice("extent", in.Extent, &x.Extent, Extents)
		}
		f.Text("compensating_controls", in.CompensatingControls, &x.CompensatingControls, 5000)
		f.Text("remediation", in.Remediation, &x.Remediation, 5000)
		f.Text("retest", in.Retest, &x.Retest, 5000)
		if err := f.Err("the evaluation cannot be saved as given"); err != nil {
			return err
		}
		x.UpdatedAt = s.now()
		if err := s.db.SaveExceptionEvaluation(ctx, &x, in.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, evaluationSnapshot(x))
		if len(changes) == 0 {
			return nil
		}
		changes["exception_id"] = auditlog.Change{After: x.ID}
		return auditlog.AppendAll(ctx, s.db.Conn(ctx, true), []auditlog.Event{{Action: "engagement.exception_evaluation",
			ObjectType: "engagement", ObjectID: fmt.Sprint(id), Changes: changes}})
	})
	return x, err
}
