package period

import (
	"fmt"

	"github.com/socmap/socmap/internal/civil"
)

// Window is one occurrence window a control is expected to operate in:
// inclusive days, a label for people ("March 2026", "Month 3 (2026-05-15
// to 2026-06-14)") and a short one for grid cells ("Mar", "M3"). Partial
// is set when the period or the control's implementation or retirement
// cuts the window short.
type Window struct {
	Start, End civil.Date
	Label      string
	Short      string
	Partial    bool
}

// Period is the window's days.
func (w Window) Period() Period { return Period{Start: w.Start, End: w.End} }

// DueOn is the day evidence of the window is due: graceDays after it ends.
func (w Window) DueOn(graceDays int) civil.Date { return w.End.AddDays(graceDays) }

// Ended reports whether the window's last day is over on today.
func (w Window) Ended(today civil.Date) bool { return today.After(w.End) }

// Windows lists the occurrence windows the control is expected to operate
// in during p. Only expected windows are listed: a partial window counts
// when the control's scheduled point falls inside it (without a schedule
// that point is the window's natural end, so a cut-off last window does
// not count). Automated controls have one window, the baseline test of
// one; controls tested from their population have none.
func Windows(c Control, p Period, cal Calendar) ([]Window, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if p.End.Before(p.Start) {
		return nil, fmt.Errorf("the period ends (%s) before it starts (%s)", p.End, p.Start)
	}
	span, ok := c.Span(p)
	if !ok {
		return nil, nil
	}
	switch c.Basis() {
	case Baseline:
		return []Window{{Start: span.Start, End: span.End, Label: "Baseline: test of one for " + span.String(), Short: "1"}}, nil
	case ByPopulation:
		return nil, nil
	}
	switch c.Frequency {
	case Daily, SeveralTimesADay:
		return days(c, span, cal), nil
	}
	if !c.Schedule.IsZero() {
		return scheduled(c, span, cal), nil
	}
	return anchored(c.Frequency, span), nil
}

func days(c Control, span Period, cal Calendar) []Window {
	var out []Window
	for d := span.Start; !d.After(span.End); d = d.AddDays(1) {
		if !c.BusinessDays || cal.BusinessDay(d) {
			out = append(out, Window{Start: d, End: d, Label: d.String(), Short: fmt.Sprint(d.Day)})
		}
	}
	return out
}

// stepMonths is the window length of the month-based frequencies.
var stepMonths = map[string]int{Monthly: 1, Quarterly: 3, SemiAnnual: 6, Annual: 12}

// unitNames names the k-th period-anchored window of a frequency.
var unitNames = map[string][2]string{Monthly: {"Month", "M"}, Quarterly: {"Quarter", "Q"}, SemiAnnual: {"Half", "H"},
	Annual: {"Year", "Y"}, Weekly: {"Week", "W"}, BiWeekly: {"Fortnight", "F"}}

// anchored tiles the span from its first day: N months, or 7 or 14 days,
// at a time. The last window, when cut short, is not expected.
func anchored(frequency string, span Period) []Window {
	next := func(k int) civil.Date { return MonthsFrom(span.Start, k*stepMonths[frequency]) }
	if frequency == Weekly || frequency == BiWeekly {
		step := map[string]int{Weekly: 7, BiWeekly: 14}[frequency]
		next = func(k int) civil.Date { return span.Start.AddDays(k * step) }
	}
	var out []Window
	for k := 0; ; k++ {
		start, end := next(k), next(k+1).AddDays(-1)
		if end.After(span.End) {
			return out
		}
		w := Window{Start: start, End: end}
		names := unitNames[frequency]
		w.Label, w.Short = calendarLabel(frequency, start, end)
		if w.Label == "" {
			w.Label = fmt.Sprintf("%s %d (%s)", names[0], k+1, w.Period())
			w.Short = fmt.Sprintf("%s%d", names[1], k+1)
		}
		out = append(out, w)
	}
}

// calendarLabel names a window that is exactly a calendar month, quarter,
// half, year or ISO week, as people call it; "" for any other.
func calendarLabel(frequency string, start, end civil.Date) (string, string) {
	switch frequency {
	case Weekly:
		if start.Weekday() == 1 { // Monday: an ISO week
			y, wk := start.Time().ISOWeek()
			return fmt.Sprintf("%d-W%02d", y, wk), fmt.Sprintf("W%02d", wk)
		}
		return "", ""
	case BiWeekly:
		return "", ""
	}
	n := stepMonths[frequency]
	if start.Day != 1 || (int(start.Month)-1)%n != 0 || end != MonthsFrom(start, n).AddDays(-1) {
		return "", ""
	}
	switch frequency {
	case Monthly:
		return start.Time().Format("January 2006"), start.Time().Format("Jan")
	case Quarterly:
		q := (int(start.Month)-1)/3 + 1
		return fmt.Sprintf("%d-Q%d", start.Year, q), fmt.Sprintf("Q%d", q)
	case SemiAnnual:
		h := (int(start.Month)-1)/6 + 1
		return fmt.Sprintf("%d-H%d", start.Year, h), fmt.Sprintf("H%d", h)
	}
	return fmt.Sprint(start.Year), fmt.Sprint(start.Year)
}

// scheduled lists the calendar windows of a control with a schedule, cut
// to its span; each counts when its scheduled point is in the span.
func scheduled(c Control, span Period, cal Calendar) []Window {
	var out []Window
	add := func(start, end, point civil.Date, label, short string) {
		if !span.Contains(point) {
			return
		}
		w := Window{Start: maxDate(start, span.Start), End: minDate(end, span.End), Label: label, Short: short}
		w.Partial = w.Start != start || w.End != end
		out = append(out, w)
	}
	s := c.Schedule
	switch {
	case s.Weekday != nil:
		step := 7
		if c.Frequency == BiWeekly {
			step = 14
		}
		offset := (int(*s.Weekday) + 6) % 7 // days after Monday
		first := span.Start.AddDays((offset - (int(span.Start.Weekday())+6)%7 + 7) % 7)
		for point := first; !point.After(span.End); point = point.AddDays(step) {
			start := monday(point)
			y, wk := start.Time().ISOWeek()
			label, short := fmt.Sprintf("%d-W%02d", y, wk), fmt.Sprintf("W%02d", wk)
			if step == 14 {
				label += fmt.Sprintf("–W%02d", isoWeek(start.AddDays(7)))
			}
			add(start, start.AddDays(step-1), point, label, short)
		}
	default:
		for m := firstOfMonth(span.Start); !m.After(span.End); m = MonthsFrom(m, 1) {
			var point civil.Date
			switch {
			case s.Day != 0:
				point = civil.Date{Year: m.Year, Month: m.Month, Day: min(s.Day, daysIn(m.Year, int(m.Month)))}
			case s.BusinessDay != 0:
				point = cal.NthBusinessDay(m.Year, m.Month, s.BusinessDay)
			case s.runsIn(m.Month):
				point = lastOfMonth(m)
			default:
				continue
			}
			add(m, lastOfMonth(m), point, m.Time().Format("January 2006"), m.Time().Format("Jan"))
		}
	}
	return out
}

func isoWeek(d civil.Date) int {
	_, wk := d.Time().ISOWeek()
	return wk
}
