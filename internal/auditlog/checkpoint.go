package auditlog

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/socmap/socmap/internal/signing"
)

// CheckpointFile is the append-only file of signed checkpoints in the
// data directory, beside the database and the signing key.
const CheckpointFile = "audit-checkpoints.jsonl"

// Checkpoint is the trail's head as the server saw it, signed with its
// Ed25519 key: whoever later rewrites or truncates the trail cannot
// produce a matching checkpoint without the key, which lives outside the
// database.
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	KeyID     string    `json:"key_id"`
	Signature string    `json:"signature"` // base64 of the Ed25519 signature of message()
}

// message is what is signed: fixed text, so a signature of one kind of
// record can never pass for another.
func (c Checkpoint) message() []byte {
	return fmt.Appendf(nil, "socmap audit checkpoint\nseq %d\nhash %s\nat %s\nkey %s\n",
		c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339Nano), c.KeyID)
}

// Sign makes the checkpoint of a head.
func Sign(key *signing.Key, seq int64, hash string, at time.Time) Checkpoint {
	c := Checkpoint{Seq: seq, Hash: hash, At: at.UTC().Truncate(time.Second), KeyID: key.ID()}
	c.Signature = base64.StdEncoding.EncodeToString(key.Sign(c.message()))
	return c
}

// Check reports whether the checkpoint was signed by the key public.
func (c Checkpoint) Check(public ed25519.PublicKey) error {
	if c.KeyID != signing.KeyID(public) {
		return fmt.Errorf("signed by another key (%s, the data directory's key is %s)", c.KeyID, signing.KeyID(public))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(public, c.message(), sig) {
		return errors.New("its signature does not match its contents (forged or altered)")
	}
	return nil
}

// String is the checkpoint as one JSON line.
func (c Checkpoint) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic("auditlog: encoding a checkpoint: " + err.Error()) // plain fields always encode
	}
	return string(b)
}

// appendCheckpoint adds c to the file at path in one write, opened for
// appending only, and flushes it to disk before returning.
func appendCheckpoint(path string, c Checkpoint) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(c.String() + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadCheckpoints reads a checkpoint file (or an anchor, a file holding
// one). A missing file is no checkpoints; a line that does not parse is an
// error naming it, since a damaged file is itself a sign of tampering.
func ReadCheckpoints(path string) ([]Checkpoint, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Checkpoint
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var c Checkpoint
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s line %d: not a checkpoint: %w", path, line, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}
