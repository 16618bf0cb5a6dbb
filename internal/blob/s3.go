package blob

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"golang.org/x/sync/errgroup"
)

// S3Config says where an S3-compatible evidence store lives and how to
// sign in to it.
type S3Config struct {
	Endpoint string // http(s)://host[:port]; empty means AWS S3
	Region   string // empty: asked of the service
	Bucket   string
	Prefix   string // key prefix without a leading or trailing slash; may be empty
	// PathStyle puts the bucket in the path (http://host/bucket/key), as
	// MinIO and Ceph usually need; otherwise the client uses virtual-hosted
	// names for AWS and Google Cloud Storage and the path elsewhere.
	PathStyle                                  bool
	AccessKeyID, SecretAccessKey, SessionToken string
	// FromRole takes credentials from the container or web-identity role
	// that the AWS_CONTAINER_CREDENTIALS_* or AWS_WEB_IDENTITY_TOKEN_FILE
	// variables name, renewed before they expire, when there are no keys.
	FromRole bool
	Log      *slog.Logger // nil: slog.Default()
}

// MaxS3File is the largest file the S3 store takes: the largest object a
// single server-side copy (from the temporary key to the hash) makes.
const MaxS3File = 5 << 30

const (
	// partSize is the size of each part of a multipart upload, and so of
	// the buffers an upload holds: at most partsInFlight being sent plus
	// one being filled. A file smaller than one part is sent in one PUT.
	partSize      = 8 << 20
	partsInFlight = 3
	octetStream   = "application/octet-stream"
)

// S3 keeps blobs as objects <prefix>/ab/abcdef… (the local store's layout,
// so the two can be synced with ordinary tools) with uploads in progress
// under <prefix>/tmp/.
type S3 struct {
	core   minio.Core
	bucket string
	prefix string // "" or ending in "/"
	where  string
	log    *slog.Logger
	bufs   sync.Pool
}

// OpenS3 connects to the bucket, checks that it is there and removes the
// leftovers of uploads that were cut off by a crash long ago.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://s3.amazonaws.com"
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("S3 endpoint %q: expected http(s)://host[:port]", endpoint)
	}
	creds := credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)
	switch {
	case cfg.AccessKeyID != "" && cfg.SecretAccessKey != "":
	case cfg.FromRole:
		creds = credentials.NewIAM("")
	default:
		return nil, errors.New("S3 evidence store: no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or SOCMAP_S3_ACCESS_KEY_ID and SOCMAP_S3_SECRET_ACCESS_KEY)")
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        creds,
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 evidence store: %w", err)
	}
	s := &S3{core: minio.Core{Client: client}, bucket: cfg.Bucket, log: cfg.Log,
		where: "s3://" + cfg.Bucket + "/" + cfg.Prefix}
	if cfg.Prefix != "" {
		s.prefix = cfg.Prefix + "/"
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.bufs.New = func() any { return new([partSize]byte) }
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("S3 evidence store %s at %s: %w", s.where, u.Host, err)
	}
	if !ok {
		return nil, fmt.Errorf("S3 evidence store: bucket %q does not exist at %s", cfg.Bucket, u.Host)
	}
	if err := s.removeStale(ctx); err != nil {
		return nil, fmt.Errorf("S3 evidence store %s: remove stale uploads: %w", s.where, err)
	}
	return s, nil
}

func (s *S3) String() string { return s.where }

func (s *S3) key(sha string) string { return s.prefix + sha[:2] + "/" + sha }

func (s *S3) tmpPrefix() string { return s.prefix + "tmp/" }

// Put reads the stream one part at a time, hashing as it goes. A file that
// fits in one part is already hashed when it has been read, so it is sent
// straight to its name in one PUT, which the service makes visible only
// when complete. A larger one goes to a temporary key as a multipart
// upload, and is copied to its name once the upload is complete.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64) (Info, error) {
	limit = min(limit, MaxS3File)
	h := sha256.New()
	src := io.TeeReader(io.LimitReader(ctxReader{ctx, r}, limit+1), h)
	first := s.bufs.Get().(*[partSize]byte)
	n, err := io.ReadFull(src, first[:])
	switch {
	case err == io.EOF:
		s.bufs.Put(first)
		return Info{}, ErrEmpty
	case errors.Is(err, io.ErrUnexpectedEOF):
		defer s.bufs.Put(first)
		if int64(n) > limit {
			return Info{}, ErrTooLarge
		}
		info := Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: int64(n)}
		return info, s.putWhole(ctx, info, first[:n])
	case err != nil:
		s.bufs.Put(first)
		return Info{}, err
	}
	return s.putParts(ctx, src, h, first, limit)
}

