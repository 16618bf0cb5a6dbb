package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"gorm.io/gorm"
)

// LoginAttempt is one sign-in attempt. It is recorded before the password
// is checked and deleted when the password was right, so what remains are
// the failures (and the checks still running).
type LoginAttempt struct {
	ID         int64 `gorm:"primaryKey"`
	AccountKey string
	Client     string
	At         time.Time
}

// LoginHistory is what limits a new attempt: the times of recent attempts,
// newest first, at the account from this client, from this client at any
// account, and at the account from anywhere.
type LoginHistory struct {
	Pair, Client, Account []time.Time
}

// LoginLimits says how far back, and how many of each kind, to read.
type LoginLimits struct {
	Since                 time.Time
	Pair, Client, Account int
}

// loginLockClass keeps the sign-in advisory locks apart from other users of
// PostgreSQL's two-key advisory lock space.
const loginLockClass = 0x10c1

// ClaimLoginAttempt reads the history of an attempt's account and client and,
// unless refuse returns an error, records the attempt, all in one write
// transaction. Transactions are serialised per account and per client
// (SQLite has a single writer; PostgreSQL takes advisory locks, account
// first), so every concurrent guess sees the ones before it.
func (db *DB) ClaimLoginAttempt(ctx context.Context, a LoginAttempt, lim LoginLimits, refuse func(LoginHistory) error) (int64, error) {
	err := db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if db.Dialect == Postgres {
			for _, k := range []string{"account:" + a.AccountKey, "client:" + a.Client} {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", int32(loginLockClass), lockKey(k)).Error; err != nil {
					return err
				}
			}
		}
		var h LoginHistory
		for _, q := range []struct {
			where string
			args  []any
			limit int
			into  *[]time.Time
		}{
			{"account_key = ? AND client = ?", []any{a.AccountKey, a.Client}, lim.Pair, &h.Pair},
			{"client = ?", []any{a.Client}, lim.Client, &h.Client},
			{"account_key = ?", []any{a.AccountKey}, lim.Account, &h.Account},
		} {
			err := tx.Model(&LoginAttempt{}).Where(q.where, q.args...).Where("at >= ?", lim.Since).
				Order("at DESC").Limit(q.limit).Pluck("at", q.into).Error
			if err != nil {
				return err
			}
		}
		if err := refuse(h); err != nil {
			return err
		}
		return tx.Create(&a).Error
	})
	return a.ID, err
}

// lockKey folds a string into PostgreSQL's 32-bit advisory lock key.
func lockKey(s string) int32 {
	sum := sha256.Sum256([]byte(s))
	return int32(binary.BigEndian.Uint32(sum[:4]))
}

// ForgetLoginAttempts removes a successful attempt and the earlier failures
// of the same account from the same client: the person got in.
func (db *DB) ForgetLoginAttempts(ctx context.Context, a LoginAttempt) error {
	return db.W.WithContext(ctx).
		Where("id = ? OR (account_key = ? AND client = ?)", a.ID, a.AccountKey, a.Client).
		Delete(&LoginAttempt{}).Error
}

// DropLoginAttempt removes an attempt that checked nothing (the server was
// too busy to hash), so it does not count.
func (db *DB) DropLoginAttempt(ctx context.Context, id int64) error {
	return db.W.WithContext(ctx).Delete(&LoginAttempt{}, id).Error
}

// PruneLoginAttempts deletes attempts older than a moment, which no limit
// looks at any more.
func (db *DB) PruneLoginAttempts(ctx context.Context, before time.Time) (int64, error) {
	res := db.W.WithContext(ctx).Where("at < ?", before).Delete(&LoginAttempt{})
	return res.RowsAffected, res.Error
}
