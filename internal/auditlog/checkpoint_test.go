package auditlog_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// signed is an installation with a trail of n entries and a checkpoint
// signed after them.
func signed(t *testing.T, target storetest.Target, n int) (*store.DB, string, *auditlog.Notary) {
	t.Helper()
	db := storetest.Open(t, target)
	dir := t.TempDir()
	key, err := signing.LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	record(t, db, n)
	notary := auditlog.NewNotary(db, key, dir)
	if _, err := notary.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, dir, notary
}

// rewrite changes entry seq and recomputes every later hash and link, so
// the chain is whole again: what a database administrator who knows the
// hashing can do once the triggers are gone.
func rewrite(t *testing.T, db *store.DB, seq int64) {
	t.Helper()
	var entries []store.AuditEntry
	if err := db.R.Order("seq").Find(&entries).Error; err != nil {
		t.Fatal(err)
	}
	dropGuards(t, db)
	prev := ""
	for _, e := range entries {
		if e.Seq == seq {
			e.Actor = "innocent@example.com"
		}
		if e.Seq >= seq {
			e.PrevHash = prev
			e.Hash = auditlog.HashOf(e)
			if err := db.W.Exec("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.Actor, e.PrevHash, e.Hash, e.Seq).Error; err != nil {
				t.Fatal(err)
			}
		}
		prev = e.Hash
	}
}

func TestCheckpointsCatchTruncationAndRewriting(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			t.Run("intact", func(t *testing.T) {
				db, dir, _ := signed(t, target, 5)
				record(t, db, 2) // entries after the checkpoint are fine
				res, err := auditlog.VerifyInstallation(ctx, db, dir, "")
				if err != nil || res.Entries != 7 || res.Checkpoints != 1 || res.Newest.Seq != 5 {
					t.Fatalf("verify = %+v, %v", res, err)
				}
			})
			t.Run("newest entries deleted", func(t *testing.T) {
				db, dir, _ := signed(t, target, 8)
				dropGuards(t, db)
				storetest.Must(t, db.W.Exec("DELETE FROM audit_log WHERE seq > 5"))
				if _, err := auditlog.Verify(ctx, db); err != nil {
					t.Fatalf("the chain alone cannot tell: %v", err)
				}
				_, err := auditlog.VerifyInstallation(ctx, db, dir, "")
				var tr *auditlog.Truncated
				if !errors.As(err, &tr) || !strings.Contains(err.Error(), "entries after #5 are missing") {
					t.Fatalf("verify = %v, want entries after #5 missing", err)
				}
			})
			t.Run("entry rewritten, later hashes recomputed", func(t *testing.T) {
				db, dir, _ := signed(t, target, 8)
				rewrite(t, db, 3)
				if _, err := auditlog.Verify(ctx, db); err != nil {
					t.Fatalf("the chain alone cannot tell: %v", err)
				}
				_, err := auditlog.VerifyInstallation(ctx, db, dir, "")
				var b *auditlog.Break
				if !errors.As(err, &b) || b.Seq != 8 || !strings.Contains(err.Error(), "rewritten") {
					t.Fatalf("verify = %v, want entry #8 rewritten", err)
				}
			})
		})
	}
}

func TestCheckpointFileAndAnchor(t *testing.T) {
	ctx := context.Background()
	db, dir, notary := signed(t, storetest.Targets(t)[0], 4)
	path := filepath.Join(dir, auditlog.CheckpointFile)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("checkpoint file: %v %v", fi, err)
	}
	// An anchor kept elsewhere, then the checkpoint file is deleted with
	// the entries it covered.
	anchorCp, err := notary.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	anchor := filepath.Join(t.TempDir(), "anchor.json")
	if err := os.WriteFile(anchor, []byte(anchorCp.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	dropGuards(t, db)
	storetest.Must(t, db.W.Exec("DELETE FROM audit_log WHERE seq > 2"))
	if _, err := auditlog.VerifyInstallation(ctx, db, dir, ""); err != nil {
		t.Fatalf("without the anchor nothing is left to tell: %v", err)
	}
	if _, err := auditlog.VerifyInstallation(ctx, db, dir, anchor); err == nil || !strings.Contains(err.Error(), "entries after #2 are missing") {
		t.Fatalf("verify --anchor = %v", err)
	}

	// A checkpoint edited to cover less is refused for its signature.
	forged := strings.Replace(anchorCp.String(), `"seq":4`, `"seq":2`, 1)
	if err := os.WriteFile(anchor, []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := auditlog.VerifyInstallation(ctx, db, dir, anchor); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("forged anchor = %v", err)
	}
}

func TestNotaryRefusesToSignARewrittenTrail(t *testing.T) {
	ctx := context.Background()
	db, _, notary := signed(t, storetest.Targets(t)[0], 6)
	c, changed, err := notary.CheckpointIfChanged(ctx)
	if err != nil || changed || c.Seq != 6 {
		t.Fatalf("unchanged trail: %+v %v %v", c, changed, err)
	}
	rewrite(t, db, 2)
	if _, err := notary.Checkpoint(ctx); err == nil || !strings.Contains(err.Error(), "rewritten") {
		t.Fatalf("checkpoint of a rewritten trail = %v", err)
	}
}

func TestCheckpointsReachTheAdminsOutbox(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, storetest.Targets(t)[0])
	now := time.Now().UTC()
	for _, u := range []store.User{
		{Email: "admin@example.com", Role: "admin", PasswordHash: "x", CreatedAt: now, UpdatedAt: now},
		{Email: "gone@example.com", Role: "admin", PasswordHash: "x", DisabledAt: &now, CreatedAt: now, UpdatedAt: now},
		{Email: "lead@example.com", Role: "compliance", PasswordHash: "x", CreatedAt: now, UpdatedAt: now},
	} {
		storetest.Must(t, db.W.Create(&u))
	}
	record(t, db, 3)
	key, err := signing.LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c, err := auditlog.NewNotary(db, key, t.TempDir()).Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Recipient, Subject, Body string }
	storetest.Must(t, db.R.Table("digests").Find(&rows))
	if len(rows) != 1 || rows[0].Recipient != "admin@example.com" || !strings.Contains(rows[0].Subject, "#3") ||
		!strings.Contains(rows[0].Body, c.Signature) {
		t.Fatalf("outbox = %+v", rows)
	}
}
