// Package coverage answers "what is not covered yet?" for a chosen scope:
// per requirement the controls mapped to it and the state of their
// evidence, the requirements with no control, the controls with no
// evidence and the evidence that has expired or soon will.
package coverage

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Scope is what the report covers. Security (the common criteria) is always
// in a SOC 2 scope; Categories adds the others. SOC1 adds the
// organisation's own SOC 1 objectives.
type Scope struct {
	Categories   []string
	SOC1         bool
	ExpiringDays int
	// Engagement, when set, is the engagement whose not-applicable
	// decisions the report uses instead of the organisation's.
	Engagement int64
}

// Requirement states, from best to worst.
const (
	Covered       = "covered"           // a control with current evidence
	Expiring      = "expiring"          // evidence exists but all of it expires within the window
	Expired       = "expired"           // the only evidence has expired
	NoDated       = "no_dated_evidence" // evidence, but none says which days it speaks for
	NoEvidence    = "no_evidence"       // controls, but none has evidence
	NoControl     = "no_control"        // no active control mapped
	NotApplicable = "not_applicable"    // excluded, with a reason
)

// Control is a mapped control and the state of its evidence.
type Control struct {
	ID       int64
	Ref      string
	Title    string
	Evidence int    // live evidence items
	State    string // covered, expiring, expired, no_dated_evidence, no_evidence
}

// Requirement is one in-scope requirement and its coverage.
type Requirement struct {
	FrameworkID   string
	Ref           string
	Title         string
	Category      string
	Series        string
	State         string
	Reason        string // why it is not applicable
	Controls      []Control
	requirementID int64
}

// CoveredControls is how many of the requirement's controls are covered.
func (r Requirement) CoveredControls() int {
	n := 0
	for _, c := range r.Controls {
		if c.State == Covered {
			n++
		}
	}
	return n
}

// CategorySummary counts requirements per state in one category.
type CategorySummary struct {
	FrameworkID string
	Code        string
	Name        string
	Total       int
	States      map[string]int
}

// ControlRef names a control.
type ControlRef struct {
	ID    int64
	Ref   string
	Title string
}

// EvidenceRef is evidence that has expired or expires soon.
type EvidenceRef struct {
	ID        int64
	Title     string
	ExpiresOn string
	Expired   bool
}

// Report is the coverage of a scope.
type Report struct {
	Requirements            []Requirement
	Summary                 []CategorySummary
	ControlsWithoutEvidence []ControlRef
	ExpiringEvidence        []EvidenceRef
}

// SOC2 and OrgSOC1 are the frameworks a scope draws on.
const (
	SOC2    = store.SOC2Framework
	OrgSOC1 = store.OrgSOC1Framework
)

// Store is what the coverage report reads of the programme.
type Store interface {
	ScopeRequirements(ctx context.Context, categories []string, soc1 bool) ([]store.Requirement, error)
	ActiveControlsMappedTo(ctx context.Context, requirementIDs []int64) ([]store.RequirementControl, error)
	EvidenceCountsByControl(ctx context.Context, today, warn string) ([]store.ControlEvidenceCounts, error)
	CategoriesOf(ctx context.Context, frameworks ...string) ([]store.Category, error)
	ActiveControlsWithoutEvidence(ctx context.Context) ([]store.ControlRef, error)
	EvidenceExpiringBy(ctx context.Context, day string) ([]store.ExpiringRow, error)
	CountLiveAndExpired(ctx context.Context, today string) (live, expired int64, err error)
	OrganisationNotApplicable(ctx context.Context, requirementIDs []int64) ([]store.Applicability, error)
	EngagementNotApplicable(ctx context.Context, engagementID int64, requirementIDs []int64) ([]store.Applicability, error)
}

// Compute builds the report as of today.
func Compute(ctx context.Context, db Store, scope Scope, today time.Time) (Report, error) {
	rep := Report{}
	reqs, err := inScope(ctx, db, scope)
	if err != nil {
		return rep, err
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.requirementID
	}

	na, err := notApplicable(ctx, db, scope, ids)
	if err != nil {
		return rep, err
	}
	mapped, err := db.ActiveControlsMappedTo(ctx, ids)
	if err != nil {
		return rep, err
	}
	states, counts, err := controlStates(ctx, db, today, scope.ExpiringDays)
	if err != nil {
		return rep, err
	}

	for i := range reqs {
		r := &reqs[i]
		r.Controls = []Control{}
		for _, m := range mapped {
			if m.RequirementID == r.requirementID {
				st := states[m.ControlID]
				if st == "" {
					st = NoEvidence
				}
				r.Controls = append(r.Controls, Control{ID: m.ControlID, Ref: m.Ref, Title: m.Title,
					Evidence: counts[m.ControlID], State: st})
			}
		}
		for _, a := range na {
			if a.RequirementID == r.requirementID {
				r.State, r.Reason = NotApplicable, a.Reason
			}
		}
		if r.State == "" {
			r.State = rollUp(r.Controls)
		}
	}
	rep.Requirements = reqs
	if rep.Summary, err = summarise(ctx, db, reqs); err != nil {
		return rep, err
	}
	if rep.ControlsWithoutEvidence, err = WithoutEvidence(ctx, db); err != nil {
		return rep, err
	}
	rep.ExpiringEvidence, err = ExpiringEvidence(ctx, db, today, scope.ExpiringDays)
	return rep, err
}

