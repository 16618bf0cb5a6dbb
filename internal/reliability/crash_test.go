//go:build reliability

package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/store"
)

// buildBinary compiles socmap once for the crash test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "socmap")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/socmap")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Five times over, eight clients create controls and upload evidence and
// the server is killed with SIGKILL mid-stream. After each restart the
// server starts cleanly; at the end the database passes its integrity
// check, every acknowledged control and file is there with the bytes that
// were sent, the audit chain verifies, and every file in the evidence
// store is named by the hash of its bytes (no partial file is visible).
func TestKillDuringWrites(t *testing.T) { killDuringWrites(t, nil) }

// The same with evidence in object storage: the server dies mid-upload
// (some uploads are multipart) and the bucket, which lives on, holds every
// acknowledged file and, under a hash, only whole files.
func TestKillDuringWritesToS3(t *testing.T) {
	cfg := blobtest.FakeS3(t).Config(t)
	killDuringWrites(t, &cfg)
}

func killDuringWrites(t *testing.T, bucket *blob.S3Config) {
	bin := buildBinary(t)
	data := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(data, "socmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	token := adminToken(t, db)
	db.Close()

	acks := &acknowledged{controls: map[string]int64{}, evidence: map[int64]string{}}
	for round := range 5 {
		addr := freeAddr(t)
		server := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--log-level", "warn")
		server.Stdout, server.Stderr = os.Stderr, os.Stderr
		if bucket != nil {
			server.Env = append(os.Environ(), "SOCMAP_EVIDENCE_STORE=s3://"+bucket.Bucket+"/"+bucket.Prefix,
				"SOCMAP_S3_ENDPOINT="+bucket.Endpoint, "SOCMAP_S3_REGION="+bucket.Region, "SOCMAP_S3_PATH_STYLE=true",
				"SOCMAP_S3_ACCESS_KEY_ID="+bucket.AccessKeyID, "SOCMAP_S3_SECRET_ACCESS_KEY="+bucket.SecretAccessKey)
		}
		if err := server.Start(); err != nil {
			t.Fatal(err)
		}
		base := "http://" + addr
		waitReady(t, base)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				writeUntilStopped(newClient(base, token), round, i, acks, stop)
			}()
		}
		time.Sleep(time.Duration(500+rand.IntN(1000)) * time.Millisecond)
		if err := server.Process.Kill(); err != nil { // SIGKILL: no shutdown, no flush
			t.Fatal(err)
		}
		server.Wait()
		close(stop)
		wg.Wait()
	}
	t.Logf("acknowledged %d controls and %d uploads across 5 crashes", len(acks.controls), len(acks.evidence))
	if len(acks.controls) == 0 || len(acks.evidence) == 0 {
		t.Fatal("nothing was acknowledged: the clients never reached the server")
	}
	checkIntegrity(t, filepath.Join(data, "socmap.db"))
	if bucket == nil {
		checkAfterCrashes(t, data, acks, localStore(t, data), localNames(data))
		return
	}
	var names []string
	for _, key := range blobtest.Contents(t, *bucket)() {
		if dir, name, _ := strings.Cut(key, "/"); dir != "tmp" && !strings.HasPrefix(key, "upload:") {
			names = append(names, name)
		}
	}
	checkAfterCrashes(t, data, acks, blobtest.OpenS3(t, *bucket), names)
}

// writeUntilStopped creates controls and uploads files until the server
// dies; only what was answered 201 counts as acknowledged.
func writeUntilStopped(c *client, round, i int, acks *acknowledged, stop <-chan struct{}) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		ref := fmt.Sprintf("K%d-%d-%05d", round, i, n)
		id, code, err := c.createControl(ref)
		if err != nil || code != 201 {
			continue // the server is gone or going: not acknowledged
		}
		acks.mu.Lock()
		acks.controls[ref] = id
		acks.mu.Unlock()
		size := rand.IntN(256 << 10)
		if n%8 == 7 {
			size += 8 << 20 // a multipart upload in object storage
		}
		content := []byte(fmt.Sprintf("%s evidence %d %s", ref, rand.Uint64(), make([]byte, size)))
		if eid, sum, code, err := c.upload(id, content); err == nil && code == 201 {
			acks.mu.Lock()
			acks.evidence[eid] = sum
			acks.mu.Unlock()
		}
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the server did not become ready after a restart")
}

func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check: %q %v", result, err)
	}
}

var blobName = regexp.MustCompile(`^[0-9a-f]{64}$`)

func localStore(t *testing.T, data string) blob.Store {
	blobs, err := blob.Open(filepath.Join(data, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	return blobs
}

// localNames lists the files stored under a hash in the local store.
func localNames(data string) []string {
	var names []string
	dirs, _ := filepath.Glob(filepath.Join(data, "evidence", "[0-9a-f][0-9a-f]"))
	for _, d := range dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	return names
}

// checkAfterCrashes finds every acknowledged record and file, and checks
// that every name the store holds (names) is a whole file.
func checkAfterCrashes(t *testing.T, data string, acks *acknowledged, blobs blob.Store, names []string) {
	t.Helper()
	cfgDSN := filepath.Join(data, "socmap.db")
	db, err := store.Open(context.Background(), cfgDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acks.verify(t, db, blobs)
	if _, err := auditlog.Verify(context.Background(), db); err != nil {
		t.Errorf("audit chain after the crashes: %v", err)
	}
	// Only whole files are visible: each is named by the hash of its bytes.
	for _, name := range names {
		if ok, err := blob.Verify(context.Background(), blobs, name); !blobName.MatchString(name) || !ok || err != nil {
			t.Errorf("evidence store holds %s, which is not a whole file: %v %v", name, ok, err)
		}
	}
	if len(names) < len(acks.evidence) {
		t.Errorf("%d files in the store for %d acknowledged uploads", len(names), len(acks.evidence))
	}
}
