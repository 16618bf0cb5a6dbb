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
	q := store.AuditFilter{Action: f.Action, ObjectType: f.ObjectType, ObjectID: f.ObjectID, Actor: f.Actor,
		Engagements: f.Engagements, Limit: f.Limit, Offset: f.Offset}
	if f.From != "" {
		from, err := civil.Parse(f.From)
		if err != nil {
			return nil, 0, apperr.Invalid("from must be a date such as 2026-03-31", map[string]string{"from": err.Error()})
		}
		at := from.Time()
		q.From = &at
	}
	if f.To != "" {
		to, err := civil.Parse(f.To)
		if err != nil {
			return nil, 0, apperr.Invalid("to must be a date such as 2026-03-31", map[string]string{"to": err.Error()})
		}
		at := to.AddDays(1).Time()
		q.To = &at
	}
	return db.AuditEntries(ctx, q)
}

// Version is the newest entry's sequence number. Every change to the
// programme appends an entry in its own transaction, so a result computed
// from the programme stays valid, on every instance sharing the database,
// for as long as the version has not moved.
func Version(ctx context.Context, db *store.DB) (int64, error) {
	return db.AuditVersion(ctx)
}
