package engagement

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// EvaluationConclusions are what an evaluation of deviations concludes.
var EvaluationConclusions = []string{evaluationConclusionMet, evaluationConclusionFail}

// CriterionEvaluation is the recorded evaluation of a criterion's
// deviations, with its compensating controls.
type CriterionEvaluation = store.CriterionEvaluation

// Compensating is a control an evaluation names as compensating.
type Compensating = store.Compensating

// Figures are a criterion's deviation rate against the tolerable rate for
// the sample it comes from.
type Figures struct {
	Deviations    int
	SampleSize    int
	DeviationRate float64 // percent
	TolerableRate float64 // percent
}

// Exceeds reports whether the deviations exceed what the sample tolerates.
func (f Figures) Exceeds() bool { return f.Deviations > 0 && f.DeviationRate > f.TolerableRate }

// TolerableRate is the deviation rate, in percent, a sample of n items
// tolerates while still supporting reliance on the control: the larger the
// sample, the more precisely a small rate is known. Below five items any
// deviation exceeds it.
func TolerableRate(n int) float64 {
	switch {
	case n >= 60:
		return 5
	case n >= 25:
		return 10
	case n >= 5:
		return 20
	}
	return 0
}

// figuresOf is the deviation figures of one control with deviations: the
// failed items of its tested sample, the windows it did not operate in of
// those that counted, or, for a design deficiency, the design itself (one
// of one: it fails every time the control operates).
func figuresOf(o ControlOutcome, r Result, c ScopedControl) Figures {
	f := Figures{}
	switch o.Outcome {
	case OutcomeExceptions:
		f.Deviations, f.SampleSize = r.ExceptionsFound, r.TestedCount
	case OutcomeDidNotOperate:
		for _, w := range c.Windows {
			if w.State != period.NotExpected && w.State != period.NotYetDue {
				f.SampleSize++
			}
			if w.State == period.Missing {
				f.Deviations++
			}
		}
		if f.Deviations == 0 { // concluded "did not operate" with its windows covered
			f.Deviations, f.SampleSize = 1, max(f.SampleSize, 1)
		}
	case OutcomeDesignDeficiency, OutcomeNotImplemented:
		f.Deviations, f.SampleSize = 1, 1
	case OutcomeNotConcluded: // exceptions found so far, of the items tested so far
		f.Deviations, f.SampleSize = o.Exceptions, max(r.TestedCount, o.Exceptions)
	}
	if f.SampleSize > 0 {
		f.DeviationRate = float64(f.Deviations) * 100 / float64(f.SampleSize)
	}
	f.TolerableRate = TolerableRate(f.SampleSize)
	return f
}

// worstFigures is the figures of the deviating control furthest over its
// tolerable rate: the one the evaluation has to answer for.
func worstFigures(fs []Figures) Figures {
	var worst Figures
	for i, f := range fs {
		if i == 0 || f.DeviationRate-f.TolerableRate > worst.DeviationRate-worst.TolerableRate {
			worst = f
		}
	}
	return worst
}

// EvaluationView is what evaluating a criterion needs: its conclusion now,
// the deviating controls' figures, the controls that may compensate
// (effective in-scope controls without deviations) and the evaluation on
// record.
type EvaluationView struct {
	Requirement  RequirementRollUp
	Figures      Figures
	Deviating    []ControlOutcome
	Compensators []ControlOutcome
	Evaluation   *CriterionEvaluation
}

// Evaluation shows a criterion's deviations and their evaluation.
func (s *Service) Evaluation(ctx context.Context, id int64, ref string) (EvaluationView, error) {
	p, err := s.Progress(ctx, id)
	if err != nil {
		return EvaluationView{}, err
	}
	return s.evaluationView(ctx, p, ref)
}

