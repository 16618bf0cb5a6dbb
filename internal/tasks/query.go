package tasks

import (
	"context"
	"slices"
	"sort"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
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
	if f.OwnerID != 0 {
		q = q.Where("t.owner_id = ?", f.OwnerID)
	}
	if f.ControlID != 0 {
		q = q.Where("t.control_id = ?", f.ControlID)
	}
	if f.EngagementID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM task_engagements te WHERE te.task_id = t.id AND te.engagement_id = ?)", f.EngagementID)
	}
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	return q
}

// List returns a page of tasks, most urgent first: overdue, due, upcoming,
// then done and not applicable; earliest due first within each.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	q := s.db.R.WithContext(ctx)
	var total int64
	if err := s.rows(q, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	page := s.rows(q, f).Order(`CASE x.state WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 WHEN 'upcoming' THEN 2
		WHEN 'done' THEN 3 ELSE 4 END, x.due_on, x.id`)
	if f.Limit > 0 {
		page = page.Limit(f.Limit).Offset(f.Offset)
	}
	var out []Row
	if err := page.Scan(&out).Error; err != nil {
		return nil, 0, err
	}
	return out, total, s.attachEngagements(q, out)
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
	q := s.db.R.WithContext(ctx)
	// Counted over the tasks alone, then named: no join per task.
	counted := s.filtered(q.Table("tasks AS t").Select("t.owner_id, ? AS state", stateOn(s.Today())), f)
	var rows []struct {
		OwnerID    *int64
		OwnerEmail string
		State      string
		N          int
	}
	sel := q.Table("(?) AS x", counted).Select("x.owner_id, x.state, COUNT(*) AS n")
	if len(f.States) > 0 {
		sel = sel.Where("x.state IN ?", f.States)
	}
	if err := sel.Group("x.owner_id, x.state").Scan(&rows).Error; err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range rows {
		if r.OwnerID != nil {
			ids = append(ids, *r.OwnerID)
		}
	}
	var users []struct {
		ID    int64
		Email string
	}
	if err := q.Table("users").Select("id, email").Where("id IN ?", ids).Scan(&users).Error; err != nil {
		return nil, err
	}
	emails := map[int64]string{}
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	for i, r := range rows {
		if r.OwnerID != nil {
			rows[i].OwnerEmail = emails[*r.OwnerID]
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].OwnerEmail < rows[j].OwnerEmail })
	var out []OwnerCounts
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].OwnerEmail != r.OwnerEmail {
			states := map[string]int{}
			for _, st := range States {
				states[st] = 0
			}
			out = append(out, OwnerCounts{OwnerID: r.OwnerID, OwnerEmail: r.OwnerEmail, States: states})
		}
		out[len(out)-1].States[r.State] = r.N
	}
	slices.SortStableFunc(out, func(a, b OwnerCounts) int { return b.States["overdue"] - a.States["overdue"] })
	return out, nil
}
