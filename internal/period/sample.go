package period

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Risk is the assessed risk of a control, which picks the column of the
// sample table.
type Risk string

const (
	Lower  Risk = "lower"
	Higher Risk = "higher"
)

// Risks in the order they are offered.
var Risks = []Risk{Lower, Higher}

// Size is a sample size at lower and at higher risk.
type Size struct {
	Lower  int `json:"lower"`
	Higher int `json:"higher"`
}

// For is the size at a risk level.
func (s Size) For(r Risk) int {
	if r == Higher {
		return s.Higher
	}
	return s.Lower
}

// Table is the sample size per frequency of a periodic control. It is
// practice, not an AICPA rule: firms have their own, so each engagement
// keeps the table it was given.
type Table map[string]Size

// periodic lists the frequencies a table sizes.
var periodic = []string{Annual, SemiAnnual, Quarterly, Monthly, BiWeekly, Weekly, Daily, SeveralTimesADay}

// DefaultTable is common practice (higher risk second).
func DefaultTable() Table {
	return Table{Annual: {1, 1}, SemiAnnual: {1, 1}, Quarterly: {2, 2}, Monthly: {2, 5}, BiWeekly: {3, 5},
		Weekly: {5, 15}, Daily: {25, 40}, SeveralTimesADay: {25, 60}}
}

// Band sizes a population of up to UpTo items (0: any larger number);
// a size of 0 tests every item.
type Band struct {
	UpTo int  `json:"up_to"`
	Size Size `json:"size"`
}

// DefaultBands size an event-driven population by the frequency it
// amounts to: up to 4 items (annual to quarterly) all, up to 12 (monthly)
// 2 (5), up to 52 (weekly) 5 (15), up to 365 (daily) 25 (40), more 25 (60).
func DefaultBands() []Band {
	return []Band{{4, Size{0, 0}}, {12, Size{2, 5}}, {52, Size{5, 15}}, {365, Size{25, 40}}, {0, Size{25, 60}}}
}

// Policy is an engagement's sampling policy: its table, its bands and the
// risk level that applies unless a control says otherwise.
type Policy struct {
	Table Table  `json:"table"`
	Bands []Band `json:"bands"`
	Risk  Risk   `json:"risk"`
}

// DefaultPolicy is the built-in table and bands at lower risk.
func DefaultPolicy() Policy { return Policy{Table: DefaultTable(), Bands: DefaultBands(), Risk: Lower} }

// Check reports what is wrong with a policy.
func (p Policy) Check() error {
	if !slices.Contains(Risks, p.Risk) {
		return fmt.Errorf("the risk level is lower or higher")
	}
	for _, f := range periodic {
		s, ok := p.Table[f]
		if !ok {
			return fmt.Errorf("the sample table has no size for %s controls", f)
		}
		if s.Lower < 1 || s.Higher < s.Lower {
			return fmt.Errorf("the %s sample sizes must be at least 1, the higher-risk size at least the lower", f)
		}
	}
	for f := range p.Table {
		if !slices.Contains(periodic, f) {
			return fmt.Errorf("the sample table names %q, which is not a periodic frequency", f)
		}
	}
	if len(p.Bands) == 0 || p.Bands[len(p.Bands)-1].UpTo != 0 {
		return fmt.Errorf("the population bands must end with one for any larger population")
	}
	for i, b := range p.Bands {
		switch {
		case i < len(p.Bands)-1 && b.UpTo < 1:
			return fmt.Errorf("population band %d needs its upper bound", i+1)
		case i > 0 && i < len(p.Bands)-1 && b.UpTo <= p.Bands[i-1].UpTo:
			return fmt.Errorf("population bands must rise: %d follows %d", b.UpTo, p.Bands[i-1].UpTo)
		case b.Size.Lower < 0 || b.Size.Higher < b.Size.Lower || b.Size.Lower == 0 && b.Size.Higher != 0:
			return fmt.Errorf("population band %d: sizes of at least 1 (or 0 for all), the higher-risk size at least the lower", i+1)
		}
	}
	return nil
}

// Requirement is how many items to test, and why.
type Requirement struct {
	Population int    `json:"population"`
	Size       int    `json:"size"`
	TestAll    bool   `json:"test_all"`
	Risk       Risk   `json:"risk"`
	Reason     string `json:"reason"`
}

// Unknown is the population count of a control whose population has not
// been counted yet.
const Unknown = -1

