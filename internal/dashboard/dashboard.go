// Package dashboard answers the compliance lead's morning question, "are
// we ready, and what is in the way?", for one engagement or the whole
// organisation: readiness and its parts, a heatmap of the requirements,
// Type II progress over the period, tasks by owner, expiring evidence, open
// exceptions and the controls nobody can rely on yet.
package dashboard

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/coverage"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

// Service builds dashboards.
type Service struct {
	db          *store.DB
	engagements *engagement.Service
	tasks       *tasks.Service
	coverage    *coverage.Cache
	// Automated, when set, adds scanner evidence: stale sources and
	// controls failing their latest scans.
	Automated AutomatedSource
}

// NewService builds the dashboard service.
func NewService(db *store.DB, engagements *engagement.Service, t *tasks.Service) *Service {
	return &Service{db: db, engagements: engagements, tasks: t, coverage: coverage.NewCache(db)}
}

// Cell is one requirement in the heatmap.
type Cell struct {
	Requirement string `json:"requirement"` // framework/ref, for links
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	State       string `json:"state"`
}

// Series is one row of the heatmap: CC1…CC9, A, C, PI, P, or a SOC 1 group.
type Series struct {
	Name  string `json:"name"`
	Cells []Cell `json:"cells"`
}

// Month is one month of a Type II period: windows that end in it, and how
// many of them have evidence.
type Month struct {
	Month   string `json:"month"` // 2026-03
	Windows int    `json:"windows"`
	Covered int    `json:"covered"`
}

// Timeline is a Type II period with today marked.
type Timeline struct {
	Start  string  `json:"start"`
	End    string  `json:"end"`
	Today  string  `json:"today"`
	Months []Month `json:"months"`
}

