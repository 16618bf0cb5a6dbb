package period

import (
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/civil"
)

func day(s string) civil.Date { return civil.MustParse(s) }

func span(from, to string) Period { return Period{Start: day(from), End: day(to)} }

func TestMonthsFrom(t *testing.T) {
	for _, tt := range []struct {
		start string
		k     int
		want  string
	}{
		{"2026-03-15", 1, "2026-04-15"},
		{"2026-03-15", 12, "2027-03-15"},
		{"2026-01-31", 1, "2026-03-01"}, // no 31 February: the month ends on the 28th
		{"2028-02-29", 12, "2029-03-01"},
		{"2028-02-29", 48, "2032-02-29"},
		{"2026-11-30", 3, "2027-03-01"},
		{"2026-12-01", 1, "2027-01-01"},
	} {
		if got := MonthsFrom(day(tt.start), tt.k).String(); got != tt.want {
			t.Errorf("MonthsFrom(%s, %d) = %s, want %s", tt.start, tt.k, got, tt.want)
		}
	}
}

// Period lengths and warnings use whole calendar months from the start.
func TestLengthAndWarning(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		length   string
		warn     string
	}{
		{"2028-02-29", "2029-02-28", "12 months", ""},
		{"2026-02-15", "2026-05-14", "3 months", ""},
		{"2026-03-15", "2027-03-14", "12 months", ""},
		{"2026-01-01", "2026-06-30", "6 months", ""},
		{"2026-01-31", "2026-02-28", "1 month", "at least 3 months"},
		{"2026-01-01", "2026-03-30", "2 months and 30 days", "at least 3 months"},
		{"2026-01-01", "2027-01-01", "12 months and 1 day", "at most 12 months"},
		{"2026-01-01", "2026-01-10", "10 days", "at least 3 months"},
	} {
		p := span(tt.from, tt.to)
		if got := p.Length().String(); got != tt.length {
			t.Errorf("%s: length %q, want %q", p, got, tt.length)
		}
		if got := p.Warning(); (tt.warn == "") != (got == "") || !strings.Contains(got, tt.warn) {
			t.Errorf("%s: warning %q, want %q", p, got, tt.warn)
		}
	}
}

// holidays2026 is a bank-holiday list for the period below, all on weekdays.
var holidays2026 = []civil.Date{day("2026-04-03"), day("2026-04-06"), day("2026-05-04"), day("2026-05-25"),
	day("2026-08-31"), day("2026-12-25"), day("2026-12-28"), day("2027-01-01")}

