package ingest

import (
	"context"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/engagement"
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

// WindowState says whether a control's occurrence window is covered by
// automated evidence.
type WindowState string

const (
	WindowCovered    WindowState = "covered"     // a run passed inside it
	WindowFailed     WindowState = "failed"      // runs inside it, none passed
	WindowNoRun      WindowState = "no_run"      // ended without a run
	WindowNotYetDue  WindowState = "not_yet_due" // not ended, no passing run yet
	failingPerRunMax             = 20
)

// WindowCoverage is one occurrence window of the control over the period.
type WindowCoverage struct {
	Label       string
	Start, End  string // YYYY-MM-DD, inclusive
	PassingRuns int
	FailingRuns int
	State       WindowState
}

// History is a control's automated evidence over a period.
type History struct {
	ControlID int64
	Frequency string
	From, To  string
	Checks    []MappedCheck
	Runs      []RunOutcome // oldest first
	Windows   []WindowCoverage
}

// ControlHistory tells, for a control over [from, to] (inclusive days in
// the organisation's time zone), which checks feed it, each run's counts
// and failing resources, and which of its occurrence windows a passing
// run covers.
func (s *Service) ControlHistory(ctx context.Context, controlID int64, from, to time.Time) (History, error) {
	if to.Before(from) {
		return History{}, apperr.Invalid("the period ends before it starts", map[string]string{"to": "must not be before from"})
	}
	if to.Sub(from) > 3*366*24*time.Hour {
		return History{}, apperr.Invalid("the period is too long", map[string]string{"to": "at most three years after from"})
	}
	controls, err := s.db.ControlOwners(ctx, []int64{controlID})
	if err != nil {
		return History{}, err
	}
	c, ok := controls[controlID]
	if !ok {
		return History{}, apperr.NotFound("control %d not found", controlID)
	}
	freq := c.Frequency
	h := History{ControlID: c.ID, Frequency: freq, From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
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
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.location)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, s.location).AddDate(0, 0, 1)
	rows, err := s.db.IngestRunCheckCounts(ctx, store.RunCheckFilter{CheckIDs: checks, From: start, To: end})
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
	h.Windows, err = s.windows(freq, from, to, h.Runs)
	return h, err
}

// windows lays the runs over the control's occurrence windows: a window is
// covered by a run that passed inside it, and by nothing else.
func (s *Service) windows(freq string, from, to time.Time, runs []RunOutcome) ([]WindowCoverage, error) {
	ws, err := engagement.Windows(freq, civilDay(from), civilDay(to))
	if err != nil {
		return nil, err
	}
	today := s.now().In(s.location).Format(time.DateOnly)
	out := make([]WindowCoverage, 0, len(ws))
	for _, w := range ws {
		wc := WindowCoverage{Label: w.Label, Start: w.Start.Format(time.DateOnly), End: w.End.Format(time.DateOnly)}
		for _, r := range runs {
			day := r.ScannedAt.In(s.location).Format(time.DateOnly)
			if day < wc.Start || day > wc.End {
				continue
			}
			switch r.Outcome {
			case Pass:
				wc.PassingRuns++
			case Fail:
				wc.FailingRuns++
			}
		}
		switch {
		case wc.PassingRuns > 0:
			wc.State = WindowCovered
		case wc.End >= today:
			wc.State = WindowNotYetDue
		case wc.FailingRuns > 0:
			wc.State = WindowFailed
		default:
			wc.State = WindowNoRun
		}
		out = append(out, wc)
	}
	return out, nil
}

// civilDay is the date of t as UTC midnight, the way windows count days.
func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
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
	Controls []int64
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
	var out []CheckState
	for _, c := range checks {
		t := targets[c.CheckID]
		if unmappedOnly && len(t.Controls) > 0 {
			continue
		}
		out = append(out, CheckState{IngestCheck: c, Criteria: m.criteria[c.CheckID], Controls: t.Controls, Via: t.Via,
			Latest: inLatest[c.CheckID]})
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
