package engagement

import (
	"slices"

	"github.com/socmap/socmap/internal/period"
)

// Conclusions of a criterion or objective in an engagement. A deviation
// never concludes a criterion by itself: it asks for an evaluation, which
// is a recorded judgement that the criterion is still met or is not.
const (
	Met                        = "met"
	DeviationsEvaluationNeeded = "deviations_evaluation_needed"
	MetAfterEvaluation         = "met_after_evaluation"
	NotMet                     = "not_met"
	ScopeLimitation            = "scope_limitation"
	CarvedOut                  = "carved_out"
	InProgress                 = "in_progress"
	NotCovered                 = "not_covered"
	NotApplicable              = "not_applicable"
)

// DefaultPervasivePercent is the share of criteria, in percent, above
// which the matters modifying an opinion are pervasive unless the
// engagement says otherwise.
const DefaultPervasivePercent = 25

// ConclusionStates are the states in the order they are listed.
var ConclusionStates = []string{Met, DeviationsEvaluationNeeded, MetAfterEvaluation, NotMet, ScopeLimitation,
	CarvedOut, InProgress, NotCovered, NotApplicable}

// Outcomes of one control for the conclusion of a criterion.
const (
	OutcomeOK                = "ok"
	OutcomeExceptions        = "exceptions"
	OutcomeDesignDeficiency  = "design_deficiency"
	OutcomeDidNotOperate     = "did_not_operate" // a periodic control with a window it did not operate in
	OutcomeNotTested         = "not_tested"      // not tested for a reason other than having nothing to do
	OutcomeNotImplemented    = "not_implemented" // a Type I control not in place as of the date
	OutcomeNotConcluded      = ""
	evaluationConclusionMet  = "met"
	evaluationConclusionFail = "not_met"
)

// deviation reports whether an outcome is a deviation to be evaluated.
func deviation(outcome string) bool {
	return outcome == OutcomeExceptions || outcome == OutcomeDesignDeficiency || outcome == OutcomeDidNotOperate ||
		outcome == OutcomeNotImplemented
}

// ControlOutcome is one in-scope control as a criterion's conclusion
// reads it.
type ControlOutcome struct {
	ID      int64
	Ref     string
	Key     bool
	Outcome string
	// Exceptions is how many exceptions testing has found so far. A
	// control not yet concluded with exceptions already has deviations
	// for its criteria to evaluate.
	Exceptions int
}

// deviates reports whether the control has deviations: its conclusion
// says so, or exceptions were found before it was concluded.
func (c ControlOutcome) deviates() bool {
	return deviation(c.Outcome) || (c.Outcome == OutcomeNotConcluded && c.Exceptions > 0)
}

// CarveOut is what a carved-out subservice organisation contributes to a
// criterion: its CSOCs are mapped to it, our monitoring control of it is
// in scope and effective, and a current review of its own SOC report is
// on record. A criterion not carved out has the zero value.
type CarveOut struct {
	Carved              bool
	CSOCsMapped         bool
	MonitoringEffective bool
	ReviewCurrent       bool
}

// addressed reports whether the subservice organisation addresses the
// criterion; a carve-out that falls short of it is a deviation.
func (c CarveOut) addressed() bool {
	return c.Carved && c.CSOCsMapped && c.MonitoringEffective && c.ReviewCurrent
}

// Evaluated is the recorded evaluation of a criterion's deviations, with
// its compensating controls as they stand now.
type Evaluated struct {
	Conclusion   string // met, not_met
	Compensating []ControlOutcome
	// Stale: the deviations are no longer those it evaluated (more were
	// found, or some withdrawn), so it answers for something else.
	Stale bool
}

// CriterionInput is everything one criterion's conclusion depends on.
type CriterionInput struct {
	Controls      []ControlOutcome // the in-scope controls mapped to it
	Reporting     bool             // the engagement is in reporting or later
	Evaluation    *Evaluated       // nil while none is recorded
	CarveOut      CarveOut
	NotApplicable bool // decided for this engagement
}

