package tasks

import (
	"context"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Row is a task as lists show it.
type Row struct {
	Task
	State       string
	ControlRef  string
	OwnerEmail  string
	Engagements []EngagementRef `gorm:"-"`
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

// rows is every task with its state today, its control and its owner,
// filtered; callers order and page it.
func (s *Service) rows(q *gorm.DB, f Filter) *gorm.DB {
	base := s.filtered(q.Table("tasks AS t").
		Select("t.*, ? AS state, COALESCE(c.ref, '') AS control_ref, COALESCE(u.email, '') AS owner_email", stateOn(s.Today())).
		Joins("LEFT JOIN controls c ON c.id = t.control_id").
		Joins("LEFT JOIN users u ON u.id = t.owner_id"), f)
	out := q.Table("(?) AS x", base)
	if len(f.States) > 0 {
		out = out.Where("x.state IN ?", f.States)
	}
	return out
}

// filtered applies a filter's owner, control, engagement and kind to a
// query over tasks AS t; asking only for due or overdue tasks also limits
// it to open tasks whose window has started, which the tasks_open index
// finds without reading the rest.
func (s *Service) filtered(q *gorm.DB, f Filter) *gorm.DB {
	if len(f.States) > 0 && !slices.ContainsFunc(f.States, func(st string) bool { return st != "overdue" && st != "due" }) {
		q = q.Where("t.done_at IS NULL AND NOT t.not_applicable AND t.opens_on <= ?", s.Today())
	}
	return f.scope().Apply(q)
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
	q := s.db.R.WithContext(ctx)
	var out []Row
	err := s.rows(q, f).Order(`CASE x.state WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 WHEN 'upcoming' THEN 2
		WHEN 'done' THEN 3 ELSE 4 END, x.due_on, x.id`).Scan(&out).Error
	if err != nil {
		return nil, 0, err
	}
	return out, int64(len(out)), s.attachEngagements(q, out)
}

// byID reads the tasks with their state, control and owner, in the order given.
func (s *Service) byID(ctx context.Context, ids []int64) ([]Row, error) {
	out := []Row{}
	if len(ids) == 0 {
		return out, nil
	}
	q := s.db.R.WithContext(ctx)
	var found []Row
	err := q.Table("tasks AS t").
		Select("t.*, ? AS state, COALESCE(c.ref, '') AS control_ref, COALESCE(u.email, '') AS owner_email", stateOn(s.Today())).
		Joins("LEFT JOIN controls c ON c.id = t.control_id").
		Joins("LEFT JOIN users u ON u.id = t.owner_id").
		Where("t.id IN ?", ids).Scan(&found).Error
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Row, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, s.attachEngagements(q, out)
}

func (s *Service) attachEngagements(q *gorm.DB, rows []Row) error {
	index := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		index[r.ID], ids[i] = i, r.ID
		rows[i].Engagements = []EngagementRef{}
	}
	var links []struct {
		TaskID int64
		EngagementRef
	}
	err := q.Table("task_engagements AS te").Select("te.task_id, e.id, e.name").
		Joins("JOIN engagements e ON e.id = te.engagement_id").
		Where("te.task_id IN ?", ids).Order("te.task_id, e.id").Scan(&links).Error
	for _, l := range links {
		i := index[l.TaskID]
		rows[i].Engagements = append(rows[i].Engagements, l.EngagementRef)
	}
	return err
}

// Get returns one task.
func (s *Service) Get(ctx context.Context, id int64) (Row, error) {
	var out []Row
	err := s.rows(s.db.R.WithContext(ctx), Filter{}).Where("x.id = ?", id).Scan(&out).Error
	if err != nil {
		return Row{}, err
	}
	if len(out) == 0 {
		return Row{}, apperr.NotFound("no such task")
	}
	return out[0], s.attachEngagements(s.db.R.WithContext(ctx), out)
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
	var users []struct {
		ID         int64
		Email      string
		DisabledAt *time.Time
	}
	if err := s.db.R.WithContext(ctx).Table("users").Select("id, email, disabled_at").Where("id IN ?", ids).Scan(&users).Error; err != nil {
		return nil, err
	}
	emails := map[int64]string{}
	for _, u := range users {
		if u.DisabledAt == nil { // a disabled owner's tasks are nobody's: someone must take them over
			emails[u.ID] = u.Email
		}
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
