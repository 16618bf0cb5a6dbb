package auditlog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

func record(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := auditlog.WithActor(context.Background(), auditlog.Actor{Label: "t@example.com", Via: "session", Client: "10.0.0.1"})
	for i := 0; i < n; i++ {
		ev := auditlog.Event{Action: "thing.update", ObjectType: "thing", ObjectID: fmt.Sprint(i),
			Changes: auditlog.Diff(map[string]any{"title": "a"}, map[string]any{"title": fmt.Sprint("b", i)})}
		if err := auditlog.Record(ctx, db, ev); err != nil {
			t.Fatal(err)
		}
	}
}

func wantBreak(t *testing.T, db *store.DB, seq int64, reason string) {
	t.Helper()
	_, err := auditlog.Verify(context.Background(), db)
	var b *auditlog.Break
	if !errors.As(err, &b) || b.Seq != seq || !strings.Contains(b.Reason, reason) {
		t.Fatalf("verify = %v, want entry #%d %s", err, seq, reason)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			tests := []struct {
				name   string
				tamper []string // SQL run after the append-only guard is removed
				seq    int64
				reason string
			}{
				{"edited field", []string{"UPDATE audit_log SET actor = 'someone.else@example.com' WHERE seq = 4"}, 4, "altered"},
				{"edited changes", []string{`UPDATE audit_log SET changes = '{}' WHERE seq = 2`}, 2, "altered"},
				{"deleted entry", []string{"DELETE FROM audit_log WHERE seq = 3"}, 3, "removed"},
				{"deleted first entry", []string{"DELETE FROM audit_log WHERE seq = 1"}, 1, "removed"},
				{"replaced hash", []string{"UPDATE audit_log SET hash = 'f00d' WHERE seq = 5"}, 5, "altered"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					db := storetest.Open(t, target)
					record(t, db, 8)
					if n, err := auditlog.Verify(context.Background(), db); err != nil || n != 8 {
						t.Fatalf("intact trail: %d, %v", n, err)
					}
					// The database itself refuses edits until the guard is dropped.
					if err := db.W.Exec(tt.tamper[0]).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
						t.Fatalf("tampering was not refused by the database: %v", err)
					}
					dropGuards(t, db)
					for _, stmt := range tt.tamper {
						if err := db.W.Exec(stmt).Error; err != nil {
							t.Fatal(err)
						}
					}
					wantBreak(t, db, tt.seq, tt.reason)
				})
			}
		})
	}
}

// A forger who rewrites an entry together with a matching hash still
// breaks the next entry's link to it.
func TestVerifyDetectsConsistentForgery(t *testing.T) {
	db := storetest.Open(t, storetest.Targets(t)[0])
	record(t, db, 6)
	var e store.AuditEntry
	if err := db.R.Take(&e, "seq = 4").Error; err != nil {
		t.Fatal(err)
	}
	e.Actor = "innocent@example.com"
	e.Hash = auditlog.HashOf(e)
	dropGuards(t, db)
	if err := db.W.Exec("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 4", e.Actor, e.Hash).Error; err != nil {
		t.Fatal(err)
	}
	wantBreak(t, db, 4, "altered or replaced")
}

func dropGuards(t *testing.T, db *store.DB) {
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if db.Dialect == store.Postgres {
		stmts = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	}
	for _, s := range stmts {
		if err := db.W.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// Concurrent appends from many goroutines still form one unbroken chain.
func TestConcurrentAppendsKeepTheChain(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := storetest.Open(t, target)
			var wg sync.WaitGroup
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() { defer wg.Done(); record(t, db, 10) }()
			}
			wg.Wait()
			if n, err := auditlog.Verify(context.Background(), db); err != nil || n != 80 {
				t.Fatalf("verify: %d, %v", n, err)
			}
		})
	}
}

func TestDiffComparesPointedValues(t *testing.T) {
	a, b := int64(3), int64(3)
	d1, d2 := "2026-01-01", "2026-01-02"
	var none *string
	d := auditlog.Diff(map[string]any{"owner": &a, "day": &d1, "gone": none}, map[string]any{"owner": &b, "day": &d2, "gone": none})
	if len(d) != 1 || d["day"].Before != "2026-01-01" || d["day"].After != "2026-01-02" {
		t.Errorf("Diff = %+v", d)
	}
}

func TestDiff(t *testing.T) {
	d := auditlog.Diff(map[string]any{"a": 1, "b": "x", "gone": true}, map[string]any{"a": 1, "b": "y", "new": 2})
	if len(d) != 3 || d["b"].Before != "x" || d["b"].After != "y" || d["gone"].After != nil || d["new"].Before != nil {
		t.Errorf("Diff = %+v", d)
	}
}
