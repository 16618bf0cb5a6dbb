// Package store owns the database: connection settings, migrations and the
// repositories the domain packages use. SQLite is the embedded default;
// a postgres:// DSN selects PostgreSQL with the same models and migrations.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB holds the connection pools. On SQLite writes go through a single
// connection (SQLite allows one writer at a time, and queueing in Go is
// cheaper than spinning on SQLITE_BUSY) while reads use their own pool.
// On PostgreSQL both fields are the same pool.
type DB struct {
	W       *gorm.DB
	R       *gorm.DB
	Dialect Dialect

	latest int64 // newest schema version embedded in this binary
}

// sqliteBusyTimeout is how long a connection waits for a lock before
// SQLite reports "database is locked".
const sqliteBusyTimeout = 10 * time.Second

// ParseDSN tells which engine a DSN is for and returns what that driver
// expects. "postgres://…" and "postgresql://…" select PostgreSQL; "sqlite:PATH"
// or a bare path select SQLite.
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case dsn == "":
		return "", "", errors.New("database DSN is empty")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", fmt.Errorf("database DSN is not a valid URL: %w", err)
		}
		return Postgres, dsn, nil
	case strings.Contains(dsn, "://"):
		return "", "", fmt.Errorf("database DSN %q: unsupported scheme (use a file path, sqlite:PATH or postgres://…)", redact(dsn))
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" || strings.ContainsAny(path, "?#") {
		return "", "", fmt.Errorf("database DSN %q: expected a SQLite file path without options", dsn)
	}
	return SQLite, path, nil
}

// Open connects to the database and applies pending migrations. A database
// written by a newer socmap is refused rather than touched.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return open(dsn, func(db *DB) error { return db.migrate(ctx) })
}

// OpenAt connects to the database and migrates it only up to version: the
// schema an older socmap left behind, for tests of the upgrade path.
func OpenAt(ctx context.Context, dsn string, version int64) (*DB, error) {
	return open(dsn, func(db *DB) error {
		p, err := db.provider()
		if err != nil {
			return err
		}
		_, err = p.UpTo(ctx, version)
		return err
	})
}

func open(dsn string, migrate func(*DB) error) (*DB, error) {
	dialect, target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *DB
	switch dialect {
	case SQLite:
		db, err = openSQLite(target)
	case Postgres:
		db, err = openPostgres(target)
	}
	if err != nil {
		return nil, err
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
}

func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	// _txlock=immediate takes the write lock at BEGIN, so a transaction never
	// fails half-way when it upgrades from a read to a write lock.
	// synchronous=FULL: a commit that was acknowledged survives a power loss.
	common := fmt.Sprintf("_foreign_keys=on&_busy_timeout=%d", sqliteBusyTimeout.Milliseconds())
	writeDSN := "file:" + path + "?" + common + "&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate"
	readDSN := "file:" + path + "?" + common + "&mode=ro"

	w, err := gorm.Open(sqlite.Open(writeDSN), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	wsql, err := w.DB()
	if err != nil {
		return nil, err
	}
	wsql.SetMaxOpenConns(1)
	wsql.SetMaxIdleConns(1)
	wsql.SetConnMaxIdleTime(0)
	wsql.SetConnMaxLifetime(0)
	// The write connection creates the file and switches it to WAL before any
	// read-only connection opens it.
	if err := wsql.Ping(); err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}

	r, err := gorm.Open(sqlite.Open(readDSN), gormConfig())
	if err != nil {
		wsql.Close()
		return nil, fmt.Errorf("open SQLite database %s for reading: %w", path, err)
	}
	rsql, err := r.DB()
	if err != nil {
		wsql.Close()
		return nil, err
	}
	rsql.SetMaxOpenConns(8)
	rsql.SetMaxIdleConns(8)
	return &DB{W: w, R: r, Dialect: SQLite}, nil
}

func openPostgres(dsn string) (*DB, error) {
	g, err := gorm.Open(postgres.Open(dsn), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL database %s: %w", redact(dsn), err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(10)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	return &DB{W: g, R: g, Dialect: Postgres}, nil
}

// Close releases both pools.
func (db *DB) Close() error {
	var errs []error
	for _, g := range db.pools() {
		if sqlDB, err := g.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

func (db *DB) pools() []*gorm.DB {
	if db.R == db.W {
		return []*gorm.DB{db.W}
	}
	return []*gorm.DB{db.W, db.R}
}

// Ready reports whether both pools answer and the schema is current.
func (db *DB) Ready(ctx context.Context) error {
	for _, g := range db.pools() {
		sqlDB, err := g.DB()
		if err != nil {
			return err
		}
		if err := sqlDB.PingContext(ctx); err != nil {
			return fmt.Errorf("database unreachable: %w", err)
		}
	}
	current, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current != latest {
		return fmt.Errorf("database schema at version %d, this socmap expects %d", current, latest)
	}
	return nil
}

// redact hides the password in a DSN before it reaches a message or a log.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
