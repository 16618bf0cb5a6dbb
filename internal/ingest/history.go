package ingest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// MappedCheck is a check that feeds a control, and how.
type MappedCheck struct {
	CheckID string
	Title   string
	Via     string // ViaRule or ViaCriteria
}

// RunOutcome is one run as it bears on one control.
type RunOutcome struct {
	RunID      int64
	SourceID   int64
	SourceName string
	ScannedAt  time.Time
	EvidenceID int64
	Outcome    Status // pass, fail or skip (only skipped checks)
	Passed     int
	Failed     int
	Errored    int
	Skipped    int
	// Failing are the first failing or erroring results of the control's
	// checks in the run; FailingTotal counts them all.
	Failing      []store.IngestResult
	FailingTotal int64
}

// WindowCoverage is one occurrence window of the control over the
// period, as automated evidence covers it: covered by a run that passed
// inside it, failed when it has ended and the runs inside it all failed,
// and otherwise as the period arithmetic says (not yet due, due, missing).
type WindowCoverage struct {
	Label       string
	Start, End  civil.Date
	PassingRuns int
	FailingRuns int
	State       string
}

// WindowFailed is a window whose runs all failed.
const WindowFailed = "failed"

// failingPerRunMax bounds the failing results listed per run.
const failingPerRunMax = 20

// History is a control's automated evidence over a period.
type History struct {
	ControlID int64
	Frequency string
	From, To  civil.Date
	Checks    []MappedCheck
	Runs      []RunOutcome // oldest first
	Windows   []WindowCoverage
}

// ControlHistory tells, for a control over [from, to] (inclusive days in
// the organisation's time zone), which checks feed it, each run's counts
// and failing resources, and which of its occurrence windows a passing
// run covers.
func (s *Service) ControlHistory(ctx context.Context, controlID int64, from, to civil.Date) (History, error) {
	if to.Before(from) {
		return History{}, apperr.Invalid("the period ends before it starts", map[string]string{"to": "must not be before from"})
	}
	if to.DaysSince(from) > 3*366 {
		return History{}, apperr.Invalid("the period is too long", map[string]string{"to": "at most three years after from"})
	}
	controls, err := s.db.IngestControls(ctx, []int64{controlID})
	if err != nil {
		return History{}, err
	}
	c, ok := controls[controlID]
	if !ok {
		return History{}, apperr.NotFound("control %d not found", controlID)
	}
	freq := c.Frequency
	h := History{ControlID: c.ID, Frequency: freq, From: from, To: to}
	m, err := s.loadMapping(ctx)
	if err != nil {
		return h, err
	}
	targets := m.resolve()
	checks := checksOfControls(targets, []int64{controlID})
	titles, err := s.checkTitles(ctx)
	if err != nil {
		return h, err
	}
	for _, id := range checks {
		h.Checks = append(h.Checks, MappedCheck{CheckID: id, Title: titles[id], Via: targets[id].Via})
	}
	rows, err := s.db.IngestRunCheckCounts(ctx, store.RunCheckFilter{CheckIDs: checks,
		From: from.In(s.location), To: to.AddDays(1).In(s.location)})
	if err != nil {
		return h, err
	}
	names, err := s.sourceNames(ctx)
	if err != nil {
		return h, err
	}
	order, byRun, runs := outcomesByRun(rows, targets, map[int64]bool{controlID: true})
	for _, id := range order {
		n := byRun[id][controlID]
		if n == nil {
			continue
		}
		r := runs[id]
		o := RunOutcome{RunID: id, SourceID: r.SourceID, SourceName: names[r.SourceID], ScannedAt: r.ScannedAt,
			EvidenceID: r.EvidenceID, Outcome: n.Outcome(), Passed: n.Passed, Failed: n.Failed, Errored: n.Errored, Skipped: n.Skipped}
		if o.Outcome == Fail {
			o.Failing, o.FailingTotal, err = s.db.IngestResults(ctx, store.IngestResultFilter{RunIDs: []int64{id}, CheckIDs: checks,
				Statuses: []string{string(Fail), string(Error)}, Limit: failingPerRunMax})
			if err != nil {
				return h, err
			}
		}
		h.Runs = append(h.Runs, o)
	}
	h.Windows, err = s.windows(ctx, c, period.Period{Start: from, End: to}, h.Runs)
	return h, err
}

