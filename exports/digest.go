package exports

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// Digest passes a file through to its destination and keeps the SHA-256
// and size of what was handed over, for the audit trail.
type Digest struct {
	w    io.Writer
	h    hash.Hash
	Size int64
}

// NewDigest counts and hashes what is written to w.
func NewDigest(w io.Writer) *Digest { return &Digest{w: w, h: sha256.New()} }

func (d *Digest) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	d.h.Write(p[:n]) // a hash.Hash never fails
	d.Size += int64(n)
	return n, err
}

// SHA256 is the hex digest of everything written so far.
func (d *Digest) SHA256() string { return hex.EncodeToString(d.h.Sum(nil)) }
