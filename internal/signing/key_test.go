package signing

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The key is made once, readable by its owner only, and every instance
// starting at once on the same directory gets the same one.
func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	keys := make([]*Key, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := LoadOrCreate(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k == nil || !bytes.Equal(k.Public(), keys[0].Public()) {
			t.Fatal("instances starting together got different keys")
		}
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", info.Mode().Perm(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, FileName+".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	again, err := Load(dir)
	if err != nil || !bytes.Equal(again.Public(), keys[0].Public()) {
		t.Fatalf("reload: %v", err)
	}
	msg := []byte("seq 42")
	if !ed25519.Verify(again.Public(), msg, keys[3].Sign(msg)) {
		t.Error("a signature does not verify")
	}
	if bytes.Equal(again.Derive("a"), again.Derive("b")) || !bytes.Equal(again.Derive("a"), keys[0].Derive("a")) {
		t.Error("derived secrets must differ by purpose and agree by key")
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load made a key where there was none")
	}
}
