package engagement

import "context"

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
	var all []Engagement
	if err := s.db.R.WithContext(ctx).Order("id DESC").Find(&all).Error; err != nil {
		return nil, err
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
		var r []struct {
			DesignResult, Result         string
			ExceptionsFound, TestedCount int
		}
		if err := s.db.R.WithContext(ctx).Table("engagement_control_results").
			Select("design_result, result, exceptions_found, tested_count").
			Where("engagement_id = ? AND control_id = ?", e.ID, controlID).Scan(&r).Error; err != nil {
			return nil, err
		}
		if len(r) == 1 {
			ce.DesignResult, ce.Result, ce.ExceptionsFound, ce.TestedCount = r[0].DesignResult, r[0].Result, r[0].ExceptionsFound, r[0].TestedCount
		}
		out = append(out, ce)
	}
	return out, nil
}
