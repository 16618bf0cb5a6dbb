package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A failed write leaves the file as it was and nothing beside it; a
// finished one replaces it whole and keeps its permissions.
func TestWriteAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "workbook.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("the export failed half-way")
	err := writeAtomically(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half of the new"); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("error %v, want %v", err, failed)
	}
	assertFiles(t, dir, path, "old")
	if err := writeAtomically(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, dir, path, "new")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("permissions after the replacement: %v %v", st.Mode(), err)
	}
	fresh := filepath.Join(dir, "backup.tar")
	if err := writeAtomically(fresh, func(w io.Writer) error { _, err := io.WriteString(w, "tar"); return err }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("a new file (a backup holds the database) must be private: %v %v", st.Mode(), err)
	}
}

func assertFiles(t *testing.T, dir, path, content string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != content {
		t.Errorf("%s holds %q (%v), want %q", path, got, err, content)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only %s", len(entries), filepath.Base(path))
	}
}
