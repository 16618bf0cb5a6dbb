package engagement

import (
	"context"
	"slices"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
)

// RequirementRollUp is one in-scope requirement's conclusion and the
// controls it rests on.
type RequirementRollUp struct {
	ID          int64
	FrameworkID string
	Series      string
	Ref         string
	Title       string
	Description string
	State       string
	Reason      string // for not applicable
	Controls    []string
	Deviating   []string // the controls with deviations
	Deviations  bool     // it has deviations to evaluate: its controls', or a carve-out falling short
	Evaluation  *CriterionEvaluation
}

// Part is one traceable component of readiness: Done of Total.
type Part struct {
	Key   string // design, windows, tests, samples: what the part counts
	Name  string
	Done  int
	Total int
}

// Readiness is how far the engagement is, as the mean of its parts, each
// of which names what it counts.
type Readiness struct {
	Percent    int
	Parts      []Part
	Exceptions int
}

// RollUp concludes every in-scope requirement and computes readiness.
func (s *Service) RollUp(ctx context.Context, id int64) ([]RequirementRollUp, Readiness, error) {
	p, err := s.Progress(ctx, id)
	return p.Requirements, p.Readiness, err
}

// Progress is everything known about how far an engagement is, computed
// once: its scope with the occurrence windows, the requirements' roll-up,
// readiness and how many sample items have results.
type Progress struct {
	Detail
	Today        civil.Date // the day the window states are of
	Scoped       []ScopedControl
	Requirements []RequirementRollUp
	Readiness    Readiness
	SampleItems  Part
}

// Progress returns an engagement's progress. Computing it reads every
// evidence date in scope, so the last result per engagement is kept and
// reused while the audit trail's version says nothing has changed, and
// after a change worked out again only for the controls it touched
// (computeKept).
func (s *Service) Progress(ctx context.Context, id int64) (Progress, error) {
	s.viewed.note(id, s.now())
	return s.computeAhead(ctx, id)
}

type progressKey struct {
	id    int64
	today civil.Date
}

// concludeProgress adds to a progress with its scope what is concluded
// from it: the requirements' roll-up, readiness and the sample items.
func (s *Service) concludeProgress(ctx context.Context, p *Progress) error {
	results, _, err := s.Results(ctx, p.ID)
	if err != nil {
		return err
	}
	if p.Requirements, p.Readiness, err = s.rollUp(ctx, p.Detail, p.Scoped, results); err != nil {
		return err
	}
	total, done, err := s.st.SampleItemCounts(ctx, p.ID)
	p.SampleItems = Part{Key: "samples", Name: "sample items tested", Done: done, Total: total}
	return err
}

// rollUp concludes the requirements from data the caller already has.
func (s *Service) rollUp(ctx context.Context, d Detail, scoped []ScopedControl, results map[int64]Result) ([]RequirementRollUp, Readiness, error) {
	id := d.ID
	typeII := d.ReportType == "type2"
	reqs, err := s.st.RequirementsReportedOn(ctx, reportedOn(d))
	if err != nil {
		return nil, Readiness{}, err
	}
	na, err := s.notApplicableIn(ctx, id)
	if err != nil {
		return nil, Readiness{}, err
	}
	evaluations, err := s.evaluationsOf(ctx, id)
	if err != nil {
		return nil, Readiness{}, err
	}
	exceptions, err := s.exceptionsByControl(ctx, d.Engagement)
	if err != nil {
		return nil, Readiness{}, err
	}
	outcomes := outcomesOf(scoped, results, exceptions, typeII)
	carved, err := s.carveOutInputs(ctx, id, outcomes)
	if err != nil {
		return nil, Readiness{}, err
	}
	out := make([]RequirementRollUp, len(reqs))
	for i, r := range reqs {
		ru := RequirementRollUp{ID: r.ID, FrameworkID: r.FrameworkID, Series: r.Series, Ref: r.Ref, Title: r.Title,
			Description: r.Description, Controls: []string{}, Deviating: []string{}}
		reason, notApplicable := na[r.ID]
		in := CriterionInput{Reporting: statusIndex(d.Status) >= statusIndex("reporting"), NotApplicable: notApplicable,
			CarveOut: carved[r.FrameworkID+"/"+r.Ref]}
		var figures []Figures
		for _, c := range scoped {
			if c.Included && slices.Contains(c.Requirements, r.Ref) {
				ru.Controls = append(ru.Controls, c.Ref)
				in.Controls = append(in.Controls, outcomes[c.ID])
				if outcomes[c.ID].deviates() {
					ru.Deviating = append(ru.Deviating, c.Ref)
					figures = append(figures, figuresOf(outcomes[c.ID], results[c.ID], c))
				}
			}
		}
		if ev, ok := evaluations[r.ID]; ok {
			ru.Evaluation = &ev
			in.Evaluation = &Evaluated{Conclusion: ev.Conclusion, Compensating: compensatingOutcomes(ev, outcomes),
				Stale: worstFigures(figures).Deviations != ev.Deviations}
		}
		ru.Deviations = len(ru.Deviating) > 0 || (in.CarveOut.Carved && !in.CarveOut.addressed())
		ru.State = Conclude(in)
		if notApplicable {
			ru.Reason = reason
		}
		out[i] = ru
	}
	return out, readiness(scoped, results, typeII, total(exceptions), s.Today(), out), nil
}