// rollUp gives a requirement the best state among its controls.
func rollUp(controls []Control) string {
	if len(controls) == 0 {
		return NoControl
	}
	order := []string{Covered, Expiring, Expired, NoDated, NoEvidence}
	best := len(order) - 1
	for _, c := range controls {
		best = min(best, slices.Index(order, c.State))
	}
	return order[best]
}

func inScope(ctx context.Context, db Store, scope Scope) ([]Requirement, error) {
	rows, err := db.ScopeRequirements(ctx, scope.Categories, scope.SOC1)
	out := make([]Requirement, len(rows))
	for i, r := range rows {
		out[i] = Requirement{FrameworkID: r.FrameworkID, Ref: r.Ref, Title: r.Title, Category: r.Category,
			Series: r.Series, requirementID: r.ID}
	}
	return out, err
}

// controlStates returns the evidence state and live evidence count of
// every control that has evidence: covered if any dated evidence is
// current, else expiring if any expires within the window, else expired,
// and no dated evidence when none says which days it speaks for. Dated
// is as the engagement's occurrence windows read it, so the gap view
// never calls covered what the engagement calls missing.
func controlStates(ctx context.Context, db Store, today time.Time, days int) (map[int64]string, map[int64]int, error) {
	rows, err := db.EvidenceCountsByControl(ctx, today.Format(time.DateOnly), today.AddDate(0, 0, days).Format(time.DateOnly))
	if err != nil {
		return nil, nil, err
	}
	states, counts := map[int64]string{}, map[int64]int{}
	for _, r := range rows {
		counts[r.ControlID] = r.N
		switch {
		case r.Current > 0:
			states[r.ControlID] = Covered
		case r.Expiring > 0:
			states[r.ControlID] = Expiring
		case r.Dated > 0:
			states[r.ControlID] = Expired
		default:
			states[r.ControlID] = NoDated
		}
	}
	return states, counts, nil
}

func summarise(ctx context.Context, db Store, reqs []Requirement) ([]CategorySummary, error) {
	cats, err := db.CategoriesOf(ctx, SOC2, OrgSOC1)
	if err != nil {
		return nil, err
	}
	out := []CategorySummary{}
	for _, c := range cats {
		s := CategorySummary{FrameworkID: c.FrameworkID, Code: c.Code, Name: c.Name, States: map[string]int{}}
		for _, r := range reqs {
			if r.FrameworkID == c.FrameworkID && r.Category == c.Code {
				s.Total++
				s.States[r.State]++
			}
		}
		if s.Total > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// WithoutEvidence lists the controls in use with no live evidence.
func WithoutEvidence(ctx context.Context, db Store) ([]ControlRef, error) {
	rows, err := db.ActiveControlsWithoutEvidence(ctx)
	out := make([]ControlRef, len(rows))
	for i, r := range rows {
		out[i] = ControlRef{ID: r.ID, Ref: r.Ref, Title: r.Title}
	}
	return out, err
}

// ExpiringEvidence lists live evidence that has expired or expires within days.
func ExpiringEvidence(ctx context.Context, db Store, today time.Time, days int) ([]EvidenceRef, error) {
	rows, err := db.EvidenceExpiringBy(ctx, today.AddDate(0, 0, days).Format(time.DateOnly))
	out := make([]EvidenceRef, len(rows))
	day := today.Format(time.DateOnly)
	for i, r := range rows {
		out[i] = EvidenceRef{ID: r.ID, Title: r.Title, ExpiresOn: r.ExpiresOn, Expired: r.ExpiresOn < day}
	}
	return out, err
}

// CountExpired counts the live evidence and, of it, the items whose expiry
// date has passed.
func CountExpired(ctx context.Context, db Store, today time.Time) (live, expired int64, err error) {
	return db.CountLiveAndExpired(ctx, today.Format(time.DateOnly))
}

// notApplicable is the not-applicable decisions the report uses: the
// chosen engagement's, else the organisation's.
func notApplicable(ctx context.Context, db Store, scope Scope, ids []int64) ([]store.Applicability, error) {
	if scope.Engagement == 0 {
		return db.OrganisationNotApplicable(ctx, ids)
	}
	na, err := db.EngagementNotApplicable(ctx, scope.Engagement, ids)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.NotFound("engagement %d not found", scope.Engagement)
	}
	return na, err
}
