package blob_test

import (
	"context"
	"io"
	"net/url"
	"os"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/blob/blobtest"
)

// benchSize is the file of the object storage upload benchmark.
const benchSize = 512 << 20

// repeating streams n bytes of a random 1 MiB block, so a large upload is
// never held in memory by the client side of the benchmark.
type repeating struct {
	block []byte
	n     int64
}

func (r *repeating) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	off := int(r.n % int64(len(r.block)))
	k := copy(p[:min(int64(len(p)), r.n)], r.block[off:])
	r.n -= int64(k)
	return k, nil
}

func benchStream(seed uint64) io.Reader {
	return &repeating{block: randomBytes(seed, 1<<20), n: benchSize}
}

// benchBucket is a bucket on the in-process S3 server, or on the real
// endpoint SOCMAP_TEST_S3 names (the last backend listed).
func benchBucket(b *testing.B) blob.S3Config {
	if spec := os.Getenv("SOCMAP_TEST_S3"); spec != "" {
		return blobtest.RealS3(b, spec)
	}
	return blobtest.FakeS3(b).Config(b)
}

// BenchmarkS3Upload compares storing 512 MiB in the S3 evidence store
// (hashing, multipart upload of 8 MiB parts with their MD5s, completion,
// server-side copy to the hash, removal of the temporary object) with its
// floor: one plain streaming PUT of the same bytes with the same client.
//
//	go test -run '^$' -bench S3Upload -benchtime 3x ./internal/blob/
func BenchmarkS3Upload(b *testing.B) {
	ctx := context.Background()
	b.Run("store", func(b *testing.B) {
		cfg := benchBucket(b)
		s := blobtest.OpenS3(b, cfg)
		b.SetBytes(benchSize)
		for i := 0; b.Loop(); i++ {
			if _, err := s.Put(ctx, benchStream(uint64(i)), benchSize); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain-put", func(b *testing.B) {
		cfg, core := benchClient(b)
		b.SetBytes(benchSize)
		for i := 0; b.Loop(); i++ {
			if _, err := core.PutObject(ctx, cfg.Bucket, cfg.Prefix+"/plain", benchStream(uint64(i)), benchSize, "", "",
				minio.PutObjectOptions{DisableContentSha256: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// For reading the figures: the client library's own multipart upload
	// of the same bytes in parts of the same size, with no hashing of ours
	// and no copy.
	b.Run("library-multipart", func(b *testing.B) {
		cfg, core := benchClient(b)
		b.SetBytes(benchSize)
		for i := 0; b.Loop(); i++ {
			if _, err := core.Client.PutObject(ctx, cfg.Bucket, cfg.Prefix+"/multipart", benchStream(uint64(i)), benchSize,
				minio.PutObjectOptions{PartSize: 8 << 20, DisableContentSha256: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchClient is a bucket and a plain client of the same library,
// configured as the store configures its own.
func benchClient(b *testing.B) (blob.S3Config, minio.Core) {
	cfg := benchBucket(b)
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		b.Fatal(err)
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure: u.Scheme == "https", Region: cfg.Region, BucketLookup: lookup})
	if err != nil {
		b.Fatal(err)
	}
	return cfg, minio.Core{Client: c}
}
