package engagement

import (
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
)

// windows is the expected windows of a control of this frequency over a
// period, for sizing its sample.
func windows(t *testing.T, freq, from, to string) []period.Window {
	t.Helper()
	ws, err := period.Windows(period.Control{Frequency: freq, Nature: "manual"},
		period.Period{Start: civil.MustParse(from), End: civil.MustParse(to)}, period.NewCalendar(nil))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestRequiredSample(t *testing.T) {
	policy := period.DefaultPolicy()
	size := func(freq, nature string, windows, population int) Sample {
		t.Helper()
		s, err := policy.Required(controlOf(freq, nature), "", windows, population)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	h1 := len(windows(t, "quarterly", "2026-01-01", "2026-06-30"))
	if s := size("quarterly", "manual", h1, period.Unknown); s.Size != 2 || !s.TestAll {
		t.Errorf("quarterly over H1 2026: %+v, want 2 (both)", s)
	}
	year := len(windows(t, "daily", "2026-01-01", "2026-12-31"))
	if s := size("daily", "manual", year, period.Unknown); s.Size != 25 || s.Population != 365 {
		t.Errorf("daily over a year: %+v, want 25 of 365", s)
	}
	if s := size("event-driven", "manual", 0, 4); s.Size != 4 || !s.TestAll {
		t.Errorf("event-driven, population 4: %+v, want all 4", s)
	}
	if s := size("daily", "automated", year, period.Unknown); s.Size != 1 {
		t.Errorf("automated: %+v, want 1", s)
	}
	if _, err := policy.Required(controlOf("event-driven", "manual"), "", 0, period.Unknown); err == nil {
		t.Error("an event-driven control without a population was sized")
	}
}

func TestSelectIsReproducible(t *testing.T) {
	a, b := Select(365, 25, 20260115), Select(365, 25, 20260115)
	if !slices.Equal(a, b) || len(a) != 25 || !slices.IsSorted(a) {
		t.Fatalf("same seed, different samples: %v %v", a, b)
	}
	if slices.Equal(a, Select(365, 25, 20260116)) {
		t.Error("another seed drew the same sample")
	}
	seen := map[int]bool{}
	for _, i := range a {
		if i < 0 || i >= 365 || seen[i] {
			t.Fatalf("bad or repeated index %d in %v", i, a)
		}
		seen[i] = true
	}
	if all := Select(4, 4, 1); !slices.Equal(all, []int{0, 1, 2, 3}) {
		t.Errorf("test-all selection: %v", all)
	}
}

func TestResultLabel(t *testing.T) {
	if got := (Result{Result: "exceptions_noted", ExceptionsFound: 1, TestedCount: 25}).Label(); got != "Exceptions noted (1 of 25)" {
		t.Errorf("label %q", got)
	}
}

func TestParseSampleTable(t *testing.T) {
	table, err := ParseSampleTable(" daily=40, weekly = 10 ")
	if err != nil || table["daily"].Lower != 40 || table["weekly"].Lower != 10 || table["monthly"].Lower != 2 {
		t.Fatalf("%v %v", table, err)
	}
	for _, bad := range []string{"hourly=3", "daily", "daily=0", "daily=x"} {
		if _, err := ParseSampleTable(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
