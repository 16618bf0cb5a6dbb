package tasks

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

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
	return s.db.InTx(ctx, func(ctx context.Context) error {
		have, links, err := s.db.GeneratedTasks(ctx, controlIDs)
		if err != nil {
			return err
		}
		for _, t := range have {
			p, ok := want[*t.TaskKey]
			delete(want, *t.TaskKey)
			if !ok {
				err = s.retire(ctx, t, now)
			} else {
				err = s.update(ctx, t, p, links[t.ID], now)
			}
			if err != nil {
				return err
			}
		}
		return s.insertAll(ctx, want, now)
	})
}

// insertAll adds the planned tasks that do not exist yet, in batches, and
// links them to their engagements. A task another instance inserted first
// stays as it is.
func (s *Service) insertAll(ctx context.Context, want map[string]*planned, now time.Time) error {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var rows []Task
	var linked []*planned
	var linkedKeys []string
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
			linked, linkedKeys = append(linked, p), append(linkedKeys, p.key)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := s.db.InsertNewTasks(ctx, rows); err != nil {
		return err
	}
	if len(linked) == 0 {
		return nil
	}
	ids, err := s.db.TaskIDsByKey(ctx, linkedKeys)
	if err != nil {
		return err
	}
	var links []store.TaskEngagement
	for _, p := range linked {
		for _, e := range p.engagements {
			links = append(links, store.TaskEngagement{TaskID: ids[p.key], EngagementID: e})
		}
	}
	return s.db.LinkTasks(ctx, links)
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
func (s *Service) update(ctx context.Context, t Task, p *planned, linked []int64, now time.Time) error {
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
		if err := s.db.SaveTask(ctx, &t, nil); err != nil {
			return err
		}
	}
	return s.setLinks(ctx, t.ID, linked, p.engagements)
}

func (s *Service) setLinks(ctx context.Context, taskID int64, have, want []int64) error {
	slices.Sort(have)
	slices.Sort(want)
	if slices.Equal(have, want) {
		return nil
	}
	return s.db.SetTaskEngagements(ctx, taskID, want)
}

// retire handles a generated task the program no longer asks for. History
// stays; an open renewal whose evidence now expires later was renewed in
// place; any other open task is withdrawn.
func (s *Service) retire(ctx context.Context, t Task, now time.Time) error {
	if t.DoneAt != nil || t.NotApplicable {
		return nil
	}
	if t.Kind == "renewal" && t.EvidenceID != nil {
		expires, found, err := s.db.LiveEvidenceExpiry(ctx, *t.EvidenceID)
		if err != nil {
			return err
		}
		oldExpiry := (*t.TaskKey)[strings.LastIndex(*t.TaskKey, "/")+1:]
		if found && (expires == nil || *expires > oldExpiry) {
			return s.db.MarkTaskRenewed(ctx, t.ID, now)
		}
	}
	return s.db.DeleteTask(ctx, t.ID)
}
