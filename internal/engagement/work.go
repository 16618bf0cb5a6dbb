package engagement

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/store"
)

// SampledItem is a population item in a sample, with its results.
type SampledItem store.SampledItem

// TestWork is a control's current populations and their samples.
type TestWork struct {
	Population  *Population  // the newest current population
	Populations []Population // interim before remainder
	Evidence    map[int64][]int64
	Samples     []DrawnSample
	Items       map[int64][]SampledItem // by sample ID
	Stats       SampleStats
}

// Work returns the control's current populations, their completeness
// evidence, their samples (newest first) and the counts they give.
func (s *Service) Work(ctx context.Context, id, controlID int64) (TestWork, error) {
	w := TestWork{Populations: []Population{}, Samples: []DrawnSample{}, Items: map[int64][]SampledItem{}, Evidence: map[int64][]int64{}}
	e, err := s.engagement(ctx, id)
	if err != nil {
		return w, err
	}
	if w.Stats, err = s.SampleStatsOf(ctx, e, controlID); err != nil {
		return w, err
	}
	w.Populations = w.Stats.Populations
	if len(w.Populations) == 0 {
		w.Populations = []Population{}
		return w, nil
	}
	ids := make([]int64, len(w.Populations))
	for i, p := range w.Populations {
		ids[i] = p.ID
		if w.Population == nil || p.ID > w.Population.ID {
			w.Population = &w.Populations[i]
		}
	}
	links, err := s.st.PopulationEvidenceOf(ctx, ids)
	if err != nil {
		return w, err
	}
	for _, l := range links {
		w.Evidence[l.PopulationID] = append(w.Evidence[l.PopulationID], l.EvidenceID)
	}
	if w.Samples, err = s.st.SamplesFrom(ctx, ids); err != nil {
		return w, err
	}
	for _, smp := range w.Samples {
		rows, err := s.st.SampledItemsOf(ctx, smp)
		if err != nil {
			return w, err
		}
		items := make([]SampledItem, len(rows))
		for i, r := range rows {
			items[i] = SampledItem(r)
		}
		w.Items[smp.ID] = items
	}
	return w, nil
}

// WorkSeenBy is Work as the organisation or the auditors see it. In an
// engagement the service auditor tests, the organisation sees a sample
// only once the auditor has requested its evidence (a sample-evidence
// request names it): before that, which items were picked is the
// auditor's alone, and the counts leave the sample out too.
func (s *Service) WorkSeenBy(ctx context.Context, id, controlID int64, auditor bool) (TestWork, error) {
	w, err := s.Work(ctx, id, controlID)
	if err != nil || auditor || len(w.Samples) == 0 {
		return w, err
	}
	byAuditor, err := s.TestedByServiceAuditor(ctx, id)
	if err != nil || !byAuditor {
		return w, err
	}
	requested, err := s.st.RequestedSamples(ctx, id)
	if err != nil {
		return w, err
	}
	hidden := func(smp DrawnSample) bool { return !requested[smp.ID] }
	if !slices.ContainsFunc(w.Samples, hidden) {
		return w, nil
	}
	w.Samples = slices.DeleteFunc(w.Samples, hidden)
	return w, w.recount()
}

// SheetsSeenByOrganisation is the workbook's sheets as the organisation
// may see them: in an engagement the service auditor tests, the Samples
// sheet leaves out the samples the auditor has not requested yet, as
// WorkSeenBy does on the pages. It works on the live workbook and on the
// point-in-time record alike, since both carry the sample's number.
func (s *Service) SheetsSeenByOrganisation(ctx context.Context, id int64, tables []exports.Table) ([]exports.Table, error) {
	byAuditor, err := s.TestedByServiceAuditor(ctx, id)
	if err != nil || !byAuditor {
		return tables, err
	}
	requested, err := s.st.RequestedSamples(ctx, id)
	if err != nil {
		return nil, err
	}
	shown := map[string]bool{}
	for sampleID := range requested {
		shown[fmt.Sprint(sampleID)] = true
	}
	out := slices.Clone(tables)
	for i, t := range out {
		if t.Name != SamplesSheet {
			continue
		}
		inner := t
		out[i].Rows = nil
		out[i].Stream = func(emit func(row []any) error) error {
			return inner.Each(func(row []any) error {
				if len(row) > 1 && shown[fmt.Sprint(row[1])] {
					return emit(row)
				}
				return nil
			})
		}
	}
	return out, nil
}

// SampleSize is how many items the control's samples of the period
// selected: first draws and their extensions; a retest is stated with its
// exception.
func (w TestWork) SampleSize() int {
	size := 0
	for _, s := range w.Samples {
		if !s.Retest() {
			size += s.Size
		}
	}
	return size
}

// recount makes the counts those of the samples w holds.
func (w *TestWork) recount() error {
	st := SampleStats{Populations: w.Stats.Populations, Evidenced: w.Stats.Evidenced}
	for _, smp := range w.Samples {
		if smp.Retest() {
			continue // counted on its own
		}
		var attrs []string
		if err := json.Unmarshal([]byte(smp.Attributes), &attrs); err != nil {
			return fmt.Errorf("sample %d attributes: %w", smp.ID, err)
		}
		st.Required += smp.RequiredSize
		for _, it := range w.Items[smp.ID] {
			if err := st.count(attrs, it.ItemID, it.Results); err != nil {
				return fmt.Errorf("sample %d: %w", smp.ID, err)
			}
		}
	}
	for id := range w.Items {
		if !slices.ContainsFunc(w.Samples, func(smp DrawnSample) bool { return smp.ID == id }) {
			delete(w.Items, id)
		}
	}
	w.Stats = st
	return nil
}

// ResultMap is the item's outcome by attribute.
func (it SampledItem) ResultMap() (map[string]string, error) {
	results := map[string]string{}
	if err := json.Unmarshal([]byte(it.Results), &results); err != nil {
		return nil, fmt.Errorf("item %s results: %w", it.ItemID, err)
	}
	return results, nil
}
