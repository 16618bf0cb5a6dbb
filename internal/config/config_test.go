package config

import (
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
)

func parse(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	c := Defaults()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	c.BindStorage(fs)
	c.BindServer(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.ValidateServer()
}

func TestDefaults(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || len(c.TrustedProxies) != 0 {
		t.Errorf("defaults = %+v", c)
	}
	if c.DSN() != filepath.Join("data", "socmap.db") {
		t.Errorf("default DSN = %q", c.DSN())
	}
}

func TestEnvironmentThenFlags(t *testing.T) {
	t.Setenv("SOCMAP_ADDR", "0.0.0.0:9000")
	t.Setenv("SOCMAP_DATA", "/srv/socmap")
	t.Setenv("SOCMAP_DB", "postgres://db/socmap")
	t.Setenv("SOCMAP_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/srv/socmap" || c.DSN() != "postgres://db/socmap" ||
		len(c.TrustedProxies) != 2 || c.TrustedProxies[1] != "192.168.0.0/16" {
		t.Errorf("from environment: %+v", c)
	}
	c, err = parse(t, "--addr", "127.0.0.1:7000", "--data", "/tmp/x", "--db", "", "--trusted-proxies", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DSN() != filepath.Join("/tmp/x", "socmap.db") || len(c.TrustedProxies) != 0 {
		t.Errorf("flags must win over the environment: %+v", c)
	}
}

func TestValidation(t *testing.T) {
	bad := [][]string{
		{"--addr", "8080"},
		{"--data", " "},
		{"--trusted-proxies", "example.com"},
		{"--log-level", "verbose"},
		{"--shutdown-timeout", "0s"},
		{"--timezone", "Mars/Olympus"},
		{"--timezone", "Local"},
		{"--task-grace-days", "-1"},
		{"--digest-cadence", "hourly"},
		{"--digest-at", "8am"},
		{"--public-url", "javascript:alert(1)"},
		{"--smtp-host", "mail.example.com"}, // no sender
		{"--smtp-host", "mail.example.com", "--smtp-from", "socmap@example.com", "--smtp-port", "0"},
	}
	for _, args := range bad {
		if _, err := parse(t, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	t.Setenv("SOCMAP_SHUTDOWN_TIMEOUT", "soon")
	if _, err := parse(t); err == nil {
		t.Error("a malformed SOCMAP_SHUTDOWN_TIMEOUT was accepted")
	}
}

func TestTaskSettings(t *testing.T) {
	t.Setenv("SOCMAP_SMTP_PASSWORD", "s3cret")
	t.Setenv("SOCMAP_TIMEZONE", "Europe/Berlin")
	c, err := parse(t, "--smtp-host", "mail.example.com", "--smtp-from", "socmap@example.com", "--digest-at", "07:30")
	if err != nil {
		t.Fatal(err)
	}
	at, _ := c.Tasks.DigestTime()
	if c.Tasks.TimeZone != "Europe/Berlin" || c.Tasks.SMTPPassword != "s3cret" || !c.Tasks.SMTPStartTLS ||
		c.Tasks.SMTPPort != 587 || c.Tasks.GraceDays != 14 || at.Minutes() != 450 {
		t.Errorf("task settings: %+v", c.Tasks)
	}
	if _, err := parse(t, "--smtp-password", "x"); err == nil {
		t.Error("the SMTP password must not be a flag: it would show in the process list")
	}
}
