package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Evidence downloads answer Range requests with the exact stored bytes,
// whichever store holds them, so a broken download of a large file resumes.
func TestEvidenceDownloadRanges(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	data := make([]byte, testMaxUpload-4321)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, b := range blobtest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			db := loadedStore(t, storetest.Targets(t)[0])
			svc := auth.NewService(db, auth.DefaultSettings(), nil)
			blobs, _ := b.Open(t)
			h := newRouterOn(t, db, builtUI, svc, false, blobs)
			admin := signIn(t, svc, "admin")
			p := &program{t: t, h: h, db: db, admin: admin, svc: svc}
			fields := map[string]string{"title": "Firewall export", "control_ids": fmt.Sprint(p.control("NW-01", ""))}
			w := upload(h, admin, "/api/v1/evidence", fields, "rules.pdf", bytes.NewReader(data))
			if w.Code != 201 {
				t.Fatalf("upload: %d %s", w.Code, w.Body)
			}
			var out evidenceOut
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			path := fmt.Sprintf("/api/v1/evidence/%d/download", out.Evidence.ID)
			for _, tc := range []struct {
				rng, contentRange string
				status            int
				want              []byte
			}{
				{"", "", 200, data},
				{"bytes=0-1023", "bytes 0-1023/8384287", 206, data[:1024]},
				{"bytes=4194300-4194400", "bytes 4194300-4194400/8384287", 206, data[4194300:4194401]},
				{"bytes=8000000-", "bytes 8000000-8384286/8384287", 206, data[8000000:]},
				{"bytes=-10", "bytes 8384277-8384286/8384287", 206, data[len(data)-10:]},
				{"bytes=8384287-", "bytes */8384287", 416, nil},
			} {
				hdr := admin.headers()
				if tc.rng != "" {
					hdr.Set("Range", tc.rng)
				}
				req := httptest.NewRequest("GET", path, nil)
				req.Header = hdr
				rec := serve(h, req)
				body, _ := io.ReadAll(rec.Body)
				if rec.Code != tc.status || rec.Header().Get("Content-Range") != tc.contentRange ||
					(tc.want != nil && !bytes.Equal(body, tc.want)) {
					t.Errorf("Range %q: %d %q, %d bytes; want %d %q, %d bytes", tc.rng, rec.Code,
						rec.Header().Get("Content-Range"), len(body), tc.status, tc.contentRange, len(tc.want))
				}
				if rec.Code < 300 && (rec.Header().Get("Accept-Ranges") != "bytes" || rec.Header().Get("X-Content-SHA256") != out.Evidence.SHA256) {
					t.Errorf("Range %q: headers %v", tc.rng, rec.Header())
				}
			}
			if w := do(h, "GET", path, admin.headers(), http.Header{"Range": {"bytes=0-1"}}); w.Header().Get("Content-Security-Policy") == "" {
				t.Error("a partial download lost its sandbox policy")
			}
		})
	}
}
