package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/civil"
)

// Holiday is a day the organisation does not work: no business day for
// controls that run on business days.
type Holiday struct {
	Day       string `gorm:"primaryKey"`
	Name      string
	CreatedAt time.Time
}

// WindowMark records that a control did not have to operate in one
// occurrence window of an engagement, and why.
type WindowMark struct {
	EngagementID int64  `gorm:"primaryKey;autoIncrement:false"`
	ControlID    int64  `gorm:"primaryKey;autoIncrement:false"`
	WindowStart  string `gorm:"primaryKey"`
	WindowEnd    string
	Reason       string
	MarkedBy     *int64
	MarkedAt     time.Time
}

// WindowEvidence attaches summary evidence (a listing that spans several
// windows) to one occurrence window it speaks for.
type WindowEvidence struct {
	EngagementID int64  `gorm:"primaryKey;autoIncrement:false"`
	ControlID    int64  `gorm:"primaryKey;autoIncrement:false"`
	WindowStart  string `gorm:"primaryKey"`
	EvidenceID   int64  `gorm:"primaryKey;autoIncrement:false"`
	AttachedBy   *int64
	AttachedAt   time.Time
}

func (WindowEvidence) TableName() string { return "window_evidence" }

// Holidays lists the organisation's holidays in date order.
func (db *DB) Holidays(ctx context.Context) ([]Holiday, error) {
	out := []Holiday{}
	return out, db.R.WithContext(ctx).Order("day").Find(&out).Error
}

// HolidayDates is the holidays as dates, for the business-day calendar.
func (db *DB) HolidayDates(ctx context.Context) ([]civil.Date, error) {
	var days []string
	if err := db.R.WithContext(ctx).Model(&Holiday{}).Order("day").Pluck("day", &days).Error; err != nil {
		return nil, err
	}
	out := make([]civil.Date, 0, len(days))
	for _, d := range days {
		day, err := civil.Parse(d)
		if err != nil {
			return nil, err
		}
		out = append(out, day)
	}
	return out, nil
}

// ReplaceHolidays stores exactly these holidays in tx.
func ReplaceHolidays(ctx context.Context, tx *gorm.DB, days []Holiday) error {
	if err := tx.WithContext(ctx).Where("1 = 1").Delete(&Holiday{}).Error; err != nil {
		return err
	}
	if len(days) == 0 {
		return nil
	}
	return tx.WithContext(ctx).Create(&days).Error
}

// WindowMarks lists an engagement's marks, keyed by control.
func (db *DB) WindowMarks(ctx context.Context, engagementID int64) (map[int64][]WindowMark, error) {
	var rows []WindowMark
	if err := db.R.WithContext(ctx).Where("engagement_id = ?", engagementID).Order("control_id, window_start").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64][]WindowMark{}
	for _, r := range rows {
		out[r.ControlID] = append(out[r.ControlID], r)
	}
	return out, nil
}

// WindowAttachments lists an engagement's summary evidence attached to
// windows (of live evidence only), keyed by control.
func (db *DB) WindowAttachments(ctx context.Context, engagementID int64) (map[int64][]WindowEvidence, error) {
	var rows []WindowEvidence
	err := db.R.WithContext(ctx).Table("window_evidence AS w").Select("w.*").
		Joins("JOIN evidence e ON e.id = w.evidence_id").
		Where("w.engagement_id = ? AND e.deleted_at IS NULL", engagementID).
		Order("w.control_id, w.window_start, w.evidence_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[int64][]WindowEvidence{}
	for _, r := range rows {
		out[r.ControlID] = append(out[r.ControlID], r)
	}
	return out, nil
}
