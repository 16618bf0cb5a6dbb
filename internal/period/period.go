// Package period is the audit arithmetic of a Type II report, with no
// database and no clock: the months a period spans, the occurrence windows
// a control must operate in, the state of each window on a given day, what
// evidence covers a window, the sample an auditor tests and the seeded
// selection of its items. Every figure is the one an auditor would write
// down: a twelve-month period has twelve monthly windows whatever day it
// starts on, and a window that has not ended is never missing.
package period

import (
	"fmt"

	"github.com/socmap/socmap/internal/civil"
)

// Period is an inclusive span of days: a report period, a control's
// operating span within it, an occurrence window.
type Period struct{ Start, End civil.Date }

// New is the period from start to end; an end before the start is an error.
func New(start, end civil.Date) (Period, error) {
	if start.IsZero() || end.IsZero() {
		return Period{}, fmt.Errorf("a period needs a start and an end date")
	}
	if end.Before(start) {
		return Period{}, fmt.Errorf("the period ends (%s) before it starts (%s)", end, start)
	}
	return Period{Start: start, End: end}, nil
}

// Contains reports whether d is one of the period's days.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// Within reports whether every day of p is in q.
func (p Period) Within(q Period) bool { return !p.Start.Before(q.Start) && !p.End.After(q.End) }

// Overlaps reports whether p and q share a day.
func (p Period) Overlaps(q Period) bool { return !p.End.Before(q.Start) && !q.End.Before(p.Start) }

// Days is the number of days in the period.
func (p Period) Days() int { return p.End.DaysSince(p.Start) + 1 }

// String is "2026-03-15 to 2027-03-14".
func (p Period) String() string { return p.Start.String() + " to " + p.End.String() }

// MonthsFrom is the day k months after start: the same day of the month,
// or the first of the following month when that month is too short for
// it. So months counted from 31 January end on 28 February, and twelve
// months from 29 February 2028 end on 28 February 2029.
func MonthsFrom(start civil.Date, k int) civil.Date {
	m := int(start.Month) - 1 + k
	y := start.Year + floorDiv(m, 12)
	month := m - floorDiv(m, 12)*12 + 1
	d := civil.Date{Year: y, Month: monthOf(month), Day: start.Day}
	if start.Day > daysIn(y, month) {
		return civil.Date{Year: y, Month: monthOf(month), Day: daysIn(y, month)}.AddDays(1)
	}
	return d
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Length is a period's length in whole months counted from its start,
// and the days left over.
type Length struct{ Months, Days int }

// Length measures the period in whole calendar months from its start:
// 2026-02-15..2026-05-14 is 3 months, 2028-02-29..2029-02-28 is 12.
func (p Period) Length() Length {
	n := 0
	for !MonthsFrom(p.Start, n+1).AddDays(-1).After(p.End) {
		n++
	}
	return Length{Months: n, Days: p.End.DaysSince(MonthsFrom(p.Start, n)) + 1}
}

func (l Length) String() string {
	s := plural(l.Months, "month")
	if l.Days > 0 {
		if l.Months == 0 {
			return plural(l.Days, "day")
		}
		s += " and " + plural(l.Days, "day")
	}
	return s
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Warning says why a Type II period is unusual, or "" when it is not:
// reports cover 3 to 12 months, counted in whole calendar months.
func (p Period) Warning() string {
	switch l := p.Length(); {
	case l.Months < 3:
		return fmt.Sprintf("the period is %s: Type II periods are usually at least 3 months", l)
	case l.Months > 12 || l.Months == 12 && l.Days > 0:
		return fmt.Sprintf("the period is %s: Type II periods usually cover at most 12 months", l)
	}
	return ""
}

// Next is the period after p: it starts the day after p ends and has the
// same length in months and days. A period of whole months that ends on a
// month end is followed by one that does too, leap years included:
// 2027-03-01..2028-02-29 is followed by 2028-03-01..2029-02-28.
func (p Period) Next() Period {
	l := p.Length()
	start := p.End.AddDays(1)
	end := MonthsFrom(start, l.Months).AddDays(l.Days - 1)
	if l.Days == 0 && p.End == lastOfMonth(p.End) {
		end = lastOfMonth(MonthsFrom(firstOfMonth(start), l.Months).AddDays(-1))
	}
	return Period{Start: start, End: end}
}
