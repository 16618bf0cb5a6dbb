package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// ClaimDigest inserts a digest unless its user already has one for the
// period; claimed is false then, whoever inserted it.
func (db *DB) ClaimDigest(ctx context.Context, d *Digest) (claimed bool, err error) {
	res := db.Conn(ctx, true).Clauses(clause.OnConflict{DoNothing: true}).Create(d)
	return res.RowsAffected > 0, res.Error
}

// RecordDigestOutcome records one more attempt at sending a digest: its
// status, the mail server's error ("" for none) and, when it went out,
// when.
func (db *DB) RecordDigestOutcome(ctx context.Context, id int64, attempts int, status, errText string, sentAt *time.Time) error {
	update := map[string]any{"attempts": attempts, "status": status, "error": errText}
	if sentAt != nil {
		update["sent_at"] = *sentAt
	}
	return db.Conn(ctx, true).Model(&Digest{}).Where("id = ?", id).Updates(update).Error
}

// FailedDigests are the digests the mail server refused fewer than
// maxAttempts times.
func (db *DB) FailedDigests(ctx context.Context, maxAttempts int) ([]Digest, error) {
	var failed []Digest
	err := db.Conn(ctx, false).Where("status = 'failed' AND attempts < ?", maxAttempts).Find(&failed).Error
	return failed, err
}

// ClaimFailedDigest marks a refused digest as being sent again; claimed is
// false when another writer did first.
func (db *DB) ClaimFailedDigest(ctx context.Context, id int64) (claimed bool, err error) {
	res := db.Conn(ctx, true).Model(&Digest{}).Where("id = ? AND status = 'failed'", id).Update("status", "sending")
	return res.RowsAffected == 1, res.Error
}

// Digests lists one page of digests, newest first, and how many there are.
func (db *DB) Digests(ctx context.Context, limit, offset int) ([]Digest, int64, error) {
	q := db.Conn(ctx, false).Model(&Digest{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	out := []Digest{}
	err := q.Order("id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, total, err
}
