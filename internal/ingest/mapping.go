package ingest

import (
	"context"
	"slices"

	"github.com/socmap/socmap/internal/store"
)

// mapping is everything that decides where checks go: the rules, the
// criteria each check is tagged with, and the controls of each criterion.
type mapping struct {
	rules        []Rule
	criteria     map[string][]string // check id → criterion references
	byCriterion  map[string][]int64  // criterion reference → controls
	requirements map[string]int64    // criterion reference → requirement id
}

func (s *Service) loadMapping(ctx context.Context) (*mapping, error) {
	m := &mapping{criteria: map[string][]string{}}
	rules, err := s.db.IngestRules(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		m.rules = append(m.rules, Rule{ID: r.ID, Pattern: r.Pattern, ControlID: r.ControlID})
	}
	rows, err := s.db.IngestCheckCriteria(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Ref == "" {
			m.criteria[r.CheckID] = m.criteria[r.CheckID][:0:0]
		} else {
			m.criteria[r.CheckID] = append(m.criteria[r.CheckID], r.Ref)
		}
	}
	if m.byCriterion, err = s.db.ControlsByCriterion(ctx); err != nil {
		return nil, err
	}
	m.requirements, err = s.db.SOC2RequirementIDs(ctx)
	return m, err
}

// resolve maps every known check to its controls.
func (m *mapping) resolve() map[string]Target {
	checks := make([]Check, 0, len(m.criteria))
	for id, crit := range m.criteria {
		checks = append(checks, Check{ID: id, Criteria: crit})
	}
	return Resolve(checks, m.rules, m.byCriterion)
}

// outcomesByRun sums run check counts into one outcome per run and
// control, in the order of the rows (oldest run first).
func outcomesByRun(rows []store.RunCheckCount, targets map[string]Target, only map[int64]bool) (order []int64, byRun map[int64]map[int64]*Counts, runs map[int64]store.RunCheckCount) {
	byRun = map[int64]map[int64]*Counts{}
	runs = map[int64]store.RunCheckCount{}
	for _, r := range rows {
		if _, seen := runs[r.RunID]; !seen {
			runs[r.RunID] = r
			order = append(order, r.RunID)
			byRun[r.RunID] = map[int64]*Counts{}
		}
		for _, c := range targets[r.CheckID].Controls {
			if only != nil && !only[c] {
				continue
			}
			n := byRun[r.RunID][c]
			if n == nil {
				n = &Counts{}
				byRun[r.RunID][c] = n
			}
			n.plus(Counts{r.Passed, r.Failed, r.Errored, r.Skipped})
		}
	}
	return order, byRun, runs
}

// checksOfControls lists the checks that map to any of the controls.
func checksOfControls(targets map[string]Target, controls []int64) []string {
	var out []string
	for id, t := range targets {
		for _, c := range t.Controls {
			if slices.Contains(controls, c) {
				out = append(out, id)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}