func (s *Service) evaluationView(ctx context.Context, p Progress, ref string) (EvaluationView, error) {
	var v EvaluationView
	i := slices.IndexFunc(p.Requirements, func(r RequirementRollUp) bool { return r.Ref == strings.TrimSpace(ref) })
	if i < 0 {
		return v, apperr.NotFound("%s is not a criterion or objective of the engagement %q", ref, p.Name)
	}
	v.Requirement, v.Evaluation = p.Requirements[i], p.Requirements[i].Evaluation
	results, _, err := s.Results(ctx, p.ID)
	if err != nil {
		return v, err
	}
	exceptions, err := s.exceptionsByControl(ctx, p.Engagement)
	if err != nil {
		return v, err
	}
	outcomes := outcomesOf(p.Scoped, results, exceptions, p.ReportType == "type2")
	var figures []Figures
	for _, c := range p.Scoped {
		o, ok := outcomes[c.ID]
		switch {
		case !ok:
		case slices.Contains(v.Requirement.Deviating, c.Ref):
			v.Deviating = append(v.Deviating, o)
			figures = append(figures, figuresOf(o, results[c.ID], c))
		case o.Outcome == OutcomeOK:
			v.Compensators = append(v.Compensators, o)
		}
	}
	v.Figures = worstFigures(figures)
	return v, nil
}

// CriterionEvaluationInput records the evaluation of a criterion's
// deviations.
type CriterionEvaluationInput struct {
	Cause          string
	Systemic       *bool // isolated (false) or systemic (true)
	CompensatingID []int64
	Conclusion     string // met, not_met
	IfVersion      *int64 // the evaluation's version the writer read
}

// Evaluate records the evaluation of a criterion's deviations as userID.
// Its compensating controls must be effective, in-scope controls without
// deviations of their own, and concluding "met" despite a deviation on a
// key control needs at least one of them to be a key control.
func (s *Service) Evaluate(ctx context.Context, id int64, ref string, userID int64, in CriterionEvaluationInput) (CriterionEvaluation, error) {
	p, err := s.Progress(ctx, id)
	if err != nil {
		return CriterionEvaluation{}, err
	}
	v, err := s.evaluationView(ctx, p, ref)
	if err != nil {
		return CriterionEvaluation{}, err
	}
	compensating, fields := checkEvaluation(v, in)
	if len(fields) > 0 {
		return CriterionEvaluation{}, apperr.Invalid("the evaluation cannot be recorded as given", fields)
	}
	var ev CriterionEvaluation
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.CheckUnlocked(ctx, id); err != nil {
			return err
		}
		var err error
		if ev, err = s.st.EvaluationOf(ctx, id, v.Requirement.ID); err != nil {
			return err
		}
		before := evaluationChanges(ev)
		ev.EngagementID, ev.RequirementID = id, v.Requirement.ID
		ev.Cause, ev.Systemic, ev.Conclusion = strings.TrimSpace(in.Cause), *in.Systemic, in.Conclusion
		ev.Deviations, ev.SampleSize = v.Figures.Deviations, v.Figures.SampleSize
		ev.DeviationRate, ev.TolerableRate = v.Figures.DeviationRate, v.Figures.TolerableRate
		ev.EvaluatedBy, ev.EvaluatedAt = userID, s.now()
		ev.ReviewedBy, ev.ReviewedOn = nil, nil // changed work is reviewed again
		ev.Compensating = compensating
		if err := s.st.SaveEvaluation(ctx, &ev, in.IfVersion); err != nil {
			return err
		}
		if err := s.st.SetCompensating(ctx, ev); err != nil {
			return err
		}
		return s.auditEvaluation(ctx, id, v.Requirement, "engagement.evaluation", before, evaluationChanges(ev))
	})
	return ev, err
}

// checkEvaluation says what is wrong with the input, and resolves the
// compensating controls.
func checkEvaluation(v EvaluationView, in CriterionEvaluationInput) ([]Compensating, apperr.Fields) {
	fields := apperr.Fields{}
	if !v.Requirement.Deviations {
		fields["requirement"] = v.Requirement.Ref + " has no deviations to evaluate"
	}
	if c := strings.TrimSpace(in.Cause); c == "" {
		fields["cause"] = "say what caused the deviations"
	} else if len([]rune(c)) > 4000 {
		fields["cause"] = "at most 4000 characters"
	}
	if in.Systemic == nil {
		fields["systemic"] = "say whether the deviations are isolated or systemic"
	}
	if !slices.Contains(EvaluationConclusions, in.Conclusion) {
		fields["conclusion"] = "met or not_met"
	}
	var chosen []ControlOutcome
	for _, cid := range slices.Compact(slices.Sorted(slices.Values(in.CompensatingID))) {
		i := slices.IndexFunc(v.Compensators, func(o ControlOutcome) bool { return o.ID == cid })
		if i < 0 {
			fields["compensating_control_ids"] = fmt.Sprintf("control %d is not an effective in-scope control without deviations on this criterion", cid)
			continue
		}
		chosen = append(chosen, v.Compensators[i])
	}
	if _, bad := fields["compensating_control_ids"]; !bad && in.Conclusion == evaluationConclusionMet {
		if msg := compensationProblem(v.Deviating, chosen); msg != "" {
			fields["compensating_control_ids"] = msg
		}
	}
	out := make([]Compensating, len(chosen))
	for i, c := range chosen {
		out[i] = Compensating{ID: c.ID, Ref: c.Ref}
	}
	return out, fields
}

