package coverage

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Cache keeps recent coverage reports. A report reads the state of every
// piece of evidence, so it is reused for the same scope and day while the
// audit trail's version says nothing in the programme has changed.
type Cache struct {
	db      *store.DB
	mu      sync.Mutex
	entries map[string]cachedReport
}

type cachedReport struct {
	version int64
	report  Report
}

// maxCachedReports bounds memory: a report of 100,000 evidence records
// takes well under a megabyte.
const maxCachedReports = 16

// NewCache builds an empty cache over db.
func NewCache(db *store.DB) *Cache {
	return &Cache{db: db, entries: map[string]cachedReport{}}
}

// Compute is Compute from the cache when nothing has changed since. Callers
// only read the report.
func (c *Cache) Compute(ctx context.Context, scope Scope, today time.Time) (Report, error) {
	version, err := auditlog.Version(ctx, c.db)
	if err != nil {
		return Report{}, err
	}
	key := fmt.Sprintf("%v|%v|%d|%s", scope.Categories, scope.SOC1, scope.ExpiringDays, today.Format(time.DateOnly))
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == version {
		return e.report, nil
	}
	rep, err := Compute(ctx, c.db, scope, today)
	if err != nil {
		return rep, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedReports {
		clear(c.entries) // the next requests recompute what they need
	}
	c.entries[key] = cachedReport{version: version, report: rep}
	return rep, nil
}
