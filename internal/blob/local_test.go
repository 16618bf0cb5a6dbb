package blob

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Uploads cut off by a crash leave temporary files; opening the store
// removes the old ones and leaves a fresh one another instance may be
// writing.
func TestOpenRemovesStaleUploads(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	stale, fresh := filepath.Join(dir, "tmp", "upload-1"), filepath.Join(dir, "tmp", "upload-2")
	for _, f := range []string{stale, fresh} {
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("a stale upload was kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh upload was removed")
	}
}
