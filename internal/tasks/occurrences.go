package tasks

import (
	"fmt"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
)

// occurrencePlan collects one control's occurrence tasks: one per
// expected window of each active engagement that has it in scope (a
// window marked not expected asks for nothing), and beyond those
// engagements' periods, windows of continuous monitoring from the later
// of its implementation and the day it was recorded here (so importing an
// old control does not bury its owner in years of overdue tasks) up to
// the current window. The days of a daily control are asked for a month
// at a time: at most one open task per month.
type occurrencePlan struct {
	c       plannedControl
	dated   []engagement.Dated
	grace   int
	today   civil.Date
	horizon civil.Date // windows that open later are not asked for yet
	cal     period.Calendar
	windows map[string]*planned
	months  map[string]*monthOfDays
	periods []period.Period // of the engagements: monitoring stays outside them
}

// monthOfDays is a daily control's expected days of one calendar month.
type monthOfDays struct {
	first       civil.Date
	days        map[civil.Date]*int64 // the evidence that covers the day, nil if none
	engagements []int64
}

func newOccurrencePlan(c plannedControl, ev []linkedEvidence, grace int, today civil.Date, lookAhead int, cal period.Calendar) (*occurrencePlan, error) {
	o := &occurrencePlan{c: c, grace: grace, today: today, horizon: today.AddDays(lookAhead), cal: cal,
		windows: map[string]*planned{}, months: map[string]*monthOfDays{}}
	for _, e := range ev {
		dates, err := e.Dates()
		if err != nil {
			return nil, fmt.Errorf("evidence %d: %w", e.EvidenceID, err)
		}
		o.dated = append(o.dated, engagement.Dated{ID: e.EvidenceID, Dates: dates})
	}
	return o, nil
}

func (o *occurrencePlan) daily() bool {
	return o.c.operation.Basis() == period.ByWindows &&
		(o.c.Frequency == period.Daily || o.c.Frequency == period.SeveralTimesADay)
}

// addEngagement adds the expected windows of one engagement.
func (o *occurrencePlan) addEngagement(windows []engagement.WindowState, engagementID int64, p period.Period) {
	o.periods = append(o.periods, p)
	for _, w := range windows {
		if w.State == period.NotExpected {
			continue
		}
		var by *int64
		if w.State == period.Covered && len(w.Evidence) > 0 {
			by = &w.Evidence[0]
		}
		o.add(w.Window, by, engagementID)
	}
}

// addMonitoring adds the windows from the start of monitoring to the
// current one that no engagement's period covers.
func (o *occurrencePlan) addMonitoring(from civil.Date, today civil.Date) error {
	if today.Before(from) {
		return nil
	}
	// Monitoring has no period to anchor its windows to: they follow the
	// calendar (months, quarters, ISO weeks) from the one that holds its
	// start, worked out a year past today so the current one is whole, and
	// kept up to the one that has started.
	span := period.Period{Start: calendarStart(o.c.Frequency, from), End: period.MonthsFrom(today, 12)}
	windows, err := period.Windows(o.c.operation, span, o.cal)
	if err != nil {
		return err
	}
	for _, w := range windows {
		if w.Start.After(today) {
			break
		}
		if w.End.Before(from) {
			continue
		}
		if slices.ContainsFunc(o.periods, func(p period.Period) bool { return p.Overlaps(w.Period()) }) {
			continue
		}
		var by *int64
		for _, e := range o.dated {
			if e.Covers(w.Period()) {
				by = &e.ID
				break
			}
		}
		o.add(w, by, 0)
	}
	return nil
}

