package store

import (
	"context"
	"time"
)

// BridgeLetterRecord is a signed bridge letter: who signed it and the
// evidence that keeps the document.
type BridgeLetterRecord struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	CoversTo     string
	SignerName   string
	SignerTitle  string
	SignedAt     time.Time
	SignedBy     *int64
	EvidenceID   int64
	SHA256       string `gorm:"column:sha256"`
}

func (BridgeLetterRecord) TableName() string { return "bridge_letters" }

// CreateBridgeLetter stores a signed letter, setting its ID.
func (db *DB) CreateBridgeLetter(ctx context.Context, r *BridgeLetterRecord) error {
	return db.Conn(ctx, true).Create(r).Error
}

// BridgeLettersOf lists an engagement's signed bridge letters, newest first.
func (db *DB) BridgeLettersOf(ctx context.Context, engagementID int64) ([]BridgeLetterRecord, error) {
	out := []BridgeLetterRecord{}
	return out, db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Order("id DESC").Find(&out).Error
}

// ControlsByRef loads the controls with these IDs, ordered by ref.
func (db *DB) ControlsByRef(ctx context.Context, ids []int64) ([]Control, error) {
	var out []Control
	return out, db.Conn(ctx, false).Where("id IN ?", ids).Order("ref").Find(&out).Error
}
