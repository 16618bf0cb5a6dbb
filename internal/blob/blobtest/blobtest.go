// Package blobtest gives tests a fresh evidence store of every backend:
// always a local directory and an S3-compatible server started in the test
// process (gofakes3), and a real S3 endpoint when SOCMAP_TEST_S3 names one:
//
//	SOCMAP_TEST_S3=https://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/prefix][?region=R&path_style=true]
//
// The bucket must exist; each test works under its own new prefix below
// the given one and removes what it stored when it ends.
package blobtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/socmap/socmap/internal/blob"
)

// Backend is one kind of evidence store a test can run against.
type Backend struct {
	Name string
	// Open returns a new, empty store and a function listing everything the
	// store holds: stored files, temporary files and unfinished uploads.
	Open func(t testing.TB) (blob.Store, func() []string)
}

// Backends lists the stores to run the evidence store tests against.
func Backends(t testing.TB) []Backend {
	out := []Backend{
		{Name: "local", Open: openLocal},
		{Name: "s3", Open: func(t testing.TB) (blob.Store, func() []string) {
			cfg := FakeS3(t).Config(t)
			return OpenS3(t, cfg), Contents(t, cfg)
		}},
	}
	if real := os.Getenv("SOCMAP_TEST_S3"); real != "" {
		out = append(out, Backend{Name: "s3-real", Open: func(t testing.TB) (blob.Store, func() []string) {
			cfg := RealS3(t, real)
			return OpenS3(t, cfg), Contents(t, cfg)
		}})
	}
	return out
}

