// Package config gathers socmap's settings from command-line flags and
// SOCMAP_* environment variables (a flag wins over the environment, which
// wins over the default) and checks them before anything starts.
package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Config is every setting a socmap command may need.
type Config struct {
	Addr            string        // listen address of the web server
	DataDir         string        // evidence files and the default SQLite database
	DB              string        // database DSN; empty means DataDir/socmap.db
	TrustedProxies  []string      // proxies whose X-Forwarded-For is believed
	LogLevel        string        // debug, info, warn, error
	ShutdownTimeout time.Duration // how long in-flight requests get on SIGTERM
	SecureCookies   bool          // Secure session cookie even without TLS (behind a TLS proxy)
	SessionIdle     time.Duration // a session unused this long ends
	SessionMax      time.Duration // a session ends this long after sign-in
	MaxUploadMiB    int64         // largest evidence file
	SampleTable     string        // overrides of the sample size per frequency, e.g. "daily=40,weekly=10"
	Organisation    string        // the service organisation's name, shown on auditor deliverables
	Tasks           TaskConfig
}

// TaskConfig is when tasks fall due and how owners are reminded.
type TaskConfig struct {
	TimeZone      string // the organisation's time zone: when a due date has passed
	GraceDays     int    // days after an occurrence window before its task is overdue
	DigestCadence string // daily, weekdays, weekly or off
	DigestAt      string // HH:MM in the time zone
	PublicURL     string // how users reach socmap, for links in digests and calendars
	SMTPHost      string // empty: digests stay in the outbox
	SMTPPort      int
	SMTPStartTLS  bool
	SMTPUsername  string
	SMTPPassword  string // from the environment only, never a flag
	SMTPFrom      string
}

// Defaults are the settings with no flag and no environment variable.
func Defaults() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./data",
		LogLevel:        "info",
		ShutdownTimeout: 15 * time.Second,
		SessionIdle:     time.Hour,
		SessionMax:      12 * time.Hour,
		MaxUploadMiB:    100,
		Tasks: TaskConfig{TimeZone: "UTC", GraceDays: 14, DigestCadence: "weekdays", DigestAt: "08:00",
			SMTPPort: 587, SMTPStartTLS: true},
	}
}

// BindStorage registers --data and --db, which every command that touches
// the database takes, and --organisation and --task-grace-days, which the
// deliverables show.
func (c *Config) BindStorage(fs *pflag.FlagSet) {
	fs.StringVar(&c.Organisation, "organisation", env("SOCMAP_ORGANISATION", c.Organisation),
		"the service organisation's name, shown on workbooks and packages [SOCMAP_ORGANISATION]")
	fs.IntVar(&c.Tasks.GraceDays, "task-grace-days", envInt("SOCMAP_TASK_GRACE_DAYS", c.Tasks.GraceDays),
		"days after an occurrence window ends before its evidence is due: owners' tasks and the auditors' request list [SOCMAP_TASK_GRACE_DAYS]")
	fs.StringVar(&c.DataDir, "data", env("SOCMAP_DATA", c.DataDir),
		"data directory for the database and evidence files [SOCMAP_DATA]")
	fs.StringVar(&c.DB, "db", env("SOCMAP_DB", c.DB),
		"database DSN: a SQLite file path, sqlite:PATH or postgres://… (default: socmap.db in the data directory) [SOCMAP_DB]")
}

