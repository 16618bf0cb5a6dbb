package engagement

import (
	"testing"
)

// The retest covers the rest of the period: from the day after the
// remediation to the period's end, never before the period starts, and
// nothing when the control was put right on the last day or later.
func TestRetestWindow(t *testing.T) {
	start, end := "2026-01-01", "2026-06-30"
	e := Engagement{PeriodStart: &start, PeriodEnd: &end}
	day := func(s string) *string { return &s }
	for _, tt := range []struct {
		remediated *string
		from, to   string // "" : refused
	}{
		{day("2026-03-31"), "2026-04-01", "2026-06-30"},
		{day("2026-02-28"), "2026-03-01", "2026-06-30"},
		{day("2026-06-29"), "2026-06-30", "2026-06-30"},
		{day("2025-12-15"), "2026-01-01", "2026-06-30"},
		{day("2026-06-30"), "", ""},
		{day("2026-08-01"), "", ""},
		{nil, "", ""},
	} {
		w, err := RetestWindow(e, tt.remediated)
		if tt.from == "" {
			if err == nil {
				t.Errorf("remediated %v: window %v, want a refusal", tt.remediated, w)
			}
			continue
		}
		if err != nil || w.Start.String() != tt.from || w.End.String() != tt.to {
			t.Errorf("remediated %s: %v to %v (%v), want %s to %s", *tt.remediated, w.Start, w.End, err, tt.from, tt.to)
		}
	}
	if _, err := RetestWindow(Engagement{}, day("2026-03-31")); err == nil {
		t.Error("a Type I has no rest of the period to retest")
	}
}

func TestRetestWords(t *testing.T) {
	for _, tt := range []struct {
		st   SampleStats
		want string
	}{
		{SampleStats{Selected: 5, Tested: 5}, "Retest of 2026-04-01 to 2026-06-30: no exceptions noted (0 of 5)"},
		{SampleStats{Selected: 5, Tested: 5, Failed: 1}, "Retest of 2026-04-01 to 2026-06-30: exceptions noted (1 of 5)"},
		{SampleStats{Selected: 5, Tested: 2, Failed: 1}, "Retest of 2026-04-01 to 2026-06-30: in progress (2 of 5 items tested)"},
	} {
		if got := (RetestResult{From: "2026-04-01", To: "2026-06-30", Stats: tt.st}).Words(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.st, got, tt.want)
		}
	}
}
