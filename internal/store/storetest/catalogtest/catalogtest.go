// Package catalogtest opens a test store with the built-in catalogs
// loaded, the starting point of most tests above the store. (It is apart
// from storetest because the catalog's own tests use storetest.)
package catalogtest

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Open opens a fresh store for target and loads the embedded catalogs.
func Open(tb testing.TB, target storetest.Target) *store.DB {
	tb.Helper()
	db := storetest.Open(tb, target)
	cats, err := catalog.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := catalog.Load(context.Background(), db, cats); err != nil {
		tb.Fatal(err)
	}
	return db
}
