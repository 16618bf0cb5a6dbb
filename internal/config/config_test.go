package config

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// parse reads the server settings from args and the environment env, as
// socmap serve does.
func parse(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	c := Defaults()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	c.BindStorage(fs)
	c.BindServer(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if err := c.LoadEnv(fs, lookup); err != nil {
		return c, err
	}
	return c, c.ValidateServer()
}

func TestDefaults(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || len(c.TrustedProxies) != 0 || c.LogLevel != slog.LevelInfo ||
		c.SecureCookies || !c.Tasks.SMTPStartTLS {
		t.Errorf("defaults = %+v", c)
	}
	if c.DSN() != filepath.Join("data", "socmap.db") {
		t.Errorf("default DSN = %q", c.DSN())
	}
}

func TestEnvironmentThenFlags(t *testing.T) {
	env := map[string]string{"SOCMAP_ADDR": "0.0.0.0:9000", "SOCMAP_DATA": "/srv/socmap", "SOCMAP_DB": "postgres://db/socmap",
		"SOCMAP_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16", "SOCMAP_LOG_LEVEL": "debug", "SOCMAP_MAX_UPLOAD_MIB": "250",
		"SOCMAP_SESSION_IDLE": "30m", "SOCMAP_TASK_GRACE_DAYS": "7", "SOCMAP_ORGANISATION": ""}
	c, err := parse(t, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/srv/socmap" || c.DSN() != "postgres://db/socmap" ||
		strings.Join(c.TrustedProxies, " ") != "10.0.0.1 192.168.0.0/16" || c.LogLevel != slog.LevelDebug ||
		c.MaxUploadMiB != 250 || c.SessionIdle != 30*time.Minute || c.Tasks.GraceDays != 7 {
		t.Errorf("from environment: %+v", c)
	}
	c, err = parse(t, env, "--addr", "127.0.0.1:7000", "--data", "/tmp/x", "--db", "", "--trusted-proxies", "",
		"--log-level", "warn", "--max-upload-mib", "5")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DSN() != filepath.Join("/tmp/x", "socmap.db") || len(c.TrustedProxies) != 0 ||
		c.LogLevel != slog.LevelWarn || c.MaxUploadMiB != 5 {
		t.Errorf("flags must win over the environment: %+v", c)
	}
	c, err = parse(t, nil, "--trusted-proxies", "10.0.0.1", "--trusted-proxies", "10.0.0.2,10.0.0.3")
	if err != nil || len(c.TrustedProxies) != 3 {
		t.Errorf("a repeated list flag adds to the list: %v %v", c.TrustedProxies, err)
	}
}

// Yes/no settings take the usual spellings and refuse the rest, from the
// environment and the command line alike: never silently off.
func TestBooleans(t *testing.T) {
	for _, v := range []string{"1", "true", "TRUE", "True", "yes", "Yes", "on", "ON", "y", "t"} {
		c, err := parse(t, map[string]string{"SOCMAP_SECURE_COOKIES": v, "SOCMAP_SMTP_STARTTLS": v})
		if err != nil || !c.SecureCookies || !c.Tasks.SMTPStartTLS {
			t.Errorf("SOCMAP_SECURE_COOKIES=%s: secure %v, starttls %v, %v", v, c.SecureCookies, c.Tasks.SMTPStartTLS, err)
		}
	}
	for _, v := range []string{"0", "false", "FALSE", "no", "off", "Off", "n", "f"} {
		c, err := parse(t, map[string]string{"SOCMAP_SECURE_COOKIES": v, "SOCMAP_SMTP_STARTTLS": v})
		if err != nil || c.SecureCookies || c.Tasks.SMTPStartTLS {
			t.Errorf("SOCMAP_SECURE_COOKIES=%s: secure %v, starttls %v, %v", v, c.SecureCookies, c.Tasks.SMTPStartTLS, err)
		}
	}
	for _, v := range []string{"maybe", "2", "enabled", "yes please", "-1"} {
		if _, err := parse(t, map[string]string{"SOCMAP_SECURE_COOKIES": v}); err == nil || !strings.Contains(err.Error(), "SOCMAP_SECURE_COOKIES") {
			t.Errorf("SOCMAP_SECURE_COOKIES=%q: want an error naming the variable, got %v", v, err)
		}
		if _, err := parse(t, nil, "--secure-cookies="+v); err == nil {
			t.Errorf("--secure-cookies=%s accepted", v)
		}
	}
	if c, err := parse(t, map[string]string{"SOCMAP_SECURE_COOKIES": "false"}, "--secure-cookies"); err != nil || !c.SecureCookies {
		t.Errorf("the bare flag means on and wins over the environment: %v %v", c.SecureCookies, err)
	}
	if c, err := parse(t, nil, "--smtp-starttls=off"); err != nil || c.Tasks.SMTPStartTLS {
		t.Errorf("--smtp-starttls=off: %v %v", c.Tasks.SMTPStartTLS, err)
	}
}

// Every malformed value stops the command, naming where it came from.
func TestMalformedEnvironment(t *testing.T) {
	for name, v := range map[string]string{"SOCMAP_SHUTDOWN_TIMEOUT": "soon", "SOCMAP_SESSION_IDLE": "1 hour",
		"SOCMAP_SESSION_MAX": "12", "SOCMAP_MAX_UPLOAD_MIB": "100MB", "SOCMAP_TASK_GRACE_DAYS": "two weeks",
		"SOCMAP_SMTP_PORT": "smtp", "SOCMAP_LOG_LEVEL": "verbose", "SOCMAP_SMTP_STARTTLS": "sometimes"} {
		_, err := parse(t, map[string]string{name: v})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: want an error naming the variable, got %v", name, v, err)
		}
	}
	_, err := parse(t, map[string]string{"SOCMAP_SMTP_PORT": "x", "SOCMAP_SESSION_MAX": "y"})
	if err == nil || !strings.Contains(err.Error(), "SOCMAP_SMTP_PORT") || !strings.Contains(err.Error(), "SOCMAP_SESSION_MAX") {
		t.Errorf("every malformed variable is reported at once: %v", err)
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
		{"--max-upload-mib", "0"},
		{"--smtp-host", "mail.example.com"}, // no sender
		{"--smtp-host", "mail.example.com", "--smtp-from", "socmap@example.com", "--smtp-port", "0"},
	}
	for _, args := range bad {
		if _, err := parse(t, nil, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestTaskSettings(t *testing.T) {
	c, err := parse(t, map[string]string{"SOCMAP_SMTP_PASSWORD": "s3cret", "SOCMAP_TIMEZONE": "Europe/Berlin"},
		"--smtp-host", "mail.example.com", "--smtp-from", "socmap@example.com", "--digest-at", "07:30")
	if err != nil {
		t.Fatal(err)
	}
	at, err := c.Tasks.DigestTime()
	if err != nil {
		t.Fatal(err)
	}
	if c.Tasks.TimeZone != "Europe/Berlin" || c.Tasks.SMTPPassword != "s3cret" || !c.Tasks.SMTPStartTLS ||
		c.Tasks.SMTPPort != 587 || c.Tasks.GraceDays != 14 || at.Minutes() != 450 {
		t.Errorf("task settings: %+v", c.Tasks)
	}
	if _, err := parse(t, nil, "--smtp-password", "x"); err == nil {
		t.Error("the SMTP password must not be a flag: it would show in the process list")
	}
}

// Every setting names its variable in its help, and only settings read the
// environment: a command's own flags (an e-mail address, an output file) do not.
func TestEnvironmentNames(t *testing.T) {
	c := Defaults()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	c.BindStorage(fs)
	c.BindServer(fs)
	var email string
	fs.StringVar(&email, "email", "", "the account's address")
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name == "email" {
			return
		}
		want := "SOCMAP_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if !strings.Contains(f.Usage, "["+want) {
			t.Errorf("--%s: help %q does not name %s", f.Name, f.Usage, want)
		}
	})
	lookup := func(k string) (string, bool) { return "someone@example.com", k == "SOCMAP_EMAIL" }
	if err := c.LoadEnv(fs, lookup); err != nil || email != "" {
		t.Errorf("a command's own flag was read from the environment: %q %v", email, err)
	}
}

// A setting may also read a conventional variable after its SOCMAP_ one.
func TestAlternativeVariables(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"AWS_REGION": "eu-west-1"}, "eu-west-1"},
		{map[string]string{"AWS_REGION": "eu-west-1", "SOCMAP_REGION": "eu-north-1"}, "eu-north-1"},
		{map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-east-2"}, "us-east-2"},
	} {
		var region string
		fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
		bind(fs, func(fs *pflag.FlagSet) {
			fs.StringVar(&region, "region", "", "region")
			alsoEnv(fs, "region", "AWS_REGION", "AWS_DEFAULT_REGION")
		})
		lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		if err := ApplyEnv(fs, lookup); err != nil || region != tc.want {
			t.Errorf("%v: region %q, want %q (%v)", tc.env, region, tc.want, err)
		}
		if u := fs.Lookup("region").Usage; u != "region [SOCMAP_REGION, AWS_REGION, AWS_DEFAULT_REGION]" {
			t.Errorf("help: %q", u)
		}
	}
}