// outcomesOf is every in-scope control's outcome, by control, with the
// exceptions found in it (by control, from exceptionsByControl).
func outcomesOf(scoped []ScopedControl, results map[int64]Result, exceptions map[int64]int, typeII bool) map[int64]ControlOutcome {
	out := map[int64]ControlOutcome{}
	for _, c := range scoped {
		if c.Included {
			out[c.ID] = ControlOutcome{ID: c.ID, Ref: c.Ref, Key: c.Key, Outcome: outcomeOf(results[c.ID], c, typeII),
				Exceptions: exceptions[c.ID]}
		}
	}
	return out
}

// compensatingOutcomes is the evaluation's compensating controls as they
// stand now; one no longer in scope is not effective.
func compensatingOutcomes(ev CriterionEvaluation, outcomes map[int64]ControlOutcome) []ControlOutcome {
	out := make([]ControlOutcome, 0, len(ev.Compensating))
	for _, c := range ev.Compensating {
		o, ok := outcomes[c.ID]
		if !ok {
			o = ControlOutcome{ID: c.ID, Ref: c.Ref, Outcome: OutcomeNotConcluded}
		}
		out = append(out, o)
	}
	return out
}

// exceptionsByControl is the engagement's exceptions by control: the
// larger of its tested items with a failed attribute and its exception
// records, so a failure nobody wrote up and an exception found outside
// the sample both count, and an item with its record counts once.
func (s *Service) exceptionsByControl(ctx context.Context, e Engagement) (map[int64]int, error) {
	records, err := s.st.LiveExceptionCounts(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	failed, err := s.failedItems(ctx, e)
	if err != nil {
		return nil, err
	}
	for controlID, n := range records {
		failed[controlID] = max(failed[controlID], n)
	}
	return failed, nil
}

// total is the sum of the counts by control.
func total(byControl map[int64]int) int {
	n := 0
	for _, c := range byControl {
		n += c
	}
	return n
}

// readiness counts, of the occurrence windows, only those due or past on
// today: a window that has not ended is not yet asked for, and one marked
// not expected is not asked for at all.
func readiness(scoped []ScopedControl, results map[int64]Result, typeII bool, exceptions int, today civil.Date, reqs []RequirementRollUp) Readiness {
	design := Part{Key: "design", Name: "controls with design assessed"}
	windows := Part{Key: "windows", Name: "occurrence windows due with evidence"}
	tests := Part{Key: "tests", Name: "controls tested and concluded"}
	implemented := Part{Key: "implementation", Name: "controls with implementation concluded"}
	for _, c := range scoped {
		if !c.Included {
			continue
		}
		r := results[c.ID]
		design.Total++
		if r.DesignResult != "" && r.DesignResult != "not_assessed" {
			design.Done++
		}
		for _, w := range c.Windows {
			if !w.Counts(today) {
				continue
			}
			windows.Total++
			if w.State == period.Covered {
				windows.Done++
			}
		}
		tests.Total++
		if r.Result != "" && r.Result != "pending" {
			tests.Done++
		}
		implemented.Total++
		if r.Implementation != "" {
			implemented.Done++
		}
	}
	parts := []Part{design}
	if typeII {
		parts = append(parts, windows, tests)
	} else {
		parts = append(parts, implemented)
	}
	evaluated := evaluationPart(reqs)
	if evaluated.Total > 0 {
		parts = append(parts, evaluated)
	}
	sum, n := 0.0, 0
	for _, p := range parts {
		if p.Total > 0 {
			sum += float64(p.Done) / float64(p.Total)
			n++
		}
	}
	pct := 0
	if n > 0 {
		pct = int(sum/float64(n)*100 + 0.5)
	}
	// A criterion whose deviations are not evaluated is not concluded:
	// the engagement is not ready while one is, however far testing is.
	if evaluated.Total > evaluated.Done {
		pct = min(pct, 99)
	}
	return Readiness{Percent: pct, Parts: parts, Exceptions: exceptions}
}

// evaluationPart counts the criteria with deviations and, of them, those
// whose evaluation concludes them.
func evaluationPart(reqs []RequirementRollUp) Part {
	p := Part{Key: "evaluations", Name: "criteria with deviations evaluated"}
	for _, r := range reqs {
		switch r.State {
		case DeviationsEvaluationNeeded:
			p.Total++
		case MetAfterEvaluation, NotMet:
			if r.Evaluation != nil {
				p.Total++
				p.Done++
			}
		}
	}
	return p
}
