package store

import (
	"context"
	"time"
)

// AuditFilter narrows an audit trail listing. Empty fields match all.
type AuditFilter struct {
	Action, ObjectType, ObjectID, Actor string
	From, To                            *time.Time // at >= From, at < To
	// Engagements, when not nil, limits the listing to entries about
	// these engagements (none when empty).
	Engagements   []string
	Limit, Offset int
}

// AuditEntries returns one page of entries, newest first, and the total
// matching.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, int64, error) {
	entries := []AuditEntry{}
	if f.Engagements != nil && len(f.Engagements) == 0 {
		return entries, 0, nil
	}
	q := db.Conn(ctx, false).Model(&AuditEntry{})
	for column, value := range map[string]string{"action": f.Action, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "actor": f.Actor} {
		if value != "" {
			q = q.Where(column+" = ?", value)
		}
	}
	if f.From != nil {
		q = q.Where("at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("at < ?", *f.To)
	}
	if f.Engagements != nil {
		q = q.Where("object_type = 'engagement' AND object_id IN ?", f.Engagements)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	err := q.Order("seq DESC").Limit(f.Limit).Offset(f.Offset).Find(&entries).Error
	return entries, total, err
}

// AuditVersion is the newest entry's sequence number (0 on an empty
// trail).
func (db *DB) AuditVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.Conn(ctx, false).Table("audit_log").Select("COALESCE(MAX(seq), 0)").Scan(&v).Error
	return v, err
}
