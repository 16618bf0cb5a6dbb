package tasks

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/socmap/socmap/internal/store"
)

// Refresh brings the generated tasks of some controls (nil: all) in line
// with the program as it is today. Open tasks follow the control (owner,
// frequency, windows) and are completed by evidence that covers their
// window; done and not-applicable tasks are history and stay as they
// were, even when a new frequency or period no longer asks for them. It
// is safe to run from several instances at once: a generated task is
// found again by its key, and inserting one that exists does nothing.
func (s *Service) Refresh(ctx context.Context, controlIDs []int64) error {
	want, err := s.plan(ctx, controlIDs)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		have, links, err := generatedTasks(tx, controlIDs)
		if err != nil {
			return err
		}
		for _, t := range have {
			p, ok := want[*t.TaskKey]
			delete(want, *t.TaskKey)
			if !ok {
				err = s.retire(tx, t, now)
			} else {
				err = s.update(tx, t, p, links[t.ID], now)
			}
			if err != nil {
				return err
			}
		}
		return insertAll(tx, want, now)
	})
}

func generatedTasks(tx *gorm.DB, controlIDs []int64) ([]Task, map[int64][]int64, error) {
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
	var rows []taskEngagement
	err := tx.Where("task_id IN (?)", scope(tx.Table("tasks")).Select("id")).Find(&rows).Error
	links := map[int64][]int64{}
	for _, r := range rows {
		links[r.TaskID] = append(links[r.TaskID], r.EngagementID)
	}
	return have, links, err
}

// insertAll adds the planned tasks that do not exist yet, in batches, and
// links them to their engagements. A task another instance inserted first
// stays as it is.
func insertAll(tx *gorm.DB, want map[string]*planned, now time.Time) error {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var rows []Task
	var linked []*planned
	for _, k := range keys {
		p := want[k]
		if p.kind == "renewal" && p.coveredBy != nil {
			continue // renewed before anyone had to be asked
		}
		t := Task{TaskKey: &p.key, Kind: p.kind, CreatedAt: now}
		p.apply(&t, now)
		if p.coveredBy != nil {
			t.DoneAt, t.DoneVia, t.DoneEvidenceID = &now, "evidence", p.coveredBy
		}
		rows = append(rows, t)
		if len(p.engagements) > 0 {
			linked = append(linked, p)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	ignoreExisting := clause.OnConflict{DoNothing: true}
	if err := tx.Clauses(ignoreExisting).CreateInBatches(&rows, 500).Error; err != nil {
		return err
	}
	var links []taskEngagement
	for start := 0; start < len(linked); start += 500 {
		chunk := linked[start:min(start+500, len(linked))]
		chunkKeys := make([]string, len(chunk))
		for i, p := range chunk {
			chunkKeys[i] = p.key
		}
		var found []struct {
			ID      int64
			TaskKey string
		}
		if err := tx.Table("tasks").Select("id, task_key").Where("task_key IN ?", chunkKeys).Scan(&found).Error; err != nil {
			return err
		}
		ids := make(map[string]int64, len(found))
		for _, f := range found {
			ids[f.TaskKey] = f.ID
		}
		for _, p := range chunk {
			for _, e := range p.engagements {
				links = append(links, taskEngagement{TaskID: ids[p.key], EngagementID: e})
			}
		}
	}
	if len(links) == 0 {
		return nil
	}
	return tx.Clauses(ignoreExisting).CreateInBatches(&links, 1000).Error
}

// apply copies what the program says about a task onto it.
func (p *planned) apply(t *Task, now time.Time) {
	t.ControlID, t.EvidenceID, t.OwnerID = &p.controlID, p.evidenceID, p.ownerID
	t.Title, t.WindowLabel, t.OpensOn, t.DueOn = p.title, p.label, p.opensOn, p.dueOn
	t.WindowStart, t.WindowEnd = optional(p.windowStart), optional(p.windowEnd)
	t.UpdatedAt = now
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// update keeps an open task in line with the plan, completes it when
// evidence covers it, and reopens one completed by evidence that has since
// been deleted or re-dated.
func (s *Service) update(tx *gorm.DB, t Task, p *planned, linked []int64, now time.Time) error {
	byEvidence := t.DoneAt != nil && t.DoneVia == "evidence"
	open := t.DoneAt == nil && !t.NotApplicable
	if !open && !(byEvidence && p.coveredBy == nil) {
		return nil // history
	}
	before := t
	p.apply(&t, now)
	switch {
	case byEvidence:
		t.DoneAt, t.DoneVia, t.DoneEvidenceID = nil, "", nil
	case p.coveredBy != nil:
		t.DoneAt, t.DoneVia, t.DoneEvidenceID = &now, "evidence", p.coveredBy
	}
	before.UpdatedAt = now
	if !reflect.DeepEqual(before, t) { // DeepEqual compares what the pointers point to
		if err := store.SaveVersion(tx, &t, nil); err != nil {
			return err
		}
	}
	return setLinks(tx, t.ID, linked, p.engagements)
}

func setLinks(tx *gorm.DB, taskID int64, have, want []int64) error {
	slices.Sort(have)
	slices.Sort(want)
	if slices.Equal(have, want) {
		return nil
	}
	if err := tx.Where("task_id = ?", taskID).Delete(&taskEngagement{}).Error; err != nil {
		return err
	}
	for _, e := range want {
		if err := tx.Create(&taskEngagement{TaskID: taskID, EngagementID: e}).Error; err != nil {
			return err
		}
	}
	return nil
}

// retire handles a generated task the program no longer asks for. History
// stays; an open renewal whose evidence now expires later was renewed in
// place; any other open task is withdrawn.
func (s *Service) retire(tx *gorm.DB, t Task, now time.Time) error {
	if t.DoneAt != nil || t.NotApplicable {
		return nil
	}
	if t.Kind == "renewal" && t.EvidenceID != nil {
		var expires []*string
		err := tx.Table("evidence").Where("id = ? AND deleted_at IS NULL", *t.EvidenceID).Pluck("expires_on", &expires).Error
		if err != nil {
			return err
		}
		oldExpiry := (*t.TaskKey)[strings.LastIndex(*t.TaskKey, "/")+1:]
		if len(expires) == 1 && (expires[0] == nil || *expires[0] > oldExpiry) {
			return tx.Model(&Task{}).Where("id = ?", t.ID).
				Updates(map[string]any{"done_at": now, "done_via": "renewed", "updated_at": now, "version": gorm.Expr("version + 1")}).Error
		}
	}
	return tx.Delete(&Task{}, t.ID).Error
}
