// Package engagement holds what a SOC report needs beyond the controls
// themselves: the engagements, their scope, the occurrence windows of
// each control over a Type II period and where each stands, samples,
// results and the auditors' workbook. The arithmetic of periods, windows
// and sample sizes is internal/period's.
package engagement

import (
	"context"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// Day parses a YYYY-MM-DD date as UTC midnight.
func Day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// WindowState is one occurrence window a control is expected to operate
// in, where it stands today and the evidence that covers it: evidence
// dated within it, and summary evidence a preparer attached to it.
type WindowState struct {
	period.Window
	State    period.State
	DueOn    civil.Date
	Evidence []int64 // covering evidence, attached included
	Attached []int64 // summary evidence attached to this window
	// Reason, MarkedBy and MarkedAt say why the window is not expected.
	Reason   string
	MarkedBy *int64
	MarkedAt *time.Time
}

// Missing reports whether the window is past its due date without evidence.
func (w WindowState) Missing() bool { return w.State == period.Missing }

// Counts reports whether the window counts towards readiness on today:
// expected, and ended.
func (w WindowState) Counts(today civil.Date) bool { return period.Counts(w.Window, w.State, today) }

// Occurrences is what the windows of every control of one Type II
// engagement are worked out from: its period, the business-day calendar,
// the day, and the windows marked not expected or given summary evidence.
type Occurrences struct {
	period   period.Period
	calendar period.Calendar
	today    civil.Date
	grace    int
	marks    map[int64][]store.WindowMark
	attached map[int64][]store.WindowEvidence
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Today is the service's date for window states.
func (s *Service) Today() civil.Date { return civil.Of(s.now().In(s.location())) }

func (s *Service) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// Calendar is the organisation's business-day calendar.
func (s *Service) Calendar(ctx context.Context) (period.Calendar, error) {
	days, err := s.st.HolidayDates(ctx)
	return period.NewCalendar(days), err
}

// OccurrencesOf reads what a Type II engagement's windows need on today;
// nil for a Type I.
func (s *Service) OccurrencesOf(ctx context.Context, d Detail, today civil.Date) (*Occurrences, error) {
	if d.ReportType != "type2" || d.PeriodStart == nil || d.PeriodEnd == nil {
		return nil, nil
	}
	p, err := PeriodOf(d.Engagement)
	if err != nil {
		return nil, err
	}
	op := &Occurrences{period: p, today: today, grace: s.GraceDays}
	if op.calendar, err = s.Calendar(ctx); err != nil {
		return nil, err
	}
	if op.marks, err = s.st.WindowMarks(ctx, d.ID); err != nil {
		return nil, err
	}
	op.attached, err = s.st.WindowAttachments(ctx, d.ID)
	return op, err
}

// PeriodOf is a Type II engagement's period.
func PeriodOf(e Engagement) (period.Period, error) {
	if e.PeriodStart == nil || e.PeriodEnd == nil {
		return period.Period{}, nil
	}
	start, err := civil.Parse(*e.PeriodStart)
	if err != nil {
		return period.Period{}, err
	}
	end, err := civil.Parse(*e.PeriodEnd)
	if err != nil {
		return period.Period{}, err
	}
	return period.New(start, end)
}

// Period is the engagement's period.
func (op *Occurrences) Period() period.Period { return op.period }

// Dated is a piece of evidence with the dates it speaks for.
type Dated struct {
	ID int64
	period.Dates
}

// Windows lists a control's expected windows with their states.
func (op *Occurrences) Windows(controlID int64, pc period.Control, ev []Dated) ([]WindowState, error) {
	windows, err := period.Windows(pc, op.period, op.calendar)
	if err != nil {
		return nil, err
	}
	marks := map[civil.Date]store.WindowMark{}
	for _, m := range op.marks[controlID] {
		if d, err := civil.Parse(m.WindowStart); err == nil {
			marks[d] = m
		}
	}
	attached := map[civil.Date][]int64{}
	for _, a := range op.attached[controlID] {
		if d, err := civil.Parse(a.WindowStart); err == nil {
			attached[d] = append(attached[d], a.EvidenceID)
		}
	}
	out := make([]WindowState, 0, len(windows))
	for _, w := range windows {
		ws := WindowState{Window: w, DueOn: w.DueOn(op.grace), Evidence: []int64{}, Attached: attached[w.Start]}
		for _, e := range ev {
			if e.Covers(w.Period()) {
				ws.Evidence = append(ws.Evidence, e.ID)
			}
		}
		for _, id := range ws.Attached {
			if !slices.Contains(ws.Evidence, id) {
				ws.Evidence = append(ws.Evidence, id)
			}
		}
		m, marked := marks[w.Start]
		if marked {
			ws.Reason, ws.MarkedBy, ws.MarkedAt = m.Reason, m.MarkedBy, &m.MarkedAt
		}
		ws.State = period.StateOf(w, len(ws.Evidence) > 0, marked, op.today, op.grace)
		out = append(out, ws)
	}
	return out, nil
}
