package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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

// ReplaceHolidays stores exactly these holidays, in the caller's
// transaction when ctx carries one (db.InTx).
func (db *DB) ReplaceHolidays(ctx context.Context, days []Holiday) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Where("1 = 1").Delete(&Holiday{}).Error; err != nil {
			return err
		}
		if len(days) == 0 {
			return nil
		}
		return tx.Create(&days).Error
	})
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
		Where("w.engagement_id = ? AND "+liveEvidence, engagementID).
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

// SaveWindowMark stores a mark in tx, replacing the window's earlier one,
// and returns that earlier reason ("" if none).
func SaveWindowMark(ctx context.Context, tx *gorm.DB, m WindowMark) (string, error) {
	var before WindowMark
	err := tx.WithContext(ctx).Where("engagement_id = ? AND control_id = ? AND window_start = ?", m.EngagementID, m.ControlID, m.WindowStart).
		Limit(1).Find(&before).Error
	if err != nil {
		return "", err
	}
	return before.Reason, tx.WithContext(ctx).Save(&m).Error
}

// DeleteWindowMark removes a window's mark in tx and returns its reason
// ("" when there was none).
func DeleteWindowMark(ctx context.Context, tx *gorm.DB, engagementID, controlID int64, start string) (string, error) {
	var m WindowMark
	q := tx.WithContext(ctx).Where("engagement_id = ? AND control_id = ? AND window_start = ?", engagementID, controlID, start)
	if err := q.Limit(1).Find(&m).Error; err != nil || m.Reason == "" {
		return "", err
	}
	return m.Reason, tx.WithContext(ctx).Where("engagement_id = ? AND control_id = ? AND window_start = ?", engagementID, controlID, start).
		Delete(&WindowMark{}).Error
}

// AttachWindowEvidence attaches evidence to a window in tx and reports
// whether it was not attached yet.
func AttachWindowEvidence(ctx context.Context, tx *gorm.DB, a WindowEvidence) (bool, error) {
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&a)
	return res.RowsAffected == 1, res.Error
}

// DetachWindowEvidence removes an attachment in tx and reports whether
// there was one.
func DetachWindowEvidence(ctx context.Context, tx *gorm.DB, engagementID, controlID int64, start string, evidenceID int64) (bool, error) {
	res := tx.WithContext(ctx).Where("engagement_id = ? AND control_id = ? AND window_start = ? AND evidence_id = ?",
		engagementID, controlID, start, evidenceID).Delete(&WindowEvidence{})
	return res.RowsAffected == 1, res.Error
}

// LiveEvidenceOf reports whether evidence is linked to a control and not
// deleted.
func LiveEvidenceOf(ctx context.Context, tx *gorm.DB, evidenceID, controlID int64) (bool, error) {
	var n int64
	err := tx.WithContext(ctx).Table("evidence_controls AS ec").Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("ec.evidence_id = ? AND ec.control_id = ? AND "+liveEvidence, evidenceID, controlID).Count(&n).Error
	return n > 0, err
}
