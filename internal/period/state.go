package period

import "github.com/socmap/socmap/internal/civil"

// State is where one occurrence window stands on a given day.
type State string

const (
	// NotYetDue: the window has not ended.
	NotYetDue State = "not_yet_due"
	// Due: the window has ended and is within its grace period, with no
	// evidence yet.
	Due State = "due"
	// Covered: evidence covers the window.
	Covered State = "covered"
	// Missing: past its due date with no evidence.
	Missing State = "missing"
	// NotExpected: a preparer said, with a reason, that the control did
	// not have to operate in it (a holiday shutdown).
	NotExpected State = "not_expected"
)

// States in the order they are shown.
var States = []State{NotYetDue, Due, Covered, Missing, NotExpected}

// StateOf is the window's state on today. A window that has not ended is
// never missing.
func StateOf(w Window, covered, notExpected bool, today civil.Date, graceDays int) State {
	switch {
	case notExpected:
		return NotExpected
	case covered:
		return Covered
	case !w.Ended(today):
		return NotYetDue
	case !today.After(w.DueOn(graceDays)):
		return Due
	}
	return Missing
}

// Counts reports whether a window in state s on today counts towards
// readiness: only expected windows that have ended (due or past).
func Counts(w Window, s State, today civil.Date) bool { return s != NotExpected && w.Ended(today) }

// Dates are the dates a piece of evidence carries.
type Dates struct {
	From, To  civil.Date // the period it covers
	AsOf      civil.Date
	Collected civil.Date
}

// Span is the days the evidence speaks for: its period, else its as-of
// date, else the day it was collected; false for undated evidence.
func (d Dates) Span() (Period, bool) {
	switch {
	case !d.From.IsZero() && !d.To.IsZero():
		return Period{Start: d.From, End: d.To}, true
	case !d.AsOf.IsZero():
		return Period{Start: d.AsOf, End: d.AsOf}, true
	case !d.Collected.IsZero():
		return Period{Start: d.Collected, End: d.Collected}, true
	}
	return Period{}, false
}

// Covers reports whether the evidence fills a window by itself: its span
// lies within the window (its period, or its as-of or collection date).
// Evidence whose period runs beyond the window is summary evidence (a
// yearly listing, a policy): it covers a window only when a preparer
// attaches it to that window.
func (d Dates) Covers(w Period) bool {
	s, ok := d.Span()
	return ok && s.Within(w)
}

// Outside reports whether the evidence speaks only for days outside p.
func (d Dates) Outside(p Period) bool {
	s, ok := d.Span()
	return ok && !s.Overlaps(p)
}