// windows lays the runs over the control's occurrence windows in p, as
// its engagements count them (its schedule, calendar, implementation and
// retirement, the organisation's holidays, the grace days before a
// window's evidence is missing): a window is covered by a run that passed
// inside it, and by nothing else.
func (s *Service) windows(ctx context.Context, c store.Control, p period.Period, runs []RunOutcome) ([]WindowCoverage, error) {
	pc, err := controls.OperationOf(c)
	if err != nil {
		return nil, fmt.Errorf("control %s: %w", c.Ref, err)
	}
	holidays, err := s.db.HolidayDates(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := period.Windows(pc, p, period.NewCalendar(holidays))
	if err != nil {
		return nil, err
	}
	today := civil.Of(s.now().In(s.location))
	out := make([]WindowCoverage, 0, len(ws))
	for _, w := range ws {
		wc := WindowCoverage{Label: w.Label, Start: w.Start, End: w.End}
		for _, r := range runs {
			if !w.Period().Contains(civil.Of(r.ScannedAt.In(s.location))) {
				continue
			}
			switch r.Outcome {
			case Pass:
				wc.PassingRuns++
			case Fail:
				wc.FailingRuns++
			}
		}
		wc.State = string(period.StateOf(w, wc.PassingRuns > 0, false, today, s.GraceDays))
		if st := period.State(wc.State); (st == period.Missing || st == period.Due) && wc.FailingRuns > 0 {
			wc.State = WindowFailed // ended, and every run inside it failed
		}
		out = append(out, wc)
	}
	return out, nil
}

func (s *Service) checkTitles(ctx context.Context) (map[string]string, error) {
	checks, err := s.db.IngestChecks(ctx)
	out := make(map[string]string, len(checks))
	for _, c := range checks {
		out[c.CheckID] = c.Title
	}
	return out, err
}

func (s *Service) sourceNames(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.IngestSources(ctx)
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, err
}

// CheckState is a known check with where it maps and how it fared in the
// latest scan of each source that reported it.
type CheckState struct {
	store.IngestCheck
	Criteria []string
	Controls []ControlRef
	Via      string
	Latest   *Counts // nil when no source's latest scan has it
}

// Checks lists every check seen; with unmappedOnly, those no rule and no
// criterion mapping takes to a control, ready to be mapped.
func (s *Service) Checks(ctx context.Context, unmappedOnly bool) ([]CheckState, error) {
	m, err := s.loadMapping(ctx)
	if err != nil {
		return nil, err
	}
	targets := m.resolve()
	checks, err := s.db.IngestChecks(ctx)
	if err != nil {
		return nil, err
	}
	latest, err := s.db.LatestIngestRuns(ctx)
	if err != nil {
		return nil, err
	}
	runIDs := make([]int64, len(latest))
	for i, r := range latest {
		runIDs[i] = r.ID
	}
	rows, err := s.db.IngestRunChecks(ctx, runIDs)
	if err != nil {
		return nil, err
	}
	inLatest := map[string]*Counts{}
	for _, r := range rows {
		n := inLatest[r.CheckID]
		if n == nil {
			n = &Counts{}
			inLatest[r.CheckID] = n
		}
		n.plus(Counts{r.Passed, r.Failed, r.Errored, r.Skipped})
	}
	var ids []int64
	for _, t := range targets {
		ids = append(ids, t.Controls...)
	}
	slices.Sort(ids)
	refs, err := s.ControlRefs(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	byID := map[int64]ControlRef{}
	for _, r := range refs {
		byID[r.ID] = r
	}
	var out []CheckState
	for _, c := range checks {
		t := targets[c.CheckID]
		if unmappedOnly && len(t.Controls) > 0 {
			continue
		}
		st := CheckState{IngestCheck: c, Criteria: m.criteria[c.CheckID], Via: t.Via, Latest: inLatest[c.CheckID]}
		for _, id := range t.Controls {
			st.Controls = append(st.Controls, byID[id])
		}
		out = append(out, st)
	}
	// Checks still reported come first, most recently seen first.
	slices.SortStableFunc(out, func(a, b CheckState) int {
		if (a.Latest == nil) != (b.Latest == nil) {
			if a.Latest != nil {
				return -1
			}
			return 1
		}
		return b.LastSeenAt.Compare(a.LastSeenAt)
	})
	return out, nil
}

// ControlRef names a control.
type ControlRef struct {
	ID    int64
	Ref   string
	Title string
}

// ControlRefs names controls, in the order of ids.
func (s *Service) ControlRefs(ctx context.Context, ids []int64) ([]ControlRef, error) {
	found, err := s.db.IngestControls(ctx, ids)
	out := make([]ControlRef, 0, len(ids))
	for _, id := range ids {
		if c, ok := found[id]; ok {
			out = append(out, ControlRef{ID: c.ID, Ref: c.Ref, Title: c.Title})
		}
	}
	return out, err
}
