package workpapers

import (
	"context"
	"errors"
	"fmt"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// SignOff signs the conclusion on a control in scope off, as userID.
func (s *Service) SignOff(ctx context.Context, id, controlID, userID int64, in engagement.SignOffInput) (store.SignOff, error) {
	if err := s.eng.CheckInScope(ctx, id, controlID); err != nil {
		return store.SignOff{}, err
	}
	var out store.SignOff
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.EnsureResult(ctx, id, controlID, s.eng.Now()); err != nil {
			return err
		}
		all, err := s.st.SignOffs(ctx, id)
		if err != nil {
			return err
		}
		out = all[controlID]
		return s.sign(ctx, id, &out.Signatures, in.As, userID, func() error { return s.st.SaveSignOff(ctx, &out, in.IfVersion) }, "engagement.sign_off", "control_id", controlID)
	})
	return out, err
}

// SampleSignOff reads a sample's sign-off and version; found is false
// when the engagement has no such sample.
func (s *Service) SampleSignOff(ctx context.Context, id, sampleID int64) (store.SampleSignOff, bool, error) {
	return s.st.SampleSignOffOf(ctx, id, sampleID)
}

// SignSample signs a sample's results off as its preparer or reviewer.
// With ifVersion it is refused as stale unless the sample is still at
// that version: its results have not changed since the signer saw them.
func (s *Service) SignSample(ctx context.Context, id, sampleID, userID int64, as string, ifVersion *int64) (store.SampleSignOff, error) {
	var out store.SampleSignOff
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var found bool
		var err error
		if out, found, err = s.st.SampleSignOffOf(ctx, id, sampleID); err != nil {
			return err
		} else if !found {
			return apperr.NotFound("sample %d not found in engagement %d", sampleID, id)
		}
		return s.sign(ctx, id, &out.Signatures, as, userID, func() error { return s.st.SaveSampleSignOff(ctx, &out, ifVersion) }, "engagement.sample_sign_off", "sample_id", sampleID)
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
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		x, err = s.st.ExceptionEvaluationOf(ctx, id, exceptionID)
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
			f.Choice("extent", in.Extent, &x.Extent, engagement.Extents)
		}
		f.Text("compensating_controls", in.CompensatingControls, &x.CompensatingControls, 5000)
		f.Text("remediation", in.Remediation, &x.Remediation, 5000)
		f.Text("retest", in.Retest, &x.Retest, 5000)
		if err := f.Err("the evaluation cannot be saved as given"); err != nil {
			return err
		}
		x.UpdatedAt = s.eng.Now()
		changes := auditlog.Diff(before, evaluationSnapshot(x))
		if len(changes) > 0 { // the evaluation changed after its review
			x.ReviewedBy, x.ReviewedOn = nil, nil
		}
		if err := s.st.SaveExceptionEvaluation(ctx, &x, in.IfVersion); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		changes["exception_id"] = auditlog.Change{After: x.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.exception_evaluation",
			ObjectType: "engagement", ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return x, err
}

// SignExceptionEvaluation signs an exception's evaluation off as its
// preparer or its reviewer, refused as stale unless the exception is still
// at in.IfVersion (when given): the signer saw the evaluation they sign.
func (s *Service) SignExceptionEvaluation(ctx context.Context, id, exceptionID, userID int64, in engagement.SignOffInput) (store.ExceptionEvaluation, error) {
	var x store.ExceptionEvaluation
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		x, err = s.st.ExceptionEvaluationOf(ctx, id, exceptionID)
		if errors.Is(err, store.ErrNoException) {
			return apperr.NotFound("exception %d not found in engagement %d", exceptionID, id)
		} else if err != nil {
			return err
		}
		return s.sign(ctx, id, &x.Signatures, in.As, userID, func() error { return s.st.SaveExceptionEvaluation(ctx, &x, in.IfVersion) }, "engagement.exception_evaluation_sign_off", "exception_id", x.ID)
	})
	return x, err
}

// sign signs the work paper's signatures as preparer or reviewer, saves
// it and records the change of signatures in the audit trail, naming the
// work paper by key.
func (s *Service) sign(ctx context.Context, id int64, sig *store.Signatures, as string, userID int64, save func() error, action, key string, paper any) error {
	before := engagement.SignatureSnapshot(*sig)
	if err := engagement.Sign(sig, as, userID, s.today()); err != nil {
		return err
	}
	if err := save(); err != nil {
		return err
	}
	changes := auditlog.Diff(before, engagement.SignatureSnapshot(*sig))
	changes[key] = auditlog.Change{After: paper}
	return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: action,
		ObjectType: "engagement", ObjectID: fmt.Sprint(id), Changes: changes})
}
