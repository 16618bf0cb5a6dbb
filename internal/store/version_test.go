package store_test

import (
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

func newControl(t *testing.T, db *store.DB, ref string) store.Control {
	t.Helper()
	now := time.Now().UTC()
	c := store.Control{Ref: ref, Title: "Access review", Frequency: "quarterly", Nature: "manual",
		ControlType: "detective", Status: "active", CreatedAt: now, UpdatedAt: now}
	storetest.Must(t, db.W.Create(&c))
	return c
}

func storedVersion(t *testing.T, db *store.DB, id int64) (int64, string) {
	t.Helper()
	var c store.Control
	storetest.Must(t, db.R.Take(&c, id))
	return c.Version, c.Description
}

// A save bumps the version; one from a writer whose copy or whose
// client's copy is older is refused and leaves the row as it was.
func TestSaveVersion(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := storetest.Open(t, target)
			c := newControl(t, db, "AC-01")
			if c.Version != 1 {
				t.Fatalf("a new row is at version %d, want 1", c.Version)
			}
			loaded := c // what a second writer read before the first saved

			c.Description = "first"
			if err := store.SaveVersion(db.W, &c, nil); err != nil || c.Version != 2 {
				t.Fatalf("save: err %v, version %d, want nil and 2", err, c.Version)
			}

			loaded.Description = "second, from a stale copy"
			if err := store.SaveVersion(db.W, &loaded, nil); !store.IsStale(err) {
				t.Fatalf("save of a copy read before the last save: err %v, want stale", err)
			}
			if loaded.Version != 1 {
				t.Fatalf("a refused save left the copy at version %d, want it unchanged at 1", loaded.Version)
			}
			one := int64(1)
			c.Description = "third, the client had version 1"
			if err := store.SaveVersion(db.W, &c, &one); !store.IsStale(err) {
				t.Fatalf("save with an older expected version: err %v, want stale", err)
			}
			if v, d := storedVersion(t, db, c.ID); v != 2 || d != "first" {
				t.Fatalf("stored: version %d %q, want 2 \"first\"", v, d)
			}
			two := int64(2)
			if err := store.SaveVersion(db.W, &c, &two); err != nil || c.Version != 3 {
				t.Fatalf("save with the current version: err %v, version %d", err, c.Version)
			}
		})
	}
}

// Writers that all read the same version and save at once, each in its
// own transaction: exactly one wins, every other is refused, whatever the
// engine does with concurrent transactions. The check and the write are
// one statement, so no interleaving lets two through.
func TestSaveVersionConcurrentWriters(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := storetest.Open(t, target)
			c := newControl(t, db, "AC-02")
			const writers = 8
			var wg sync.WaitGroup
			var mu sync.Mutex
			saved, refused := 0, 0
			start := make(chan struct{})
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					err := db.W.Transaction(func(tx *gorm.DB) error {
						var mine store.Control
						if err := tx.Take(&mine, c.ID).Error; err != nil {
							return err
						}
						mine.Description = string(rune('a' + i))
						expect := int64(1)
						return store.SaveVersion(tx, &mine, &expect)
					})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						saved++
					case store.IsStale(err):
						refused++
					default:
						t.Errorf("writer %d: %v", i, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			if saved != 1 || refused != writers-1 {
				t.Fatalf("%d saved, %d refused; want 1 and %d", saved, refused, writers-1)
			}
			if v, _ := storedVersion(t, db, c.ID); v != 2 {
				t.Fatalf("stored version %d, want 2", v)
			}
		})
	}
}

// Two writers that read the row outside any transaction and then save
// it, the second without naming a version: the second is still refused,
// since the row moved on after it read.
func TestSaveVersionReadThenWriteRace(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := storetest.Open(t, target)
			c := newControl(t, db, "AC-03")
			var a, b store.Control
			storetest.Must(t, db.R.Take(&a, c.ID))
			storetest.Must(t, db.R.Take(&b, c.ID))
			a.Title, b.Title = "from A", "from B"
			if err := store.SaveVersion(db.W, &a, nil); err != nil {
				t.Fatal(err)
			}
			if err := store.SaveVersion(db.W, &b, nil); !store.IsStale(err) {
				t.Fatalf("B's save after A's: err %v, want stale", err)
			}
			var got store.Control
			storetest.Must(t, db.R.Take(&got, c.ID))
			if got.Title != "from A" || got.Version != 2 {
				t.Fatalf("stored %q at version %d, want A's title at 2", got.Title, got.Version)
			}
		})
	}
}
