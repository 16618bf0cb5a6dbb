package store_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// TestSchemaParity compares the schema the SQLite and the PostgreSQL
// migrations build: the same tables, the same columns with the same kind
// of type, nullability and presence of a default, and the same indexes by
// name. A migration written for one engine only, or differently for each,
// fails here. It needs both engines: scripts/with-postgres provides
// PostgreSQL, and CI always has it (storetest refuses to run without it
// there).
func TestSchemaParity(t *testing.T) {
	targets := storetest.Targets(t)
	if len(targets) < 2 {
		t.Log("only SQLite is available: run with scripts/with-postgres to compare the engines")
		return
	}
	schemas := map[string]schema{}
	for _, target := range targets {
		schemas[target.Name] = describe(t, storetest.Open(t, target))
	}
	sqlite, postgres := schemas["sqlite"], schemas["postgres"]
	for _, name := range union(sqlite, postgres) {
		a, inSQLite := sqlite[name]
		b, inPostgres := postgres[name]
		switch {
		case !inSQLite:
			t.Errorf("%s: only in the PostgreSQL schema", name)
		case !inPostgres:
			t.Errorf("%s: only in the SQLite schema", name)
		case a != b:
			t.Errorf("%s differs:\n  sqlite:   %s\n  postgres: %s", name, a, b)
		}
	}
}

// schema maps "table", "table.column" and "index name" to a description
// that is the same on both engines when the schemas agree.
type schema map[string]string

func union(a, b schema) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

type column struct {
	Table, Name, Type string
	NotNull, Default  bool
	PrimaryKey        bool
}

func describe(t *testing.T, db *store.DB) schema {
	t.Helper()
	out := schema{}
	for _, table := range tableNames(t, db) {
		out["table "+table] = "table"
	}
	delete(out, "table goose_db_version") // the migration tool's own, different by design
	var columns []column
	var indexes []struct{ Name, Table string }
	if db.Dialect == store.SQLite {
		storetest.Must(t, db.R.Raw(`SELECT m.name AS "table", p.name AS name, p.type AS type, p."notnull" AS not_null,
			p.dflt_value IS NOT NULL AS "default", p.pk > 0 AS primary_key
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`).Scan(&columns))
		storetest.Must(t, db.R.Raw(`SELECT name, tbl_name AS "table" FROM sqlite_master
			WHERE type = 'index' AND sql IS NOT NULL`).Scan(&indexes))
	} else {
		storetest.Must(t, db.R.Raw(`SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type,
			c.is_nullable = 'NO' AS not_null, c.column_default IS NOT NULL AS "default",
			EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc
				ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema
				WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
				AND k.table_name = c.table_name AND k.column_name = c.column_name) AS primary_key
			FROM information_schema.columns c WHERE c.table_schema = current_schema()`).Scan(&columns))
		// Indexes that back a primary key or a unique constraint are the constraint's.
		storetest.Must(t, db.R.Raw(`SELECT indexname AS name, tablename AS "table" FROM pg_indexes
			WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)`).Scan(&indexes))
	}
	for _, c := range columns {
		if c.Table == "goose_db_version" {
			continue
		}
		kind, err := typeKind(c.Type)
		if err != nil {
			t.Errorf("%s.%s: %v", c.Table, c.Name, err)
		}
		// A primary key is never null and an autoincrementing one has its
		// default in a sequence on PostgreSQL only: say "key" for both.
		nullability, dflt := "null", "no default"
		switch {
		case c.PrimaryKey:
			nullability, dflt = "key", "key"
		case c.NotNull:
			nullability = "not null"
		}
		if c.Default && !c.PrimaryKey {
			dflt = "default"
		}
		out["column "+c.Table+"."+c.Name] = fmt.Sprintf("%s, %s, %s", kind, nullability, dflt)
	}
	for _, ix := range indexes {
		out["index "+ix.Name] = "on " + ix.Table
	}
	return out
}

// typeKind maps each engine's spelling of a type to what it holds.
func typeKind(declared string) (string, error) {
	switch t := strings.ToLower(declared); t {
	case "integer", "bigint", "smallint":
		return "integer", nil
	case "text", "character varying", "varchar":
		return "text", nil
	case "boolean":
		return "boolean", nil
	case "timestamp", "timestamp with time zone", "timestamptz", "datetime":
		return "timestamp", nil // socmap stores UTC; PostgreSQL columns are timestamptz
	case "timestamp without time zone":
		return "timestamp without time zone (use TIMESTAMPTZ)", nil
	case "real", "double precision", "numeric":
		return "number", nil
	case "blob", "bytea":
		return "bytes", nil
	case "date":
		return "date", nil
	}
	return "", fmt.Errorf("type %q: add it to typeKind with what it holds", declared)
}
