package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// AuditHead returns the newest audit entry (the zero entry on an empty
// trail).
func (db *DB) AuditHead(ctx context.Context) (AuditEntry, error) {
	var head AuditEntry
	err := db.Conn(ctx, false).Order("seq DESC").Limit(1).Find(&head).Error
	return head, err
}

// AuditEntryAt returns the entry with sequence number seq; found is false
// when there is none.
func (db *DB) AuditEntryAt(ctx context.Context, seq int64) (e AuditEntry, found bool, err error) {
	res := db.Conn(ctx, false).Where("seq = ?", seq).Limit(1).Find(&e)
	return e, res.RowsAffected == 1, res.Error
}

// AuditEntriesAfter returns up to limit entries after seq, in order.
func (db *DB) AuditEntriesAfter(ctx context.Context, seq int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := db.Conn(ctx, false).Where("seq > ?", seq).Order("seq").Limit(limit).Find(&out).Error
	return out, err
}

// NotifyAdmins puts a message in every active administrator's outbox,
// once per key: the key plays the part a digest's period does, so a
// notice written twice (two instances, a retry) is kept once.
func (db *DB) NotifyAdmins(ctx context.Context, key, subject, body string) (int, error) {
	var admins []User
	if err := db.Conn(ctx, false).Where("role = ? AND disabled_at IS NULL", "admin").Order("id").Find(&admins).Error; err != nil {
		return 0, err
	}
	if len(admins) == 0 {
		return 0, nil
	}
	type digest struct {
		ID        int64 `gorm:"primaryKey"`
		UserID    int64
		Period    string
		Recipient string
		Subject   string
		Body      string
		Status    string
		CreatedAt time.Time
	}
	now := time.Now().UTC()
	rows := make([]digest, len(admins))
	for i, a := range admins {
		rows[i] = digest{UserID: a.ID, Period: key, Recipient: a.Email, Subject: subject, Body: body, Status: "outbox", CreatedAt: now}
	}
	res := db.Conn(ctx, true).Table("digests").Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	return int(res.RowsAffected), res.Error
}
