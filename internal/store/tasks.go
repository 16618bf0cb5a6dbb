package store

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TaskStates are the states of a task, in the order lists show them.
var TaskStates = []string{"overdue", "due", "upcoming", "done", "not_applicable"}

// taskOpen is a task nobody has closed: the condition of the partial
// indexes on open tasks, written the same way so the database uses them.
const taskOpen = "t.done_at IS NULL AND NOT t.not_applicable"

// TaskStateCondition is the condition, over tasks AS t, that a task is in
// the state on the day (YYYY-MM-DD in the organisation's time zone): done
// or not applicable when someone said so, else overdue after its due date,
// due once it opens (its window started), upcoming before. The conditions
// do not overlap and together cover every task; TaskStateExpr is built
// from them, so lists, counts, digests and calendars cannot disagree.
func TaskStateCondition(state, today string) clause.Expr {
	switch state {
	case "overdue":
		return clause.Expr{SQL: taskOpen + " AND t.due_on < ?", Vars: []any{today}}
	case "due":
		return clause.Expr{SQL: taskOpen + " AND t.due_on >= ? AND t.opens_on <= ?", Vars: []any{today, today}}
	case "upcoming":
		return clause.Expr{SQL: taskOpen + " AND t.due_on >= ? AND t.opens_on > ?", Vars: []any{today, today}}
	case "done":
		return clause.Expr{SQL: "t.done_at IS NOT NULL"}
	default:
		return clause.Expr{SQL: "t.done_at IS NULL AND t.not_applicable"}
	}
}

// TaskStateExpr is the state of tasks AS t on the day, as a column.
func TaskStateExpr(today string) clause.Expr {
	var sql strings.Builder
	var vars []any
	sql.WriteString("CASE")
	for _, st := range TaskStates[:len(TaskStates)-1] {
		c := TaskStateCondition(st, today)
		sql.WriteString(" WHEN " + c.SQL + " THEN '" + st + "'")
		vars = append(vars, c.Vars...)
	}
	sql.WriteString(" ELSE '" + TaskStates[len(TaskStates)-1] + "' END")
	return clause.Expr{SQL: sql.String(), Vars: vars}
}

// TaskScope selects tasks AS t by owner, control, engagement and kind;
// zero values select all.
type TaskScope struct {
	OwnerID      int64
	ControlID    int64
	EngagementID int64
	Kind         string
}

// Apply narrows a query over tasks AS t to the scope.
func (s TaskScope) Apply(q *gorm.DB) *gorm.DB {
	if s.OwnerID != 0 {
		q = q.Where("t.owner_id = ?", s.OwnerID)
	}
	if s.ControlID != 0 {
		q = q.Where("t.control_id = ?", s.ControlID)
	}
	if s.EngagementID != 0 {
		q = q.Where("t.id IN (SELECT te.task_id FROM task_engagements te WHERE te.engagement_id = ?)", s.EngagementID)
	}
	if s.Kind != "" {
		q = q.Where("t.kind = ?", s.Kind)
	}
	return q
}

// CountTasks counts the scope's tasks in one state on the day, or in all
// states when state is empty. Each state's condition is a range of an
// index, so a count reads the tasks in that state and no others.
func (db *DB) CountTasks(ctx context.Context, scope TaskScope, state, today string) (int64, error) {
	q := scope.Apply(db.R.WithContext(ctx).Table("tasks AS t"))
	if state != "" {
		q = q.Where(TaskStateCondition(state, today))
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}

// TaskPage returns the IDs of a page of the scope's tasks in one state,
// earliest due first.
func (db *DB) TaskPage(ctx context.Context, scope TaskScope, state, today string, limit, offset int) ([]int64, error) {
	var ids []int64
	err := scope.Apply(db.R.WithContext(ctx).Table("tasks AS t")).Where(TaskStateCondition(state, today)).
		Order("t.due_on, t.id").Limit(limit).Offset(offset).Pluck("t.id", &ids).Error
	return ids, err
}

// OwnerStateCount is how many of someone's tasks are in a state.
type OwnerStateCount struct {
	OwnerID *int64
	State   string
	N       int
}

// CountTasksByOwner counts the scope's tasks per owner in each state asked
// for. Overdue and due tasks are few, so asked for alone they are counted
// one state at a time through their state's index (COALESCE makes the
// grouping an expression, so the database does not walk the whole owner
// index to group in its order). Any other state holds most tasks: then one
// pass grouped by owner and state reads each task once, instead of once
// per state.
func (db *DB) CountTasksByOwner(ctx context.Context, scope TaskScope, states []string, today string) ([]OwnerStateCount, error) {
	for _, st := range states {
		if st != "overdue" && st != "due" {
			return db.countTasksByOwnerAndState(ctx, scope, states, today)
		}
	}
	var out []OwnerStateCount
	for _, st := range states {
		var rows []OwnerStateCount
		err := scope.Apply(db.R.WithContext(ctx).Table("tasks AS t")).Where(TaskStateCondition(st, today)).
			Select("NULLIF(COALESCE(t.owner_id, 0), 0) AS owner_id, COUNT(*) AS n").
			Group("COALESCE(t.owner_id, 0)").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			r.State = st
			out = append(out, r)
		}
	}
	return out, nil
}

// countTasksByOwnerAndState counts the scope's tasks per owner and state in
// one pass, keeping the states asked for.
func (db *DB) countTasksByOwnerAndState(ctx context.Context, scope TaskScope, states []string, today string) ([]OwnerStateCount, error) {
	state := TaskStateExpr(today)
	var rows []OwnerStateCount
	err := scope.Apply(db.R.WithContext(ctx).Table("tasks AS t")).
		Select("t.owner_id AS owner_id, "+state.SQL+" AS state, COUNT(*) AS n", state.Vars...).
		Group("1, 2").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if slices.Contains(states, r.State) {
			out = append(out, r)
		}
	}
	return out, nil
}
