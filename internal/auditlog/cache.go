package auditlog

import (
	"context"
	"sync"
)

// Cache keeps a few results computed from the programme, each valid while
// the audit trail's Version stands still: every change appends an entry,
// so every instance sharing the database knows when to recompute. Callers
// only read what it returns. The zero value is ready to use.
//
// Callers asking at once for a result that is not kept share one
// computation: a page opens with several reads of the same engagement's
// progress, and computing it once per read multiplied a cold first view
// several times over on the large programme.
type Cache[K comparable, V any] struct {
	Max int // results kept; 0 means 8

	mu       sync.Mutex
	entries  map[K]cached[V]
	inFlight map[K]*flight[V]
}

type cached[V any] struct {
	version int64
	value   V
}

// flight is one computation under way, for the version it started on.
type flight[V any] struct {
	version int64
	done    chan struct{}
	value   V
	err     error
}

// Versioned is the part of the store a Cache reads: *store.DB has it.
type Versioned interface {
	AuditVersion(ctx context.Context) (int64, error)
}

// Get returns the result for key if nothing has changed since it was
// computed, and otherwise computes and keeps it, or waits for the same
// computation another caller started on the same version.
func (c *Cache[K, V]) Get(ctx context.Context, db Versioned, key K, compute func() (V, error)) (V, error) {
	var zero V
	version, err := db.AuditVersion(ctx)
	if err != nil {
		return zero, err
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.version == version {
		c.mu.Unlock()
		return e.value, nil
	}
	if f, ok := c.inFlight[key]; ok && f.version == version {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if f.err == nil {
			return f.value, nil
		}
		// The other caller's failure may be its own (it went away):
		// this caller computes for itself.
		return compute()
	}
	f := &flight[V]{version: version, done: make(chan struct{})}
	if c.inFlight == nil {
		c.inFlight = map[K]*flight[V]{}
	}
	c.inFlight[key] = f
	c.mu.Unlock()

	f.value, f.err = compute()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inFlight[key] == f {
		delete(c.inFlight, key)
	}
	close(f.done)
	if f.err != nil {
		return f.value, f.err
	}
	c.keep(key, version, f.value)
	return f.value, nil
}

// Kept reports whether a result for key is kept and still current.
func (c *Cache[K, V]) Kept(ctx context.Context, db Versioned, key K) (bool, error) {
	version, err := db.AuditVersion(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return ok && e.version == version, err
}

// Last returns the result kept for key whatever the version it was
// computed on: a computation that can tell what changed since builds on
// it rather than starting over.
func (c *Cache[K, V]) Last(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e.value, ok
}

// keep stores a result; the caller holds mu.
func (c *Cache[K, V]) keep(key K, version int64, v V) {
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
}
