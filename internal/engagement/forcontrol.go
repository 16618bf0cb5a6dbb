package engagement

import (
	"context"

	"github.com/socmap/socmap/internal/store"
)

// ControlEngagement is an engagement a control is in scope of, with what
// the engagement has concluded on it so far.
type ControlEngagement struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Report          string  `json:"report"`
	Type            string  `json:"type"`
	Status          string  `json:"status"`
	AsOf            *string `json:"as_of"`
	PeriodStart     *string `json:"period_start"`
	PeriodEnd       *string `json:"period_end"`
	DesignResult    string  `json:"design_result"`
	Result          string  `json:"result"`
	ExceptionsFound int     `json:"exceptions_found"`
	TestedCount     int     `json:"tested_count"`
}

// ForControl lists the engagements whose scope holds the control, newest
// first, with the control's design and test results in each.
func (s *Service) ForControl(ctx context.Context, controlID int64) ([]ControlEngagement, error) {
	all, err := s.st.EngagementsNewestFirst(ctx)
	if err != nil {
		return nil, err
	}
	// The control's results in every engagement, read at once rather than
	// per engagement.
	rows, err := s.st.ResultsOfControl(ctx, controlID)
	if err != nil {
		return nil, err
	}
	results := make(map[int64]store.Result, len(rows))
	for _, r := range rows {
		results[r.EngagementID] = r
	}
	out := []ControlEngagement{}
	for _, e := range all {
		in, err := s.ControlInScope(ctx, e.ID, controlID)
		if err != nil {
			return nil, err
		}
		if !in {
			continue
		}
		ce := ControlEngagement{ID: e.ID, Name: e.Name, Report: e.Report, Type: e.ReportType, Status: e.Status,
			AsOf: e.AsOf, PeriodStart: e.PeriodStart, PeriodEnd: e.PeriodEnd, DesignResult: "not_assessed", Result: "pending"}
		if r, ok := results[e.ID]; ok {
			ce.DesignResult, ce.Result, ce.ExceptionsFound, ce.TestedCount = r.DesignResult, r.Result, r.ExceptionsFound, r.TestedCount
		}
		out = append(out, ce)
	}
	return out, nil
}