// evaluationsOf is the engagement's evaluations by requirement.
func (s *Service) evaluationsOf(ctx context.Context, id int64) (map[int64]CriterionEvaluation, error) {
	rows, err := s.st.EvaluationsIn(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]CriterionEvaluation, len(rows))
	for _, r := range rows {
		if r.Compensating == nil {
			r.Compensating = []Compensating{}
		}
		out[r.RequirementID] = r
	}
	return out, nil
}

// DeleteEvaluation withdraws a criterion's evaluation: its deviations need
// evaluating again.
func (s *Service) DeleteEvaluation(ctx context.Context, id int64, ref string, ifVersion *int64) error {
	return s.onEvaluation(ctx, id, ref, func(ctx context.Context, ev *CriterionEvaluation) (string, error) {
		if ifVersion != nil && *ifVersion != ev.Version {
			return "", apperr.Stale("the evaluation is at version %d, not %d: someone changed it meanwhile", ev.Version, *ifVersion)
		}
		err := s.st.DeleteEvaluation(ctx, ev.ID)
		*ev = CriterionEvaluation{}
		return "engagement.evaluation_delete", err
	})
}

// SignEvaluation signs a criterion's evaluation off as its preparer or its
// reviewer.
func (s *Service) SignEvaluation(ctx context.Context, id int64, ref string, userID int64, in SignOffInput) (CriterionEvaluation, error) {
	var out CriterionEvaluation
	err := s.onEvaluation(ctx, id, ref, func(ctx context.Context, ev *CriterionEvaluation) (string, error) {
		if err := Sign(&ev.Signatures, in.As, userID, s.today()); err != nil {
			return "", err
		}
		if err := s.st.SaveEvaluation(ctx, ev, in.IfVersion); err != nil {
			return "", err
		}
		out = *ev
		return "engagement.evaluation_sign_off", nil
	})
	return out, err
}

// onEvaluation changes the recorded evaluation of a criterion in one
// audited transaction; change returns the audit action.
func (s *Service) onEvaluation(ctx context.Context, id int64, ref string, change func(context.Context, *CriterionEvaluation) (string, error)) error {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.CheckUnlocked(ctx, id); err != nil {
			return err
		}
		r, err := s.requirementReportedOn(ctx, d, ref)
		if err != nil {
			return err
		}
		ev, err := s.st.EvaluationOf(ctx, id, r.ID)
		if err != nil {
			return err
		}
		if ev.ID == 0 {
			return apperr.NotFound("%s has no evaluation recorded in the engagement %q", r.Ref, d.Name)
		}
		before := evaluationChanges(ev)
		action, err := change(ctx, &ev)
		if err != nil {
			return err
		}
		return s.auditEvaluation(ctx, id, RequirementRollUp{FrameworkID: r.FrameworkID, Ref: r.Ref}, action, before, evaluationChanges(ev))
	})
}

func evaluationChanges(ev CriterionEvaluation) map[string]any {
	refs := make([]string, len(ev.Compensating))
	for i, c := range ev.Compensating {
		refs[i] = c.Ref
	}
	m := map[string]any{"cause": ev.Cause, "systemic": ev.Systemic, "conclusion": ev.Conclusion,
		"deviations": ev.Deviations, "sample_size": ev.SampleSize, "deviation_rate": ev.DeviationRate,
		"tolerable_rate": ev.TolerableRate, "compensating_controls": strings.Join(refs, ", ")}
	for k, v := range SignatureSnapshot(ev.Signatures) {
		m[k] = v
	}
	return m
}

func (s *Service) auditEvaluation(ctx context.Context, id int64, r RequirementRollUp, action string, before, after map[string]any) error {
	changes := auditlog.Diff(before, after)
	changes["requirement"] = auditlog.Change{After: r.FrameworkID + "/" + r.Ref}
	return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: action, ObjectType: "engagement", ObjectID: fmt.Sprint(id), Changes: changes})
}
