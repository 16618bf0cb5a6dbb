package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Local keeps blobs in dir/ab/abcdef… with temporary files in dir/tmp.
type Local struct{ dir string }

// Open prepares a local store's folders and removes the temporary files of
// uploads that were cut off by a crash long ago.
func Open(dir string) (*Local, error) {
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
			if err := os.Remove(filepath.Join(tmp, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("evidence store: remove a stale upload: %w", err)
			}
		}
	}
	return &Local{dir: dir}, nil
}

func (s *Local) String() string { return s.dir }

// Put writes r to a temporary file, syncs it and renames it to its hash
// (syncing the folder too), so a crash leaves either nothing or the whole
// file under its name.
func (s *Local) Put(ctx context.Context, r io.Reader, limit int64) (Info, error) {
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
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, limit+1))
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
		committed = true // already stored: the same bytes once
		return info, os.Remove(tmp.Name())
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

// Open returns a stored blob for reading.
func (s *Local) Open(_ context.Context, sha string) (Object, error) {
	if err := checkHash(sha); err != nil {
		return nil, err
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localFile{f, st.Size()}, nil
}

type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

// Has reports whether the blob is stored.
func (s *Local) Has(_ context.Context, sha string) (bool, error) {
	if err := checkHash(sha); err != nil {
		return false, err
	}
	_, err := os.Stat(s.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (s *Local) path(sha string) string {
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
