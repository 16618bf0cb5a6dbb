package period

// Phases of testing: the whole period at once, or an interim part tested
// during the period and the remainder tested after it ends.
const (
	WholePeriod = "period"
	Interim     = "interim"
	Remainder   = "remainder"
)

// Phases in the order they are offered.
var Phases = []string{WholePeriod, Interim, Remainder}

// InterimCount estimates the whole period's population from an interim
// count that covers days of the period's periodDays, so an interim sample
// can be sized as its share of the period's.
func InterimCount(count, days, periodDays int) int {
	if days <= 0 || days >= periodDays {
		return count
	}
	return (count*periodDays + days - 1) / days
}

// InterimSize is the part of the period's sample size that falls on an
// interim covering days of periodDays: its share, rounded up, at least
// one and at most the interim's count.
func InterimSize(periodSize, count, days, periodDays int) int {
	if days <= 0 || days >= periodDays {
		return min(periodSize, count)
	}
	n := (periodSize*days + periodDays - 1) / periodDays
	return min(max(n, 1), count)
}

// RemainderSize is what the remainder still needs once the interim drew
// interimSize of the period's periodSize: at least one item, so the
// remainder of the period is tested at all, and at most its count.
func RemainderSize(periodSize, interimSize, count int) int {
	return min(max(periodSize-interimSize, 1), count)
}
