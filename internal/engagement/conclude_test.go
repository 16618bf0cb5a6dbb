package engagement

import (
	"testing"

	"github.com/socmap/socmap/internal/period"
)

func ctl(id int64, key bool, outcome string) ControlOutcome {
	return ControlOutcome{ID: id, Ref: "C-" + string(rune('0'+id)), Key: key, Outcome: outcome}
}

func TestConclude(t *testing.T) {
	ok, okKey := ctl(1, false, OutcomeOK), ctl(2, true, OutcomeOK)
	exc, excKey := ctl(3, false, OutcomeExceptions), ctl(4, true, OutcomeExceptions)
	dd, pending, notTested := ctl(5, false, OutcomeDesignDeficiency), ctl(6, false, OutcomeNotConcluded), ctl(7, false, OutcomeNotTested)
	dno := ctl(8, false, OutcomeDidNotOperate)
	pendingExc := ControlOutcome{ID: 9, Ref: "C-9", Outcome: OutcomeNotConcluded, Exceptions: 2}
	met := func(comp ...ControlOutcome) *Evaluated { return &Evaluated{Conclusion: "met", Compensating: comp} }
	notMet := &Evaluated{Conclusion: "not_met"}
	carved := CarveOut{Carved: true, CSOCsMapped: true, MonitoringEffective: true, ReviewCurrent: true}
	stale := CarveOut{Carved: true, CSOCsMapped: true, MonitoringEffective: true}
	for _, tt := range []struct {
		name string
		in   CriterionInput
		want string
	}{
		{"no controls", CriterionInput{}, NotCovered},
		{"not applicable to this engagement", CriterionInput{Controls: []ControlOutcome{exc}, NotApplicable: true}, NotApplicable},
		{"every control effective", CriterionInput{Controls: []ControlOutcome{ok, okKey}}, Met},
		{"one still being tested", CriterionInput{Controls: []ControlOutcome{ok, pending}}, InProgress},
		// Exceptions found before the control is concluded are deviations
		// already: the criterion asks for their evaluation, and an evaluation
		// of them still leaves it in progress until the test is concluded.
		{"exceptions found in a control still being tested", CriterionInput{Controls: []ControlOutcome{ok, pendingExc}}, DeviationsEvaluationNeeded},
		{"exceptions of a control still being tested, evaluated met", CriterionInput{Controls: []ControlOutcome{ok, pendingExc}, Evaluation: met(ok)}, InProgress},
		{"exceptions of a control still being tested, evaluated not met", CriterionInput{Controls: []ControlOutcome{pendingExc}, Evaluation: notMet}, NotMet},
		{"a control still being tested does not compensate", CriterionInput{Controls: []ControlOutcome{exc}, Evaluation: met(pendingExc)}, DeviationsEvaluationNeeded},
		// 25 of 25 failed: never met by itself; the evaluation concludes it.
		{"25 of 25 exceptions, not evaluated", CriterionInput{Controls: []ControlOutcome{exc}}, DeviationsEvaluationNeeded},
		{"25 of 25 exceptions, evaluated not met", CriterionInput{Controls: []ControlOutcome{exc}, Evaluation: notMet}, NotMet},
		{"exceptions evaluated met", CriterionInput{Controls: []ControlOutcome{exc, ok}, Evaluation: met()}, MetAfterEvaluation},
		{"a design deficiency beside a failing control", CriterionInput{Controls: []ControlOutcome{dd, exc}}, DeviationsEvaluationNeeded},
		{"a design deficiency shows while others are tested", CriterionInput{Controls: []ControlOutcome{dd, pending}}, DeviationsEvaluationNeeded},
		{"a design deficiency evaluated met, others still tested", CriterionInput{Controls: []ControlOutcome{dd, pending}, Evaluation: met()}, InProgress},
		{"more deviations found since the evaluation said met", CriterionInput{Controls: []ControlOutcome{exc}, Evaluation: &Evaluated{Conclusion: "met", Stale: true}}, DeviationsEvaluationNeeded},
		{"more deviations found since the evaluation said not met", CriterionInput{Controls: []ControlOutcome{exc}, Evaluation: &Evaluated{Conclusion: "not_met", Stale: true}}, DeviationsEvaluationNeeded},
		{"design deficiency evaluated not met", CriterionInput{Controls: []ControlOutcome{dd, ok}, Evaluation: notMet}, NotMet},
		// Key controls: met needs an effective compensating key control.
		{"non-key deviation, met without compensation", CriterionInput{Controls: []ControlOutcome{exc}, Evaluation: met()}, MetAfterEvaluation},
		{"key deviation, met without a key compensating control", CriterionInput{Controls: []ControlOutcome{excKey}, Evaluation: met(ok)}, DeviationsEvaluationNeeded},
		{"key deviation, met with a key compensating control", CriterionInput{Controls: []ControlOutcome{excKey}, Evaluation: met(okKey)}, MetAfterEvaluation},
		{"key deviation, compensating key control no longer effective", CriterionInput{Controls: []ControlOutcome{excKey}, Evaluation: met(ctl(2, true, OutcomeExceptions))}, DeviationsEvaluationNeeded},
		{"key deviation, evaluated not met", CriterionInput{Controls: []ControlOutcome{excKey}, Evaluation: notMet}, NotMet},
		{"did not operate on a monthly control", CriterionInput{Controls: []ControlOutcome{dno, ok}}, DeviationsEvaluationNeeded},
		{"did not operate, evaluated met", CriterionInput{Controls: []ControlOutcome{dno, ok}, Evaluation: met()}, MetAfterEvaluation},
		{"not tested, other reason, in fieldwork", CriterionInput{Controls: []ControlOutcome{notTested, ok}}, InProgress},
		{"not tested, other reason, at reporting", CriterionInput{Controls: []ControlOutcome{notTested, ok}, Reporting: true}, ScopeLimitation},
		{"not tested at reporting beside unevaluated exceptions", CriterionInput{Controls: []ControlOutcome{notTested, exc}, Reporting: true}, DeviationsEvaluationNeeded},
		{"an evaluation recorded without deviations is moot", CriterionInput{Controls: []ControlOutcome{ok}, Evaluation: notMet}, Met},
		// Carve-outs: addressed by the subservice organisation only with a current review.
		{"carve-out with a current review", CriterionInput{CarveOut: carved}, CarvedOut},
		{"carve-out with a current review and our effective control", CriterionInput{Controls: []ControlOutcome{ok}, CarveOut: carved}, CarvedOut},
		{"carve-out without a current review", CriterionInput{CarveOut: stale}, DeviationsEvaluationNeeded},
		{"carve-out without a current review, evaluated met", CriterionInput{CarveOut: stale, Evaluation: met()}, MetAfterEvaluation},
		{"carve-out whose monitoring control is not effective", CriterionInput{Controls: []ControlOutcome{ok}, CarveOut: CarveOut{Carved: true, CSOCsMapped: true, ReviewCurrent: true}}, DeviationsEvaluationNeeded},
		{"carve-out beside a deviation of ours", CriterionInput{Controls: []ControlOutcome{exc}, CarveOut: carved}, DeviationsEvaluationNeeded},
	} {
		if got := Conclude(tt.in); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	for _, tt := range []struct {
		r       Result
		typeII  bool
		basis   period.Basis
		missing bool
		want    string
	}{
		{Result{Result: "no_exceptions"}, true, period.ByWindows, false, OutcomeOK},
		{Result{Result: "exceptions_noted"}, true, period.ByPopulation, false, OutcomeExceptions},
		{Result{Result: "not_tested_no_operation"}, true, period.ByWindows, false, OutcomeDidNotOperate}, // a monthly control always has something to do
		{Result{Result: "not_tested_no_operation"}, true, period.ByPopulation, false, OutcomeOK},         // an event-driven one may not
		{Result{Result: "no_exceptions"}, true, period.ByWindows, true, OutcomeDidNotOperate},            // a window past due without evidence
		{Result{Result: "pending"}, true, period.ByWindows, true, OutcomeDidNotOperate},
		{Result{Result: "not_tested_other"}, true, period.ByWindows, false, OutcomeNotTested},
		{Result{Result: "pending"}, true, period.ByWindows, false, OutcomeNotConcluded},
		{Result{DesignResult: "design_deficiency", Result: "pending"}, true, period.ByWindows, true, OutcomeDesignDeficiency},
		{Result{Result: "design_deficiency"}, true, period.ByWindows, false, OutcomeDesignDeficiency},
		{Result{DesignResult: "suitably_designed", Implementation: "implemented"}, false, period.ByWindows, true, OutcomeOK},
		{Result{DesignResult: "suitably_designed"}, false, period.ByWindows, false, OutcomeNotConcluded},
		{Result{DesignResult: "suitably_designed", Implementation: "not_implemented"}, false, period.ByWindows, false, OutcomeNotImplemented},
		{Result{DesignResult: "not_assessed"}, false, period.ByWindows, false, OutcomeNotConcluded},
	} {
		if got := outcome(tt.r, tt.typeII, tt.basis, tt.missing); got != tt.want {
			t.Errorf("outcome(%+v, typeII %v, %s, missing %v) = %q, want %q", tt.r, tt.typeII, tt.basis, tt.missing, got, tt.want)
		}
	}
}

func TestTolerableRate(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want float64
	}{{60, 5}, {100, 5}, {59, 10}, {25, 10}, {24, 20}, {5, 20}, {4, 0}, {1, 0}, {0, 0}} {
		if got := TolerableRate(tt.n); got != tt.want {
			t.Errorf("TolerableRate(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	all := figuresOf(ControlOutcome{Outcome: OutcomeExceptions}, Result{ExceptionsFound: 25, TestedCount: 25}, ScopedControl{})
	if all.DeviationRate != 100 || all.TolerableRate != 10 || !all.Exceeds() {
		t.Errorf("25 of 25: %+v", all)
	}
	one := figuresOf(ControlOutcome{Outcome: OutcomeExceptions}, Result{ExceptionsFound: 1, TestedCount: 40}, ScopedControl{})
	if one.DeviationRate != 2.5 || one.TolerableRate != 10 || one.Exceeds() {
		t.Errorf("1 of 40: %+v", one)
	}
	if w := worstFigures([]Figures{one, all}); w != all {
		t.Errorf("worst of 1 of 40 and 25 of 25: %+v", w)
	}
}

func TestCompensationProblem(t *testing.T) {
	excKey := ctl(4, true, OutcomeExceptions)
	for _, tt := range []struct {
		name    string
		comp    []ControlOutcome
		problem bool
	}{
		{"a key deviation, no compensating control", nil, true},
		{"a key deviation, a non-key compensating control", []ControlOutcome{ctl(1, false, OutcomeOK)}, true},
		{"a key deviation, a key compensating control", []ControlOutcome{ctl(2, true, OutcomeOK)}, false},
		{"a compensating control that is not effective", []ControlOutcome{ctl(2, true, OutcomeNotConcluded)}, true},
		{"the deviating control itself", []ControlOutcome{ctl(4, true, OutcomeOK)}, true},
	} {
		if got := compensationProblem([]ControlOutcome{excKey}, tt.comp); (got != "") != tt.problem {
			t.Errorf("%s: %q", tt.name, got)
		}
	}
	if got := compensationProblem([]ControlOutcome{ctl(3, false, OutcomeExceptions)}, nil); got != "" {
		t.Errorf("a non-key deviation needs no compensating control to be met: %q", got)
	}
}

func TestOpinionImpact(t *testing.T) {
	reqs := []RequirementRollUp{{Ref: "A", State: NotMet}, {Ref: "B", State: Met}, {Ref: "C", State: ScopeLimitation},
		{Ref: "D", State: Met}, {Ref: "E", State: NotApplicable}, {Ref: "F", State: DeviationsEvaluationNeeded}}
	o := opinionImpactOf(reqs, 25)
	if len(o.NotMet) != 1 || len(o.ScopeLimitations) != 1 || len(o.EvaluationNeeded) != 1 || o.Applicable != 5 || !o.Pervasive {
		t.Errorf("2 of 5 applicable affected at 25 %%: %+v", o)
	}
	if o := opinionImpactOf(reqs, 40); o.Pervasive {
		t.Errorf("2 of 5 is not more than 40 %%: %+v", o)
	}
	if o := opinionImpactOf([]RequirementRollUp{{State: Met}}, 25); o.Pervasive || len(o.NotMet) != 0 {
		t.Errorf("nothing affected: %+v", o)
	}
}
