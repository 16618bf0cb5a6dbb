package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is one stored setting of the installation.
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// SettingOrganisation is the service organisation's name on deliverables.
const SettingOrganisation = "organisation"

// Setting reads a setting; one never set reads as "".
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var s Setting
	err := db.R.WithContext(ctx).Take(&s, "key = ?", key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return s.Value, err
}

// SetSetting stores a setting (in the caller's transaction when ctx
// carries one) and returns its value before.
func (db *DB) SetSetting(ctx context.Context, key, value string, now time.Time) (string, error) {
	tx := db.Conn(ctx, true)
	var before Setting
	err := tx.Take(&before, "key = ?", key).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", err
	}
	err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).
		Create(&Setting{Key: key, Value: value, UpdatedAt: now.UTC()}).Error
	return before.Value, err
}

// SeedSetting stores a setting only if it has never been set (in the
// caller's transaction when ctx carries one), and
// reports whether it did.
func (db *DB) SeedSetting(ctx context.Context, key, value string, now time.Time) (bool, error) {
	res := db.Conn(ctx, true).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Setting{Key: key, Value: value, UpdatedAt: now.UTC()})
	return res.RowsAffected == 1, res.Error
}
