package transfer

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// A backup taken while controls are being created restores to an
// installation that opens, passes its integrity check, holds every control
// acknowledged before the backup began, and whose evidence and audit trail
// verify; sha256sum agrees with the manifest. Evidence comes from and goes
// to either kind of evidence store.
func TestBackupWhileWritingAndRestore(t *testing.T) {
	for _, b := range blobtest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { testBackupAndRestore(t, b) })
	}
}

func testBackupAndRestore(t *testing.T, backend blobtest.Backend) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "socmap.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs, _ := backend.Open(t)
	loadDemo(t, db, blobs)

	var acknowledged atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		svc := controls.NewService(db)
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			ref, title, f, n, ty := fmt.Sprintf("BK-%04d", i), "Written during the backup", "monthly", "manual", "detective"
			if _, err := svc.Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &f, Nature: &n, Type: &ty}); err != nil {
				done <- err
				return
			}
			acknowledged.Add(1)
		}
	}()
	for acknowledged.Load() < 20 { // let some writes land first
		time.Sleep(time.Millisecond)
	}
	before := acknowledged.Load()
	var archive bytes.Buffer
	rep, err := Backup(ctx, path, blobs, &archive)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("a write failed during the backup: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if rep.EvidenceFiles < 200 || rep.DatabaseBytes == 0 {
		t.Errorf("backup: %+v", rep)
	}
	checkManifestWithSha256sum(t, archive.Bytes())

	restored := t.TempDir()
	blobs2, _ := backend.Open(t)
	if _, err := Restore(ctx, bytes.NewReader(archive.Bytes()), restored, blobs2); err != nil {
		t.Fatal(err)
	}
	db2, err := store.Open(ctx, filepath.Join(restored, "socmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var written int64
	storetest.Must(t, db2.R.Table("controls").Where("ref LIKE 'BK-%'").Count(&written))
	if written < before {
		t.Errorf("the backup holds %d of the %d controls acknowledged before it began", written, before)
	}
	if n, err := VerifyEvidence(ctx, db2, blobs2); err != nil || n != rep.EvidenceFiles {
		t.Errorf("restored evidence: %d files, %v", n, err)
	}
	if _, err := auditlog.Verify(ctx, db2); err != nil {
		t.Errorf("restored audit trail: %v", err)
	}
	// Restoring over an installation, or a damaged archive, changes nothing.
	if _, err := Restore(ctx, bytes.NewReader(archive.Bytes()), restored, blobs2); err == nil {
		t.Error("restored over an existing database")
	}
	damaged := bytes.Clone(archive.Bytes())
	damaged[len(damaged)/2] ^= 0xff
	empty := t.TempDir()
	blobs3, contents := backend.Open(t)
	if _, err := Restore(ctx, bytes.NewReader(damaged), empty, blobs3); err == nil {
		t.Error("a damaged backup was restored")
	}
	if _, err := os.Stat(filepath.Join(empty, "socmap.db")); err == nil {
		t.Error("a damaged backup left a database behind")
	}
	if got := contents(); len(got) > 0 {
		t.Errorf("a damaged backup left %d evidence files behind, e.g. %s", len(got), got[0])
	}
	// A backup fails rather than copy a file that no longer matches its name.
	if local, ok := blobs.(*blob.Local); ok {
		sha := firstHash(t, db)
		if err := os.WriteFile(filepath.Join(local.String(), sha[:2], sha), []byte("altered"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Backup(ctx, path, blobs, io.Discard); err == nil || !strings.Contains(err.Error(), "altered") {
			t.Errorf("a backup with an altered evidence file: %v", err)
		}
	}
}

func firstHash(t *testing.T, db *store.DB) string {
	var sha string
	if err := db.R.Table("evidence_files").Order("sha256").Limit(1).Pluck("sha256", &sha).Error; err != nil {
		t.Fatal(err)
	}
	return sha
}

// checkManifestWithSha256sum unpacks the archive and runs the real
// sha256sum -c on its manifest.
func checkManifestWithSha256sum(t *testing.T, archive []byte) {
	t.Helper()
	dir := t.TempDir()
	tr := tar.NewReader(bytes.NewReader(archive))
	for {
		hdr, err := tr.Next()
		if err != nil {
			break
		}
		path := filepath.Join(dir, hdr.Name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		var buf bytes.Buffer
		buf.ReadFrom(tr)
		os.WriteFile(path, buf.Bytes(), 0o644)
	}
	cmd := exec.Command("sha256sum", "--quiet", "-c", "manifest.sha256")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("sha256sum -c: %v %s", err, out)
	}
}
