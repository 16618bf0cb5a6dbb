package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func files(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestPutStoresByHashOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("quarterly access review, signed")
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	for i := 0; i < 2; i++ {
		info, err := s.Put(bytes.NewReader(data), 1<<20)
		if err != nil || info.SHA256 != want || info.Size != int64(len(data)) {
			t.Fatalf("put %d: %+v %v", i, info, err)
		}
	}
	if got := files(t, dir); len(got) != 1 || filepath.Base(got[0]) != want {
		t.Fatalf("stored files %v, want exactly one named by its hash", got)
	}
	f, err := s.Open(want)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(back, data) {
		t.Error("stored bytes differ")
	}
	if ok, err := s.Verify(want); !ok || err != nil {
		t.Errorf("verify: %v %v", ok, err)
	}
	if _, err := s.Open("../../etc/passwd"); err == nil {
		t.Error("a path was accepted as a blob name")
	}
}

func TestPutRefusesTooLargeAndEmpty(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	if _, err := s.Put(strings.NewReader(strings.Repeat("x", 11)), 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("11 bytes with a limit of 10: %v", err)
	}
	if _, err := s.Put(strings.NewReader(strings.Repeat("x", 10)), 10); err != nil {
		t.Errorf("exactly the limit: %v", err)
	}
	if _, err := s.Put(strings.NewReader(""), 10); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	// Only the one good file remains: no temporary leftovers.
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files left: %v", got)
	}
}

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
