package period

import (
	"fmt"
	"slices"

	"github.com/socmap/socmap/internal/civil"
)

// Frequencies a control can operate at.
const (
	Annual            = "annual"
	SemiAnnual        = "semi-annual"
	Quarterly         = "quarterly"
	Monthly           = "monthly"
	BiWeekly          = "bi-weekly"
	Weekly            = "weekly"
	Daily             = "daily"
	SeveralTimesADay  = "several-times-a-day"
	Continuous        = "continuous"
	EventDriven       = "event-driven"
	Manual            = "manual"
	Automated         = "automated"
	ITDependentManual = "it-dependent-manual"
)

// Frequencies and Natures in the order the UI offers them.
var (
	Frequencies = []string{Annual, SemiAnnual, Quarterly, Monthly, BiWeekly, Weekly, Daily, SeveralTimesADay,
		Continuous, EventDriven}
	Natures = []string{Manual, Automated, ITDependentManual}
)

// Control is what the arithmetic needs to know about a control.
type Control struct {
	Frequency string
	Nature    string
	Schedule  Schedule
	// BusinessDays: a daily control that runs Monday to Friday less
	// holidays rather than every day.
	BusinessDays bool
	Implemented  civil.Date // zero: in place before any period
	Retired      civil.Date // zero: not retired; else the last day it operated
}

// Basis is how a control's operation is tested.
type Basis string

const (
	// ByWindows: a periodic control, one occurrence per window.
	ByWindows Basis = "windows"
	// ByPopulation: an event-driven control, or a continuous one that
	// people run (alert triage), sized by its counted population.
	ByPopulation Basis = "population"
	// Baseline: an automated control, tested once for the period; reliance
	// rests on effective change-management and access controls.
	Baseline Basis = "baseline"
)

// Basis says how the control is tested.
func (c Control) Basis() Basis {
	switch {
	case c.Nature == Automated:
		return Baseline
	case c.Frequency == EventDriven || c.Frequency == Continuous:
		return ByPopulation
	}
	return ByWindows
}

// Check reports what is inconsistent in the control's description.
func (c Control) Check() error {
	if !slices.Contains(Frequencies, c.Frequency) {
		return fmt.Errorf("unknown frequency %q", c.Frequency)
	}
	if c.BusinessDays && c.Frequency != Daily && c.Frequency != SeveralTimesADay {
		return fmt.Errorf("only a daily control runs on business days")
	}
	if !c.Implemented.IsZero() && !c.Retired.IsZero() && c.Retired.Before(c.Implemented) {
		return fmt.Errorf("the control is retired (%s) before it was implemented (%s)", c.Retired, c.Implemented)
	}
	return c.Schedule.Check(c.Frequency)
}

// Span is the part of p in which the control operated: from the later of
// the period start and its implementation, to the earlier of the period
// end and its retirement. False when it did not operate in p at all.
func (c Control) Span(p Period) (Period, bool) {
	s := p
	if !c.Implemented.IsZero() {
		s.Start = maxDate(s.Start, c.Implemented)
	}
	if !c.Retired.IsZero() {
		s.End = minDate(s.End, c.Retired)
	}
	return s, !s.End.Before(s.Start)
}

// Change is a control implemented or retired during a period.
type Change struct {
	Kind string // implemented, retired
	On   civil.Date
}

// Changes lists what changed about the control within p (after its first
// day for an implementation, before its last for a retirement).
func (c Control) Changes(p Period) []Change {
	var out []Change
	if !c.Implemented.IsZero() && c.Implemented.After(p.Start) && !c.Implemented.After(p.End) {
		out = append(out, Change{Kind: "implemented", On: c.Implemented})
	}
	if !c.Retired.IsZero() && !c.Retired.Before(p.Start) && c.Retired.Before(p.End) {
		out = append(out, Change{Kind: "retired", On: c.Retired})
	}
	return out
}

// CalendarWords says on which days a daily control runs.
func (c Control) CalendarWords() string {
	if c.Frequency != Daily && c.Frequency != SeveralTimesADay {
		return ""
	}
	if c.BusinessDays {
		return "on business days (Monday to Friday, less holidays)"
	}
	return "every day"
}
