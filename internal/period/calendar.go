package period

import (
	"slices"
	"time"

	"github.com/socmap/socmap/internal/civil"
)

// Calendar knows which days are business days: Monday to Friday, less the
// organisation's holidays.
type Calendar struct{ holidays map[civil.Date]bool }

// NewCalendar is the business-day calendar with these holidays.
func NewCalendar(holidays []civil.Date) Calendar {
	c := Calendar{holidays: make(map[civil.Date]bool, len(holidays))}
	for _, d := range holidays {
		c.holidays[d] = true
	}
	return c
}

// BusinessDay reports whether d is a weekday that is not a holiday.
func (c Calendar) BusinessDay(d civil.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.holidays[d]
}

// BusinessDays counts the business days of p.
func (c Calendar) BusinessDays(p Period) int {
	n := 0
	for d := p.Start; !d.After(p.End); d = d.AddDays(1) {
		if c.BusinessDay(d) {
			n++
		}
	}
	return n
}

// NthBusinessDay is the n-th business day of a month, or the month's last
// business day when it has fewer.
func (c Calendar) NthBusinessDay(year int, month time.Month, n int) civil.Date {
	var last civil.Date
	for day := 1; day <= daysIn(year, int(month)); day++ {
		d := civil.Date{Year: year, Month: month, Day: day}
		if c.BusinessDay(d) {
			last = d
			if n--; n == 0 {
				return d
			}
		}
	}
	if last.IsZero() { // a month of holidays: its last day
		return civil.Date{Year: year, Month: month, Day: daysIn(year, int(month))}
	}
	return last
}

// Holidays lists the calendar's holidays in order.
func (c Calendar) Holidays() []civil.Date {
	out := make([]civil.Date, 0, len(c.holidays))
	for d := range c.holidays {
		out = append(out, d)
	}
	slices.SortFunc(out, civil.Date.Compare)
	return out
}

func monthOf(m int) time.Month { return time.Month(m) }

// daysIn is the number of days of a month (1–12).
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func firstOfMonth(d civil.Date) civil.Date { return civil.Date{Year: d.Year, Month: d.Month, Day: 1} }

func lastOfMonth(d civil.Date) civil.Date {
	return civil.Date{Year: d.Year, Month: d.Month, Day: daysIn(d.Year, int(d.Month))}
}

// monday is the Monday of d's ISO week.
func monday(d civil.Date) civil.Date { return d.AddDays(-((int(d.Weekday()) + 6) % 7)) }

func maxDate(a, b civil.Date) civil.Date {
	if a.After(b) {
		return a
	}
	return b
}

func minDate(a, b civil.Date) civil.Date {
	if a.Before(b) {
		return a
	}
	return b
}
