package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Two servers that share one database and one bucket, and no file system,
// serve the same evidence: a file uploaded on one downloads from the other.
func TestTwoInstancesShareDatabaseAndBucket(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			fake := blobtest.FakeS3(t)
			bucket := fake.Config(t)
			dsn := target.DSN(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var bases []string
			for range 2 {
				cfg := config.Defaults()
				cfg.DataDir, cfg.DB = t.TempDir(), dsn
				cfg.EvidenceStore = "s3://" + bucket.Bucket + "/" + bucket.Prefix
				cfg.S3 = config.S3Config{Endpoint: bucket.Endpoint, Region: bucket.Region, PathStyle: true,
					AccessKeyID: bucket.AccessKeyID, SecretAccessKey: bucket.SecretAccessKey}
				bases = append(bases, startInstance(t, ctx, cfg))
			}
			api := instanceClient{t: t, token: adminToken(t, dsn)}

			var control struct {
				Control struct{ ID int64 } `json:"control"`
			}
			api.json("POST", bases[0]+"/api/v1/controls", `{"ref":"BK-01","title":"Backups are restored quarterly","frequency":"quarterly","nature":"manual","type":"detective"}`, 201, &control)
			rng := rand.New(rand.NewPCG(3, 3))
			data := make([]byte, 19<<20+5) // several parts of a multipart upload
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			id := api.upload(bases[0], control.Control.ID, data)

			for i, base := range bases {
				got := api.get(fmt.Sprintf("%s/api/v1/evidence/%d/download", base, id), "", 200)
				if !bytes.Equal(got, data) {
					t.Errorf("instance %d: the download differs from the upload (%d of %d bytes)", i+1, len(got), len(data))
				}
			}
			got := api.get(fmt.Sprintf("%s/api/v1/evidence/%d/download", bases[1], id), "bytes=10000000-10000099", 206)
			if !bytes.Equal(got, data[10000000:10000100]) {
				t.Error("a range from the second instance differs")
			}
		})
	}
}

func startInstance(t *testing.T, ctx context.Context, cfg config.Config) string {
	t.Helper()
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	srv, err := New(ctx, cfg, quietLog(), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		// Nothing was kept on the instance's own disk.
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "evidence")); !os.IsNotExist(err) {
			t.Errorf("an instance wrote evidence to its data directory: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func adminToken(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	cfg := config.Defaults()
	cfg.DB = dsn
	db, err := OpenStore(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	const password = "two-instances-passphrase"
	if _, err := svc.CreateUser(ctx, auth.Trusted, auth.NewUser{Email: "lead@example.com", Role: "admin", Password: password}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, "lead@example.com", password, "test")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "instances", Scope: auth.ScopeReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

type instanceClient struct {
	t     *testing.T
	token string
}

func (c instanceClient) do(req *http.Request, want int) []byte {
	c.t.Helper()
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %.300s, want %d (%v)", req.Method, req.URL, resp.StatusCode, body, want, err)
	}
	return body
}

func (c instanceClient) json(method, url, body string, want int, out any) {
	c.t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if err := json.Unmarshal(c.do(req, want), out); err != nil {
		c.t.Fatal(err)
	}
}

func (c instanceClient) get(url, rng string, want int) []byte {
	c.t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	return c.do(req, want)
}

func (c instanceClient) upload(base string, control int64, data []byte) int64 {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"title": "Restore test report", "control_ids": fmt.Sprint(control)} {
		if err := mw.WriteField(k, v); err != nil {
			c.t.Fatal(err)
		}
	}
	part, err := mw.CreateFormFile("file", "restore-test.pdf")
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", base+"/api/v1/evidence", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out struct {
		Evidence struct{ ID int64 } `json:"evidence"`
	}
	if err := json.Unmarshal(c.do(req, 201), &out); err != nil {
		c.t.Fatal(err)
	}
	return out.Evidence.ID
}
