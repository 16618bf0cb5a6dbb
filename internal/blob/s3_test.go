package blob_test

import (
	"context"
	"slices"
	"strings"
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
