package auditlog

import (
	"context"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// Filter narrows an audit trail listing. Empty fields match all.
type Filter struct {
	Action     string
	ObjectType string
	ObjectID   string
	Actor      string // e-mail address (or "system", "cli")
	From, To   string // YYYY-MM-DD, inclusive
	// Engagements, when not nil, limits the listing to entries about these
	// engagements: what an auditor may see.
	Engagements []string
	Limit       int
	Offset      int
}

// List returns one page of entries, newest first, and the total matching.
func List(ctx context.Context, db *store.DB, f Filter) ([]store.AuditEntry, int64, error) {
	q := db.R.WithContext(ctx).Model(&store.AuditEntry{})
	for column, value := range map[string]string{"action": f.Action, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "actor": f.Actor} {
		if value != "" {
			q = q.Where(column+" = ?", value)
		}
	}
	if f.From != "" {
		from, err := civil.Parse(f.From)
		if err != nil {
			return nil, 0, apperr.Invalid("from must be a date such as 2026-03-31", map[string]string{"from": err.Error()})
		}
		q = q.Where("at >= ?", from.Time())
	}
	if f.To != "" {
		to, err := civil.Parse(f.To)
		if err != nil {
			return nil, 0, apperr.Invalid("to must be a date such as 2026-03-31", map[string]string{"to": err.Error()})
		}
		q = q.Where("at < ?", to.AddDays(1).Time())
	}
	if f.Engagements != nil {
		if len(f.Engagements) == 0 {
			return []store.AuditEntry{}, 0, nil
		}
		q = q.Where("object_type = 'engagement' AND object_id IN ?", f.Engagements)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	entries := []store.AuditEntry{}
	err := q.Order("seq DESC").Limit(f.Limit).Offset(f.Offset).Find(&entries).Error
	return entries, total, err
}

// Version is the newest entry's sequence number. Every change to the
// programme appends an entry in its own transaction, so a result computed
// from the programme stays valid, on every instance sharing the database,
// for as long as the version has not moved.
func Version(ctx context.Context, db *store.DB) (int64, error) {
	var v int64
	err := db.R.WithContext(ctx).Table("audit_log").Select("COALESCE(MAX(seq), 0)").Scan(&v).Error
	return v, err
}
