package store

import (
	"context"
	"time"
)

// EngagementRecord is what a locked engagement's report rests on, kept
// when it reached reporting (see engagement.Record).
type EngagementRecord struct {
	ID               int64 `gorm:"primaryKey"`
	EngagementID     int64
	Status           string
	TakenAt          time.Time
	TakenBy          *int64
	Content          string
	ContentSHA256    string `gorm:"column:content_sha256"`
	SupersededAt     *time.Time
	SupersededBy     *int64
	SupersededReason string
}

func (EngagementRecord) TableName() string { return "engagement_records" }

// RecordEvidence is one evidence item a record relied on, by control.
type RecordEvidence struct {
	RecordID   int64  `gorm:"primaryKey"`
	ControlRef string `gorm:"primaryKey"`
	EvidenceID int64  `gorm:"primaryKey"`
	Kind       string
	Name       string
	SHA256     string `gorm:"column:sha256"`
	UploadedAt time.Time
}

func (RecordEvidence) TableName() string { return "engagement_record_evidence" }

// CreateRecord inserts a record, setting its ID, and the evidence it relied on.
func (db *DB) CreateRecord(ctx context.Context, rec *EngagementRecord, evidence []RecordEvidence) error {
	q := db.Conn(ctx, true)
	if err := q.Create(rec).Error; err != nil {
		return err
	}
	for _, ev := range evidence {
		ev.RecordID = rec.ID
		if err := q.Create(&ev).Error; err != nil {
			return err
		}
	}
	return nil
}

// SupersedeRecord sets an engagement's current record aside, saying who
// did it and why; it reports whether there was one.
func (db *DB) SupersedeRecord(ctx context.Context, engagementID int64, at time.Time, by *int64, reason string) (bool, error) {
	res := db.Conn(ctx, true).Model(&EngagementRecord{}).Where("engagement_id = ? AND superseded_at IS NULL", engagementID).
		Updates(map[string]any{"superseded_at": at, "superseded_by": by, "superseded_reason": reason})
	return res.RowsAffected > 0, res.Error
}

// CurrentRecord returns an engagement's latest record not superseded, or
// ErrNotFound.
func (db *DB) CurrentRecord(ctx context.Context, engagementID int64) (EngagementRecord, error) {
	var r EngagementRecord
	err := db.Conn(ctx, false).Where("engagement_id = ? AND superseded_at IS NULL", engagementID).Order("id DESC").Take(&r).Error
	return r, notFound(err)
}
