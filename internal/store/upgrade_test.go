package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// TestUpgradeFromEveryVersion fills a database at each earlier schema
// version with data, the way an installation fills up while it runs that
// version, and upgrades it to the latest schema with store.Open, on every
// engine: every row is still there with the values it had (in the columns
// that remain), foreign keys still hold and the store's models still read
// every row.
//
// The data is in testdata/upgrade/NNNNN.sql, one file per migration: the
// rows that schema version NNNNN can hold, in SQL that SQLite and
// PostgreSQL both accept (TRUE/FALSE, 'YYYY-MM-DD HH:MM:SS+00:00', foreign
// keys by sub-select rather than fixed IDs, so sequences stay right). A
// database "at version 5" has run migrations 1…5 with files 1…5 loaded
// after their migrations.
//
// Adding a migration: add testdata/upgrade/<its number>.sql with rows for
// the tables and columns it adds or changes (for an index, or anything
// without data of its own, a file with a comment that says so). The test
// fails while a migration has no file. If the migration deliberately
// changes, removes or merges rows, name the table and why in rowsChangedBy.
func TestUpgradeFromEveryVersion(t *testing.T) {
	fixtures := upgradeFixtures(t)
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			versions := migrationVersions(t, target)
			for _, v := range versions {
				if _, ok := fixtures[v]; !ok {
					t.Fatalf("migration %05d has no testdata/upgrade/%05d.sql: add rows for what it changes (see this test's comment)", v, v)
				}
			}
			for _, from := range versions[:len(versions)-1] {
				t.Run(fmt.Sprintf("from %d", from), func(t *testing.T) {
					t.Parallel() // each has its own database
					upgradeFrom(t, target, versions, fixtures, from)
				})
			}
		})
	}
}

// rowsChangedBy names the tables whose existing rows a migration changes on
// purpose, by migration version, with the reason: those tables are not
// compared when an upgrade runs that migration.
var rowsChangedBy = map[int64]map[string]string{
	13: {"login_failures": "replaced by login_attempts, keyed by a hash of what was typed; failures of the last minutes only limited sign-in"},
}

func upgradeFrom(t *testing.T, target storetest.Target, versions []int64, fixtures map[int64]string, from int64) {
	ctx := context.Background()
	dsn := target.DSN(t)
	old, err := store.OpenUnmigrated(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if v > from {
			break
		}
		if err := old.MigrateTo(ctx, v); err != nil {
			old.Close()
			t.Fatal(err)
		}
		if err := old.W.Exec(fixtures[v]).Error; err != nil {
			old.Close()
			t.Fatalf("testdata/upgrade/%05d.sql at version %d: %v", v, v, err)
		}
	}
	before := allRows(t, old)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, dsn) // what socmap does at start-up
	if err != nil {
		t.Fatalf("upgrade from version %d: %v", from, err)
	}
	defer db.Close()
	if current, latest, err := db.SchemaVersion(ctx); err != nil || current != latest {
		t.Fatalf("after the upgrade the schema is at %d of %d (%v)", current, latest, err)
	}
	after := allRows(t, db)
	for table, rows := range before {
		if reason := changedOnPurpose(table, from, versions); reason != "" {
			t.Logf("%s: not compared (%s)", table, reason)
			continue
		}
		for _, row := range rows {
			if !slices.ContainsFunc(after[table], func(r map[string]any) bool { return sameValues(row, r) }) {
				t.Errorf("%s: the row %v of version %d is gone or changed after the upgrade", table, row, from)
			}
		}
	}
	if db.Dialect == store.SQLite {
		var broken []map[string]any
		if err := db.R.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil || len(broken) > 0 {
			t.Errorf("foreign keys after the upgrade: %v %v", broken, err)
		}
	}
	readEveryModel(t, db)
}

func changedOnPurpose(table string, from int64, versions []int64) string {
	for _, v := range versions {
		if reason := rowsChangedBy[v][table]; v > from && reason != "" {
			return reason
		}
	}
	return ""
}

// readEveryModel reads every row of the store's models, so a value an old
// version wrote that today's types cannot read fails here, not in production.
func readEveryModel(t *testing.T, db *store.DB) {
	t.Helper()
	for name, rows := range map[string]any{
		"frameworks": &[]store.Framework{}, "framework_categories": &[]store.Category{}, "requirements": &[]store.Requirement{},
		"users": &[]store.User{}, "sessions": &[]store.Session{}, "api_tokens": &[]store.APIToken{},
		"login_attempts": &[]store.LoginAttempt{}, "audit_log": &[]store.AuditEntry{},
		"controls": &[]store.Control{}, "control_requirements": &[]store.Mapping{},
		"requirement_applicability": &[]store.Applicability{}, "evidence": &[]store.Evidence{},
		"evidence_files": &[]store.EvidenceFile{}, "evidence_controls": &[]store.EvidenceControl{},
		"ingest_sources": &[]store.IngestSource{}, "ingest_runs": &[]store.IngestRun{}, "ingest_results": &[]store.IngestResult{},
		"ingest_checks": &[]store.IngestCheck{}, "ingest_run_checks": &[]store.IngestRunCheck{}, "ingest_rules": &[]store.IngestRule{},
		"holidays": &[]store.Holiday{}, "window_marks": &[]store.WindowMark{}, "window_evidence": &[]store.WindowEvidence{},
	} {
		if err := db.R.Find(rows).Error; err != nil {
			t.Errorf("read %s through its model: %v", name, err)
		}
	}
}

// allRows reads every row of every table but goose's own.
func allRows(t *testing.T, db *store.DB) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, table := range tableNames(t, db) {
		if table == "goose_db_version" {
			continue
		}
		var rows []map[string]any
		storetest.Must(t, db.R.Table(table).Find(&rows))
		out[table] = rows
	}
	return out
}

// sameValues tells whether now holds old's values in every column old had
// that still exists (a migration may drop a column it has moved elsewhere).
func sameValues(old, now map[string]any) bool {
	for col, v := range old {
		if w, ok := now[col]; ok && fmt.Sprint(v) != fmt.Sprint(w) {
			return false
		}
	}
	return true
}

func tableNames(t *testing.T, db *store.DB) []string {
	t.Helper()
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.Dialect == store.Postgres {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	var names []string
	storetest.Must(t, db.R.Raw(query).Scan(&names))
	return names
}

// upgradeFixtures reads testdata/upgrade: version -> SQL.
func upgradeFixtures(t *testing.T) map[int64]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "upgrade", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, f := range files {
		var v int64
		if _, err := fmt.Sscanf(filepath.Base(f), "%05d.sql", &v); err != nil {
			t.Fatalf("%s: expected NNNNN.sql, named after its migration (%v)", f, err)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[v] = string(b)
	}
	return out
}

// migrationVersions lists the engine's migrations, which must be numbered
// alike on every engine.
func migrationVersions(t *testing.T, target storetest.Target) []int64 {
	t.Helper()
	db, err := store.OpenUnmigrated(target.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	versions, err := db.MigrationVersions()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(versions) || len(versions) < 2 {
		t.Fatalf("migrations %v", versions)
	}
	return versions
}
