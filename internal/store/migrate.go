package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are forward-only SQL files, one folder per dialect, numbered
// alike so both engines reach the same schema at the same version.
//
//go:embed migrations
var migrationFiles embed.FS

func (db *DB) provider() (*goose.Provider, error) {
	dir := "migrations/" + string(db.Dialect)
	fsys, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.W.DB()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	gooseDialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		gooseDialect = goose.DialectPostgres
		// Several instances may start at once against one PostgreSQL database:
		// an advisory lock lets exactly one of them migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gooseDialect, sqlDB, fsys, opts...)
}

// SchemaVersion returns the version the database is at and the latest
// version this binary knows. It reads through the read pool so health
// checks never wait for the writer.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	err = db.R.WithContext(ctx).
		Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").
		Scan(&current).Error
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	return current, db.latest, nil
}

func latestVersion(p *goose.Provider) int64 {
	var latest int64
	for _, s := range p.ListSources() {
		latest = max(latest, s.Version)
	}
	return latest
}

func (db *DB) migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	db.latest = latestVersion(p)
	if latest := db.latest; current > latest {
		return fmt.Errorf("the database is at schema version %d but this socmap only knows up to %d: "+
			"it was written by a newer socmap; upgrade socmap instead of going back", current, latest)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	return nil
}
