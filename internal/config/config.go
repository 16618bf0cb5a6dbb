// Package config gathers socmap's settings from command-line flags and
// SOCMAP_* environment variables (a flag wins over the environment, which
// wins over the default) and checks them before anything starts. env.go
// is the one reader of both.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
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
	LogLevel        slog.Level    // debug, info, warn, error
	ShutdownTimeout time.Duration // how long in-flight requests get on SIGTERM
	SecureCookies   bool          // Secure session cookie even without TLS (behind a TLS proxy)
	SessionIdle     time.Duration // a session unused this long ends
	SessionMax      time.Duration // a session ends this long after sign-in
	MaxUploadMiB    int64         // largest evidence file
	SampleTable     string        // overrides of the sample size per frequency, e.g. "daily=40,weekly=10"
	Organisation    string        // the service organisation's name, shown on auditor deliverables
	EvidenceStore   string        // a directory or s3://bucket/prefix; empty means DataDir/evidence
	S3              S3Config
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
		LogLevel:        slog.LevelInfo,
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
	bind(fs, func(fs *pflag.FlagSet) {
		fs.StringVar(&c.Organisation, "organisation", c.Organisation,
			"the service organisation's name, shown on workbooks and packages")
		fs.IntVar(&c.Tasks.GraceDays, "task-grace-days", c.Tasks.GraceDays,
			"days after an occurrence window ends before its evidence is due: owners' tasks and the auditors' request list")
		fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory for the database and evidence files")
		fs.StringVar(&c.DB, "db", c.DB,
			"database DSN: a SQLite file path, sqlite:PATH or postgres://… (default: socmap.db in the data directory)")
	})
	c.BindEvidence(fs)
}

// BindServer registers the flags of the web server.
func (c *Config) BindServer(fs *pflag.FlagSet) {
	bind(fs, func(fs *pflag.FlagSet) {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address")
		listVar(fs, &c.TrustedProxies, "trusted-proxies",
			"comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is trusted (default none)")
		fs.Var(levelValue{&c.LogLevel}, "log-level", "log level: debug, info, warn or error")
		fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout,
			"time in-flight requests get to finish on SIGINT/SIGTERM")
		fs.DurationVar(&c.SessionIdle, "session-idle", c.SessionIdle, "a sign-in session unused this long ends")
		fs.DurationVar(&c.SessionMax, "session-max", c.SessionMax, "a sign-in session ends this long after sign-in, used or not")
		fs.Int64Var(&c.MaxUploadMiB, "max-upload-mib", c.MaxUploadMiB, "largest evidence file, in MiB")
		fs.StringVar(&c.SampleTable, "sample-table", c.SampleTable,
			"sample sizes per frequency that differ from the defaults, e.g. daily=40,weekly=10")
		boolVar(fs, &c.SecureCookies, "secure-cookies", c.SecureCookies,
			"mark the session cookie Secure even without TLS here, e.g. behind a TLS-terminating proxy (always on over TLS)")
		c.bindTasks(fs)
	})
}

// BindIngest registers what ingesting a scan from the command line needs
// beside the storage: the organisation's time zone, in which a scan's day
// is counted, and the largest file.
func (c *Config) BindIngest(fs *pflag.FlagSet) {
	bind(fs, func(fs *pflag.FlagSet) {
		fs.StringVar(&c.Tasks.TimeZone, "timezone", c.Tasks.TimeZone,
			"the organisation's IANA time zone, e.g. Europe/Berlin: the day a scan belongs to")
		fs.Int64Var(&c.MaxUploadMiB, "max-upload-mib", c.MaxUploadMiB, "largest scan file, in MiB")
	})
}

func (c *Config) bindTasks(fs *pflag.FlagSet) {
	t := &c.Tasks
	fs.StringVar(&t.TimeZone, "timezone", t.TimeZone,
		"the organisation's IANA time zone, e.g. Europe/Berlin: when a day ends for due dates and digests")
	fs.StringVar(&t.DigestCadence, "digest-cadence", t.DigestCadence,
		"how often owners get a digest of due and overdue tasks: daily, weekdays, weekly or off")
	fs.StringVar(&t.DigestAt, "digest-at", t.DigestAt, "time of day (HH:MM, in --timezone) digests go out")
	fs.StringVar(&t.PublicURL, "public-url", t.PublicURL,
		"the address users open socmap at, e.g. https://socmap.example.com, for links in digests and calendar feeds")
	fs.StringVar(&t.SMTPHost, "smtp-host", t.SMTPHost,
		"mail server for digests; without one digests stay in the outbox admins can read")
	fs.IntVar(&t.SMTPPort, "smtp-port", t.SMTPPort, "mail server port")
	boolVar(fs, &t.SMTPStartTLS, "smtp-starttls", t.SMTPStartTLS,
		"require STARTTLS before sending anything (--smtp-starttls=false to turn off, on a trusted network only)")
	fs.StringVar(&t.SMTPUsername, "smtp-username", t.SMTPUsername,
		"mail server user name; the password is read from SOCMAP_SMTP_PASSWORD only")
	fs.StringVar(&t.SMTPFrom, "smtp-from", t.SMTPFrom, "sender address of digests")
}

// LoadEnv completes the settings after the command line is parsed: each
// flag it left alone from its environment variable, then the secrets that
// only the environment carries (a flag would show them in the process list).
func (c *Config) LoadEnv(fs *pflag.FlagSet, lookup func(string) (string, bool)) error {
	if err := ApplyEnv(fs, lookup); err != nil {
		return err
	}
	c.Tasks.SMTPPassword, _ = lookup("SOCMAP_SMTP_PASSWORD")
	c.S3.loadCredentials(lookup)
	return nil
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

// EvidenceDir is the default evidence store: a folder in the data directory.
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
	return c.ValidateEvidence()
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
	for name, d := range map[string]time.Duration{"--shutdown-timeout": c.ShutdownTimeout,
		"--session-idle": c.SessionIdle, "--session-max": c.SessionMax} {
		if d <= 0 {
			return fmt.Errorf("%s must be a positive duration such as 15s, 30m or 12h", name)
		}
	}
	if c.MaxUploadMiB < 1 || c.MaxUploadMiB > 1<<20 {
		return fmt.Errorf("--max-upload-mib must be a whole number of MiB from 1 to 1048576")
	}
	if err := c.checkS3UploadLimit(); err != nil {
		return err
	}
	if c.SessionIdle > c.SessionMax {
		return fmt.Errorf("--session-idle (%s) must not be longer than --session-max (%s)", c.SessionIdle, c.SessionMax)
	}
	return c.Tasks.validate()
}
