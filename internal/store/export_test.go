package store

import (
	"context"
	"fmt"
)

// OpenUnmigrated opens a database without migrating it, so the upgrade
// tests can take it one version at a time with MigrateTo.
func OpenUnmigrated(dsn string) (*DB, error) {
	dialect, target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		return openSQLite(target)
	}
	return openPostgres(target)
}

// MigrateTo applies the migrations up to and including version.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate to %d: %w", version, err)
	}
	return nil
}

// MigrationVersions lists the versions of the migrations embedded for the
// database's dialect, oldest first.
func (db *DB) MigrationVersions() ([]int64, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, s := range p.ListSources() {
		out = append(out, s.Version)
	}
	return out, nil
}
