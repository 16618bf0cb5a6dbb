package store

import (
	"context"
	"time"
)

// CreateToken records a new API token.
func (db *DB) CreateToken(ctx context.Context, t *APIToken) error {
	return db.Conn(ctx, true).Create(t).Error
}

// TokenOfUser finds one of a user's tokens (ErrNotFound when the token is
// someone else's or does not exist).
func (db *DB) TokenOfUser(ctx context.Context, id, userID int64) (APIToken, error) {
	var t APIToken
	err := db.Conn(ctx, false).Take(&t, "id = ? AND user_id = ?", id, userID).Error
	return t, notFound(err)
}

// RevokeToken ends a token at a moment; it stays listed as revoked.
func (db *DB) RevokeToken(ctx context.Context, t *APIToken, at time.Time) error {
	return db.Conn(ctx, true).Model(t).Update("revoked_at", at).Error
}

// TouchToken records that a token was used at a moment.
func (db *DB) TouchToken(ctx context.Context, t *APIToken, at time.Time) error {
	return db.Conn(ctx, true).Model(t).Update("last_used_at", at).Error
}