func TestEvidenceStore(t *testing.T) {
	c, err := parse(t, nil, "--data", "/srv/socmap")
	if loc, lerr := c.Evidence(); err != nil || lerr != nil || loc.IsS3() || loc.Dir != filepath.Join("/srv/socmap", "evidence") {
		t.Errorf("default evidence store: %+v %v %v", loc, err, lerr)
	}
	if _, err := parse(t, nil, "--evidence-store", "s3://evidence/socmap"); err == nil {
		t.Error("an S3 store without credentials was accepted")
	}

	aws := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "aws-secret",
		"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_S3": "https://s3.eu-west-1.amazonaws.com"}
	c, err = parse(t, aws, "--evidence-store", "s3://evidence.example/socmap/prod/")
	loc, lerr := c.Evidence()
	if err != nil || lerr != nil || loc.Bucket != "evidence.example" || loc.Prefix != "socmap/prod" ||
		c.S3.AccessKeyID != "AKIDEXAMPLE" || c.S3.Region != "eu-west-1" || c.S3.Endpoint != "https://s3.eu-west-1.amazonaws.com" || c.S3.PathStyle {
		t.Errorf("S3 store from the AWS environment: %+v %+v %v %v", loc, c.S3, err, lerr)
	}

	// SOCMAP_ variables win over the AWS ones, and flags over both.
	own := map[string]string{"SOCMAP_S3_ACCESS_KEY_ID": "socmap-key", "SOCMAP_S3_SECRET_ACCESS_KEY": "socmap-secret",
		"SOCMAP_S3_REGION": "us-east-1", "SOCMAP_S3_PATH_STYLE": "true", "SOCMAP_EVIDENCE_STORE": "s3://minio-bucket",
		"SOCMAP_S3_ENDPOINT": "http://minio:9000"}
	for k, v := range aws {
		own[k] = v
	}
	c, err = parse(t, own, "--s3-endpoint", "http://127.0.0.1:9000")
	loc, lerr = c.Evidence()
	if err != nil || lerr != nil || loc.Bucket != "minio-bucket" || loc.Prefix != "" || c.S3.AccessKeyID != "socmap-key" ||
		c.S3.SecretAccessKey != "socmap-secret" || c.S3.SessionToken != "" || c.S3.Region != "us-east-1" || !c.S3.PathStyle ||
		c.S3.Endpoint != "http://127.0.0.1:9000" {
		t.Errorf("S3 store from SOCMAP_ variables and flags: %+v %+v %v %v", loc, c.S3, err, lerr)
	}
	if _, err := parse(t, aws, "--s3-secret-access-key", "x"); err == nil {
		t.Error("the S3 secret must not be a flag")
	}

	for _, args := range [][]string{
		{"--evidence-store", "s3://Upper/x"},
		{"--evidence-store", "s3://ab"},
		{"--evidence-store", "s3://bucket/a//b"},
		{"--evidence-store", "s3://bucket/../b"},
		{"--evidence-store", "s3://bucket/x?versionId=1"},
		{"--evidence-store", "s3://key:secret@bucket/x"},
		{"--evidence-store", "gs://bucket/x"},
		{"--evidence-store", "s3://bucket", "--s3-endpoint", "minio:9000"},
		{"--evidence-store", "s3://bucket", "--s3-endpoint", "https://minio:9000/path"},
		{"--evidence-store", "s3://bucket", "--max-upload-mib", "6000"}, // more than one server-side copy makes
	} {
		if _, err := parse(t, aws, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, err := parse(t, map[string]string{"SOCMAP_S3_PATH_STYLE": "maybe"}); err == nil || !strings.Contains(err.Error(), "SOCMAP_S3_PATH_STYLE") {
		t.Errorf("a malformed SOCMAP_S3_PATH_STYLE: %v", err)
	}
}

// A container or web-identity role stands in for keys.
func TestEvidenceStoreWithRole(t *testing.T) {
	env := map[string]string{"SOCMAP_EVIDENCE_STORE": "s3://evidence", "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token",
		"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/socmap"}
	c, err := parse(t, env)
	if err != nil || !c.S3.FromRole || c.S3.AccessKeyID != "" {
		t.Errorf("web identity role: %+v %v", c.S3, err)
	}
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIDEXAMPLE", "secret"
	if c, err := parse(t, env); err != nil || c.S3.FromRole {
		t.Errorf("keys win over a role: %+v %v", c.S3, err)
	}
}
