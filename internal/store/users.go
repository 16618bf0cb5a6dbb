package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrDuplicate is returned when a unique value (e-mail, reference…) is taken.
var ErrDuplicate = errors.New("duplicate")

// User is a person who signs in. AccessUntil (YYYY-MM-DD) ends access after
// that day; auditors always have one.
type User struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	AccessUntil  *string
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Versioned
}

// Session is a signed-in browser. Only the SHA-256 of the cookie value is
// stored, so a copy of the database does not hand out sessions.
type Session struct {
	IDHash     string `gorm:"primaryKey"`
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	Client     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	ReauthAt   *time.Time // when the password was last entered in this session
}

// APIToken lets a script act as its owner; only its SHA-256 is stored.
type APIToken struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	Prefix     string // the first characters, to recognise a token in a list
	Hash       string
	Scope      string
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// NormalizeEmail is the form e-mail addresses are stored and compared in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CountUsers returns how many accounts exist.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&User{}).Count(&n).Error
	return n, err
}

// UserByEmail finds an account by e-mail address.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := db.Conn(ctx, false).Take(&u, "email = ?", NormalizeEmail(email)).Error
	return u, notFound(err)
}

// UserByID finds an account by ID.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := db.Conn(ctx, false).Take(&u, id).Error
	return u, notFound(err)
}

// ListUsers returns every account, by e-mail.
func (db *DB) ListUsers(ctx context.Context) ([]User, error) {
	users := []User{}
	err := db.R.WithContext(ctx).Order("email").Find(&users).Error
	return users, err
}

// SessionWithUser finds a session and its user by the hash of the cookie.
func (db *DB) SessionWithUser(ctx context.Context, idHash string) (Session, User, error) {
	var s Session
	if err := db.R.WithContext(ctx).Take(&s, "id_hash = ?", idHash).Error; err != nil {
		return s, User{}, notFound(err)
	}
	u, err := db.UserByID(ctx, s.UserID)
	return s, u, err
}

// TokenWithUser finds an API token and its owner by the token's hash.
func (db *DB) TokenWithUser(ctx context.Context, hash string) (APIToken, User, error) {
	var t APIToken
	if err := db.R.WithContext(ctx).Take(&t, "hash = ?", hash).Error; err != nil {
		return t, User{}, notFound(err)
	}
	u, err := db.UserByID(ctx, t.UserID)
	return t, u, err
}

// ListTokens returns a user's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	tokens := []APIToken{}
	err := db.R.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&tokens).Error
	return tokens, err
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, ErrDuplicate)
}

// AuditEntry is one link of the hash-chained audit trail.
type AuditEntry struct {
	Seq        int64 `gorm:"primaryKey;autoIncrement:false"`
	At         time.Time
	ActorID    *int64
	Actor      string
	Via        string
	TokenID    *int64
	Action     string
	ObjectType string
	ObjectID   string
	Changes    string
	Client     string
	RequestID  string
	PrevHash   string
	Hash       string
}

func (AuditEntry) TableName() string { return "audit_log" }

// RevokeCredentials ends every API token and calendar feed of a user that
// is still live and says how many of each it ended. They stay listed as
// revoked; nothing brings them back.
func (db *DB) RevokeCredentials(ctx context.Context, userID int64, now time.Time) (tokens, feeds int64, err error) {
	tx := db.Conn(ctx, true)
	res := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now)
	if res.Error != nil {
		return 0, 0, res.Error
	}
	tokens = res.RowsAffected
	res = tx.Table("calendar_feeds").Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now)
	return tokens, res.RowsAffected, res.Error
}

// CreateUser inserts an account; a taken e-mail address is IsDuplicate.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	return db.Conn(ctx, true).Create(u).Error
}

// LockUsers keeps other writers from adding accounts until the
// transaction ctx is in ends, so a count read after it stays true
// (SQLite's single writer already does).
func (db *DB) LockUsers(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	return db.Conn(ctx, true).Exec("LOCK TABLE users IN EXCLUSIVE MODE").Error
}

// SaveUser writes an account read earlier, refused as stale (SaveVersion)
// when someone saved it since or it is not at ifVersion.
func (db *DB) SaveUser(ctx context.Context, u *User, ifVersion *int64) error {
	return SaveVersion(db.Conn(ctx, true), u, ifVersion)
}

// SetPasswordHash gives an account a new password hash.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string, now time.Time) error {
	return db.Conn(ctx, true).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "updated_at": now, "version": gorm.Expr("version + 1")}).Error
}

// OtherActiveAdmins counts the administrators, besides userID, whose
// accounts are not disabled.
func (db *DB) OtherActiveAdmins(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&User{}).
		Where("role = ? AND disabled_at IS NULL AND id <> ?", "admin", userID).Count(&n).Error
	return n, err
}
