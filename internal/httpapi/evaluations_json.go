package httpapi

import (
	"time"

	"github.com/socmap/socmap/internal/engagement"
)

// evaluationBody records the evaluation of a criterion's deviations.
type evaluationBody struct {
	Cause          string  `json:"cause"`
	Extent         string  `json:"extent"` // isolated or systemic
	CompensatingID []int64 `json:"compensating_control_ids"`
	Conclusion     string  `json:"conclusion"`
}

// evaluationOne is a criterion with its deviations and their evaluation,
// as GET …/requirements/:ref/evaluation and every change of it answer.
type evaluationOne struct {
	Requirement  evaluatedRequirement `json:"requirement"`
	Figures      deviationFigures     `json:"figures"`
	Deviating    []controlOutcomeJSON `json:"deviating"`
	Compensators []controlOutcomeJSON `json:"compensators"`
	// Evaluation is null until the deviations are evaluated.
	Evaluation *criterionEvaluationJSON `json:"evaluation"`
}

type evaluatedRequirement struct {
	Ref        string `json:"ref"`
	Title      string `json:"title"`
	State      string `json:"state"`
	Deviations bool   `json:"deviations"`
}

// deviationFigures are the deviation rate, in percent, against the rate
// the sample tolerates.
type deviationFigures struct {
	Deviations    int     `json:"deviations"`
	SampleSize    int     `json:"sample_size"`
	DeviationRate float64 `json:"deviation_rate"`
	TolerableRate float64 `json:"tolerable_rate"`
	Exceeds       bool    `json:"exceeds"`
}

type controlOutcomeJSON struct {
	ID      int64  `json:"id"`
	Ref     string `json:"ref"`
	Key     bool   `json:"key"`
	Outcome string `json:"outcome"`
}

type criterionEvaluationJSON struct {
	Cause         string         `json:"cause"`
	Extent        string         `json:"extent"` // isolated or systemic
	Deviations    int            `json:"deviations"`
	SampleSize    int            `json:"sample_size"`
	DeviationRate float64        `json:"deviation_rate"`
	TolerableRate float64        `json:"tolerable_rate"`
	Compensating  []controlIDRef `json:"compensating_controls"`
	Conclusion    string         `json:"conclusion"`
	EvaluatedBy   string         `json:"evaluated_by"` // the evaluator's email
	EvaluatedAt   time.Time      `json:"evaluated_at"`
	SignOff       signOffJSON    `json:"sign_off"`
	Version       int64          `json:"version"`
}

func evaluationViewJSON(v engagement.EvaluationView, users map[int64]string) evaluationOne {
	f := v.Figures
	return evaluationOne{
		Requirement: evaluatedRequirement{Ref: v.Requirement.Ref, Title: v.Requirement.Title, State: v.Requirement.State,
			Deviations: v.Requirement.Deviations},
		Figures: deviationFigures{Deviations: f.Deviations, SampleSize: f.SampleSize, DeviationRate: f.DeviationRate,
			TolerableRate: f.TolerableRate, Exceeds: f.Exceeds()},
		Deviating: outcomesJSON(v.Deviating), Compensators: outcomesJSON(v.Compensators),
		Evaluation: criterionEvaluationOf(v.Evaluation, users)}
}

func outcomesJSON(os []engagement.ControlOutcome) []controlOutcomeJSON {
	out := make([]controlOutcomeJSON, len(os))
	for i, o := range os {
		out[i] = controlOutcomeJSON{ID: o.ID, Ref: o.Ref, Key: o.Key, Outcome: o.Outcome}
	}
	return out
}

func criterionEvaluationOf(ev *engagement.CriterionEvaluation, users map[int64]string) *criterionEvaluationJSON {
	if ev == nil {
		return nil
	}
	comp := make([]controlIDRef, len(ev.Compensating))
	for i, c := range ev.Compensating {
		comp[i] = controlIDRef{ID: c.ID, Ref: c.Ref}
	}
	extent := "isolated"
	if ev.Systemic {
		extent = "systemic"
	}
	return &criterionEvaluationJSON{Cause: ev.Cause, Extent: extent, Deviations: ev.Deviations,
		SampleSize: ev.SampleSize, DeviationRate: ev.DeviationRate, TolerableRate: ev.TolerableRate,
		Compensating: comp, Conclusion: ev.Conclusion, EvaluatedBy: users[ev.EvaluatedBy],
		EvaluatedAt: ev.EvaluatedAt, SignOff: signaturesJSON(ev.Signatures, users), Version: ev.Version}
}
