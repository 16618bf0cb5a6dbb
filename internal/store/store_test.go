package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn     string
		dialect store.Dialect
		target  string
		wantErr string
	}{
		{dsn: "data/socmap.db", dialect: store.SQLite, target: "data/socmap.db"},
		{dsn: "sqlite:/var/lib/socmap/s.db", dialect: store.SQLite, target: "/var/lib/socmap/s.db"},
		{dsn: "postgres://u:p@db:5432/socmap", dialect: store.Postgres, target: "postgres://u:p@db:5432/socmap"},
		{dsn: "postgresql://db/socmap", dialect: store.Postgres, target: "postgresql://db/socmap"},
		{dsn: "", wantErr: "empty"},
		{dsn: "mysql://u:secret@db/x", wantErr: "unsupported scheme"},
		{dsn: "sqlite:", wantErr: "SQLite file path"},
		{dsn: "data/s.db?_foreign_keys=off", wantErr: "without options"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			d, target, err := store.ParseDSN(tt.dsn)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil || d != tt.dialect || target != tt.target {
				t.Fatalf("got (%q, %q, %v), want (%q, %q)", d, target, err, tt.dialect, tt.target)
			}
		})
	}
}

// The SQLite settings must hold on every pooled connection, not just the
// first one: read them back from both pools.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pools := map[string]*store.DB{"writer": {R: db.W}, "reader": {R: db.R}}
	for name, p := range pools {
		sqlDB, err := p.R.DB()
		if err != nil {
			t.Fatal(err)
		}
		// Hold two connections of the pool at once so a fresh one is checked too.
		conns := 2
		if name == "writer" {
			conns = 1
		}
		for i := 0; i < conns; i++ {
			conn, err := sqlDB.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000"}
			if name == "writer" {
				want["synchronous"] = "2" // FULL
			}
			for pragma, w := range want {
				var got string
				if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("%s conn %d: PRAGMA %s: %v", name, i, pragma, err)
				}
				if got != w {
					t.Errorf("%s conn %d: PRAGMA %s = %q, want %q", name, i, pragma, got, w)
				}
			}
		}
		if got := sqlDB.Stats().MaxOpenConnections; name == "writer" && got != 1 {
			t.Errorf("writer pool allows %d connections, want exactly 1", got)
		}
	}
	// The reader pool must refuse writes: every write goes through the one writer.
	if err := db.R.Exec("CREATE TABLE nope (x INTEGER)").Error; err == nil {
		t.Error("the read pool accepted a write")
	}
}

// _txlock=immediate: a transaction takes the write lock at BEGIN, so two
// writers queue instead of one failing with "database is locked" mid-way.
func TestSQLiteImmediateTransactions(t *testing.T) {
	dsn := storetest.SQLiteDSN(t)
	a, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	txA := a.W.Begin()
	defer txA.Rollback()
	// With a deferred BEGIN this read-only tx would not hold the lock yet;
	// an immediate one does, so a second writer has to wait for it.
	done := make(chan error, 1)
	go func() {
		done <- b.W.Exec("INSERT INTO frameworks (id, name, kind, version, content_hash, loaded_at) VALUES ('x','x','soc2','1','h', CURRENT_TIMESTAMP)").Error
	}()
	select {
	case err := <-done:
		t.Fatalf("second writer was not blocked by an open transaction (err=%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := txA.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("second writer failed after the lock was released: %v", err)
	}
}

func TestMigrations(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := target.DSN(t)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			current, latest, err := db.SchemaVersion(ctx)
			if err != nil || current != latest || latest < 1 {
				t.Fatalf("SchemaVersion = %d, %d, %v; want equal and >= 1", current, latest, err)
			}
			if err := db.Ready(ctx); err != nil {
				t.Fatalf("Ready: %v", err)
			}
			db.Close()

			// Opening again is a no-op.
			db, err = store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("second open: %v", err)
			}
			// A database stamped by a newer socmap is refused, untouched.
			next := latest + 1
			if err := db.W.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", next, true).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Ready(ctx); err == nil {
				t.Error("Ready reported a database with a newer schema as ready")
			}
			db.Close()
			_, err = store.Open(ctx, dsn)
			if err == nil || !strings.Contains(err.Error(), "newer socmap") {
				t.Fatalf("open of a newer database: err = %v, want a refusal naming a newer socmap", err)
			}
		})
	}
}

// Two exports run at once across every handle on the database; a third
// waits for one to finish, and a lease a crashed holder left is taken over.
func TestExportSlots(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := storetest.Open(t, target)
			a, b := store.NewExportSlots(db), store.NewExportSlots(db) // two instances
			a.Poll, b.Poll = 10*time.Millisecond, 10*time.Millisecond
			ctx := context.Background()
			r1, err := a.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			r2, err := b.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			if _, err := a.Acquire(short); err == nil {
				t.Fatal("a third export got a slot")
			}
			r1()
			r3, err := b.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			r2()
			r3()
			// Holders that vanished (a crashed instance): once their leases run
			// out the slots are free again.
			past := time.Now().UTC().Add(-time.Second)
			if err := db.W.Exec("UPDATE export_slots SET holder = 'crashed', expires_at = ?", past).Error; err != nil {
				t.Fatal(err)
			}
			waited, cancel2 := context.WithTimeout(ctx, 5*time.Second)
			defer cancel2()
			if _, err := a.Acquire(waited); err != nil {
				t.Errorf("an expired lease was not taken over: %v", err)
			}
		})
	}
}
