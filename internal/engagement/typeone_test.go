package engagement

import "testing"

// A Type I control is ok only when suitably designed and implemented as
// of the date; a design deficiency or a control not implemented is a
// deficiency whatever the other conclusion; anything else is in progress.
func TestTypeOneOutcome(t *testing.T) {
	for _, tt := range []struct {
		design, implementation string
		want                   string
	}{
		{"suitably_designed", "implemented", "ok"},
		{"suitably_designed", "not_implemented", "fail"},
		{"suitably_designed", "", ""},
		{"not_assessed", "implemented", ""},
		{"not_assessed", "", ""},
		{"design_deficiency", "", "fail"},
		{"design_deficiency", "implemented", "fail"},
		{"not_assessed", "not_implemented", "fail"},
	} {
		r := Result{DesignResult: tt.design, Implementation: tt.implementation, Result: "pending"}
		if got := typeOneOutcome(r); got != tt.want {
			t.Errorf("Type I outcome of design %q, implementation %q = %q, want %q", tt.design, tt.implementation, got, tt.want)
		}
	}
}

func TestImplementedAfterTheAsOfDate(t *testing.T) {
	on := func(s string) *string { return &s }
	for _, tt := range []struct {
		result  *string // the date the result gives
		control *string // the control's implemented-on date
		want    bool
	}{
		{nil, nil, false},                           // unknown: not refused
		{nil, on("2026-03-31"), false},              // on the as-of date
		{nil, on("2026-04-01"), true},               // the day after
		{on("2026-03-01"), on("2026-04-01"), false}, // the tester's date counts
		{on("2026-04-15"), on("2025-01-01"), true},  // even when later than the control's
		{on("2025-12-31"), nil, false},
	} {
		since := ImplementedSince(Result{ImplementedOn: tt.result}, tt.control)
		if got := ImplementedAfter(since, "2026-03-31"); got != tt.want {
			t.Errorf("result %v, control %v: implemented after 2026-03-31 = %v, want %v", deref(tt.result), deref(tt.control), got, tt.want)
		}
	}
}

// Evidence is recent when it speaks for a day within the window before
// the as-of date, stale when every day it speaks for is before it.
func TestEvidenceRecency(t *testing.T) {
	asOf := "2026-03-31"
	w, ok := recencyOf(Engagement{ReportType: "type1", AsOf: &asOf}) // the default 90 days
	if !ok || w.from != "2025-12-31" {
		t.Fatalf("window %+v %v, want from 2025-12-31", w, ok)
	}
	on := func(s string) *string { return &s }
	for _, tt := range []struct {
		name          string
		d             EvidenceDates
		recent, stale bool
	}{
		{"collected on the as-of date", EvidenceDates{CollectedOn: on("2026-03-31")}, true, false},
		{"as of the window's first day", EvidenceDates{AsOf: on("2025-12-31")}, true, false},
		{"as of the day before the window", EvidenceDates{AsOf: on("2025-12-30")}, false, true},
		{"a period ending in the window", EvidenceDates{CoversFrom: on("2025-10-01"), CoversTo: on("2026-01-15")}, true, false},
		{"a period ending before it", EvidenceDates{CoversFrom: on("2025-07-01"), CoversTo: on("2025-09-30")}, false, true},
		{"dated after the as-of date", EvidenceDates{CollectedOn: on("2026-04-02")}, false, false},
		{"undated", EvidenceDates{}, false, false},
		{"its period wins over the day collected", EvidenceDates{CoversFrom: on("2025-01-01"), CoversTo: on("2025-03-31"), CollectedOn: on("2026-03-01")}, false, true},
	} {
		if got := w.recent(tt.d); got != tt.recent {
			t.Errorf("%s: recent %v, want %v", tt.name, got, tt.recent)
		}
		if got := w.stale(tt.d); got != tt.stale {
			t.Errorf("%s: stale %v, want %v", tt.name, got, tt.stale)
		}
	}
	short, _ := recencyOf(Engagement{ReportType: "type1", AsOf: &asOf, EvidenceWindowDays: 30})
	if short.from != "2026-03-01" {
		t.Errorf("a 30-day window starts %s, want 2026-03-01", short.from)
	}
	if _, ok := recencyOf(Engagement{ReportType: "type2"}); ok {
		t.Error("a Type II has no evidence window")
	}
}
