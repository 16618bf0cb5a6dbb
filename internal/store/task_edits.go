package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TaskByID returns a task, ErrNotFound when there is none.
func (db *DB) TaskByID(ctx context.Context, id int64) (Task, error) {
	var t Task
	err := db.Conn(ctx, false).Take(&t, id).Error
	return t, notFound(err)
}

// TasksByID returns the tasks with these IDs that exist, by ID.
func (db *DB) TasksByID(ctx context.Context, ids []int64) ([]Task, error) {
	var rows []Task
	err := db.Conn(ctx, false).Where("id IN ?", ids).Order("id").Find(&rows).Error
	return rows, err
}

// CreateTask inserts a task and, when engagementID is set, links it to
// that engagement.
func (db *DB) CreateTask(ctx context.Context, t *Task, engagementID *int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		if engagementID == nil {
			return nil
		}
		return tx.Create(&TaskEngagement{TaskID: t.ID, EngagementID: *engagementID}).Error
	})
}

// SaveTask writes a task read earlier, refused as stale (SaveVersion) when
// someone saved it since or it is not at ifVersion.
func (db *DB) SaveTask(ctx context.Context, t *Task, ifVersion *int64) error {
	return SaveVersion(db.Conn(ctx, true), t, ifVersion)
}

// EngagementExists reports whether there is an engagement with this ID.
func (db *DB) EngagementExists(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Table("engagements").Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// GeneratedTasks returns the occurrence and renewal tasks of some controls
// (nil: all) and, by task, the engagements each is linked to.
func (db *DB) GeneratedTasks(ctx context.Context, controlIDs []int64) ([]Task, map[int64][]int64, error) {
	tx := db.Conn(ctx, false)
	scope := func(q *gorm.DB) *gorm.DB {
		q = q.Where("kind IN ?", []string{"occurrence", "renewal"})
		if controlIDs != nil {
			q = q.Where("control_id IN ?", controlIDs)
		}
		return q
	}
	var have []Task
	if err := scope(tx.Table("tasks")).Find(&have).Error; err != nil {
		return nil, nil, err
	}
	var rows []TaskEngagement
	err := tx.Where("task_id IN (?)", scope(tx.Table("tasks")).Select("id")).Find(&rows).Error
	links := map[int64][]int64{}
	for _, r := range rows {
		links[r.TaskID] = append(links[r.TaskID], r.EngagementID)
	}
	return have, links, err
}

// InsertNewTasks adds generated tasks in batches; one whose key another
// writer inserted first stays as it is.
func (db *DB) InsertNewTasks(ctx context.Context, rows []Task) error {
	if len(rows) == 0 {
		return nil
	}
	return db.Conn(ctx, true).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 500).Error
}

// TaskIDsByKey maps generated task keys to the IDs of their tasks.
func (db *DB) TaskIDsByKey(ctx context.Context, keys []string) (map[string]int64, error) {
	ids := make(map[string]int64, len(keys))
	for start := 0; start < len(keys); start += 500 {
		var found []struct {
			ID      int64
			TaskKey string
		}
		chunk := keys[start:min(start+500, len(keys))]
		if err := db.Conn(ctx, false).Table("tasks").Select("id, task_key").Where("task_key IN ?", chunk).Scan(&found).Error; err != nil {
			return nil, err
		}
		for _, f := range found {
			ids[f.TaskKey] = f.ID
		}
	}
	return ids, nil
}

// LinkTasks adds task-engagement links in batches, keeping those that
// exist.
func (db *DB) LinkTasks(ctx context.Context, links []TaskEngagement) error {
	if len(links) == 0 {
		return nil
	}
	return db.Conn(ctx, true).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&links, 1000).Error
}

// SetTaskEngagements replaces the engagements a task is linked to.
func (db *DB) SetTaskEngagements(ctx context.Context, taskID int64, engagementIDs []int64) error {
	tx := db.Conn(ctx, true)
	if err := tx.Where("task_id = ?", taskID).Delete(&TaskEngagement{}).Error; err != nil {
		return err
	}
	for _, e := range engagementIDs {
		if err := tx.Create(&TaskEngagement{TaskID: taskID, EngagementID: e}).Error; err != nil {
			return err
		}
	}
	return nil
}

// MarkTaskRenewed closes a renewal task whose evidence was renewed in
// place (its expiry moved later).
func (db *DB) MarkTaskRenewed(ctx context.Context, id int64, now time.Time) error {
	return db.Conn(ctx, true).Model(&Task{}).Where("id = ?", id).
		Updates(map[string]any{"done_at": now, "done_via": "renewed", "updated_at": now, "version": gorm.Expr("version + 1")}).Error
}

// DeleteTask removes a task.
func (db *DB) DeleteTask(ctx context.Context, id int64) error {
	return db.Conn(ctx, true).Delete(&Task{}, id).Error
}
