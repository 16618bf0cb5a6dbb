// Package engagement holds the audit arithmetic of a SOC report: the
// occurrence windows a control must operate in over a Type II period, the
// sample size an auditor will test, reproducible sample selection, and the
// scoping questionnaire's recommendations.
package engagement

import (
	"fmt"
	"time"
)

// Window is one occurrence window of a control within a period: a calendar
// month for a monthly control, an ISO week for a weekly one. Partial is set
// when the period cuts the window at either edge.
type Window struct {
	Start, End time.Time // inclusive days, UTC midnight
	Label      string    // e.g. "March 2026", "2026-Q1", "2026-W09", "2026-03-05"
	Partial    bool
}

// Day parses a YYYY-MM-DD date as UTC midnight.
func Day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// Windows splits [start, end] (inclusive days) into the occurrence windows
// of a frequency. Event-driven controls have no calendar windows (they are
// sized by their population); continuous (automated) controls have one
// window, the whole period.
func Windows(frequency string, start, end time.Time) ([]Window, error) {
	if end.Before(start) {
		return nil, fmt.Errorf("the period ends (%s) before it starts (%s)", end.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	step, ok := calendars[frequency]
	if !ok {
		switch frequency {
		case "event-driven":
			return nil, nil
		case "continuous":
			return []Window{{Start: start, End: end, Label: "whole period"}}, nil
		}
		return nil, fmt.Errorf("unknown frequency %q", frequency)
	}
	var out []Window
	for ws := step.first(start); !ws.After(end); ws = step.next(ws) {
		we := step.next(ws).AddDate(0, 0, -1)
		w := Window{Start: maxTime(ws, start), End: minTime(we, end), Label: step.label(ws)}
		w.Partial = ws.Before(start) || we.After(end)
		out = append(out, w)
	}
	return out, nil
}

// calendar describes how a frequency's windows tile the calendar.
type calendar struct {
	first func(day time.Time) time.Time // start of the window containing day
	next  func(windowStart time.Time) time.Time
	label func(windowStart time.Time) string
}

func months(n int) calendar {
	return calendar{
		first: func(d time.Time) time.Time {
			m := (int(d.Month())-1)/n*n + 1
			return time.Date(d.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		},
		next: func(w time.Time) time.Time { return w.AddDate(0, n, 0) },
	}
}

func weeks(n int) calendar {
	return calendar{
		first: func(d time.Time) time.Time {
			// ISO weeks start on Monday.
			return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		},
		next: func(w time.Time) time.Time { return w.AddDate(0, 0, 7*n) },
		label: func(w time.Time) string {
			y, wk := w.ISOWeek()
			return fmt.Sprintf("%d-W%02d", y, wk)
		},
	}
}

var calendars = map[string]calendar{
	"annual":              withLabel(months(12), func(w time.Time) string { return fmt.Sprint(w.Year()) }),
	"semi-annual":         withLabel(months(6), func(w time.Time) string { return fmt.Sprintf("%d-H%d", w.Year(), (int(w.Month())-1)/6+1) }),
	"quarterly":           withLabel(months(3), func(w time.Time) string { return fmt.Sprintf("%d-Q%d", w.Year(), (int(w.Month())-1)/3+1) }),
	"monthly":             withLabel(months(1), func(w time.Time) string { return w.Format("January 2006") }),
	"weekly":              weeks(1),
	"bi-weekly":           weeks(2),
	"daily":               days(),
	"several-times-a-day": days(),
}

func withLabel(c calendar, label func(time.Time) string) calendar {
	c.label = label
	return c
}

func days() calendar {
	return calendar{
		first: func(d time.Time) time.Time { return d },
		next:  func(w time.Time) time.Time { return w.AddDate(0, 0, 1) },
		label: func(w time.Time) string { return w.Format(time.DateOnly) },
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// PeriodMonths is the length of [start, end] in months, counting a partial
// month by its days (2026-01-01..2026-06-30 is 6).
func PeriodMonths(start, end time.Time) float64 {
	months := 0.0
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(end); m = m.AddDate(0, 1, 0) {
		last := m.AddDate(0, 1, -1)
		from, to := maxTime(m, start), minTime(last, end)
		months += float64(to.Sub(from).Hours()/24+1) / float64(last.Day())
	}
	return months
}

// PeriodWarning says why a Type II period is unusual, or "" when it is not:
// reports usually cover 3 to 12 months.
func PeriodWarning(start, end time.Time) string {
	switch m := PeriodMonths(start, end); {
	case m < 3-1e-9:
		return fmt.Sprintf("the period is %.1f months: Type II periods are usually at least 3 months", m)
	case m > 12+1e-9:
		return fmt.Sprintf("the period is %.1f months: Type II periods usually cover at most 12 months", m)
	}
	return ""
}

// WindowEnd is the last day of the calendar window of a frequency that
// contains day; for frequencies without calendar windows it is day itself.
func WindowEnd(frequency string, day time.Time) time.Time {
	step, ok := calendars[frequency]
	if !ok {
		return day
	}
	return step.next(step.first(day)).AddDate(0, 0, -1)
}