// Conclude concludes one criterion. Deviations are shown as soon as they
// are known, even while other controls are still being tested, and stay
// "evaluation needed" until an evaluation concludes them. An evaluation
// that says "met" only holds while the deviations are those it evaluated,
// the compensating controls it names are effective and, for a deviation on a key control, one of them is a key
// control. A control not tested for another reason is a scope limitation
// once the engagement reports.
func Conclude(in CriterionInput) string {
	if in.NotApplicable {
		return NotApplicable
	}
	if len(in.Controls) == 0 && !in.CarveOut.Carved {
		return NotCovered
	}
	deviations := in.CarveOut.Carved && !in.CarveOut.addressed()
	pending, notTested := false, false
	for _, c := range in.Controls {
		deviations = deviations || c.deviates()
		pending = pending || c.Outcome == OutcomeNotConcluded
		notTested = notTested || c.Outcome == OutcomeNotTested
	}
	if deviations {
		switch {
		case in.Evaluation == nil || !evaluationHolds(*in.Evaluation, in.Controls):
			return DeviationsEvaluationNeeded
		case in.Evaluation.Conclusion != evaluationConclusionMet:
			return NotMet
		}
	}
	switch {
	case pending:
		return InProgress
	case notTested && in.Reporting:
		return ScopeLimitation
	case notTested:
		return InProgress
	case deviations:
		return MetAfterEvaluation
	case in.CarveOut.addressed():
		return CarvedOut
	}
	return Met
}

// evaluationHolds reports whether a recorded evaluation still stands: one
// of other deviations than today's never does; a "not met" otherwise
// does; a "met" needs its compensating controls to be
// effective, and a key one when a key control deviates.
func evaluationHolds(e Evaluated, controls []ControlOutcome) bool {
	if e.Stale {
		return false
	}
	if e.Conclusion != evaluationConclusionMet {
		return true
	}
	return compensationProblem(controls, e.Compensating) == ""
}

// compensationProblem says why the compensating controls cannot support
// concluding "met" despite the deviations of controls, or "".
func compensationProblem(controls, compensating []ControlOutcome) string {
	for _, c := range compensating {
		if c.Outcome != OutcomeOK {
			return "compensating control " + c.Ref + " is not effective: only a control tested without deviations compensates"
		}
		if slices.ContainsFunc(controls, func(d ControlOutcome) bool { return d.ID == c.ID && d.deviates() }) {
			return "control " + c.Ref + " has deviations itself: it cannot compensate for them"
		}
	}
	for _, c := range controls {
		if c.Key && c.deviates() && !slices.ContainsFunc(compensating, func(k ControlOutcome) bool { return k.Key }) {
			return "key control " + c.Ref + " has deviations: concluding met needs at least one effective compensating key control"
		}
	}
	return ""
}

// outcomeOf classifies a control's result for the conclusion. In a Type II
// a periodic control that had a window with no occurrence (concluded "did
// not operate", or a window past its due date without evidence) did not
// operate; an event-driven one with nothing to do did nothing wrong.
func outcomeOf(r Result, c ScopedControl, typeII bool) string {
	return outcome(r, typeII, c.Basis, missingWindow(c))
}

func outcome(r Result, typeII bool, basis period.Basis, missing bool) string {
	if r.DesignResult == "design_deficiency" || r.Result == "design_deficiency" {
		return OutcomeDesignDeficiency
	}
	if !typeII {
		switch typeOneOutcome(r) {
		case "ok":
			return OutcomeOK
		case "fail":
			return OutcomeNotImplemented
		}
		return OutcomeNotConcluded
	}
	periodic := basis == period.ByWindows
	if missing && periodic {
		return OutcomeDidNotOperate
	}
	switch r.Result {
	case "no_exceptions":
		return OutcomeOK
	case "exceptions_noted":
		return OutcomeExceptions
	case "not_tested_no_operation":
		if periodic {
			return OutcomeDidNotOperate
		}
		return OutcomeOK
	case "not_tested_other":
		return OutcomeNotTested
	}
	return OutcomeNotConcluded
}

// missingWindow reports whether a window of the control is past its due
// date without evidence.
func missingWindow(c ScopedControl) bool {
	return slices.ContainsFunc(c.Windows, func(w WindowState) bool { return w.State == period.Missing })
}
