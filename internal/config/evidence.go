package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
)

// S3Config is how to reach an S3-compatible evidence store.
type S3Config struct {
	Endpoint  string // http(s)://host[:port]; empty means AWS S3
	Region    string
	PathStyle bool
	// Credentials come from the environment only, never from flags.
	AccessKeyID, SecretAccessKey, SessionToken string
	// FromRole: no keys, but the AWS variables of a container or
	// Kubernetes service-account role say where to get them.
	FromRole bool
}

// BindEvidence registers where evidence files are stored. The S3 settings
// fall back to the standard AWS variables after their SOCMAP_ ones.
func (c *Config) BindEvidence(fs *pflag.FlagSet) {
	s := &c.S3
	bind(fs, func(fs *pflag.FlagSet) {
		fs.StringVar(&c.EvidenceStore, "evidence-store", c.EvidenceStore,
			"where evidence files are stored: a directory or s3://bucket/prefix (default: evidence in the data directory)")
		fs.StringVar(&s.Endpoint, "s3-endpoint", s.Endpoint,
			"S3-compatible service, e.g. https://minio.internal:9000 (default AWS S3)")
		alsoEnv(fs, "s3-endpoint", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
		fs.StringVar(&s.Region, "s3-region", s.Region, "region of the bucket (default: asked of the service)")
		alsoEnv(fs, "s3-region", "AWS_REGION", "AWS_DEFAULT_REGION")
		boolVar(fs, &s.PathStyle, "s3-path-style", s.PathStyle,
			"address the bucket in the path (http://host/bucket/…), as MinIO and Ceph usually need; otherwise virtual-hosted for AWS and Google Cloud Storage, path-style elsewhere")
	})
}

// loadCredentials reads the S3 keys from SOCMAP_S3_* or else the standard
// AWS variables; the SOCMAP_ ones win only as a complete key pair.
func (s *S3Config) loadCredentials(lookup func(string) (string, bool)) {
	get := func(k string) string { v, _ := lookup(k); return v }
	prefix := "AWS_"
	if get("SOCMAP_S3_ACCESS_KEY_ID") != "" || get("SOCMAP_S3_SECRET_ACCESS_KEY") != "" {
		prefix = "SOCMAP_S3_"
	}
	s.AccessKeyID, s.SecretAccessKey, s.SessionToken = get(prefix+"ACCESS_KEY_ID"), get(prefix+"SECRET_ACCESS_KEY"), get(prefix+"SESSION_TOKEN")
	s.FromRole = s.AccessKeyID == "" && (get("AWS_WEB_IDENTITY_TOKEN_FILE") != "" ||
		get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != "" || get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != "")
}

// EvidenceLocation is an evidence store: a directory, or an S3 bucket and
// key prefix.
type EvidenceLocation struct {
	Dir            string
	Bucket, Prefix string
}

// IsS3 reports whether the location is an S3 bucket.
func (l EvidenceLocation) IsS3() bool { return l.Bucket != "" }

func (l EvidenceLocation) String() string {
	if l.IsS3() {
		return "s3://" + l.Bucket + "/" + l.Prefix
	}
	return l.Dir
}

// Evidence is the configured evidence store.
func (c *Config) Evidence() (EvidenceLocation, error) {
	if c.EvidenceStore == "" {
		return EvidenceLocation{Dir: c.EvidenceDir()}, nil
	}
	return ParseEvidenceStore(c.EvidenceStore)
}

// bucketName follows the S3 rules for bucket names.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ParseEvidenceStore reads an evidence store setting: s3://bucket/prefix or
// a directory.
func ParseEvidenceStore(v string) (EvidenceLocation, error) {
	if strings.TrimSpace(v) == "" {
		return EvidenceLocation{}, fmt.Errorf("--evidence-store must not be empty")
	}
	if !strings.Contains(v, "://") {
		return EvidenceLocation{Dir: filepath.Clean(v)}, nil
	}
	bad := fmt.Errorf("--evidence-store %q: expected s3://bucket/prefix or a directory", v)
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "s3" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Port() != "" {
		return EvidenceLocation{}, bad
	}
	if !bucketName.MatchString(u.Host) || strings.Contains(u.Host, "..") {
		return EvidenceLocation{}, fmt.Errorf("--evidence-store %q: %q is not a valid bucket name (3–63 lower-case letters, digits, dots and hyphens)", v, u.Host)
	}
	prefix := strings.Trim(u.Path, "/")
	for _, part := range strings.Split(prefix, "/") {
		if prefix != "" && (part == "" || part == "." || part == "..") {
			return EvidenceLocation{}, fmt.Errorf("--evidence-store %q: the prefix has an empty or dot segment", v)
		}
	}
	return EvidenceLocation{Bucket: u.Host, Prefix: prefix}, nil
}

// Validate checks the settings an S3 evidence store needs.
func (s S3Config) Validate() error {
	if s.Endpoint != "" {
		if u, err := url.Parse(s.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return fmt.Errorf("--s3-endpoint %q: expected http(s)://host[:port]", s.Endpoint)
		}
	}
	if (s.AccessKeyID == "" || s.SecretAccessKey == "") && !s.FromRole {
		return fmt.Errorf("an S3 evidence store needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or SOCMAP_S3_ACCESS_KEY_ID and SOCMAP_S3_SECRET_ACCESS_KEY), or run with a container or web-identity role (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_WEB_IDENTITY_TOKEN_FILE)")
	}
	return nil
}

// ValidateEvidence checks the evidence store settings.
func (c *Config) ValidateEvidence() error {
	loc, err := c.Evidence()
	if err != nil || !loc.IsS3() {
		return err
	}
	return c.S3.Validate()
}

// maxS3UploadMiB is blob.MaxS3File in MiB: the largest object one
// server-side copy makes.
const maxS3UploadMiB = 5 << 10

func (c *Config) checkS3UploadLimit() error {
	loc, err := c.Evidence()
	if err != nil {
		return err
	}
	if loc.IsS3() && c.MaxUploadMiB > maxS3UploadMiB {
		return fmt.Errorf("--max-upload-mib must be at most %d with an S3 evidence store (the largest object one server-side copy makes)", maxS3UploadMiB)
	}
	return nil
}
