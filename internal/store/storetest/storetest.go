// Package storetest gives tests a fresh database of every engine available:
// always a temporary SQLite file, and a PostgreSQL database when
// SOCMAP_TEST_POSTGRES names a server (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable).
// Under CI the PostgreSQL server is required, so its tests cannot vanish.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/store"
)

// Target is one database engine a test can run against.
type Target struct {
	Name string
	// DSN returns the DSN of a new, empty database, dropped when t ends.
	DSN func(t testing.TB) string
}

// Targets lists the engines to run store tests against.
func Targets(t testing.TB) []Target {
	targets := []Target{{Name: "sqlite", DSN: SQLiteDSN}}
	admin := os.Getenv("SOCMAP_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but SOCMAP_TEST_POSTGRES is not: the PostgreSQL store tests would not run")
		}
		return targets
	}
	return append(targets, Target{Name: "postgres", DSN: func(t testing.TB) string { return postgresDSN(t, admin) }})
}

// SQLiteDSN returns a SQLite file path in the test's temporary directory.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "socmap.db")
}

func postgresDSN(t testing.TB, admin string) string {
	return PostgresCopy(t, admin, "")
}

// PostgresCopy creates a database on the server admin names, a copy of
// template (an empty one when template is ""), drops it when t ends and
// returns its DSN.
func PostgresCopy(t testing.TB, admin, template string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "socmap_test_" + hex.EncodeToString(b[:])
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := adm.Exec(create); err != nil {
		adm.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer adm.Close()
		if _, err := adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return PostgresDSN(t, admin, name)
}

// PostgresDSN is admin's DSN with the database name replaced.
func PostgresDSN(t testing.TB, admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open opens (and migrates) a fresh database for target and closes it when
// the test ends.
func Open(t testing.TB, target Target) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), target.DSN(t))
	if err != nil {
		t.Fatalf("open %s store: %v", target.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Must fails the test when a query failed: a fixture that was not written
// or a count that was not taken would make the test's verdict meaningless.
func Must(t testing.TB, q *gorm.DB) {
	t.Helper()
	if q.Error != nil {
		t.Fatalf("query: %v", q.Error)
	}
}

// Count is the number of rows q matches; the test fails if the query does.
func Count(t testing.TB, q *gorm.DB) int64 {
	t.Helper()
	var n int64
	Must(t, q.Count(&n))
	return n
}