// putWhole sends a file held in one buffer to its name, signed with its
// SHA-256 and MD5 so the service refuses bytes damaged on the way.
func (s *S3) putWhole(ctx context.Context, info Info, data []byte) error {
	if ok, err := s.Has(ctx, info.SHA256); err != nil || ok {
		return err
	}
	sum := md5.Sum(data)
	_, err := s.core.PutObject(ctx, s.bucket, s.key(info.SHA256), bytes.NewReader(data), info.Size,
		base64.StdEncoding.EncodeToString(sum[:]), info.SHA256,
		minio.PutObjectOptions{ContentType: octetStream, DisableContentSha256: true})
	return err
}

// putParts streams a multipart upload to a temporary key: the next part is
// read while earlier ones are sent, at most partsInFlight at a time, each
// with its MD5 so the service refuses a damaged part.
func (s *S3) putParts(ctx context.Context, src io.Reader, h hash.Hash, first *[partSize]byte, limit int64) (Info, error) {
	tmp := s.tmpPrefix() + "upload-" + randomName()
	id, err := s.core.NewMultipartUpload(ctx, s.bucket, tmp, minio.PutObjectOptions{ContentType: octetStream})
	if err != nil {
		s.bufs.Put(first)
		return Info{}, err
	}
	// Cancelled when the stream fails, so parts still being sent stop.
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(pctx)
	g.SetLimit(partsInFlight)
	var (
		mu    sync.Mutex
		parts []minio.CompletePart
		total int64
	)
	buf, n := first, partSize
	var readErr error
	for number := 1; ; number++ {
		if total += int64(n); total > limit {
			s.bufs.Put(buf)
			readErr = ErrTooLarge
			break
		}
		data, b, num := buf[:n], buf, number
		g.Go(func() error {
			defer s.bufs.Put(b)
			sum := md5.Sum(data)
			p, err := s.core.PutObjectPart(gctx, s.bucket, tmp, id, num, bytes.NewReader(data), int64(len(data)),
				minio.PutObjectPartOptions{Md5Base64: base64.StdEncoding.EncodeToString(sum[:]), DisableContentSha256: true})
			if err != nil {
				return fmt.Errorf("part %d: %w", num, err)
			}
			mu.Lock()
			parts = append(parts, minio.CompletePart{PartNumber: num, ETag: p.ETag})
			mu.Unlock()
			return nil
		})
		if n < partSize || gctx.Err() != nil {
			break
		}
		buf = s.bufs.Get().(*[partSize]byte)
		n, err = io.ReadFull(src, buf[:])
		if err == io.EOF {
			s.bufs.Put(buf)
			break
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.bufs.Put(buf)
			readErr = err
			break
		}
	}
	if readErr != nil {
		stop()
	}
	err = errors.Join(readErr, g.Wait())
	if err != nil {
		s.abort(ctx, tmp, id)
		if errors.Is(err, ErrTooLarge) {
			return Info{}, ErrTooLarge
		}
		return Info{}, err
	}
	slices.SortFunc(parts, func(a, b minio.CompletePart) int { return a.PartNumber - b.PartNumber })
	if _, err := s.core.CompleteMultipartUpload(ctx, s.bucket, tmp, id, parts, minio.PutObjectOptions{}); err != nil {
		s.abort(ctx, tmp, id)
		return Info{}, err
	}
	info := Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: total}
	err = s.commit(ctx, tmp, info)
	s.remove(ctx, tmp)
	return info, err
}

// commit copies a complete temporary object to its hash, unless the same
// bytes are stored already, and checks the copy's size.
func (s *S3) commit(ctx context.Context, tmp string, info Info) error {
	if ok, err := s.Has(ctx, info.SHA256); err != nil || ok {
		return err
	}
	final := s.key(info.SHA256)
	if _, err := s.core.CopyObject(ctx, s.bucket, tmp, s.bucket, final, nil,
		minio.CopySrcOptions{}, minio.PutObjectOptions{}); err != nil {
		return fmt.Errorf("copy the upload to its name: %w", err)
	}
	st, err := s.core.StatObject(ctx, s.bucket, final, minio.StatObjectOptions{})
	if err != nil {
		return err
	}
	if st.Size != info.Size {
		return fmt.Errorf("the stored copy of %s has %d bytes, not %d", info.SHA256, st.Size, info.Size)
	}
	return nil
}

// cleanupContext outlives a cancelled request, so a client that hangs up
// mid-upload still has its temporary parts removed.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
}

// abort drops an unfinished multipart upload. If that fails too, Open
// removes it a day later.
func (s *S3) abort(ctx context.Context, key, id string) {
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	if err := s.core.AbortMultipartUpload(ctx, s.bucket, key, id); err != nil {
		s.log.Warn("evidence store: abort an unfinished upload", "key", key, "err", err)
	}
}

