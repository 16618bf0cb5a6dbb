package ingest

import (
	"context"
	"errors"
	"slices"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Runs lists runs, the latest scan first.
func (s *Service) Runs(ctx context.Context, f store.IngestRunFilter) ([]store.IngestRunRow, int64, error) {
	return s.db.IngestRuns(ctx, f)
}

// RunCheck is one check of a run: its counts and where it maps now.
type RunCheck struct {
	CheckID  string
	Title    string
	Counts   Counts
	Controls []ControlRef
	Via      string
}

// RunDetail is a run with its source and its checks.
type RunDetail struct {
	Run    store.IngestRun
	Source store.IngestSource
	Checks []RunCheck
}

// Run returns one run with its checks, mapped as the rules are now.
func (s *Service) Run(ctx context.Context, id int64) (RunDetail, error) {
	run, err := s.db.IngestRunByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return RunDetail{}, apperr.NotFound("run %d not found", id)
	}
	if err != nil {
		return RunDetail{}, err
	}
	d := RunDetail{Run: run}
	if d.Source, err = s.db.IngestSourceByID(ctx, run.SourceID); err != nil {
		return d, err
	}
	m, err := s.loadMapping(ctx)
	if err != nil {
		return d, err
	}
	targets := m.resolve()
	rows, err := s.db.IngestRunChecks(ctx, []int64{id})
	if err != nil {
		return d, err
	}
	var ids []int64
	for _, r := range rows {
		ids = append(ids, targets[r.CheckID].Controls...)
	}
	slices.Sort(ids)
	refs, err := s.ControlRefs(ctx, slices.Compact(ids))
	if err != nil {
		return d, err
	}
	for _, r := range rows {
		t := targets[r.CheckID]
		rc := RunCheck{CheckID: r.CheckID, Title: r.Title, Via: t.Via, Counts: Counts{r.Passed, r.Failed, r.Errored, r.Skipped}}
		for _, ref := range refs {
			if slices.Contains(t.Controls, ref.ID) {
				rc.Controls = append(rc.Controls, ref)
			}
		}
		d.Checks = append(d.Checks, rc)
	}
	return d, nil
}

// Results returns a page of a run's result rows.
func (s *Service) Results(ctx context.Context, f store.IngestResultFilter) ([]store.IngestResult, int64, error) {
	return s.db.IngestResults(ctx, f)
}

// Rules lists the rules.
func (s *Service) Rules(ctx context.Context) ([]store.IngestRuleRow, error) {
	return s.db.IngestRules(ctx)
}
