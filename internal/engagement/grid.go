package engagement

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
)

// GridFilter narrows an engagement's controls to what its page's grid
// asks for; the zero value keeps every control, in scope or not.
type GridFilter struct {
	Included     *bool  // in scope (true) or excluded (false); nil for both
	Missing      bool   // only controls with a window past due without evidence
	Owner        string // the owner's e-mail address, any case
	NotConcluded bool   // only controls whose testing is not concluded yet
	Frequency    string
	Text         string // words of the reference or title, any case
	Offset       int
	Limit        int // 0: every control that matches
}

// Grid is one page of an engagement's controls, with how many match the
// filter and the counts and choices the page's header and filters show.
type Grid struct {
	Controls []ScopedControl
	Total    int // controls that match the filter
	Counts   GridCounts
}

// GridCounts are over the whole engagement, whatever the filter.
type GridCounts struct {
	InScope      int
	Excluded     int
	Missing      int // in-scope controls with a window past due without evidence
	NotConcluded int // in-scope controls not concluded yet
	Owners       []string
	Frequencies  []string
}

// Grid returns a page of the engagement's controls, in scope first, each
// group by reference. It reads the engagement's kept progress, so paging
// and filtering do not recompute the occurrence windows.
func (s *Service) Grid(ctx context.Context, id int64, f GridFilter) (Grid, error) {
	p, err := s.Progress(ctx, id)
	if err != nil {
		return Grid{}, err
	}
	results, _, err := s.Results(ctx, id)
	if err != nil {
		return Grid{}, err
	}
	typeII := p.ReportType == "type2"
	var g Grid
	owners, freqs := map[string]bool{}, map[string]bool{}
	var matched []ScopedControl
	for _, c := range p.Scoped {
		concluded := Concluded(results[c.ID], typeII)
		if c.Included {
			g.Counts.InScope++
			if c.HasMissing() {
				g.Counts.Missing++
			}
			if !concluded {
				g.Counts.NotConcluded++
			}
		} else {
			g.Counts.Excluded++
		}
		if c.OwnerEmail != "" {
			owners[c.OwnerEmail] = true
		}
		freqs[c.Frequency] = true
		if f.matches(c, concluded) {
			matched = append(matched, c)
		}
	}
	g.Counts.Owners, g.Counts.Frequencies = sortedKeys(owners), sortedKeys(freqs)
	g.Total = len(matched)
	g.Controls = window(matched, f.Offset, f.Limit)
	return g, nil
}

func (f GridFilter) matches(c ScopedControl, concluded bool) bool {
	switch {
	case f.Included != nil && c.Included != *f.Included:
		return false
	case f.Missing && !c.HasMissing():
		return false
	case f.Owner != "" && !strings.EqualFold(c.OwnerEmail, f.Owner):
		return false
	case f.NotConcluded && concluded:
		return false
	case f.Frequency != "" && c.Frequency != f.Frequency:
		return false
	case f.Text != "" && !containsFold(c.Ref+" "+c.Title, f.Text):
		return false
	}
	return true
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func window(list []ScopedControl, offset, limit int) []ScopedControl {
	if offset >= len(list) {
		return []ScopedControl{}
	}
	list = list[offset:]
	if limit > 0 && limit < len(list) {
		list = list[:limit]
	}
	return list
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// HasMissing reports whether a window of the control is past due without
// evidence.
func (c ScopedControl) HasMissing() bool {
	return slices.ContainsFunc(c.Windows, WindowState.Missing)
}

// Concluded says whether a control's testing is concluded, as readiness
// counts it: a Type II's operating-effectiveness result is recorded; a
// Type I's design is assessed and its implementation concluded.
func Concluded(r Result, typeII bool) bool {
	if typeII {
		return r.Result != "" && r.Result != "pending"
	}
	return r.DesignResult != "" && r.DesignResult != "not_assessed" && r.Implementation != ""
}

// ControlIn is one control of the engagement as its grid shows it; a
// control not in the engagement (in scope or excluded) is not found.
func (s *Service) ControlIn(ctx context.Context, id, controlID int64) (ScopedControl, error) {
	p, err := s.Progress(ctx, id)
	if err != nil {
		return ScopedControl{}, err
	}
	for _, c := range p.Scoped {
		if c.ID == controlID {
			return c, nil
		}
	}
	return ScopedControl{}, apperr.NotFound("control %d is not in engagement %d", controlID, id)
}
