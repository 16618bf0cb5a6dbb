package store

import (
	"context"
	"time"
)

// CalendarFeedOf returns a user's calendar feed, ErrNotFound when the user
// never had one.
func (db *DB) CalendarFeedOf(ctx context.Context, userID int64) (CalendarFeed, error) {
	var f CalendarFeed
	err := db.Conn(ctx, false).Take(&f, userID).Error
	return f, notFound(err)
}

// SaveCalendarFeed gives a user this feed, replacing any earlier one.
func (db *DB) SaveCalendarFeed(ctx context.Context, f *CalendarFeed) error {
	return db.Conn(ctx, true).Save(f).Error
}

// RevokeCalendarFeed ends a user's live calendar feed; revoked is false
// when there was none.
func (db *DB) RevokeCalendarFeed(ctx context.Context, userID int64, at time.Time) (revoked bool, err error) {
	res := db.Conn(ctx, true).Model(&CalendarFeed{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at)
	return res.RowsAffected > 0, res.Error
}

// CalendarFeedUser finds the active user whose live feed has the token
// hash, ErrNotFound when none has.
func (db *DB) CalendarFeedUser(ctx context.Context, tokenHash string) (User, error) {
	var u User
	err := db.Conn(ctx, false).Table("users").
		Where("id = (SELECT user_id FROM calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL) AND disabled_at IS NULL", tokenHash).
		Take(&u).Error
	return u, notFound(err)
}
