package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
)

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// randomBytes are incompressible and different for every seed.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func readAll(t *testing.T, s blob.Store, sha string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size() != int64(len(b)) {
		t.Errorf("Size() = %d, read %d bytes", f.Size(), len(b))
	}
	return b
}

// onlyFiles checks that a store holds exactly the named whole files.
func onlyFiles(t *testing.T, list []string, want ...string) {
	t.Helper()
	var names []string
	for _, w := range want {
		names = append(names, w[:2]+"/"+w)
	}
	slices.Sort(names)
	got := slices.Sorted(slices.Values(list))
	if !slices.Equal(got, names) {
		t.Errorf("the store holds %v, want exactly %v", got, names)
	}
}

func eachBackend(t *testing.T, test func(t *testing.T, s blob.Store, contents func() []string)) {
	for _, b := range blobtest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, contents := b.Open(t)
			test(t, s, contents)
		})
	}
}

func TestPutStoresByHashOnce(t *testing.T) {
	ctx := context.Background()
	// One file below the part size, one of several parts and a short last one.
	small, large := []byte("quarterly access review, signed"), randomBytes(1, 2*8<<20+12345)
	eachBackend(t, func(t *testing.T, s blob.Store, contents func() []string) {
		for _, data := range [][]byte{small, large} {
			want := hashOf(data)
			for i := 0; i < 2; i++ {
				info, err := s.Put(ctx, bytes.NewReader(data), 64<<20)
				if err != nil || info.SHA256 != want || info.Size != int64(len(data)) {
					t.Fatalf("put %d bytes, try %d: %+v %v", len(data), i, info, err)
				}
			}
			if !bytes.Equal(readAll(t, s, want), data) {
				t.Errorf("the %d stored bytes differ from those sent", len(data))
			}
			if ok, err := blob.Verify(ctx, s, want); !ok || err != nil {
				t.Errorf("verify: %v %v", ok, err)
			}
			if ok, err := s.Has(ctx, want); !ok || err != nil {
				t.Errorf("has: %v %v", ok, err)
			}
		}
		onlyFiles(t, contents(), hashOf(small), hashOf(large))
		missing := hashOf([]byte("never stored"))
		if _, err := s.Open(ctx, missing); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("open a missing file: %v", err)
		}
		if ok, err := s.Has(ctx, missing); ok || err != nil {
			t.Errorf("has a missing file: %v %v", ok, err)
		}
		for _, bad := range []string{"../../etc/passwd", strings.ToUpper(missing), "tmp/x"} {
			if _, err := s.Open(ctx, bad); err == nil || errors.Is(err, blob.ErrNotFound) {
				t.Errorf("%q was accepted as a blob name: %v", bad, err)
			}
		}
	})
}

func TestPutRefusesTooLargeAndEmpty(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, s blob.Store, contents func() []string) {
		if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 11)), 10); !errors.Is(err, blob.ErrTooLarge) {
			t.Errorf("11 bytes with a limit of 10: %v", err)
		}
		// Past the limit after several parts have been sent.
		if _, err := s.Put(ctx, bytes.NewReader(randomBytes(2, 20<<20)), 17<<20); !errors.Is(err, blob.ErrTooLarge) {
			t.Errorf("20 MiB with a limit of 17 MiB: %v", err)
		}
		exact := randomBytes(3, 8<<20) // exactly one part and exactly the limit
		if _, err := s.Put(ctx, bytes.NewReader(exact), 8<<20); err != nil {
			t.Errorf("exactly the limit: %v", err)
		}
		if _, err := s.Put(ctx, strings.NewReader(""), 10); !errors.Is(err, blob.ErrEmpty) {
			t.Errorf("empty: %v", err)
		}
		// Only the one good file remains: no temporary leftovers, no unfinished uploads.
		onlyFiles(t, contents(), hashOf(exact))
	})
}

// failingReader breaks off after n bytes, as a client that disconnects does.
type failingReader struct {
	r io.Reader
	n int
}

var errCut = errors.New("connection reset")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errCut
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestPutCutOffLeavesNothing(t *testing.T) {
	ctx := context.Background()
	data := randomBytes(4, 30<<20)
	eachBackend(t, func(t *testing.T, s blob.Store, contents func() []string) {
		for _, cut := range []int{100, 8 << 20, 20<<20 + 7} {
			if _, err := s.Put(ctx, &failingReader{bytes.NewReader(data), cut}, 64<<20); !errors.Is(err, errCut) {
				t.Errorf("cut after %d bytes: %v", cut, err)
			}
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cancelled, bytes.NewReader(data), 64<<20); !errors.Is(err, context.Canceled) {
			t.Error("an upload went on after its request was cancelled")
		}
		for _, name := range contents() {
			if sha := name[strings.LastIndexByte(name, '/')+1:]; sha != hashOf(data) {
				t.Errorf("a cut-off upload left %s behind", name)
			}
		}
	})
}

// Downloads answer Range requests from the stored file, for every backend.
func TestServeRanges(t *testing.T) {
	ctx := context.Background()
	data := randomBytes(5, 10<<20+99)
	eachBackend(t, func(t *testing.T, s blob.Store, _ func() []string) {
		info, err := s.Put(ctx, bytes.NewReader(data), 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, err := s.Open(r.Context(), info.SHA256)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer f.Close()
			http.ServeContent(w, r, "", time.Time{}, f)
		}))
		defer srv.Close()
		for _, tc := range []struct {
			rng  string
			want []byte
		}{
			{"", data},
			{"bytes=0-99", data[:100]},
			{"bytes=9000000-9000009", data[9000000:9000010]},
			{"bytes=-5", data[len(data)-5:]},
			{"bytes=10485700-", data[10485700:]},
		} {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			if tc.rng != "" {
				req.Header.Set("Range", tc.rng)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			wantStatus := http.StatusPartialContent
			if tc.rng == "" {
				wantStatus = http.StatusOK
			}
			if err != nil || resp.StatusCode != wantStatus || !bytes.Equal(got, tc.want) {
				t.Errorf("Range %q: %d, %d bytes (want %d) %v", tc.rng, resp.StatusCode, len(got), len(tc.want), err)
			}
		}
	})
}

// Copy moves a file between stores of any kind and checks it on arrival.
func TestCopyBetweenBackends(t *testing.T) {
	ctx := context.Background()
	data := randomBytes(6, 9<<20)
	backends := blobtest.Backends(t)
	for _, from := range backends {
		for _, to := range backends {
			t.Run(from.Name+"-to-"+to.Name, func(t *testing.T) {
				src, _ := from.Open(t)
				dst, contents := to.Open(t)
				info, err := src.Put(ctx, bytes.NewReader(data), 64<<20)
				if err != nil {
					t.Fatal(err)
				}
				for i, want := range []bool{true, false} {
					if copied, err := blob.Copy(ctx, src, dst, info.SHA256); copied != want || err != nil {
						t.Fatalf("copy %d: copied %v, %v", i, copied, err)
					}
				}
				if !bytes.Equal(readAll(t, dst, info.SHA256), data) {
					t.Error("the copy differs")
				}
				onlyFiles(t, contents(), info.SHA256)
			})
		}
	}
}
