package period

import (
	"slices"
	"strings"
	"testing"
)

// The sizes an auditor would write down for each kind of control.
func TestRequired(t *testing.T) {
	p := DefaultPolicy()
	for _, tt := range []struct {
		name                string
		c                   Control
		risk                Risk
		windows, population int
		size                int
		testAll             bool
	}{
		{"annual", Control{Frequency: Annual}, "", 1, Unknown, 1, true},
		{"semi-annual", Control{Frequency: SemiAnnual}, "", 2, Unknown, 1, false},
		{"quarterly over a year", Control{Frequency: Quarterly}, "", 4, Unknown, 2, false},
		{"quarterly over six months: test both", Control{Frequency: Quarterly}, "", 2, Unknown, 2, true},
		{"monthly", Control{Frequency: Monthly}, "", 12, Unknown, 2, false},
		{"monthly, higher risk", Control{Frequency: Monthly}, Higher, 12, Unknown, 5, false},
		{"bi-weekly", Control{Frequency: BiWeekly}, Higher, 26, Unknown, 5, false},
		{"weekly", Control{Frequency: Weekly}, "", 52, Unknown, 5, false},
		{"weekly, higher risk", Control{Frequency: Weekly}, Higher, 52, Unknown, 15, false},
		{"daily", Control{Frequency: Daily}, "", 252, Unknown, 25, false},
		{"daily, higher risk", Control{Frequency: Daily}, Higher, 252, Unknown, 40, false},
		{"several times a day, higher risk", Control{Frequency: SeveralTimesADay}, Higher, 365, Unknown, 60, false},
		{"counted population beats windows", Control{Frequency: SeveralTimesADay}, "", 31, 1200, 25, false},
		{"automated daily: a test of one", Control{Frequency: Daily, Nature: Automated}, Higher, 1, Unknown, 1, false},
		{"event-driven, 4 items: all", Control{Frequency: EventDriven}, "", 0, 4, 4, true},
		{"event-driven, 5 items", Control{Frequency: EventDriven}, "", 0, 5, 2, false},
		{"event-driven, 12 items, higher risk", Control{Frequency: EventDriven}, Higher, 0, 12, 5, false},
		{"event-driven, 40 items", Control{Frequency: EventDriven}, "", 0, 40, 5, false},
		{"event-driven, 53 items", Control{Frequency: EventDriven}, "", 0, 53, 25, false},
		{"event-driven, 366 items, higher risk", Control{Frequency: EventDriven}, Higher, 0, 366, 60, false},
		{"alert triage by people: by its population", Control{Frequency: Continuous, Nature: Manual}, "", 0, 800, 25, false},
		{"event-driven, empty", Control{Frequency: EventDriven}, "", 0, 0, 0, false},
	} {
		r, err := p.Required(tt.c, tt.risk, tt.windows, tt.population)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r.Size != tt.size || r.TestAll != tt.testAll || r.Reason == "" {
			t.Errorf("%s: %+v, want %d (test all %v)", tt.name, r, tt.size, tt.testAll)
		}
	}
	if _, err := p.Required(Control{Frequency: EventDriven}, "", 0, Unknown); err == nil {
		t.Error("an event-driven control without a population was sized")
	}
	firm := DefaultPolicy()
	firm.Table[Daily] = Size{30, 45}
	firm.Risk = Higher
	if r, _ := firm.Required(Control{Frequency: Daily}, "", 365, Unknown); r.Size != 45 {
		t.Errorf("the engagement's table and risk: %+v", r)
	}
}

func TestPolicyCheckAndParse(t *testing.T) {
	if err := DefaultPolicy().Check(); err != nil {
		t.Fatal(err)
	}
	table, err := ParseTable(" daily=40, weekly = 10, monthly=3/6 ")
	if err != nil || table[Daily] != (Size{40, 40}) || table[Weekly] != (Size{10, 15}) || table[Monthly] != (Size{3, 6}) || table[Annual] != (Size{1, 1}) {
		t.Fatalf("%v %v", table, err)
	}
	for _, bad := range []string{"hourly=3", "daily", "daily=0", "daily=x", "daily=40/30", "event-driven=5"} {
		if _, err := ParseTable(bad); err == nil {
			t.Errorf("table %q accepted", bad)
		}
	}
	bands, err := ParseBands("4=all,12=2/5,52=5/15,365=25/40,*=25/60")
	if err != nil || !slices.Equal(bands, DefaultBands()) {
		t.Fatalf("%v %v", bands, err)
	}
	for _, bad := range []string{"4=all", "12=2,4=all,*=25", "x=3,*=25", "4=all,*=30/20"} {
		if _, err := ParseBands(bad); err == nil {
			t.Errorf("bands %q accepted", bad)
		}
	}
	broken := DefaultPolicy()
	delete(broken.Table, Weekly)
	if err := broken.Check(); err == nil || !strings.Contains(err.Error(), "weekly") {
		t.Errorf("a table without weekly: %v", err)
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

// An extension never re-picks an item, whatever the seeds, and is as
// reproducible as the first draw.
func TestExtendNeverRepicks(t *testing.T) {
	first := Select(40, 5, 7)
	for seed := range uint64(200) {
		more := Extend(40, first, 10, seed)
		if len(more) != 10 || !slices.IsSorted(more) {
			t.Fatalf("seed %d: %v", seed, more)
		}
		for _, i := range more {
			if slices.Contains(first, i) || i < 0 || i >= 40 {
				t.Fatalf("seed %d re-picked or invented %d: first %v, extension %v", seed, i, first, more)
			}
		}
		again := Extend(40, append(slices.Clone(first), more...), 30, seed)
		if len(again) != 25 {
			t.Fatalf("a second extension asking for more than is left takes the 25 left, got %d", len(again))
		}
	}
	if !slices.Equal(Extend(40, first, 10, 99), Extend(40, first, 10, 99)) {
		t.Error("same seed, different extension")
	}
}

func TestPhasedSizes(t *testing.T) {
	// A daily control: 212 items in an interim of 212 of 365 days stands
	// for 365, which a daily table samples at 25; the interim takes its
	// 15 (rounded up), the remainder the other 10.
	if got := InterimCount(212, 212, 365); got != 365 {
		t.Errorf("interim count %d, want 365", got)
	}
	if got := InterimSize(25, 212, 212, 365); got != 15 {
		t.Errorf("interim size %d, want 15", got)
	}
	if got := RemainderSize(25, 15, 153); got != 10 {
		t.Errorf("remainder size %d, want 10", got)
	}
	// A remainder always gets one; neither part takes more than it has.
	if got := RemainderSize(1, 1, 4); got != 1 {
		t.Errorf("remainder of a test of one: %d", got)
	}
	if got := InterimSize(25, 3, 200, 365); got != 3 {
		t.Errorf("interim of 3 items: %d", got)
	}
}
