package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/store/storetest"
)

const largeUpload = 200 << 20

// writeRandomFile writes n pseudo-random bytes (incompressible, repeatable).
func writeRandomFile(t *testing.T, path string, n int64) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rng := rand.NewChaCha8([32]byte{7})
	if _, err := io.CopyN(f, rng, n); err != nil {
		t.Fatal(err)
	}
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// A 200 MiB upload streams through: the server's heap grows by less than
// 32 MiB and the stored SHA-256 is what sha256sum says of the original.
func TestLargeUploadStreams(t *testing.T) {
	// Not parallel: it measures the heap, which other tests would grow
	dir := t.TempDir()
	original := filepath.Join(dir, "big.bin")
	writeRandomFile(t, original, largeUpload)
	out, err := exec.Command("sha256sum", original).Output()
	if err != nil {
		t.Fatalf("sha256sum: %v", err)
	}
	want := strings.Fields(string(out))[0]

	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	blobs, err := blob.Open(filepath.Join(dir, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpapi.NewRouter(httpapi.Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: db,
		Catalog: catalog.NewService(db), Auth: svc, Controls: controls.NewService(db),
		Evidence: evidence.NewService(db, blobs, evidence.DefaultMaxUpload*3), Engagements: engagement.NewService(db, nil), UI: builtUI})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	p := &program{t: t, db: db, svc: svc, h: h}
	p.admin = signIn(t, svc, "admin")
	ac := p.control("AC-03", "")

	// Stream the file from disk through a pipe: the client holds no copy either.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("title", "Full database export")
		mw.WriteField("control_ids", fmt.Sprint(ac))
		part, _ := mw.CreateFormFile("file", "export.bin")
		f, err := os.Open(original)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		defer f.Close()
		if _, err := io.Copy(part, f); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/evidence", pr)
	req.Header = p.admin.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())

	runtime.GC()
	base := heapInUse()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				if h := heapInUse(); h > peak.Load() {
					peak.Store(h)
				}
			}
		}
	}()
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body evidenceOut
	if resp.StatusCode != 201 {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("upload answer: %v", err)
	}
	growth := int64(peak.Load()) - int64(base)
	t.Logf("200 MiB upload in %v, heap growth %.1f MiB", time.Since(start).Round(time.Millisecond), float64(growth)/(1<<20))
	if growth > 32<<20 {
		t.Errorf("heap grew by %d MiB during the upload, want under 32 MiB", growth>>20)
	}
	if body.Evidence.SHA256 != want || body.Evidence.FileSize != largeUpload {
		t.Errorf("stored sha256 %s size %d; sha256sum says %s", body.Evidence.SHA256, body.Evidence.FileSize, want)
	}
	if ok, err := blob.Verify(context.Background(), blobs, want); !ok || err != nil {
		t.Errorf("the stored file does not hash to its name: %v %v", ok, err)
	}
}