// remove deletes a temporary object; one left behind is removed by Open a
// day later, so failing here does not fail the upload.
func (s *S3) remove(ctx context.Context, key string) {
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	if err := s.core.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		s.log.Warn("evidence store: remove a temporary upload", "key", key, "err", err)
	}
}

// removeStale deletes temporary objects and aborts multipart uploads under
// tmp/ that are older than a day: what a crash mid-upload leaves behind.
func (s *S3) removeStale(ctx context.Context) error {
	cutoff := time.Now().Add(-staleUpload)
	for obj := range s.core.Client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.tmpPrefix(), Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		if obj.LastModified.Before(cutoff) {
			if err := s.core.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
				return err
			}
		}
	}
	return s.abortStale(ctx, cutoff)
}

// abortStale aborts the multipart uploads under tmp/ begun before cutoff.
func (s *S3) abortStale(ctx context.Context, cutoff time.Time) error {
	var keyMarker, idMarker string
	for {
		page, err := s.core.ListMultipartUploads(ctx, s.bucket, s.tmpPrefix(), keyMarker, idMarker, "", 1000)
		if notFound(err) { // some servers answer NoSuchUpload when there are none
			return nil
		}
		if err != nil {
			return err
		}
		for _, up := range page.Uploads {
			if up.Initiated.Before(cutoff) {
				if err := s.core.AbortMultipartUpload(ctx, s.bucket, up.Key, up.UploadID); err != nil && !notFound(err) {
					return err
				}
			}
		}
		if !page.IsTruncated {
			return nil
		}
		keyMarker, idMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// Has reports whether the blob is stored.
func (s *S3) Has(ctx context.Context, sha string) (bool, error) {
	if err := checkHash(sha); err != nil {
		return false, err
	}
	_, err := s.core.StatObject(ctx, s.bucket, s.key(sha), minio.StatObjectOptions{})
	if notFound(err) {
		return false, nil
	}
	return err == nil, err
}

// Open looks the object up (so a missing one is reported before anything
// is sent) and returns a reader that fetches from the current offset on
// the first read after each seek.
func (s *S3) Open(ctx context.Context, sha string) (Object, error) {
	if err := checkHash(sha); err != nil {
		return nil, err
	}
	st, err := s.core.StatObject(ctx, s.bucket, s.key(sha), minio.StatObjectOptions{})
	if notFound(err) {
		return nil, fmt.Errorf("%s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &s3Object{ctx: ctx, s: s, key: s.key(sha), size: st.Size}, nil
}

func notFound(err error) bool {
	if err == nil {
		return false
	}
	resp := minio.ToErrorResponse(err)
	return resp.StatusCode == http.StatusNotFound || resp.Code == "NoSuchKey" || resp.Code == "NoSuchUpload"
}

// s3Object reads an object in ranged GETs: each read past the current
// window fetches the next one, twice as large, so a small Range request
// costs little more than its bytes and a whole download a handful of
// requests; a seek starts again with a small window.
type s3Object struct {
	ctx            context.Context
	s              *S3
	key            string
	size, off, end int64
	window         int64
	body           io.ReadCloser
}

const (
	firstWindow = 1 << 20
	maxWindow   = 64 << 20
)

func (o *s3Object) Size() int64 { return o.size }

func (o *s3Object) Read(p []byte) (int, error) {
	if o.off >= o.size {
		return 0, io.EOF
	}
	if o.body == nil {
		o.window = max(firstWindow, min(2*o.window, maxWindow))
		o.end = min(o.off+o.window, o.size)
		var opts minio.GetObjectOptions
		if err := opts.SetRange(o.off, o.end-1); err != nil {
			return 0, err
		}
		body, _, _, err := o.s.core.GetObject(o.ctx, o.s.bucket, o.key, opts)
		if err != nil {
			return 0, err
		}
		o.body = body
	}
	n, err := o.body.Read(p[:min(int64(len(p)), o.end-o.off)])
	o.off += int64(n)
	switch {
	case o.off == o.end: // this window is done; the next read fetches another
		if err := o.Close(); err != nil {
			return n, err
		}
		if o.off == o.size {
			return n, io.EOF
		}
		return n, nil
	case err == io.EOF:
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.size
	}
	if offset < 0 {
		return o.off, errors.New("seek before the start of the file")
	}
	if offset != o.off {
		if err := o.Close(); err != nil {
			return o.off, err
		}
		o.off, o.window = offset, 0
	}
	return offset, nil
}

func (o *s3Object) Close() error {
	if o.body == nil {
		return nil
	}
	err := o.body.Close()
	o.body = nil
	return err
}

func randomName() string { return strings.ToLower(rand.Text()) }
