package engagement

import (
	"github.com/socmap/socmap/internal/period"
)

// SampleTable is the sample size per frequency of a periodic control, at
// lower and higher risk. It is practice, not an AICPA rule, so an
// installation may set its own and each engagement keeps the one it got.
type SampleTable = period.Table

// DefaultSampleTable is common practice (see period.DefaultTable).
func DefaultSampleTable() SampleTable { return period.DefaultTable() }

// ParseSampleTable applies overrides such as "daily=40,weekly=10" (or
// "daily=25/40", lower/higher risk) to the default table.
func ParseSampleTable(overrides string) (SampleTable, error) { return period.ParseTable(overrides) }

// Sample is how many items to test, and why.
type Sample = period.Requirement

// SelectionMethod names how samples are drawn, for the workpapers.
const SelectionMethod = period.SelectionMethod

// Select draws n of population items (0-based indices, ascending) from a
// seed; the same seed always gives the same sample.
func Select(population, n int, seed uint64) []int { return period.Select(population, n, seed) }

// controlOf is what the sample arithmetic needs to know of a control.
func controlOf(frequency, nature string) period.Control {
	return period.Control{Frequency: frequency, Nature: nature}
}
