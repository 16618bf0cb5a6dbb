// Package blob stores evidence files by the SHA-256 of their contents, in a
// local directory or in S3-compatible object storage, behind one interface.
// Either way a file is hashed while it streams in, never held in memory
// beyond a bounded buffer, becomes visible under its hash only once it is
// complete and durable, and is never changed afterwards; the same bytes
// uploaded twice are stored once.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// ErrTooLarge is returned when a stream is longer than the limit.
var ErrTooLarge = errors.New("file is larger than the limit")

// ErrEmpty is returned for a stream with no bytes.
var ErrEmpty = errors.New("file is empty")

// ErrNotFound is returned for a hash the store holds no file for.
var ErrNotFound = errors.New("no stored file with this hash")

// Store keeps evidence files by content hash.
type Store interface {
	// Put streams r into the store, reading at most limit bytes: a longer
	// stream fails with ErrTooLarge and leaves nothing named by a hash.
	// When Put returns, the file is durable under its hash, so a database
	// row naming it may be committed.
	Put(ctx context.Context, r io.Reader, limit int64) (Info, error)
	// Open returns a stored file for reading (ErrNotFound if there is none).
	Open(ctx context.Context, sha string) (Object, error)
	// Has reports whether a file with this hash is stored.
	Has(ctx context.Context, sha string) (bool, error)
	// String names the store for messages: a directory or s3://bucket/prefix.
	String() string
}

// Object is an open stored file. Seeking is cheap, so http.ServeContent
// answers Range requests from it without reading what it skips.
type Object interface {
	io.ReadSeekCloser
	Size() int64
}

// Info describes a stored blob.
type Info struct {
	SHA256 string
	Size   int64
}

// staleUpload is how old a temporary upload must be before opening a store
// removes it: a server killed mid-upload leaves one behind, while another
// instance sharing the store may still be writing a fresh one.
const staleUpload = 24 * time.Hour

var validHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

func checkHash(sha string) error {
	if !validHash.MatchString(sha) {
		return fmt.Errorf("invalid blob name %q", sha)
	}
	return nil
}

// Verify re-reads a stored file and reports whether its contents still
// hash to its name.
func Verify(ctx context.Context, s Store, sha string) (bool, error) {
	f, err := s.Open(ctx, sha)
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

// ctxReader stops a stream once its request is cancelled, so an upload
// whose client went away is not stored.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Copy puts the file named sha from one store into another unless it is
// already there, and checks that the bytes that arrived hash to the name.
func Copy(ctx context.Context, from, to Store, sha string) (copied bool, err error) {
	if ok, err := to.Has(ctx, sha); err != nil || ok {
		return false, err
	}
	f, err := from.Open(ctx, sha)
	if err != nil {
		return false, err
	}
	defer f.Close()
	info, err := to.Put(ctx, f, f.Size())
	if err != nil {
		return false, err
	}
	if info.SHA256 != sha {
		return true, fmt.Errorf("the file stored as %s hashes to %s: it was altered", sha, info.SHA256)
	}
	return true, nil
}
