// Package settings keeps the installation's settings that live in the
// database rather than in flags: the organisation's name, which every
// deliverable carries whether it is made by the server or the CLI.
package settings

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// maxOrganisation bounds the name; page headers show about 70 characters.
const maxOrganisation = 200

// Service reads and changes the settings.
type Service struct {
	db  *store.DB
	now func() time.Time
	// Changed hears of a change to the holidays, which moves the windows
	// (and so the tasks) of every business-day control.
	Changed store.ControlsChanged
}

// NewService uses the database's settings table.
func NewService(db *store.DB) *Service { return &Service{db: db, now: time.Now} }

// Organisation is the service organisation's name ("" until set).
func (s *Service) Organisation(ctx context.Context) (string, error) {
	return s.db.Setting(ctx, store.SettingOrganisation)
}

// SetOrganisation changes the name, in the audit trail.
func (s *Service) SetOrganisation(ctx context.Context, name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", apperr.Invalid("the organisation needs a name", map[string]string{"organisation": "required"})
	case n > maxOrganisation:
		return "", apperr.Invalid("the organisation's name is too long",
			map[string]string{"organisation": "at most 200 characters"})
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		before, err := s.db.SetSetting(ctx, store.SettingOrganisation, name, s.now())
		if err != nil || before == name {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "settings.update", ObjectType: "settings",
			ObjectID: store.SettingOrganisation, Changes: map[string]auditlog.Change{"organisation": {Before: before, After: name}}})
	})
	return name, err
}

// SeedOrganisation sets the name from --organisation when none is stored
// yet; afterwards the stored name wins and is changed on the Settings page.
func (s *Service) SeedOrganisation(ctx context.Context, name string) error {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return nil
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		seeded, err := s.db.SeedSetting(ctx, store.SettingOrganisation, name, s.now())
		if err != nil || !seeded {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "settings.update", ObjectType: "settings",
			ObjectID: store.SettingOrganisation, Changes: map[string]auditlog.Change{"organisation": {After: name}}})
	})
}
