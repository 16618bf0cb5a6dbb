package tasks

import (
	"context"
	"slices"
	"sort"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Row is a task as lists show it: with its state today, its control, its
// owner and the engagements it serves.
type Row struct {
	store.TaskRow
	Engagements []EngagementRef
}

// EngagementRef names an engagement a task serves.
type EngagementRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Filter selects tasks; zero values select all.
type Filter struct {
	OwnerID      int64
	ControlID    int64
	EngagementID int64
	States       []string
	Kind         string
	Limit        int // 0: no limit (exports)
	Offset       int
}

func (f Filter) scope() store.TaskScope {
	return store.TaskScope{OwnerID: f.OwnerID, ControlID: f.ControlID, EngagementID: f.EngagementID, Kind: f.Kind}
}

// List returns a page of tasks, most urgent first: overdue, due, upcoming,
// then done and not applicable; earliest due first within each. A page is
// read state by state, each from its own index range, so its cost does not
// grow with the tasks before or after it; without a limit (exports) it is
// one ordered query.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	if f.Limit == 0 {
		return s.listAll(ctx, f)
	}
	today, scope := s.Today(), f.scope()
	states := States
	var total int64
	if len(f.States) > 0 {
		states = slices.DeleteFunc(slices.Clone(States), func(st string) bool { return !slices.Contains(f.States, st) })
	} else {
		n, err := s.db.CountTasks(ctx, scope, "", today)
		if err != nil {
			return nil, 0, err
		}
		total = n
	}
	var ids []int64
	skip, want := f.Offset, f.Limit
	for _, st := range states {
		if want == 0 && len(f.States) == 0 {
			break // the total is known and the page is full
		}
		n, err := s.db.CountTasks(ctx, scope, st, today)
		if err != nil {
			return nil, 0, err
		}
		if len(f.States) > 0 {
			total += n
		}
		if want == 0 || int64(skip) >= n {
			skip = max(0, skip-int(n))
			continue
		}
		page, err := s.db.TaskPage(ctx, scope, st, today, want, skip)
		if err != nil {
			return nil, 0, err
		}
		ids, want, skip = append(ids, page...), want-len(page), 0
	}
	rows, err := s.byID(ctx, ids)
	return rows, total, err
}

// listAll is every task of the filter, most urgent first.
func (s *Service) listAll(ctx context.Context, f Filter) ([]Row, int64, error) {
	found, err := s.db.AllTaskRows(ctx, f.scope(), f.States, s.Today())
	if err != nil {
		return nil, 0, err
	}
	out, err := s.withEngagements(ctx, found)
	return out, int64(len(out)), err
}

// byID reads the tasks with their state, control and owner, in the order given.
func (s *Service) byID(ctx context.Context, ids []int64) ([]Row, error) {
	if len(ids) == 0 {
		return []Row{}, nil
	}
	found, err := s.db.TaskRowsByID(ctx, ids, s.Today())
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]store.TaskRow, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	ordered := make([]store.TaskRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			ordered = append(ordered, r)
		}
	}
	return s.withEngagements(ctx, ordered)
}

// withEngagements names the engagements each task serves.
func (s *Service) withEngagements(ctx context.Context, found []store.TaskRow) ([]Row, error) {
	rows := make([]Row, len(found))
	index := make(map[int64]int, len(found))
	ids := make([]int64, len(found))
	for i, r := range found {
		rows[i] = Row{TaskRow: r, Engagements: []EngagementRef{}}
		index[r.ID], ids[i] = i, r.ID
	}
	links, err := s.db.TaskEngagementRefs(ctx, ids)
	for _, l := range links {
		i := index[l.TaskID]
		rows[i].Engagements = append(rows[i].Engagements, EngagementRef{ID: l.ID, Name: l.Name})
	}
	return rows, err
}

// Get returns one task.
func (s *Service) Get(ctx context.Context, id int64) (Row, error) {
	r, found, err := s.db.TaskRowByID(ctx, id, s.Today())
	if err != nil {
		return Row{}, err
	}
	if !found {
		return Row{}, apperr.NotFound("no such task")
	}
	out, err := s.withEngagements(ctx, []store.TaskRow{r})
	return out[0], err
}

// OwnerCounts is how many tasks someone has in each state.
type OwnerCounts struct {
	OwnerID    *int64         `json:"owner_id"`
	OwnerEmail string         `json:"owner_email"`
	States     map[string]int `json:"states"`
}

// Counts returns the number of tasks per owner and state, under the filter
// (its owner and paging ignored), owners with overdue tasks first.
func (s *Service) Counts(ctx context.Context, f Filter) ([]OwnerCounts, error) {
	f.OwnerID = 0
	states := f.States
	if len(states) == 0 {
		states = States
	}
	// Counted over the tasks alone, then named: no join per task.
	rows, err := s.db.CountTasksByOwner(ctx, f.scope(), states, s.Today())
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range rows {
		if r.OwnerID != nil {
			ids = append(ids, *r.OwnerID)
		}
	}
	// A disabled owner's tasks are nobody's: someone must take them over.
	emails, err := s.db.ActiveUserEmails(ctx, ids)
	if err != nil {
		return nil, err
	}
	byOwner := map[int64]*OwnerCounts{} // 0: nobody
	var out []*OwnerCounts
	for _, r := range rows {
		key, owner := int64(0), r.OwnerID
		if owner != nil && emails[*owner] != "" {
			key = *owner
		} else {
			owner = nil
		}
		c, ok := byOwner[key]
		if !ok {
			c = &OwnerCounts{OwnerID: owner, OwnerEmail: emails[key], States: map[string]int{}}
			for _, st := range States {
				c.States[st] = 0
			}
			byOwner[key] = c
			out = append(out, c)
		}
		c.States[r.State] += r.N
	}
	result := make([]OwnerCounts, len(out))
	for i, c := range out {
		result[i] = *c
	}
	sort.SliceStable(result, func(i, j int) bool { return result[i].OwnerEmail < result[j].OwnerEmail })
	slices.SortStableFunc(result, func(a, b OwnerCounts) int { return b.States["overdue"] - a.States["overdue"] })
	return result, nil
}