// BindServer registers the flags of the web server.
func (c *Config) BindServer(fs *pflag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", env("SOCMAP_ADDR", c.Addr), "listen address [SOCMAP_ADDR]")
	proxies := c.TrustedProxies
	if v := os.Getenv("SOCMAP_TRUSTED_PROXIES"); v != "" {
		proxies = splitList(v)
	}
	fs.StringSliceVar(&c.TrustedProxies, "trusted-proxies", proxies,
		"comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is trusted (default none) [SOCMAP_TRUSTED_PROXIES]")
	fs.StringVar(&c.LogLevel, "log-level", env("SOCMAP_LOG_LEVEL", c.LogLevel),
		"log level: debug, info, warn or error [SOCMAP_LOG_LEVEL]")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", envDuration("SOCMAP_SHUTDOWN_TIMEOUT", c.ShutdownTimeout),
		"time in-flight requests get to finish on SIGINT/SIGTERM [SOCMAP_SHUTDOWN_TIMEOUT]")
	fs.DurationVar(&c.SessionIdle, "session-idle", envDuration("SOCMAP_SESSION_IDLE", c.SessionIdle),
		"a sign-in session unused this long ends [SOCMAP_SESSION_IDLE]")
	fs.DurationVar(&c.SessionMax, "session-max", envDuration("SOCMAP_SESSION_MAX", c.SessionMax),
		"a sign-in session ends this long after sign-in, used or not [SOCMAP_SESSION_MAX]")
	maxUpload := c.MaxUploadMiB
	if v := os.Getenv("SOCMAP_MAX_UPLOAD_MIB"); v != "" {
		if _, err := fmt.Sscan(v, &maxUpload); err != nil {
			maxUpload = -1 // reported by Validate
		}
	}
	fs.Int64Var(&c.MaxUploadMiB, "max-upload-mib", maxUpload, "largest evidence file, in MiB [SOCMAP_MAX_UPLOAD_MIB]")
	fs.StringVar(&c.SampleTable, "sample-table", env("SOCMAP_SAMPLE_TABLE", c.SampleTable),
		"sample sizes per frequency that differ from the defaults, e.g. daily=40,weekly=10 [SOCMAP_SAMPLE_TABLE]")
	c.bindTasks(fs)
	fs.BoolVar(&c.SecureCookies, "secure-cookies", os.Getenv("SOCMAP_SECURE_COOKIES") == "true",
		"mark the session cookie Secure even without TLS here, e.g. behind a TLS-terminating proxy (always on over TLS) [SOCMAP_SECURE_COOKIES=true]")
}

func (c *Config) bindTasks(fs *pflag.FlagSet) {
	t := &c.Tasks
	fs.StringVar(&t.TimeZone, "timezone", env("SOCMAP_TIMEZONE", t.TimeZone),
		"the organisation's IANA time zone, e.g. Europe/Berlin: when a day ends for due dates and digests [SOCMAP_TIMEZONE]")
	fs.StringVar(&t.DigestCadence, "digest-cadence", env("SOCMAP_DIGEST_CADENCE", t.DigestCadence),
		"how often owners get a digest of due and overdue tasks: daily, weekdays, weekly or off [SOCMAP_DIGEST_CADENCE]")
	fs.StringVar(&t.DigestAt, "digest-at", env("SOCMAP_DIGEST_AT", t.DigestAt),
		"time of day (HH:MM, in --timezone) digests go out [SOCMAP_DIGEST_AT]")
	fs.StringVar(&t.PublicURL, "public-url", env("SOCMAP_PUBLIC_URL", t.PublicURL),
		"the address users open socmap at, e.g. https://socmap.example.com, for links in digests and calendar feeds [SOCMAP_PUBLIC_URL]")
	fs.StringVar(&t.SMTPHost, "smtp-host", env("SOCMAP_SMTP_HOST", t.SMTPHost),
		"mail server for digests; without one digests stay in the outbox admins can read [SOCMAP_SMTP_HOST]")
	fs.IntVar(&t.SMTPPort, "smtp-port", envInt("SOCMAP_SMTP_PORT", t.SMTPPort), "mail server port [SOCMAP_SMTP_PORT]")
	fs.BoolVar(&t.SMTPStartTLS, "smtp-starttls", env("SOCMAP_SMTP_STARTTLS", "true") != "false",
		"require STARTTLS before sending anything [SOCMAP_SMTP_STARTTLS=false to turn off]")
	fs.StringVar(&t.SMTPUsername, "smtp-username", env("SOCMAP_SMTP_USERNAME", t.SMTPUsername),
		"mail server user name; the password is read from SOCMAP_SMTP_PASSWORD only [SOCMAP_SMTP_USERNAME]")
	fs.StringVar(&t.SMTPFrom, "smtp-from", env("SOCMAP_SMTP_FROM", t.SMTPFrom), "sender address of digests [SOCMAP_SMTP_FROM]")
	t.SMTPPassword = os.Getenv("SOCMAP_SMTP_PASSWORD")
}

