// Package catalogtest opens a test store with the built-in catalogs
// loaded, the starting point of most tests above the store. (It is apart
// from storetest because the catalog's own tests use storetest.)
package catalogtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Open opens a fresh store for target and loads the embedded catalogs.
// The store is a copy of one migrated and loaded once per test process:
// migrating and loading again for every test cost more than the tests
// themselves. Each test still has a database of its own.
func Open(tb testing.TB, target storetest.Target) *store.DB {
	tb.Helper()
	if target.Name == "sqlite" {
		return openCopy(tb, target)
	}
	return openPostgresCopy(tb, target)
}

func load(db *store.DB) error {
	cats, err := catalog.Embedded()
	if err != nil {
		return err
	}
	_, err = catalog.Load(context.Background(), db, cats)
	return err
}

// sqliteFiles are the files of a closed SQLite database: the database and
// the write-ahead log a read-only connection that closed last leaves behind.
var sqliteFiles = []string{"", "-wal"}

var prepared struct {
	once  sync.Once
	files map[string][]byte // by suffix; a missing log is absent
	err   error
}

func openCopy(tb testing.TB, target storetest.Target) *store.DB {
	tb.Helper()
	prepared.once.Do(func() { prepared.files, prepared.err = prepare() })
	if prepared.err != nil {
		tb.Fatalf("prepare the catalog store: %v", prepared.err)
	}
	path := target.DSN(tb)
	for suffix, data := range prepared.files {
		if err := os.WriteFile(path+suffix, data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s store: %v", target.Name, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// prepare migrates a SQLite database, loads the catalogs, closes it and
// returns its files' bytes.
func prepare() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "socmap-catalog-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "socmap.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := load(db); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, fmt.Errorf("close: %w", err)
	}
	files := map[string][]byte{}
	for _, suffix := range sqliteFiles {
		data, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[suffix] = data
	}
	return files, nil
}
