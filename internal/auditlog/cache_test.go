package auditlog

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

type fixedVersion struct{ v atomic.Int64 }

func (f *fixedVersion) AuditVersion(context.Context) (int64, error) { return f.v.Load(), nil }

// Callers asking at once for a result not kept share one computation; a
// change to the trail makes the next caller compute again.
func TestCacheComputesOnceForCallersAtOnce(t *testing.T) {
	var c Cache[int, int]
	db := &fixedVersion{}
	var computed atomic.Int32
	release := make(chan struct{})
	compute := func() (int, error) {
		computed.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	got := make([]int, 5)
	errs := make([]error, 5)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = c.Get(context.Background(), db, 1, compute) })
	}
	for waiting(&c, 1) == nil {
		// the first caller has started computing
	}
	close(release)
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i] != 42 {
			t.Fatalf("caller %d: %d %v", i, got[i], errs[i])
		}
	}
	if n := computed.Load(); n != 1 {
		t.Errorf("computed %d times for callers at once, want 1", n)
	}
	db.v.Store(1)
	if v, err := c.Get(context.Background(), db, 1, func() (int, error) { return 43, nil }); err != nil || v != 43 {
		t.Errorf("after a change: %d %v, want 43", v, err)
	}
}

// A caller that waited for another's computation which failed computes
// for itself, and a failure is not kept.
func TestCacheWaiterComputesAfterAFailure(t *testing.T) {
	var c Cache[int, int]
	db := &fixedVersion{}
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := c.Get(context.Background(), db, 1, func() (int, error) { <-release; return 0, errors.New("gone") })
		first <- err
	}()
	for waiting(&c, 1) == nil {
	}
	second := make(chan int, 1)
	go func() {
		v, err := c.Get(context.Background(), db, 1, func() (int, error) { return 7, nil })
		if err != nil {
			t.Error(err)
		}
		second <- v
	}()
	close(release)
	if err := <-first; err == nil {
		t.Error("the failing computation answered no error")
	}
	if v := <-second; v != 7 {
		t.Errorf("the waiter got %d, want its own 7", v)
	}
}

func waiting(c *Cache[int, int], key int) *flight[int] {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight[key]
}

// Last hands back the kept result after the trail has moved, for a
// computation that builds on it; nothing is handed back before a result
// is kept.
func TestCacheLastOutlivesTheVersion(t *testing.T) {
	var c Cache[int, int]
	db := &fixedVersion{}
	if _, ok := c.Last(1); ok {
		t.Fatal("a result before any was computed")
	}
	if _, err := c.Get(context.Background(), db, 1, func() (int, error) { return 7, nil }); err != nil {
		t.Fatal(err)
	}
	db.v.Store(3)
	if v, ok := c.Last(1); !ok || v != 7 {
		t.Fatalf("Last after a change: %d %v", v, ok)
	}
	if _, ok := c.Last(2); ok {
		t.Fatal("a result for a key never computed")
	}
}