func count(t *testing.T, c Control, p Period, cal Calendar) []Window {
	t.Helper()
	ws, err := Windows(c, p, cal)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// A twelve-month period gives the same count of windows whatever day it
// starts on, leap day or not.
func TestWindowsAnchoredToThePeriod(t *testing.T) {
	cal := NewCalendar(holidays2026)
	for _, p := range []Period{span("2026-03-15", "2027-03-14"), span("2026-01-01", "2026-12-31"), span("2028-02-29", "2029-02-28")} {
		for freq, want := range map[string]int{Annual: 1, SemiAnnual: 2, Quarterly: 4, Monthly: 12, BiWeekly: 26, Weekly: 52} {
			ws := count(t, Control{Frequency: freq, Nature: Manual}, p, cal)
			if len(ws) != want {
				t.Errorf("%s %s: %d windows, want %d", p, freq, len(ws), want)
			}
			for i, w := range ws {
				if w.Partial || i > 0 && w.Start != ws[i-1].End.AddDays(1) {
					t.Errorf("%s %s: window %d %+v is cut or not contiguous", p, freq, i, w)
				}
			}
		}
	}
	p := span("2026-03-15", "2027-03-14")
	monthly := count(t, Control{Frequency: Monthly, Nature: Manual}, p, cal)
	if monthly[0].Label != "Month 1 (2026-03-15 to 2026-04-14)" || monthly[0].Short != "M1" || monthly[11].End != day("2027-03-14") {
		t.Errorf("monthly windows from the 15th: first %+v, last %+v", monthly[0], monthly[11])
	}
	if q := count(t, Control{Frequency: Quarterly, Nature: Manual}, span("2026-01-01", "2026-12-31"), cal); q[0].Label != "2026-Q1" || q[3].Short != "Q4" {
		t.Errorf("calendar-year quarters are named as such: %+v", q)
	}
	if ws := count(t, Control{Frequency: Daily, Nature: Manual}, p, cal); len(ws) != 365 {
		t.Errorf("daily every day: %d windows, want 365", len(ws))
	}
	// The period runs Sunday to Sunday: 52 weeks of 5 weekdays, less 8 holidays.
	if ws := count(t, Control{Frequency: Daily, Nature: Manual, BusinessDays: true}, p, cal); len(ws) != 260-8 {
		t.Errorf("daily on business days: %d windows, want 252", len(ws))
	}
	year := span("2026-01-01", "2026-12-31")
	if n := len(count(t, Control{Frequency: Daily, Nature: Manual}, year, cal)); n != 365 {
		t.Errorf("2026, every day: %d", n)
	}
	if n := len(count(t, Control{Frequency: Daily, Nature: Manual, BusinessDays: true}, year, NewCalendar(nil))); n != 261 {
		t.Errorf("2026 on business days, no holidays: %d, want 261", n)
	}
	if n := len(count(t, Control{Frequency: Daily, Nature: Manual, BusinessDays: true}, year, cal)); n != 261-7 {
		t.Errorf("2026 on business days less its 7 holidays: %d, want 254", n)
	}
}

// A period that is not a whole number of windows ends with a shorter
// window, which counts only when the scheduled point falls inside it.
func TestPartialWindows(t *testing.T) {
	cal := NewCalendar(nil)
	p := span("2026-01-01", "2026-05-20")
	if ws := count(t, Control{Frequency: Monthly, Nature: Manual}, p, cal); len(ws) != 4 || ws[3].Label != "April 2026" {
		t.Errorf("unscheduled monthly over 4 months and 20 days: %+v, want January to April", ws)
	}
	if ws := count(t, Control{Frequency: Quarterly, Nature: Manual}, p, cal); len(ws) != 1 {
		t.Errorf("unscheduled quarterly: %+v, want Q1 only", ws)
	}
	on15th := Control{Frequency: Monthly, Nature: Manual, Schedule: Schedule{Day: 15}}
	ws := count(t, on15th, p, cal)
	if len(ws) != 5 || !ws[4].Partial || ws[4].End != day("2026-05-20") {
		t.Errorf("monthly on the 15th: %+v, want May as a partial fifth window", ws)
	}
	on25th := Control{Frequency: Monthly, Nature: Manual, Schedule: Schedule{Day: 25}}
	if ws := count(t, on25th, p, cal); len(ws) != 4 {
		t.Errorf("monthly on the 25th: %d windows, want 4 (25 May is after the period)", len(ws))
	}
	if ws := count(t, Control{Frequency: Weekly, Nature: Manual}, span("2026-01-01", "2026-12-31"), cal); len(ws) != 52 {
		t.Errorf("weekly over 365 days: %d windows, want 52 (the 365th day is no week)", len(ws))
	}
}

func weekday(d time.Weekday) *time.Weekday { return &d }

func TestScheduledWindows(t *testing.T) {
	cal := NewCalendar(holidays2026)
	p := span("2026-03-15", "2027-03-14")
	afterQuarter := Control{Frequency: Quarterly, Nature: Manual, Schedule: Schedule{Months: []int{1, 4, 7, 10}}}
	ws := count(t, afterQuarter, p, cal)
	var labels []string
	for _, w := range ws {
		labels = append(labels, w.Label)
	}
	if strings.Join(labels, ", ") != "April 2026, July 2026, October 2026, January 2027" {
		t.Errorf("reviews in the month after quarter end: %v", labels)
	}
	if got := afterQuarter.Schedule.Words(Quarterly); got != "in the month after each quarter end (January, April, July, October)" {
		t.Errorf("words %q", got)
	}
	october := Control{Frequency: Annual, Nature: Manual, Schedule: Schedule{Months: []int{10}}}
	if ws := count(t, october, p, cal); len(ws) != 1 || ws[0].Label != "October 2026" || october.Schedule.Words(Annual) != "in October" {
		t.Errorf("annual in October: %+v", ws)
	}
	monday := Control{Frequency: Weekly, Nature: Manual, Schedule: Schedule{Weekday: weekday(time.Monday)}}
	ws = count(t, monday, p, cal)
	if len(ws) != 52 || ws[0].Start != day("2026-03-16") || ws[0].Label != "2026-W12" || monday.Schedule.Words(Weekly) != "on Monday" {
		t.Errorf("weekly on Monday: %d windows, first %+v", len(ws), ws[0])
	}
	fifth := Control{Frequency: Monthly, Nature: Manual, Schedule: Schedule{BusinessDay: 5}}
	ws = count(t, fifth, p, cal)
	// March 2026 is cut to 15–31 March and its 5th business day (6 March)
	// is before the period; March 2027's (5 March) is inside, though the
	// window is cut to 1–14 March.
	if len(ws) != 12 || ws[0].Label != "April 2026" || !ws[11].Partial || ws[11].Label != "March 2027" {
		t.Errorf("monthly by the 5th business day: %d windows %+v … %+v", len(ws), ws[0], ws[len(ws)-1])
	}
	if got := cal.NthBusinessDay(2026, time.April, 5); got != day("2026-04-09") { // 1, 2, 7, 8, 9: 3 and 6 April are holidays
		t.Errorf("5th business day of April 2026: %s", got)
	}
	if fifth.Schedule.Words(Monthly) != "by the 5th business day of each month" {
		t.Errorf("words %q", fifth.Schedule.Words(Monthly))
	}
	for _, bad := range []Control{
		{Frequency: Monthly, Schedule: Schedule{Months: []int{1}}},
		{Frequency: Quarterly, Schedule: Schedule{Months: []int{1, 2, 3, 4}}},
		{Frequency: Annual, Schedule: Schedule{Months: []int{10, 11}}},
		{Frequency: Weekly, Schedule: Schedule{Day: 3}},
		{Frequency: Monthly, Schedule: Schedule{Day: 3, BusinessDay: 2}},
		{Frequency: Daily, Schedule: Schedule{Weekday: weekday(time.Monday)}},
		{Frequency: Weekly, BusinessDays: true},
	} {
		if err := bad.Check(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestImplementationAndRetirement(t *testing.T) {
	cal := NewCalendar(nil)
	p := span("2026-03-15", "2027-03-14")
	late := Control{Frequency: Monthly, Nature: Manual, Implemented: day("2026-09-01")}
	ws := count(t, late, p, cal)
	// September to February; 1–14 March 2027 is a cut-off last month.
	if len(ws) != 6 || ws[0].Label != "September 2026" || ws[5].Label != "February 2027" {
		t.Errorf("implemented on 2026-09-01: %d windows %+v", len(ws), ws)
	}
	retired := Control{Frequency: Monthly, Nature: Manual, Retired: day("2026-11-14")}
	ws = count(t, retired, p, cal)
	if len(ws) != 8 || ws[7].End != day("2026-11-14") {
		t.Errorf("retired on 2026-11-14: %d windows, last %+v; want eight, to the retirement", len(ws), ws[len(ws)-1])
	}
	if changes := late.Changes(p); len(changes) != 1 || changes[0].Kind != "implemented" {
		t.Errorf("changes %+v", changes)
	}
	if _, ok := (Control{Frequency: Monthly, Retired: day("2026-01-31")}).Span(p); ok {
		t.Error("a control retired before the period operates in it")
	}
	if ws := count(t, Control{Frequency: Monthly, Implemented: day("2027-06-01")}, p, cal); len(ws) != 0 {
		t.Errorf("implemented after the period: %+v", ws)
	}
}

func TestAutomatedAndPopulationControls(t *testing.T) {
	cal := NewCalendar(nil)
	p := span("2026-03-15", "2027-03-14")
	ws := count(t, Control{Frequency: Daily, Nature: Automated}, p, cal)
	if len(ws) != 1 || ws[0].Period() != p {
		t.Errorf("an automated daily control: %+v, want one baseline window", ws)
	}
	for _, c := range []Control{{Frequency: EventDriven, Nature: Manual}, {Frequency: Continuous, Nature: ITDependentManual}} {
		if ws := count(t, c, p, cal); len(ws) != 0 || c.Basis() != ByPopulation {
			t.Errorf("%+v: %+v, want no windows, tested from the population", c, ws)
		}
	}
}

func TestStates(t *testing.T) {
	w := Window{Start: day("2026-11-01"), End: day("2026-11-30")}
	for _, tt := range []struct {
		today                string
		covered, notExpected bool
		want                 State
		counts               bool
	}{
		{"2026-10-15", false, false, NotYetDue, false},
		{"2026-11-30", false, false, NotYetDue, false},
		{"2026-12-01", false, false, Due, true},
		{"2026-12-14", false, false, Due, true},
		{"2026-12-15", false, false, Missing, true},
		{"2026-11-20", true, false, Covered, false},
		{"2027-01-20", true, false, Covered, true},
		{"2027-01-20", false, true, NotExpected, false},
	} {
		s := StateOf(w, tt.covered, tt.notExpected, day(tt.today), 14)
		if s != tt.want || Counts(w, s, day(tt.today)) != tt.counts {
			t.Errorf("on %s (covered %v, not expected %v): %s counts %v, want %s %v", tt.today, tt.covered, tt.notExpected,
				s, Counts(w, s, day(tt.today)), tt.want, tt.counts)
		}
	}
}

func TestEvidenceCovers(t *testing.T) {
	march := span("2026-03-01", "2026-03-31")
	for _, tt := range []struct {
		name string
		d    Dates
		want bool
	}{
		{"period within", Dates{From: day("2026-03-01"), To: day("2026-03-31")}, true},
		{"as of inside", Dates{AsOf: day("2026-03-31")}, true},
		{"collected inside", Dates{Collected: day("2026-03-02")}, true},
		{"yearly listing", Dates{From: day("2026-01-01"), To: day("2026-12-31"), Collected: day("2026-03-05")}, false},
		{"period across two months", Dates{From: day("2026-03-25"), To: day("2026-04-05")}, false},
		{"as of wins over collected", Dates{AsOf: day("2026-02-28"), Collected: day("2026-03-03")}, false},
		{"undated", Dates{}, false},
	} {
		if got := tt.d.Covers(march); got != tt.want {
			t.Errorf("%s: covers %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(Dates{AsOf: day("2025-12-31")}).Outside(march) || (Dates{From: day("2026-02-01"), To: day("2026-03-01")}).Outside(march) {
		t.Error("outside the period")
	}
}

// The next period starts the day after and is as long; whole months to a
// month end stay whole months to a month end, leap years included.
func TestNextPeriod(t *testing.T) {
	for _, c := range []struct{ start, end, nextStart, nextEnd string }{
		{"2027-03-01", "2028-02-29", "2028-03-01", "2029-02-28"},
		{"2028-03-01", "2029-02-28", "2029-03-01", "2030-02-28"},
		{"2026-01-01", "2026-12-31", "2027-01-01", "2027-12-31"},
		{"2026-01-01", "2026-06-30", "2026-07-01", "2026-12-31"},
		{"2026-07-01", "2026-09-30", "2026-10-01", "2026-12-31"},
		{"2026-03-15", "2027-03-14", "2027-03-15", "2028-03-14"},
		{"2026-01-15", "2026-07-14", "2026-07-15", "2027-01-14"},
		{"2026-02-10", "2026-05-20", "2026-05-21", "2026-08-31"}, // 3 months and 11 days
	} {
		p, err := New(civil.MustParse(c.start), civil.MustParse(c.end))
		if err != nil {
			t.Fatal(err)
		}
		n := p.Next()
		if n.Start.String() != c.nextStart || n.End.String() != c.nextEnd {
			t.Errorf("after %s: %s, want %s to %s", p, n, c.nextStart, c.nextEnd)
		}
		if n.Length() != p.Length() {
			t.Errorf("after %s: %s is %s long, not %s", p, n, n.Length(), p.Length())
		}
	}
}
