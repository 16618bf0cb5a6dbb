// Package tasks tells control owners what is due: one task per control
// per occurrence window (for each active Type II engagement, and for
// continuous monitoring from the control's implementation), renewal tasks
// for evidence about to expire, and ad-hoc tasks compliance users create.
// It also sends each owner a digest of what is due and serves their tasks
// as an iCalendar feed.
package tasks

import (
	"context"
	"log/slog"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Task is one thing someone must do, by a date.
type Task = store.Task

// The task vocabularies.
var (
	Kinds  = []string{"occurrence", "renewal", "adhoc", store.TaskCheckFailure, store.TaskStaleSource}
	States = store.TaskStates
)

// Settings are the organisation's task rules.
type Settings struct {
	Location    *time.Location // the organisation's time zone: when a day ends
	GraceDays   int            // days after a window ends before its task is overdue
	RenewalDays int            // days before evidence expires that its renewal task opens
	// LookAheadDays is how far ahead owners see occurrence tasks: a window
	// that opens later gets its task when it comes this close (the
	// refresh runs every few minutes), so a weekly control's owner is not
	// shown the rest of the year at once.
	LookAheadDays int
	PublicURL     string // where socmap is reached, for links in digests and calendars
}

// DefaultSettings: UTC, 14 days' grace (the auditors' PBC due date), 30
// days' notice of expiring evidence, occurrence tasks two weeks ahead.
func DefaultSettings() Settings {
	return Settings{Location: time.UTC, GraceDays: 14, RenewalDays: 30, LookAheadDays: 14}
}

// Service keeps tasks.
type Service struct {
	db          *store.DB
	engagements *engagement.Service
	settings    Settings
	now         func() time.Time
	// Notary, when set, signs a checkpoint of the audit trail after every
	// export of a task list.
	Notary *auditlog.Notary
}

// NewService builds the task service.
func NewService(db *store.DB, engagements *engagement.Service, s Settings) *Service {
	if s.Location == nil {
		s.Location = time.UTC
	}
	return &Service{db: db, engagements: engagements, settings: s, now: time.Now}
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Today is the organisation's current date.
func (s *Service) Today() string { return s.now().In(s.settings.Location).Format(time.DateOnly) }

// todayTime is Today as midnight UTC, the form the window arithmetic uses.
func (s *Service) todayTime() time.Time { return civil.Of(s.now().In(s.settings.Location)).Time() }

// Follow is the hook the program's services call after a change: the
// tasks of the controls concerned are refreshed at once (the scheduler's
// periodic refresh repairs any that fail here).
func (s *Service) Follow(log *slog.Logger) store.ControlsChanged {
	return func(ctx context.Context, controlIDs []int64) {
		if err := s.Refresh(context.WithoutCancel(ctx), controlIDs); err != nil {
			log.Error("refreshing tasks after a change", "controls", controlIDs, "err", err)
		}
	}
}
