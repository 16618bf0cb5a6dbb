package store

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// TaskRow is a task as lists show it: its state on the day, its control's
// reference and its owner's e-mail address ("" when it has none).
type TaskRow struct {
	Task
	State      string
	ControlRef string
	OwnerEmail string
}

// TaskEngagementRef names an engagement a task serves.
type TaskEngagementRef struct {
	TaskID int64
	ID     int64
	Name   string
}

// taskRowColumns reads tasks AS t with their state, control and owner.
func taskRowColumns(q *gorm.DB, today string) *gorm.DB {
	return q.Table("tasks AS t").
		Select("t.*, ? AS state, COALESCE(c.ref, '') AS control_ref, COALESCE(u.email, '') AS owner_email", TaskStateExpr(today)).
		Joins("LEFT JOIN controls c ON c.id = t.control_id").
		Joins("LEFT JOIN users u ON u.id = t.owner_id")
}

// taskRows is every task of the scope with its state on the day, in the
// states asked for (all when none), as x; asking only for due or overdue
// tasks also limits it to open tasks whose window has started, which the
// tasks_open index finds without reading the rest.
func taskRows(q *gorm.DB, scope TaskScope, states []string, today string) *gorm.DB {
	base := taskRowColumns(q, today)
	if len(states) > 0 && !slices.ContainsFunc(states, func(st string) bool { return st != "overdue" && st != "due" }) {
		base = base.Where("t.done_at IS NULL AND NOT t.not_applicable AND t.opens_on <= ?", today)
	}
	out := q.Table("(?) AS x", scope.Apply(base))
	if len(states) > 0 {
		out = out.Where("x.state IN ?", states)
	}
	return out
}

// AllTaskRows is every task of the scope in the states asked for (all
// when none), most urgent first: overdue, due, upcoming, then done and
// not applicable; earliest due first within each.
func (db *DB) AllTaskRows(ctx context.Context, scope TaskScope, states []string, today string) ([]TaskRow, error) {
	var out []TaskRow
	err := taskRows(db.Conn(ctx, false), scope, states, today).Order(`CASE x.state WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 WHEN 'upcoming' THEN 2
		WHEN 'done' THEN 3 ELSE 4 END, x.due_on, x.id`).Scan(&out).Error
	return out, err
}

// TaskRowsByID reads the tasks with these IDs, in no particular order.
func (db *DB) TaskRowsByID(ctx context.Context, ids []int64, today string) ([]TaskRow, error) {
	var found []TaskRow
	err := taskRowColumns(db.Conn(ctx, false), today).Where("t.id IN ?", ids).Scan(&found).Error
	return found, err
}

// TaskRowByID reads one task; found is false when there is none.
func (db *DB) TaskRowByID(ctx context.Context, id int64, today string) (r TaskRow, found bool, err error) {
	var out []TaskRow
	err = taskRows(db.Conn(ctx, false), TaskScope{}, nil, today).Where("x.id = ?", id).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return TaskRow{}, false, err
	}
	return out[0], true, nil
}

// TaskEngagementRefs names the engagements each of the tasks serves, by
// task and engagement.
func (db *DB) TaskEngagementRefs(ctx context.Context, taskIDs []int64) ([]TaskEngagementRef, error) {
	var links []TaskEngagementRef
	err := db.Conn(ctx, false).Table("task_engagements AS te").Select("te.task_id, e.id, e.name").
		Joins("JOIN engagements e ON e.id = te.engagement_id").
		Where("te.task_id IN ?", taskIDs).Order("te.task_id, e.id").Scan(&links).Error
	return links, err
}

// ActiveUserEmails maps those of the users that are not disabled to their
// e-mail addresses.
func (db *DB) ActiveUserEmails(ctx context.Context, ids []int64) (map[int64]string, error) {
	var users []struct {
		ID    int64
		Email string
	}
	err := db.Conn(ctx, false).Table("users").Select("id, email").Where("id IN ? AND disabled_at IS NULL", ids).Scan(&users).Error
	out := make(map[int64]string, len(users))
	for _, u := range users {
		out[u.ID] = u.Email
	}
	return out, err
}
