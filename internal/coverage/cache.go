package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Cache keeps recent coverage reports: a report reads the state of every
// piece of evidence, so it is reused for the same scope and day while
// nothing in the programme has changed.
type Cache struct {
	db      *store.DB
	reports auditlog.Cache[string, Report]
}

// NewCache builds an empty cache over db.
func NewCache(db *store.DB) *Cache {
	return &Cache{db: db, reports: auditlog.Cache[string, Report]{Max: 16}}
}

// Compute is Compute from the cache when nothing has changed since. Callers
// only read the report.
func (c *Cache) Compute(ctx context.Context, scope Scope, today time.Time) (Report, error) {
	key := fmt.Sprintf("%v|%v|%d|%d|%s", scope.Categories, scope.SOC1, scope.ExpiringDays, scope.Engagement, today.Format(time.DateOnly))
	return c.reports.Get(ctx, c.db, key, func() (Report, error) { return Compute(ctx, c.db, scope, today) })
}
