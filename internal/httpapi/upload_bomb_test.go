package httpapi_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/tabular/tabulartest"
)

// TestZipBombRefused: a 1 MB workbook whose sheet inflates to 480 MiB is
// refused with a 413 by the control-matrix import and the population
// upload, and nothing is stored.
func TestZipBombRefused(t *testing.T) {
	// Not parallel: it measures the heap, which other tests would grow
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	bomb := tabulartest.ZipBomb(480<<20, false)
	code, body := bombImport(t, p, bomb)
	if code != 413 || !json.Valid(body) {
		t.Errorf("control-matrix import of a zip bomb: %d %s", code, body)
	}
	var errOut struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &errOut); err != nil || errOut.Error.Code != "file_too_large" {
		t.Errorf("answer: %s", body)
	}
	w := uploadPopulation(p, base+"/controls/2/population", "leavers.xlsx", string(bomb)) // AC-04 has no population
	if w.Code != 413 {
		t.Errorf("population upload of a zip bomb: %d %s", w.Code, w.Body)
	}
	var out workOut
	p.call(p.admin, "GET", base+"/controls/2/work", "", 200, &out)
	if out.Population != nil {
		t.Errorf("a population was stored: %+v", out.Population)
	}
}

func bombImport(t testing.TB, p *program, bomb []byte) (int, []byte) {
	w := sendFile(p, "/api/v1/controls/import", "bomb.xlsx", bomb)
	return w.Code, w.Body.Bytes()
}

// BenchmarkZipBombUpload measures how fast and with how little memory the
// server refuses a 480 MiB zip bomb at the control-matrix import.
//
//	go test -run '^$' -bench ZipBomb -benchtime 5x ./internal/httpapi/
func BenchmarkZipBombUpload(b *testing.B) {
	p := newProgram(b, storetest.Targets(b)[0])
	bomb := tabulartest.ZipBomb(480<<20, false)
	b.ResetTimer()
	var peak uint64
	for range b.N {
		peak = max(peak, peakHeapGrowth(func() {
			if w := sendFile(p, "/api/v1/controls/import", "bomb.xlsx", bomb); w.Code != 413 {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-growth-MiB")
	b.ReportMetric(float64(len(bomb))/(1<<20), "bomb-MiB")
}

// peakHeapGrowth samples the heap while fn runs and returns how far it
// grew above where it started.
func peakHeapGrowth(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	if peak.Load() < base {
		return 0
	}
	return peak.Load() - base
}

// sendFile posts one file as multipart "file".
func sendFile(p *program, path, name string, data []byte) *httptest.ResponseRecorder {
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	part, _ := mw.CreateFormFile("file", name)
	part.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, body)
	req.Header = p.admin.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := serve(p.h, req)
	return w
}