// validate checks the task and reminder settings.
func (t TaskConfig) validate() error {
	if _, err := time.LoadLocation(t.TimeZone); err != nil || t.TimeZone == "" || t.TimeZone == "Local" {
		return fmt.Errorf("--timezone %q: expected an IANA time zone such as UTC or Europe/Berlin", t.TimeZone)
	}
	switch t.DigestCadence {
	case "daily", "weekdays", "weekly", "off":
	default:
		return fmt.Errorf("--digest-cadence %q: expected daily, weekdays, weekly or off", t.DigestCadence)
	}
	if _, err := t.DigestTime(); err != nil {
		return err
	}
	if t.PublicURL != "" {
		if u, err := url.Parse(t.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--public-url %q: expected an http or https address", t.PublicURL)
		}
	}
	if t.SMTPHost != "" {
		if t.SMTPPort < 1 || t.SMTPPort > 65535 {
			return fmt.Errorf("--smtp-port must be from 1 to 65535")
		}
		if _, err := mail.ParseAddress(t.SMTPFrom); err != nil || strings.ContainsAny(t.SMTPFrom, "\r\n") {
			return fmt.Errorf("--smtp-from %q: a sender address is needed to send mail", t.SMTPFrom)
		}
	}
	return nil
}

// DigestTime is --digest-at as a time of day.
func (t TaskConfig) DigestTime() (time.Duration, error) {
	at, err := time.Parse("15:04", t.DigestAt)
	if err != nil {
		return 0, fmt.Errorf("--digest-at %q: expected a time of day such as 08:00", t.DigestAt)
	}
	return time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute, nil
}

// envInt reads a whole number from the environment; a malformed one
// becomes -1, which validation reports.
func envInt(key string, fallback int) int {
	v := os.Getenv(key)
	if v == "" {
		return fallback
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// envDuration reads a duration from the environment; a malformed one
// becomes -1, which validation reports.
func envDuration(key string, fallback time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return fallback
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return -1
	}
	return d
}

// EvidenceDir is where evidence files are stored, by content hash.
func (c *Config) EvidenceDir() string { return filepath.Join(c.DataDir, "evidence") }

// DSN is the database to open: --db, or a SQLite file in the data directory.
func (c *Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "socmap.db")
}

// ValidateStorage checks the storage settings.
func (c *Config) ValidateStorage() error {
	if strings.TrimSpace(c.DataDir) == "" {
		return fmt.Errorf("--data must not be empty")
	}
	if c.Tasks.GraceDays < 0 || c.Tasks.GraceDays > 365 {
		return fmt.Errorf("--task-grace-days must be a whole number from 0 to 365")
	}
	return nil
}

// ValidateServer checks the web server settings.
func (c *Config) ValidateServer() error {
	if err := c.ValidateStorage(); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: expected host:port, e.g. 127.0.0.1:8080", c.Addr)
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			return fmt.Errorf("--trusted-proxies: %q is neither an IP address nor a CIDR range", p)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: expected debug, info, warn or error", c.LogLevel)
	}
	for name, d := range map[string]time.Duration{"--shutdown-timeout": c.ShutdownTimeout,
		"--session-idle": c.SessionIdle, "--session-max": c.SessionMax} {
		if d <= 0 {
			return fmt.Errorf("%s must be a positive duration such as 15s, 30m or 12h", name)
		}
	}
	if c.MaxUploadMiB < 1 || c.MaxUploadMiB > 1<<20 {
		return fmt.Errorf("--max-upload-mib must be a whole number of MiB from 1 to 1048576")
	}
	if c.SessionIdle > c.SessionMax {
		return fmt.Errorf("--session-idle (%s) must not be longer than --session-max (%s)", c.SessionIdle, c.SessionMax)
	}
	return c.Tasks.validate()
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
