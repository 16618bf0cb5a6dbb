package store

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/mattn/go-sqlite3" // the driver gorm's sqlite dialect registers too
)

// These work on a SQLite database file by path, outside any open store:
// the backup snapshots an installation's file and checks the one it
// restores before anything uses it.

// SnapshotSQLite writes a consistent copy of the SQLite database at path
// to snapshot (VACUUM INTO), while the server may still be writing.
func SnapshotSQLite(ctx context.Context, path, snapshot string) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", snapshot); err != nil {
		return fmt.Errorf("snapshot the database: %w", err)
	}
	return nil
}

// SQLiteEvidenceHashes lists the SHA-256 names of the evidence files the
// SQLite database at path records, in order.
func SQLiteEvidenceHashes(ctx context.Context, path string) ([]string, error) {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "SELECT DISTINCT sha256 FROM evidence_files ORDER BY sha256")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// CheckSQLiteIntegrity runs SQLite's integrity check on the file at path.
func CheckSQLiteIntegrity(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("the backed-up database cannot be read: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("the backed-up database fails its integrity check: %s", result)
	}
	return nil
}
