// Package signing keeps the server's Ed25519 key. It lives in the data
// directory, outside the database, so that someone who can rewrite the
// database cannot also forge what the key signs (the audit trail's
// checkpoints), nor undo the keyed hashes derived from it.
package signing

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileName is the key's file in the data directory.
const FileName = "socmap-signing.key"

// Key is the server's signing key.
type Key struct {
	private ed25519.PrivateKey
}

// LoadOrCreate reads the key in dir, or creates it (mode 0600) when there is
// none. Several instances starting at once on a shared directory end up
// with the same key: the file is written aside and linked into place,
// which fails for all but the first.
func LoadOrCreate(dir string) (*Key, error) {
	path := filepath.Join(dir, FileName)
	k, err := load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := create(dir, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create the signing key %s: %w", path, err)
	}
	return load(path)
}

// Load reads the key in dir; it is never created here.
func Load(dir string) (*Key, error) { return load(filepath.Join(dir, FileName)) }

func load(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s: not a PEM private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	private, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an Ed25519 key", path)
	}
	return &Key{private: private}, nil
}

func create(dir, path string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, FileName+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

// Sign signs a message.
func (k *Key) Sign(message []byte) []byte { return ed25519.Sign(k.private, message) }

// Public is the key's public half.
func (k *Key) Public() ed25519.PublicKey { return k.private.Public().(ed25519.PublicKey) }

// ID names the key in what it signs: the first bytes of its public key's
// SHA-256, enough to tell the keys of several instances apart.
func (k *Key) ID() string { return KeyID(k.Public()) }

// KeyID names a public key.
func KeyID(public ed25519.PublicKey) string {
	sum := sha256.Sum256(public)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// Derive returns a secret for one purpose, derived from the key: the same
// key and purpose always give the same secret, and it reveals nothing of
// the key.
func (k *Key) Derive(purpose string) []byte {
	mac := hmac.New(sha256.New, k.private.Seed())
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}
