package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// TableCount is how many rows a table has.
type TableCount struct {
	Table string
	Rows  int64
}

// CopySQLiteInto copies every row of a SQLite installation into a freshly
// migrated PostgreSQL database in one transaction (all or nothing),
// parents before children, then checks that every table has the same
// number of rows in both, and answers those counts by table name. The
// destination must not have been used yet.
func CopySQLiteInto(ctx context.Context, src, dst *DB) ([]TableCount, error) {
	if src.Dialect != SQLite || dst.Dialect != Postgres {
		return nil, fmt.Errorf("migrate-db copies a SQLite installation into PostgreSQL")
	}
	tables, err := sqliteTables(ctx, src)
	if err != nil {
		return nil, err
	}
	if err := ensureUnused(ctx, dst); err != nil {
		return nil, err
	}
	err = dst.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Rows the migrations themselves insert (the organisation's SOC 1
		// framework) come over from the source with everything else.
		for i := len(tables) - 1; i >= 0; i-- {
			if err := tx.Exec("DELETE FROM " + quote(tables[i])).Error; err != nil {
				return fmt.Errorf("clear %s: %w", tables[i], err)
			}
		}
		for _, t := range tables {
			if err := copyTable(ctx, src, tx, t); err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
		}
		return resetSequences(tx)
	})
	if err != nil {
		return nil, err
	}
	return sameCounts(ctx, src, dst, tables)
}

// sameCounts compares the tables' row counts in both databases.
func sameCounts(ctx context.Context, src, dst *DB, tables []string) ([]TableCount, error) {
	var out []TableCount
	for _, t := range tables {
		var a, b int64
		if err := src.R.WithContext(ctx).Table(t).Count(&a).Error; err != nil {
			return nil, err
		}
		if err := dst.R.WithContext(ctx).Table(t).Count(&b).Error; err != nil {
			return nil, err
		}
		if a != b {
			return nil, fmt.Errorf("%s has %d rows in the source but %d in the copy", t, a, b)
		}
		out = append(out, TableCount{Table: t, Rows: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out, nil
}

// batchRows bounds one INSERT: well under PostgreSQL's 65,535 parameters
// for the widest table.
const batchRows = 500

// ensureUnused refuses a destination that holds anyone's work.
func ensureUnused(ctx context.Context, dst *DB) error {
	for _, t := range []string{"users", "controls", "evidence", "audit_log"} {
		var n int64
		if err := dst.R.WithContext(ctx).Table(t).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the destination already has %d rows in %s: migrate into a new, empty database", n, t)
		}
	}
	return nil
}

// sqliteTables lists socmap's tables so that each comes after the tables
// it references.
func sqliteTables(ctx context.Context, db *DB) ([]string, error) {
	var names []string
	err := db.R.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`).Scan(&names).Error
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	for _, t := range names {
		var parents []string
		if err := db.R.WithContext(ctx).Raw(`SELECT "table" FROM pragma_foreign_key_list(?)`, t).Scan(&parents).Error; err != nil {
			return nil, err
		}
		refs[t] = parents
	}
	var ordered []string
	done := map[string]bool{}
	var visit func(string)
	visit = func(t string) {
		if done[t] {
			return
		}
		done[t] = true
		for _, p := range refs[t] {
			if p != t {
				visit(p)
			}
		}
		ordered = append(ordered, t)
	}
	for _, t := range names {
		visit(t)
	}
	return ordered, nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// copyTable streams a table's rows into the destination in batches,
// converting SQLite's integers to booleans where PostgreSQL has them.
func copyTable(ctx context.Context, src *DB, tx *gorm.DB, table string) error {
	booleans, err := booleanColumns(tx, table)
	if err != nil {
		return err
	}
	rows, err := src.R.WithContext(ctx).Raw("SELECT * FROM " + quote(table)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quote(c)
	}
	insert := "INSERT INTO " + quote(table) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	var batch []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		groups := make([]string, n)
		for i := range groups {
			groups[i] = "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		}
		err := tx.Exec(insert+strings.Join(groups, ", "), batch...).Error
		batch, n = batch[:0], 0
		return err
	}
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			values[i] = convert(values[i], booleans[c])
		}
		batch = append(batch, values...)
		if n++; n == batchRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

func booleanColumns(tx *gorm.DB, table string) (map[string]bool, error) {
	var cols []string
	err := tx.Raw(`SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'boolean'`, table).Scan(&cols).Error
	out := map[string]bool{}
	for _, c := range cols {
		out[c] = true
	}
	return out, err
}

func convert(v any, boolean bool) any {
	switch x := v.(type) {
	case int64:
		if boolean {
			return x != 0
		}
	case []byte:
		return string(x)
	}
	return v
}

// resetSequences moves each id sequence past the copied rows, so new rows
// do not collide with them.
func resetSequences(tx *gorm.DB) error {
	var seqs []struct{ Table, Seq string }
	err := tx.Raw(`SELECT table_name AS "table", pg_get_serial_sequence(quote_ident(table_name), 'id') AS seq
		FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id'
		AND column_default LIKE 'nextval%'`).Scan(&seqs).Error
	if err != nil {
		return err
	}
	for _, s := range seqs {
		err := tx.Exec("SELECT setval(?, COALESCE((SELECT MAX(id) FROM "+quote(s.Table)+"), 0) + 1, false)", s.Seq).Error
		if err != nil {
			return err
		}
	}
	return nil
}
