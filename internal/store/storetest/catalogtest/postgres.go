package catalogtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// On PostgreSQL each test's store is created from a template database
// migrated and loaded once per test process: migrating and loading took
// over a second a test, copying takes a tenth of that.
var pgTemplate struct {
	once sync.Once
	name string
	err  error
	// owner holds an advisory lock named after the template for as long
	// as the process lives; a template whose lock is free has lost its
	// process, and the next process to prepare one drops it.
	owner *sql.Conn
}

const templatePrefix = "socmap_tmpl_"

func openPostgresCopy(tb testing.TB, target storetest.Target) *store.DB {
	tb.Helper()
	admin := os.Getenv("SOCMAP_TEST_POSTGRES")
	pgTemplate.once.Do(func() { pgTemplate.name, pgTemplate.err = preparePostgres(tb, admin) })
	if pgTemplate.err != nil {
		tb.Fatalf("prepare the catalog template database: %v", pgTemplate.err)
	}
	db, err := store.Open(context.Background(), storetest.PostgresCopy(tb, admin, pgTemplate.name))
	if err != nil {
		tb.Fatalf("open %s store: %v", target.Name, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// preparePostgres creates, migrates and loads the template database,
// dropping first the templates of processes that have ended.
func preparePostgres(tb testing.TB, admin string) (string, error) {
	ctx := context.Background()
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	conn, err := adm.Conn(ctx)
	if err != nil {
		return "", err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := templatePrefix + hex.EncodeToString(b[:])
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext($1))", name); err != nil {
		return "", err
	}
	pgTemplate.owner = conn
	if err := dropAbandoned(ctx, conn); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, storetest.PostgresDSN(tb, admin, name))
	if err != nil {
		return "", err
	}
	if err := load(db); err != nil {
		db.Close()
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", fmt.Errorf("close: %w", err)
	}
	return name, nil
}

// dropAbandoned drops the templates whose process no longer holds their lock.
func dropAbandoned(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", templatePrefix+"%")
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, n := range names {
		var free bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", n).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue
		}
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)"); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext($1))", n); err != nil {
			return err
		}
	}
	return nil
}
