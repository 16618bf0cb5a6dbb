package engagement

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// Population is an uploaded list of a control's occurrences in the
// period, or in the part of it it says it covers.
type Population = store.Population

// DrawnSample is a reproducible selection from a population.
type DrawnSample = store.Sample

// Sample purposes.
const (
	OriginalSample = store.OriginalSample
	RetestSample   = store.RetestSample
)

// CurrentPopulations are the populations a control is tested on: the
// newest upload if it covers the whole period, else the newest interim
// and the newest remainder uploaded since.
func (s *Service) CurrentPopulations(ctx context.Context, e Engagement, controlID int64) ([]Population, error) {
	all, err := s.st.PopulationsOf(ctx, e.ID, controlID)
	if err != nil {
		return nil, err
	}
	return current(all), nil
}

// current picks the current populations from uploads, newest first.
func current(newestFirst []Population) []Population {
	var out []Population
	seen := map[string]bool{}
	for _, p := range newestFirst {
		phase := p.Phase
		if phase == "" {
			phase = period.WholePeriod
		}
		if phase == period.WholePeriod {
			if len(out) == 0 {
				out = append(out, p)
			}
			break
		}
		if !seen[phase] {
			seen[phase] = true
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Population) int { return strings.Compare(a.Phase, b.Phase) }) // interim before remainder
	return out
}

// RandomSeed is a seed for a draw no one gave one for.
func RandomSeed() uint64 {
	var b [8]byte
	readRandom(b[:])
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v >> 11 // fits a JavaScript number, so the UI shows it exactly
}

// today is the service's current day, for tested-on dates.
func (s *Service) today() string { return civil.Of(s.now()).String() }

func readRandom(b []byte) { _, _ = rand.Read(b) }

// ScopedControlOf is one in-scope control with its windows.
func (s *Service) ScopedControlOf(ctx context.Context, id, controlID int64) (ScopedControl, error) {
	scoped, err := s.Controls(ctx, id)
	if err != nil {
		return ScopedControl{}, err
	}
	for _, c := range scoped {
		if c.ID == controlID && c.Included {
			return c, nil
		}
	}
	return ScopedControl{}, apperr.Invalid("the control is not in this engagement's scope",
		map[string]string{"control_id": fmt.Sprintf("control %d is not in scope", controlID)})
}

// SaveDraw stores a sample and its items (0-based population indices).
func (s *Service) SaveDraw(ctx context.Context, smp *DrawnSample, picked []int) error {
	seqs := make([]int, len(picked))
	for i, p := range picked {
		seqs[i] = p + 1
	}
	return s.st.CreateSample(ctx, smp, seqs)
}

// CleanAttributes is what a draw tests on each item, trimmed, without
// repeats; none, too many or too long ones are refused.
func CleanAttributes(in []string) ([]string, error) {
	out := []string{}
	for _, a := range in {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(out, a) {
			if len([]rune(a)) > 200 {
				return nil, apperr.Invalid("an attribute is too long", map[string]string{"attributes": "at most 200 characters each"})
			}
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, apperr.Invalid("name what is tested on each item", map[string]string{"attributes": "at least one, e.g. \"approved before access was granted\""})
	}
	if len(out) > 20 {
		return nil, apperr.Invalid("too many attributes", map[string]string{"attributes": "at most 20"})
	}
	return out, nil
}

// SampleStats is what a control's samples say about its testing: the
// items required, selected and tested (m), those with a failed attribute
// (n), the sampled items not tested yet, and its current populations.
type SampleStats struct {
	Required    int
	Selected    int
	Tested      int
	Failed      int
	Untested    []string // item IDs
	Populations []Population
	Evidenced   bool // every current population has completeness evidence
}

// Items is the population size of the current populations.
func (st SampleStats) Items() int {
	n := 0
	for _, p := range st.Populations {
		n += p.ItemCount
	}
	return n
}

// SampleStatsOf counts a control's sampled items across the samples (first
// draws and extensions, every phase) of its current populations. An item
// is tested once every attribute has an outcome.
func (s *Service) SampleStatsOf(ctx context.Context, e Engagement, controlID int64) (SampleStats, error) {
	st := SampleStats{Evidenced: true}
	var err error
	if st.Populations, err = s.CurrentPopulations(ctx, e, controlID); err != nil {
		return st, err
	}
	for _, p := range st.Populations {
		evidenced, err := s.st.PopulationHasEvidence(ctx, p.ID)
		if err != nil {
			return st, err
		}
		st.Evidenced = st.Evidenced && evidenced
		// A retest is counted on its own (retestsOf), not into the original's n of m.
		samples, err := s.st.OriginalSamplesFrom(ctx, p.ID)
		if err != nil {
			return st, err
		}
		for _, smp := range samples {
			if err := s.countSample(ctx, smp, &st); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

func (s *Service) countSample(ctx context.Context, smp DrawnSample, st *SampleStats) error {
	attrs, err := smp.AttributeList()
	if err != nil {
		return err
	}
	items, err := s.st.ItemResultsOf(ctx, smp)
	if err != nil {
		return err
	}
	st.Required += smp.RequiredSize
	for _, it := range items {
		if err := st.count(attrs, it.ItemID, it.Results); err != nil {
			return fmt.Errorf("sample %d: %w", smp.ID, err)
		}
	}
	return nil
}

// count adds one selected item with its results (JSON) to the counts.
func (st *SampleStats) count(attrs []string, itemID, encoded string) error {
	st.Selected++
	results := map[string]string{}
	if err := json.Unmarshal([]byte(encoded), &results); err != nil {
		return fmt.Errorf("item %s results: %w", itemID, err)
	}
	if !complete(attrs, results) {
		st.Untested = append(st.Untested, itemID)
		return nil
	}
	st.Tested++
	if slices.Contains(slicesValues(results), "fail") {
		st.Failed++
	}
	return nil
}

func complete(attrs []string, results map[string]string) bool {
	for _, a := range attrs {
		if results[a] == "" {
			return false
		}
	}
	return true
}

func slicesValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// failedItems counts, per control of an engagement, the tested sampled
// items of its current populations with a failed attribute. It reads the
// engagement's populations, samples and items once each, so readiness
// costs the same three queries however many controls are sampled.
func (s *Service) failedItems(ctx context.Context, e Engagement) (map[int64]int, error) {
	pops, err := s.st.EngagementPopulations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	byControl := map[int64][]Population{}
	for _, p := range pops {
		byControl[p.ControlID] = append(byControl[p.ControlID], p)
	}
	currentPop := map[int64]bool{}
	for _, list := range byControl {
		for _, p := range current(list) {
			currentPop[p.ID] = true
		}
	}
	samples, err := s.st.SamplesIn(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	attrs := map[int64][]string{}
	controlOfSample := map[int64]int64{}
	for _, smp := range samples {
		if !currentPop[smp.PopulationID] || smp.Retest() {
			continue
		}
		var a []string
		if err := json.Unmarshal([]byte(smp.Attributes), &a); err != nil {
			return nil, fmt.Errorf("sample %d attributes: %w", smp.ID, err)
		}
		attrs[smp.ID], controlOfSample[smp.ID] = a, smp.ControlID
	}
	items, err := s.st.ExceptionItemsIn(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, it := range items {
		a, ok := attrs[it.SampleID]
		if !ok {
			continue // a superseded population's sample
		}
		results := map[string]string{}
		if err := json.Unmarshal([]byte(it.Results), &results); err != nil {
			return nil, fmt.Errorf("sample %d results: %w", it.SampleID, err)
		}
		if complete(a, results) {
			out[controlOfSample[it.SampleID]]++
		}
	}
	return out, nil
}
