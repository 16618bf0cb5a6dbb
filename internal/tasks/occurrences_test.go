package tasks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement/windows"
	"github.com/socmap/socmap/internal/store/storetest"
)

// TestOccurrenceTasksFollowTheWindows: owners are asked only for expected
// windows: a daily control's days a month at a time, with how many are
// missing; an automated control once for the period, never per day; a
// control implemented or retired in the period only in its part; and a
// window marked not expected not at all.
func TestOccurrenceTasksFollowTheWindows(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0]) // today is 2026-03-15
	net := p.control("NET-04", "daily")
	cal := controls.BusinessDays
	if _, err := p.controls.Update(p.ctx, net.ID, controls.Input{Calendar: &cal}); err != nil {
		t.Fatal(err)
	}
	automated := p.control("AUT-01", "daily")
	nature := "automated"
	if _, err := p.controls.Update(p.ctx, automated.ID, controls.Input{Nature: &nature}); err != nil {
		t.Fatal(err)
	}
	implemented := p.control("AC-05", "monthly")
	march := "2026-03-01"
	if _, err := p.controls.Update(p.ctx, implemented.ID, controls.Input{ImplementedOn: &march}); err != nil {
		t.Fatal(err)
	}
	retired := p.control("AC-06", "monthly")
	retiredOn := "2026-03-31"
	if _, err := p.controls.Update(p.ctx, retired.ID, controls.Input{RetiredOn: &retiredOn}); err != nil {
		t.Fatal(err)
	}
	ac := p.control("AC-03", "monthly")
	e := p.engagement("2026-01-01", "2026-06-30", net.ID, automated.ID, implemented.ID, retired.ID, ac.ID)
	// Evidence for all but three of February's 20 business days.
	covered := 0
	for d := civil.MustParse("2026-02-01"); d.Month == 2; d = d.AddDays(1) {
		if wd := d.Weekday(); wd != 0 && wd != 6 {
			if covered++; covered <= 17 {
				p.note(net.ID, d.String(), d.String(), nil)
			}
		}
	}
	p.refresh()

	labels := func(id int64) []string {
		var out []string
		for _, r := range p.list(Filter{ControlID: id, Kind: "occurrence"}) {
			out = append(out, r.WindowLabel+": "+r.State)
		}
		return out
	}
	daily := byLabel(p.list(Filter{ControlID: net.ID}))
	if len(daily) != 6 {
		t.Fatalf("daily control: %v, want one task a month", labels(net.ID))
	}
	if feb := daily["February 2026"]; feb.Title != "Keep NET-04's daily evidence: 3 of 20 business days missing in February 2026" ||
		feb.WindowStart == nil || *feb.WindowStart != "2026-02-02" || feb.DueOn != "2026-03-13" {
		t.Errorf("February: %q from %v due %s", feb.Title, feb.WindowStart, feb.DueOn)
	}
	if apr := daily["April 2026"]; apr.State != "upcoming" || apr.Title != "Keep NET-04's daily evidence for the 22 business days of April 2026" {
		t.Errorf("April: %s %q", apr.State, apr.Title)
	}
	if got := labels(automated.ID); len(got) != 1 || !strings.HasPrefix(got[0], "Baseline: test of one for 2026-01-01 to 2026-06-30") {
		t.Errorf("automated control: %v", got)
	}
	if got := labels(implemented.ID); fmt.Sprint(got) != "[March 2026: due April 2026: upcoming May 2026: upcoming June 2026: upcoming]" {
		t.Errorf("implemented in March: %v", got)
	}
	if got := labels(retired.ID); len(got) != 3 || !strings.HasPrefix(got[2], "March 2026") {
		t.Errorf("retired at the end of March: %v", got)
	}

	// February marked not expected: its open task is withdrawn.
	if err := windows.NewService(p.db, p.engagements).MarkNotExpected(p.ctx, e.ID, ac.ID, "2026-02-01", "No changes to review in February."); err != nil {
		t.Fatal(err)
	}
	p.refresh()
	if _, asked := byLabel(p.list(Filter{ControlID: ac.ID}))["February 2026"]; asked {
		t.Errorf("a window marked not expected still asks for evidence: %v", labels(ac.ID))
	}
	if n := len(p.list(Filter{ControlID: ac.ID})); n != 5 {
		t.Errorf("AC-03: %v", labels(ac.ID))
	}
}

// TestOccurrenceTasksLookAhead: owners see occurrence tasks two weeks
// ahead; a window that opens later is asked for when it comes that close.
func TestOccurrenceTasksLookAhead(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0]) // today is 2026-03-15
	p.tasks.settings.LookAheadDays = DefaultSettings().LookAheadDays
	c := p.control("AC-03", "weekly")
	p.engagement("2026-01-05", "2026-07-05", c.ID) // weeks from Monday 5 January
	p.refresh()
	upcoming := p.list(Filter{ControlID: c.ID, States: []string{"upcoming"}})
	// Today is a Sunday: the weeks of the 16th and the 23rd open within two weeks.
	if len(upcoming) != 2 || upcoming[1].WindowLabel != "2026-W13" {
		t.Errorf("upcoming: %+v", upcoming)
	}
	p.at("2026-04-15T12:00:00Z")
	p.refresh()
	if n := len(p.list(Filter{ControlID: c.ID, States: []string{"upcoming"}})); n != 2 {
		t.Errorf("a month later: %d upcoming", n)
	}
}
