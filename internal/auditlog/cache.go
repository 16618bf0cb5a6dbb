package auditlog

import (
	"context"
	"sync"
)

// Cache keeps a few results computed from the programme, each valid while
// the audit trail's Version stands still: every change appends an entry,
// so every instance sharing the database knows when to recompute. Callers
// only read what it returns. The zero value is ready to use.
type Cache[K comparable, V any] struct {
	Max int // results kept; 0 means 8

	mu      sync.Mutex
	entries map[K]cached[V]
}

type cached[V any] struct {
	version int64
	value   V
}

// Versioned is the part of the store a Cache reads: *store.DB has it.
type Versioned interface {
	AuditVersion(ctx context.Context) (int64, error)
}

// Get returns the result for key if nothing has changed since it was
// computed, and otherwise computes and keeps it.
func (c *Cache[K, V]) Get(ctx context.Context, db Versioned, key K, compute func() (V, error)) (V, error) {
	version, err := db.AuditVersion(ctx)
	if err != nil {
		var zero V
		return zero, err
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == version {
		return e.value, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[K]cached[V]{}
	}
	limit := c.Max
	if limit == 0 {
		limit = 8
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= limit {
		clear(c.entries) // the next requests recompute what they need
	}
	c.entries[key] = cached[V]{version: version, value: v}
	return v, nil
}
