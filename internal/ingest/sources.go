package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

// MaxIntervalHours bounds a source's expected reporting interval: a
// quarter of a year.
const MaxIntervalHours = 24 * 92

// SourceState is a source as the Automated page shows it.
type SourceState struct {
	store.IngestSourceRow
	Stale bool
	// StaleSince is when the source became stale: its last scan plus its
	// interval; zero while it is current.
	StaleSince time.Time
}

// Stale reports whether a source has not reported within its interval at now.
func Stale(src store.IngestSource, now time.Time) (bool, time.Time) {
	if src.LastScannedAt == nil {
		return false, time.Time{}
	}
	due := src.LastScannedAt.Add(time.Duration(src.IntervalHours) * time.Hour)
	if now.After(due) {
		return true, due
	}
	return false, time.Time{}
}

// Sources lists every source with whether it is stale now.
func (s *Service) Sources(ctx context.Context) ([]SourceState, error) {
	rows, err := s.db.IngestSources(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]SourceState, len(rows))
	for i, r := range rows {
		out[i].IngestSourceRow = r
		out[i].Stale, out[i].StaleSince = Stale(r.IngestSource, now)
	}
	return out, nil
}

// SourceChange is what an edit of a source may change; nil stays.
type SourceChange struct {
	IntervalHours *int
	OwnerID       *int64 // 0 clears the owner
}

// UpdateSource changes a source's interval or owner, and checks at once
// whether it is stale under the new interval.
func (s *Service) UpdateSource(ctx context.Context, id int64, ch SourceChange) (store.IngestSource, error) {
	var src store.IngestSource
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		src, err = s.db.IngestSourceByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("source %d not found", id)
		}
		if err != nil {
			return err
		}
		before := sourceSnapshot(src)
		fields := apperr.Fields{}
		if ch.IntervalHours != nil {
			if *ch.IntervalHours < 1 || *ch.IntervalHours > MaxIntervalHours {
				fields["interval_hours"] = fmt.Sprintf("a whole number of hours from 1 to %d", MaxIntervalHours)
			}
			src.IntervalHours = *ch.IntervalHours
		}
		if ch.OwnerID != nil {
			if *ch.OwnerID == 0 {
				src.OwnerID = nil
			} else if reason, err := s.checkOwner(ctx, *ch.OwnerID); err != nil {
				return err
			} else if reason != "" {
				fields["owner_id"] = reason
			} else {
				src.OwnerID = ch.OwnerID
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid("the source cannot be saved as given", fields)
		}
		changes := auditlog.Diff(before, sourceSnapshot(src))
		if len(changes) == 0 {
			return nil
		}
		src.UpdatedAt = s.now()
		if err := s.db.SaveIngestSource(ctx, &src); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "ingest.source.update", ObjectType: "ingest_source",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	if err != nil {
		return src, err
	}
	return src, s.CheckStale(ctx)
}

// checkOwner: a source's owner is an active user who works on tasks.
func (s *Service) checkOwner(ctx context.Context, id int64) (string, error) {
	u, err := s.db.UserByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Sprintf("user %d does not exist", id), nil
	case err != nil:
		return "", err
	case u.DisabledAt != nil:
		return u.Email + " is disabled", nil
	case !auth.RoleCan(auth.Role(u.Role), auth.WorkOnTasks):
		return fmt.Sprintf("%s is a %s and cannot work on tasks", u.Email, u.Role), nil
	}
	return "", nil
}

// CheckStale opens a task for the owner of every source that has not
// reported within its interval: one per silence, named by the last scan
// it follows, closed when the source reports again. The owner hears of
// it in My tasks, their digest and their calendar.
func (s *Service) CheckStale(ctx context.Context) error {
	sources, err := s.db.IngestSources(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, src := range sources {
		stale, since := Stale(src.IngestSource, now)
		if !stale {
			continue
		}
		// Another instance opening the same task first is no failure.
		if err := s.openStale(ctx, src.IngestSource, since, now); err != nil && !store.IsDuplicate(err) {
			return err
		}
	}
	return nil
}

func (s *Service) openStale(ctx context.Context, src store.IngestSource, since, now time.Time) error {
	key := fmt.Sprintf("stale/%d/%s", src.ID, src.LastScannedAt.UTC().Format(time.RFC3339))
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.IngestTaskByKey(ctx, key); err == nil || !errors.Is(err, store.ErrNotFound) {
			return err // already open (or closed) for this silence
		}
		day := since.In(s.location).Format(time.DateOnly)
		last := src.LastScannedAt.In(s.location).Format("2006-01-02 15:04 MST")
		t := store.IngestTask{TaskKey: &key, Kind: store.TaskStaleSource, OwnerID: src.OwnerID,
			Title: shorten(fmt.Sprintf("%s has not reported since %s", src.Name, last), 300),
			Description: fmt.Sprintf("The source is expected to report every %d hours. Check the job that sends its scans; "+
				"the task is done when a new scan arrives.", src.IntervalHours),
			OpensOn: day, DueOn: day, CreatedAt: now, UpdatedAt: now}
		if err := s.db.SaveIngestTask(ctx, &t); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db,
			taskEvent("task.create", t, map[string]any{"source": src.Name, "last_scanned_at": src.LastScannedAt.UTC().Format(time.RFC3339)}))
	})
}

// Watch checks the sources for staleness every interval until ctx ends.
// Every instance may run it: a task is found again by its key.
func (s *Service) Watch(ctx context.Context, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := s.CheckStale(ctx); err != nil && ctx.Err() == nil {
			log.Error("checking scan sources for staleness", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
