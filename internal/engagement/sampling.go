package engagement

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// SampleTable is the sample size per frequency for a control that operates
// throughout the period. It is practice, not an AICPA rule, so
// installations may change it.
type SampleTable map[string]int

// DefaultSampleTable holds common practice: annual 1, quarterly 2, monthly
// 2, weekly 5, daily and several times a day 25, automated 1; semi-annual and
// bi-weekly sit between their neighbours.
func DefaultSampleTable() SampleTable {
	return SampleTable{"annual": 1, "semi-annual": 1, "quarterly": 2, "monthly": 2, "bi-weekly": 3,
		"weekly": 5, "daily": 25, "several-times-a-day": 25, "continuous": 1}
}

// ParseSampleTable applies overrides such as "daily=40,weekly=10" to the
// default table; an unknown frequency or a size below 1 is an error.
func ParseSampleTable(overrides string) (SampleTable, error) {
	t := DefaultSampleTable()
	for _, part := range strings.Split(overrides, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		freq, size, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(strings.TrimSpace(size))
		freq = strings.TrimSpace(freq)
		if _, known := t[freq]; !ok || !known || err != nil || n < 1 {
			return nil, fmt.Errorf("sample table entry %q: expected frequency=size with a known frequency and a size of at least 1", part)
		}
		t[freq] = n
	}
	return t, nil
}

// EventBand sizes an event-driven control by its population: up to UpTo
// items (0: any number), test Size (0: all of them).
type EventBand struct{ UpTo, Size int }

// DefaultEventBands: a population of 5 or fewer is tested in full.
func DefaultEventBands() []EventBand {
	return []EventBand{{UpTo: 5, Size: 0}, {UpTo: 50, Size: 5}, {UpTo: 250, Size: 15}, {UpTo: 0, Size: 25}}
}

// Sample is how many items to test, and why.
type Sample struct {
	Population int
	Size       int
	TestAll    bool
	Reason     string
}

// RequiredSample says how many occurrences of a control to test. For a
// periodic control the population is its number of occurrence windows in
// the period (so a short period prorates it) unless a counted population is
// given; for an event-driven control it is the counted population. An
// automated control is tested once, relying on change and access controls.
func RequiredSample(table SampleTable, bands []EventBand, frequency, nature string, windows, population int) (Sample, error) {
	if nature == "automated" || frequency == "continuous" {
		return Sample{Population: max(population, 1), Size: 1,
			Reason: "automated control: one instance, relying on effective change and access controls"}, nil
	}
	if frequency == "event-driven" {
		if population <= 0 {
			return Sample{}, fmt.Errorf("an event-driven control is sized by its population: upload the population first")
		}
		for _, b := range bands {
			if b.UpTo == 0 || population <= b.UpTo {
				if b.Size == 0 || b.Size >= population {
					return Sample{Population: population, Size: population, TestAll: true,
						Reason: fmt.Sprintf("event-driven, population of %d: test all", population)}, nil
				}
				return Sample{Population: population, Size: b.Size,
					Reason: fmt.Sprintf("event-driven, population of %d: sample %d", population, b.Size)}, nil
			}
		}
	}
	size, ok := table[frequency]
	if !ok {
		return Sample{}, fmt.Errorf("no sample size for frequency %q", frequency)
	}
	if population <= 0 {
		population = windows
	}
	if population <= size {
		return Sample{Population: population, Size: population, TestAll: true,
			Reason: fmt.Sprintf("%s control with %d occurrence(s) in the period: test all", frequency, population)}, nil
	}
	return Sample{Population: population, Size: size,
		Reason: fmt.Sprintf("%s control with %d occurrences in the period: sample %d", frequency, population, size)}, nil
}

// SelectionMethod names how Select draws, for the workpapers.
const SelectionMethod = "simple random without replacement (PCG, seeded)"

// Select draws n of population items (0-based indices, ascending) at
// random from a seed: the same seed always gives the same sample, so the
// selection can be reperformed.
func Select(population, n int, seed uint64) []int {
	if n >= population {
		all := make([]int, population)
		for i := range all {
			all[i] = i
		}
		return all
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	picked := r.Perm(population)[:n]
	slices.Sort(picked)
	return picked
}