// Part is one number behind the readiness figure.
type Part struct {
	Key   string `json:"key"` // design, windows, tests, samples: what the UI links to
	Name  string `json:"name"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Readiness is the figure and its breakdown.
type Readiness struct {
	Percent    int    `json:"percent"`
	Parts      []Part `json:"parts"`
	Exceptions int    `json:"exceptions"`
}

// OwnerTasks is an owner's overdue and due tasks.
type OwnerTasks struct {
	OwnerID    *int64 `json:"owner_id"`
	OwnerEmail string `json:"owner_email"`
	Overdue    int    `json:"overdue"`
	Due        int    `json:"due"`
}

// Exception is an open exception: one without a management response yet.
type Exception = store.OpenException

// ControlRef names a control.
type ControlRef = store.ControlRef

// Evidence is evidence that has expired or expires soon.
type Evidence struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	ExpiresOn string `json:"expires_on"`
	Expired   bool   `json:"expired"`
}

// Gaps are controls nobody can rely on yet.
type Gaps struct {
	WithoutOwner    []ControlRef `json:"without_owner"`
	WithoutMapping  []ControlRef `json:"without_mapping"`
	WithoutEvidence []ControlRef `json:"without_evidence"`
}

// Engagement names the engagement a dashboard is about.
type Engagement struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Report      string  `json:"report"`
	Type        string  `json:"type"`
	AsOf        *string `json:"as_of"`
	PeriodStart *string `json:"period_start"`
	PeriodEnd   *string `json:"period_end"`
	Status      string  `json:"status"`
}

// Dashboard is the whole page.
type Dashboard struct {
	Engagement *Engagement  `json:"engagement"` // nil: organisation-wide
	Readiness  Readiness    `json:"readiness"`
	Heatmap    []Series     `json:"heatmap"`
	Timeline   *Timeline    `json:"timeline"` // Type II only
	Tasks      []OwnerTasks `json:"tasks"`
	Expiring   []Evidence   `json:"expiring"`
	Exceptions []Exception  `json:"exceptions"`
	Gaps       Gaps         `json:"gaps"`
	Automated  *Automated   `json:"automated"` // nil: no scanner reports
	Today      string       `json:"today"`
}

// expiringDays is how far ahead the dashboard looks for expiring evidence.
const expiringDays = 30

// ForEngagement is one engagement's dashboard.
func (s *Service) ForEngagement(ctx context.Context, id int64) (Dashboard, error) {
	p, err := s.engagements.Progress(ctx, id)
	if err != nil {
		return Dashboard{}, err
	}
	e := p.Engagement
	d := Dashboard{Today: s.tasks.Today(), Engagement: &Engagement{ID: e.ID, Name: e.Name, Report: e.Report,
		Type: e.ReportType, AsOf: e.AsOf, PeriodStart: e.PeriodStart, PeriodEnd: e.PeriodEnd, Status: e.Status}}
	d.Readiness = readinessOf(p)
	d.Heatmap = heatmapOf(p.Requirements)
	if p.ReportType == "type2" {
		if d.Timeline, err = timelineOf(p, d.Today); err != nil {
			return d, err
		}
	}
	if d.Tasks, err = s.ownerTasks(ctx, id); err != nil {
		return d, err
	}
	if d.Exceptions, err = s.db.OpenExceptions(ctx, []int64{id}); err != nil {
		return d, err
	}
	inScope := map[int64]bool{}
	for _, c := range p.Scoped {
		inScope[c.ID] = c.Included
	}
	if err := s.automated(ctx, &d, func(id int64) bool { return inScope[id] }); err != nil {
		return d, err
	}
	return d, s.fillProgram(ctx, &d)
}

// ForOrganisation is the organisation-wide dashboard: coverage of what the
// active engagements have in scope as the heatmap, covered requirements as
// readiness, and every active engagement's open exceptions.
func (s *Service) ForOrganisation(ctx context.Context) (Dashboard, error) {
	d := Dashboard{Today: s.tasks.Today()}
	active, err := s.active(ctx)
	if err != nil {
		return d, err
	}
	today, err := engagement.Day(d.Today)
	if err != nil {
		return d, err
	}
	cov, err := s.coverage.Compute(ctx, scopeOf(active), today)
	if err != nil {
		return d, err
	}
	d.Heatmap, d.Readiness = coverageHeatmap(cov)
	if d.Tasks, err = s.ownerTasks(ctx, 0); err != nil {
		return d, err
	}
	ids := make([]int64, len(active))
	for i, e := range active {
		ids[i] = e.ID
	}
	if d.Exceptions, err = s.db.OpenExceptions(ctx, ids); err != nil {
		return d, err
	}
	if err := s.automated(ctx, &d, nil); err != nil {
		return d, err
	}
	if err := s.fillProgram(ctx, &d); err != nil {
		return d, err
	}
	live, expired, err := coverage.CountExpired(ctx, s.db, today)
	d.Readiness = organisationReadiness(d.Readiness.Parts[0], d.Tasks, live, expired)
	return d, err
}

// organisationReadiness adds to coverage the tasks done on time and the
// evidence still in date, and averages the three: an overdue task or an
// expired item keeps the figure below 100 %, in proportion to how many.
func organisationReadiness(cov Part, owners []OwnerTasks, live, expired int64) Readiness {
	tasks := Part{Key: "tasks", Name: "tasks due that are not overdue"}
	for _, o := range owners {
		tasks.Total += o.Overdue + o.Due
		tasks.Done += o.Due
	}
	ev := Part{Key: "evidence", Name: "evidence items in date", Done: int(live - expired), Total: int(live)}
	r := Readiness{Parts: []Part{cov, tasks, ev}}
	sum, n := 0.0, 0
	for _, p := range r.Parts {
		if p.Total > 0 {
			sum += float64(p.Done) / float64(p.Total)
			n++
		}
	}
	if n > 0 {
		r.Percent = int(math.Floor(sum * 100 / float64(n)))
	}
	return r
}

// scopeOf is the union of the engagements' scopes: Security always, their
// other SOC 2 categories, and the SOC 1 objectives if any is a SOC 1.
func scopeOf(active []engagement.Engagement) coverage.Scope {
	var scope coverage.Scope
	for _, e := range active {
		if e.Report == "soc1" {
			scope.SOC1 = true
			continue
		}
		d := engagement.Detail{Engagement: e}
		for _, c := range d.CategoryList() {
			if c != "security" && !slices.Contains(scope.Categories, c) { // Security is always in
				scope.Categories = append(scope.Categories, c)
			}
		}
	}
	return scope
}

func readinessOf(p engagement.Progress) Readiness {
	parts := p.Readiness.Parts
	if p.ReportType == "type2" {
		parts = append(slices.Clone(parts), p.SampleItems)
	}
	r := Readiness{Percent: p.Readiness.Percent, Exceptions: p.Readiness.Exceptions}
	for _, part := range parts {
		r.Parts = append(r.Parts, Part{Key: part.Key, Name: part.Name, Done: part.Done, Total: part.Total})
	}
	return r
}

// heatmapOf groups the roll-up by series in catalog order.
func heatmapOf(reqs []engagement.RequirementRollUp) []Series {
	var out []Series
	for _, r := range reqs {
		out = addCell(out, r.Series, Cell{Requirement: r.FrameworkID + "/" + r.Ref, Ref: r.Ref, Title: r.Title, State: r.State})
	}
	return out
}

// addCell puts a requirement in its series' row, starting a new row when
// the series changes (requirements come in catalog order). Objectives
// written from scratch have no series and share one row.
func addCell(rows []Series, series string, c Cell) []Series {
	if series == "" {
		series = "SOC 1 objectives"
	}
	if len(rows) == 0 || rows[len(rows)-1].Name != series {
		rows = append(rows, Series{Name: series})
	}
	last := &rows[len(rows)-1]
	last.Cells = append(last.Cells, c)
	return rows
}

func coverageHeatmap(cov coverage.Report) ([]Series, Readiness) {
	var out []Series
	covered, total := 0, 0
	for _, r := range cov.Requirements {
		out = addCell(out, r.Series, Cell{Requirement: r.FrameworkID + "/" + r.Ref, Ref: r.Ref, Title: r.Title, State: r.State})
		if r.State != coverage.NotApplicable {
			total++
			if r.State == coverage.Covered || r.State == coverage.Expiring {
				covered++
			}
		}
	}
	pct := 0
	if total > 0 {
		pct = covered * 100 / total
	}
	return out, Readiness{Percent: pct, Parts: []Part{{Key: "coverage", Name: "requirements covered by current evidence", Done: covered, Total: total}}}
}

// timelineOf counts each month's occurrence windows (by the month they
// end in) and those with evidence.
func timelineOf(p engagement.Progress, today string) (*Timeline, error) {
	t := &Timeline{Start: *p.PeriodStart, End: *p.PeriodEnd, Today: today}
	start, err := engagement.Day(*p.PeriodStart)
	if err != nil {
		return nil, err
	}
	end, err := engagement.Day(*p.PeriodEnd)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(end); m = m.AddDate(0, 1, 0) {
		index[m.Format("2006-01")] = len(t.Months)
		t.Months = append(t.Months, Month{Month: m.Format("2006-01")})
	}
	for _, c := range p.Scoped {
		if !c.Included {
			continue
		}
		for _, w := range c.Windows {
			i, ok := index[w.End.Time().Format("2006-01")]
			if !ok || w.State == period.NotExpected {
				continue
			}
			t.Months[i].Windows++
			if w.State == period.Covered {
				t.Months[i].Covered++
			}
		}
	}
	return t, nil
}

// active lists the engagements under way (planning, fieldwork,
// reporting), oldest first.
func (s *Service) active(ctx context.Context) ([]engagement.Engagement, error) {
	all, err := s.engagements.List(ctx, 0) // newest first
	if err != nil {
		return nil, err
	}
	var out []engagement.Engagement
	for i := len(all) - 1; i >= 0; i-- {
		if slices.Contains([]string{"planning", "fieldwork", "reporting"}, all[i].Status) {
			out = append(out, all[i])
		}
	}
	return out, nil
}