func (o *occurrencePlan) add(w period.Window, coveredBy *int64, engagementID int64) {
	if o.daily() {
		key := w.Start.Time().Format("2006-01")
		m := o.months[key]
		if m == nil {
			m = &monthOfDays{first: civil.Date{Year: w.Start.Year, Month: w.Start.Month, Day: 1}, days: map[civil.Date]*int64{}}
			o.months[key] = m
		}
		if by, seen := m.days[w.Start]; !seen || by == nil {
			m.days[w.Start] = coveredBy
		}
		m.engagements = addEngagementID(m.engagements, engagementID)
		return
	}
	if w.Start.After(o.horizon) {
		return
	}
	key := fmt.Sprintf("occurrence/%d/%s/%s", o.c.ID, o.c.Frequency, w.Label)
	p := o.windows[key]
	if p == nil {
		p = &planned{key: key, kind: "occurrence", controlID: o.c.ID, ownerID: o.c.OwnerID, label: w.Label,
			title:       "Upload evidence for " + o.c.Ref + ", " + w.Label,
			windowStart: w.Start.String(), windowEnd: w.End.String()}
		o.windows[key] = p
	}
	// A window cut by one engagement's period and whole in another asks
	// for evidence anywhere in the whole window.
	p.windowStart = min(p.windowStart, w.Start.String())
	p.windowEnd = max(p.windowEnd, w.End.String())
	p.dueOn = max(p.dueOn, w.DueOn(o.grace).String())
	if p.coveredBy == nil {
		p.coveredBy = coveredBy
	}
	p.engagements = addEngagementID(p.engagements, engagementID)
}

func addEngagementID(ids []int64, id int64) []int64 {
	if id == 0 || slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// finish writes the planned tasks into out.
func (o *occurrencePlan) finish(out map[string]*planned) {
	for key, p := range o.windows {
		p.opensOn = p.windowStart
		out[key] = p
	}
	for _, m := range o.months {
		if p := o.monthTask(m); p.windowStart <= o.horizon.String() {
			out[p.key] = p
		}
	}
}

// monthTask is the one task for a daily control's days of a month:
// "Keep NET-04's daily evidence: 3 of 21 business days missing in
// November 2026", done when every expected day has evidence.
func (o *occurrencePlan) monthTask(m *monthOfDays) *planned {
	days := make([]civil.Date, 0, len(m.days))
	for d := range m.days {
		days = append(days, d)
	}
	slices.SortFunc(days, civil.Date.Compare)
	first, last := days[0], days[len(days)-1]
	label := m.first.Time().Format("January 2006")
	unit := "days"
	if o.c.operation.BusinessDays {
		unit = "business days"
	}
	missing, ended := 0, 0
	var coveredBy *int64
	for _, d := range days {
		by := m.days[d]
		if by != nil {
			coveredBy = by
		} else if d.Before(o.today) {
			missing++
		}
		if d.Before(o.today) {
			ended++
		}
	}
	title := fmt.Sprintf("Keep %s's daily evidence: %d of %d %s missing in %s", o.c.Ref, missing, len(days), unit, label)
	if ended == 0 {
		title = fmt.Sprintf("Keep %s's daily evidence for the %d %s of %s", o.c.Ref, len(days), unit, label)
	}
	for _, d := range days {
		if m.days[d] == nil {
			coveredBy = nil // done only when every day has evidence
			break
		}
	}
	return &planned{key: fmt.Sprintf("occurrence/%d/%s/%s", o.c.ID, o.c.Frequency, m.first.Time().Format("2006-01")),
		kind: "occurrence", controlID: o.c.ID, ownerID: o.c.OwnerID, label: label, title: title,
		windowStart: first.String(), windowEnd: last.String(), opensOn: first.String(),
		dueOn: last.AddDays(o.grace).String(), engagements: m.engagements, coveredBy: coveredBy}
}

// monthsPer is the window length of the month-based frequencies.
var monthsPer = map[string]int{period.Monthly: 1, period.Quarterly: 3, period.SemiAnnual: 6, period.Annual: 12}

// calendarStart is the first day of the calendar window of a frequency
// that holds day: the first of its month, quarter, half or year, or the
// Monday of its week.
func calendarStart(frequency string, day civil.Date) civil.Date {
	if n, ok := monthsPer[frequency]; ok {
		m := (int(day.Month)-1)/n*n + 1
		return civil.Date{Year: day.Year, Month: time.Month(m), Day: 1}
	}
	if frequency == period.Weekly || frequency == period.BiWeekly {
		return day.AddDays(-((int(day.Weekday()) + 6) % 7))
	}
	return day
}
