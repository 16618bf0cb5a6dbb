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

// DigestSummary is a digest without its body: what the outbox lists.
type DigestSummary struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Period    string     `json:"period"`
	Recipient string     `json:"recipient"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Error     string     `json:"error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
	Size      int64      `json:"size"` // the body's length in bytes
}

// DigestSummaries lists one page of digests, newest first, without their
// bodies (an owner's whole task list each), and how many there are.
func (db *DB) DigestSummaries(ctx context.Context, limit, offset int) ([]DigestSummary, int64, error) {
	q := db.Conn(ctx, false).Model(&Digest{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	size := "LENGTH(CAST(body AS BLOB))" // SQLite's LENGTH of text counts characters
	if db.Dialect == Postgres {
		size = "OCTET_LENGTH(body)"
	}
	out := []DigestSummary{}
	err := q.Select("id, user_id, period, recipient, subject, status, attempts, error, created_at, sent_at, " + size + " AS size").
		Order("id DESC").Limit(limit).Offset(offset).Scan(&out).Error
	return out, total, err
}

// DigestByID finds one digest with its body; found is false when there is none.
func (db *DB) DigestByID(ctx context.Context, id int64) (d Digest, found bool, err error) {
	var list []Digest
	err = db.Conn(ctx, false).Where("id = ?", id).Limit(1).Find(&list).Error
	if err != nil || len(list) == 0 {
		return d, false, err
	}
	return list[0], true, nil
}