// Required says how many occurrences of a control to test at a risk level
// ("" is the policy's). A periodic control's population is its number of
// expected windows, so a short period prorates it, unless a counted
// population is given; a control tested from its population is sized by
// the bands; an automated control is a test of one.
func (p Policy) Required(c Control, risk Risk, windows, population int) (Requirement, error) {
	if risk == "" {
		risk = p.Risk
	}
	r := Requirement{Risk: risk, Population: population}
	switch c.Basis() {
	case Baseline:
		r.Population, r.Size = max(population, 1), 1
		r.Reason = "automated control: a test of one for the period, relying on effective change-management and access controls"
		return r, nil
	case ByPopulation:
		if population == Unknown {
			return r, fmt.Errorf("this %s control is sized by its population: upload the population first", c.Frequency)
		}
		if population == 0 {
			r.Reason = "no occurrences in the period: nothing to test"
			return r, nil
		}
		for _, b := range p.Bands {
			if b.UpTo == 0 || population <= b.UpTo {
				return sized(r, b.Size.For(risk), fmt.Sprintf("%s control, population of %d, %s risk", c.Frequency, population, risk)), nil
			}
		}
		return r, fmt.Errorf("the population bands do not size %d items", population)
	}
	size, ok := p.Table[c.Frequency]
	if !ok {
		return r, fmt.Errorf("the sample table has no size for %s controls", c.Frequency)
	}
	if population == Unknown {
		population = windows
	}
	r.Population = population
	return sized(r, size.For(risk), fmt.Sprintf("%s control, %s in the period, %s risk", c.Frequency, plural(population, "occurrence"), risk)), nil
}

// sized caps a size at the population (0: all of it).
func sized(r Requirement, size int, why string) Requirement {
	if size == 0 || size >= r.Population {
		r.Size, r.TestAll = r.Population, true
		r.Reason = why + ": test all"
		return r
	}
	r.Size, r.Reason = size, fmt.Sprintf("%s: sample %d", why, size)
	return r
}

// ParseTable applies overrides such as "daily=40,weekly=10" (lower-risk
// sizes) or "daily=25/40" (lower/higher) to the default table.
func ParseTable(overrides string) (Table, error) {
	t := DefaultTable()
	err := eachPart(overrides, func(key string, size Size) error {
		if !slices.Contains(periodic, key) {
			return fmt.Errorf("%q is not a periodic frequency (%s)", key, strings.Join(periodic, ", "))
		}
		if size.Lower < 1 {
			return fmt.Errorf("a sample size is at least 1")
		}
		t[key] = size
		return nil
	})
	return t, err
}

// ParseBands reads population bands such as "4=all,12=2/5,52=5/15,365=25/40,*=25/60".
func ParseBands(s string) ([]Band, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultBands(), nil
	}
	var bands []Band
	err := eachPart(s, func(key string, size Size) error {
		b := Band{Size: size}
		if key != "*" {
			n, err := strconv.Atoi(key)
			if err != nil || n < 1 {
				return fmt.Errorf("%q: a band starts with the largest population it covers, or * for any larger", key)
			}
			b.UpTo = n
		}
		bands = append(bands, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := (Policy{Table: DefaultTable(), Bands: bands, Risk: Lower}).Check(); err != nil {
		return nil, err
	}
	return bands, nil
}

// eachPart reads "key=lower[/higher]" parts separated by commas; "all"
// is a size of 0. A lone size applies at both risk levels unless it is
// below the default higher size, which then stays.
func eachPart(s string, f func(key string, size Size) error) error {
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		key, value, ok := strings.Cut(part, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		lower, higher, two := strings.Cut(value, "/")
		size, err := readSize(lower)
		if err == nil {
			size.Higher = size.Lower
			if two {
				var h Size
				h, err = readSize(higher)
				size.Higher = h.Lower
			} else if d, known := DefaultTable()[key]; known {
				size.Higher = max(size.Lower, d.Higher)
			}
		}
		if !ok || err != nil {
			return fmt.Errorf("sample size %q: expected name=size or name=lower/higher", part)
		}
		if size.Higher < size.Lower {
			return fmt.Errorf("sample size %q: the higher-risk size is below the lower-risk one", part)
		}
		if err := f(key, size); err != nil {
			return fmt.Errorf("sample size %q: %w", part, err)
		}
	}
	return nil
}

func readSize(s string) (Size, error) {
	if s = strings.TrimSpace(s); s == "all" {
		return Size{}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return Size{}, fmt.Errorf("not a size")
	}
	return Size{Lower: n}, nil
}
