package store

import (
	"context"
	"time"
)

// CreateSession records a signed-in browser.
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	return db.Conn(ctx, true).Create(s).Error
}

// DeleteSession ends the session with the cookie hash idHash.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	return db.Conn(ctx, true).Delete(&Session{}, "id_hash = ?", idHash).Error
}

// DeleteSessionsOf ends every session of a user.
func (db *DB) DeleteSessionsOf(ctx context.Context, userID int64) error {
	return db.Conn(ctx, true).Delete(&Session{}, "user_id = ?", userID).Error
}

// DeleteOtherSessionsOf ends every session of a user but the one with the
// cookie hash keep.
func (db *DB) DeleteOtherSessionsOf(ctx context.Context, userID int64, keep string) error {
	return db.Conn(ctx, true).Delete(&Session{}, "user_id = ? AND id_hash <> ?", userID, keep).Error
}

// TouchSession records that a session was used at a moment.
func (db *DB) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return db.Conn(ctx, true).Model(&Session{}).Where("id_hash = ?", idHash).Update("last_seen_at", at).Error
}

// MarkReauthenticated records that the password was entered again in a
// session.
func (db *DB) MarkReauthenticated(ctx context.Context, idHash string, at time.Time) error {
	return db.Conn(ctx, true).Model(&Session{}).Where("id_hash = ?", idHash).Update("reauth_at", at).Error
}
