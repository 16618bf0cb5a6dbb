// Package blob stores evidence files by the SHA-256 of their contents under
// the data directory. A file is hashed while it streams to disk, never held
// in memory, becomes visible only once complete and synced, and is never
// changed afterwards; the same bytes uploaded twice are stored once.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// ErrTooLarge is returned when a stream is longer than the limit.
var ErrTooLarge = errors.New("file is larger than the limit")

// ErrEmpty is returned for a stream with no bytes.
var ErrEmpty = errors.New("file is empty")

// Store keeps blobs in dir/ab/abcdef… with temporary files in dir/tmp.
type Store struct{ dir string }

// staleUpload is how old a temporary upload file must be before Open
// removes it: a server killed mid-upload leaves one behind, while another
// instance sharing the folder may still be writing a fresh one.
const staleUpload = 24 * time.Hour

// Open prepares the store's folders and removes the temporary files of
// uploads that were cut off by a crash long ago.
func Open(dir string) (*Store, error) {
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, fmt.Errorf("evidence store: %w", err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil, fmt.Errorf("evidence store: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleUpload {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
	return &Store{dir: dir}, nil
}

// Info describes a stored blob.
type Info struct {
	SHA256 string
	Size   int64
}

// Put streams r into the store, reading at most limit bytes: a longer
// stream fails with ErrTooLarge and leaves nothing behind.
func (s *Store) Put(r io.Reader, limit int64) (Info, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-*")
	if err != nil {
		return Info{}, err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	// One byte past the limit tells "exactly the limit" from "too large".
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		return Info{}, err
	case n > limit:
		return Info{}, ErrTooLarge
	case n == 0:
		return Info{}, ErrEmpty
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, err
	}
	if err := tmp.Close(); err != nil {
		return Info{}, err
	}
	info := Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	final := s.path(info.SHA256)
	if _, err := os.Stat(final); err == nil {
		os.Remove(tmp.Name()) // already stored: the same bytes once
		committed = true
		return info, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Info{}, err
	}
	committed = true
	return info, syncDir(filepath.Dir(final))
}

var validHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Open returns a stored blob for reading.
func (s *Store) Open(sha string) (*os.File, error) {
	if !validHash.MatchString(sha) {
		return nil, fmt.Errorf("invalid blob name %q", sha)
	}
	return os.Open(s.path(sha))
}

// Verify re-reads a blob and reports whether its contents still hash to
// its name.
func (s *Store) Verify(sha string) (bool, error) {
	f, err := s.Open(sha)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sha, nil
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, sha[:2], sha)
}

// syncDir makes a rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