func openLocal(t testing.TB) (blob.Store, func() []string) {
	dir := t.TempDir()
	s, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, func() []string {
		var out []string
		if err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// Server is an in-process S3-compatible server.
type Server struct {
	URL   string
	Fake  *gofakes3.GoFakeS3
	Clock gofakes3.TimeSourceAdvancer // nil unless started WithClock
}

// FakeS3 starts an in-process S3-compatible server for the test.
func FakeS3(t testing.TB) *Server { return startFake(t, nil) }

// FakeS3WithClock starts one whose clock (the time it stamps on objects and
// uploads) starts at start and moves only when advanced.
func FakeS3WithClock(t testing.TB, start time.Time) *Server {
	return startFake(t, gofakes3.FixedTimeSource(start))
}

func startFake(t testing.TB, clock gofakes3.TimeSourceAdvancer) *Server {
	var opts []gofakes3.Option
	var mem []s3mem.Option
	if clock != nil {
		opts = append(opts, gofakes3.WithTimeSource(clock), gofakes3.WithTimeSkewLimit(0))
		mem = append(mem, s3mem.WithTimeSource(clock))
	}
	fake := gofakes3.New(s3mem.New(mem...), opts...)
	srv := httptest.NewServer(fake.Server())
	t.Cleanup(srv.Close)
	return &Server{URL: srv.URL, Fake: fake, Clock: clock}
}

var buckets atomic.Int64

// Config creates a new bucket on the server and returns how to reach it.
func (s *Server) Config(t testing.TB) blob.S3Config {
	cfg := blob.S3Config{Endpoint: s.URL, Region: "us-east-1", Bucket: fmt.Sprintf("evidence-%d", buckets.Add(1)),
		Prefix: "socmap", PathStyle: true, AccessKeyID: "test-key", SecretAccessKey: "test-secret"}
	if err := client(t, cfg).MakeBucket(context.Background(), cfg.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// RealS3 parses SOCMAP_TEST_S3 and returns a configuration with a new
// prefix for this test, whose objects are removed when the test ends.
func RealS3(t testing.TB, spec string) blob.S3Config {
	u, err := url.Parse(spec)
	if err != nil || u.User == nil || u.Host == "" {
		t.Fatalf("SOCMAP_TEST_S3 %q: expected https://ACCESS_KEY:SECRET_KEY@host/bucket[/prefix]", spec)
	}
	secret, _ := u.User.Password()
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	q := u.Query()
	cfg := blob.S3Config{Endpoint: u.Scheme + "://" + u.Host, Region: q.Get("region"), Bucket: bucket,
		PathStyle: q.Get("path_style") == "true", AccessKeyID: u.User.Username(), SecretAccessKey: secret}
	cfg.Prefix = strings.TrimPrefix(prefix+"/socmap-test-"+strings.ToLower(fmt.Sprintf("%x", time.Now().UnixNano())), "/")
	t.Cleanup(func() { removeAll(t, cfg) })
	return cfg
}

// OpenS3 opens the store a configuration names.
func OpenS3(t testing.TB, cfg blob.S3Config) *blob.S3 {
	t.Helper()
	s, err := blob.OpenS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func client(t testing.TB, cfg blob.S3Config) *minio.Client {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure: u.Scheme == "https", Region: cfg.Region, BucketLookup: lookup})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Contents lists the objects under the store's prefix, relative to it, and
// its unfinished multipart uploads as "upload:KEY".
func Contents(t testing.TB, cfg blob.S3Config) func() []string {
	return func() []string {
		c, ctx := client(t, cfg), context.Background()
		prefix := cfg.Prefix + "/"
		var out []string
		for obj := range c.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
			if obj.Err != nil {
				t.Fatal(obj.Err)
			}
			out = append(out, strings.TrimPrefix(obj.Key, prefix))
		}
		for _, up := range uploads(t, c, cfg.Bucket, prefix) {
			out = append(out, "upload:"+strings.TrimPrefix(up.Key, prefix))
		}
		slices.Sort(out)
		return out
	}
}

// uploads lists the unfinished multipart uploads under prefix (gofakes3
// answers NoSuchUpload for a bucket that never had one).
func uploads(t testing.TB, c *minio.Client, bucket, prefix string) []minio.ObjectMultipartInfo {
	var out []minio.ObjectMultipartInfo
	var key, id string
	for {
		page, err := (minio.Core{Client: c}).ListMultipartUploads(context.Background(), bucket, prefix, key, id, "", 1000)
		if minio.ToErrorResponse(err).Code == "NoSuchUpload" {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Uploads...)
		if !page.IsTruncated {
			return out
		}
		key, id = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

func removeAll(t testing.TB, cfg blob.S3Config) {
	c, ctx := client(t, cfg), context.Background()
	for obj := range c.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Prefix: cfg.Prefix + "/", Recursive: true}) {
		if obj.Err == nil {
			if err := c.RemoveObject(ctx, cfg.Bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
				t.Errorf("remove test object %s: %v", obj.Key, err)
			}
		}
	}
	for _, up := range uploads(t, c, cfg.Bucket, cfg.Prefix+"/") {
		if err := (minio.Core{Client: c}).AbortMultipartUpload(ctx, cfg.Bucket, up.Key, up.UploadID); err != nil {
			t.Errorf("remove test upload %s: %v", up.Key, err)
		}
	}
}

// UploadLeftovers creates what a crash mid-upload leaves in an S3 store: an
// unfinished multipart upload and a complete temporary object.
func UploadLeftovers(t testing.TB, cfg blob.S3Config, name string) {
	c, ctx := client(t, cfg), context.Background()
	core := minio.Core{Client: c}
	key := cfg.Prefix + "/tmp/upload-" + name
	if _, err := core.NewMultipartUpload(ctx, cfg.Bucket, key+"-parts", minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, cfg.Bucket, key, strings.NewReader("partial"), 7, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}

// PutRaw writes an object straight into the bucket, past the store, as
// someone with access to the bucket could.
func PutRaw(t testing.TB, cfg blob.S3Config, key string, data []byte) {
	c := client(t, cfg)
	if _, err := c.PutObject(context.Background(), cfg.Bucket, cfg.Prefix+"/"+key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}

// UseInEnvironment points the S3 settings of the environment at the
// server, as an operator would with SOCMAP_ and AWS_ variables.
func (s *Server) UseInEnvironment(t testing.TB) {
	t.Setenv("SOCMAP_S3_ENDPOINT", s.URL)
	t.Setenv("SOCMAP_S3_REGION", "us-east-1")
	t.Setenv("SOCMAP_S3_PATH_STYLE", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "test-key")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
}
