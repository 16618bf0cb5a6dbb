package blob_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
)

// A crash mid-upload leaves an unfinished multipart upload or a complete
// temporary object under tmp/, never an object named by a hash. Opening
// the store removes those older than a day and keeps fresh ones, which
// another instance may still be writing.
func TestOpenS3RemovesStaleUploads(t *testing.T) {
	srv := blobtest.FakeS3WithClock(t, time.Now().Add(-48*time.Hour))
	cfg := srv.Config(t)
	blobtest.UploadLeftovers(t, cfg, "old")
	srv.Clock.Advance(48 * time.Hour)
	blobtest.UploadLeftovers(t, cfg, "new")
	blobtest.OpenS3(t, cfg)
	got := blobtest.Contents(t, cfg)()
	want := []string{"tmp/upload-new", "upload:tmp/upload-new-parts"}
	if !slices.Equal(got, want) {
		t.Errorf("after opening the store: %v, want %v", got, want)
	}
}

func TestOpenS3Refuses(t *testing.T) {
	ctx := context.Background()
	good := blobtest.FakeS3(t).Config(t)
	for name, change := range map[string]func(*blob.S3Config){
		"no bucket":      func(c *blob.S3Config) { c.Bucket = "not-there" },
		"no credentials": func(c *blob.S3Config) { c.AccessKeyID = "" },
		"bad endpoint":   func(c *blob.S3Config) { c.Endpoint = "ftp://example" },
		"endpoint path":  func(c *blob.S3Config) { c.Endpoint += "/sub" },
	} {
		cfg := good
		change(&cfg)
		if _, err := blob.OpenS3(ctx, cfg); err == nil || !strings.Contains(err.Error(), "S3") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Without keys, the store takes them from the container role the AWS
// variables name, as on ECS or EKS.
func TestOpenS3WithContainerRole(t *testing.T) {
	var asked atomic.Int32
	role := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		fmt.Fprintf(w, `{"AccessKeyId":"role-key","SecretAccessKey":"role-secret","Token":"role-token","Expiration":%q}`,
			time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	}))
	defer role.Close()
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", role.URL+"/v2/credentials")
	cfg := blobtest.FakeS3(t).Config(t)
	cfg.AccessKeyID, cfg.SecretAccessKey, cfg.FromRole = "", "", true
	s := blobtest.OpenS3(t, cfg)
	ctx := context.Background()
	info, err := s.Put(ctx, strings.NewReader("signed with role credentials"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := blob.Verify(ctx, s, info.SHA256); !ok || err != nil {
		t.Errorf("verify: %v %v", ok, err)
	}
	if asked.Load() == 0 {
		t.Error("the container credentials endpoint was never asked")
	}
	cfg.FromRole = false
	if _, err := blob.OpenS3(ctx, cfg); err == nil {
		t.Error("a store without keys or a role was opened")
	}
}
