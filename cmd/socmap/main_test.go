package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/blob/blobtest"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/engagement"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestVersion(t *testing.T) {
	out, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "socmap dev") {
		t.Fatalf("version: %q, %v", out, err)
	}
}

func TestCatalogValidateEmbedded(t *testing.T) {
	out, err := run(t, "catalog", "validate")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"soc2-tsc.yaml: ok (soc2-tsc-2017, 5 categories, 61 requirements)", "soc1-objectives.yaml: ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

func TestCatalogValidateNamesFileEntryAndReason(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`
framework: {id: x, name: X, kind: soc2, version: "1"}
categories: [{code: security, name: Security}]
requirements:
  - {ref: X1, category: security, title: One, description: d}
  - {ref: X1, category: security, title: Two, description: d}
  - {ref: X2, category: nope, title: Three, description: d}
  - {ref: X3, category: security, description: d}
`), 0o644)
	_, err := run(t, "catalog", "validate", bad)
	if err == nil {
		t.Fatal("an invalid catalog was accepted")
	}
	for _, want := range []string{
		bad + `: requirement "X1" (#2): duplicate ref`,
		bad + `: requirement "X2" (#3): unknown category "nope"`,
		bad + `: requirement "X3" (#4): missing title`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := run(t, "catalog", "validate", filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestCatalogListIsStableAcrossRuns(t *testing.T) {
	data := t.TempDir()
	first, err := run(t, "catalog", "list", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "soc2-tsc-2017") || !strings.Contains(first, "61") ||
		!strings.Contains(first, "soc1-objective-templates") {
		t.Fatalf("catalog list: %q", first)
	}
	second, err := run(t, "catalog", "list", "--data", data)
	if err != nil || second != first {
		t.Fatalf("second run differs:\n%s\n%s (%v)", first, second, err)
	}
	if _, err := os.Stat(filepath.Join(data, "socmap.db")); err != nil {
		t.Errorf("default database not in the data directory: %v", err)
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "nonsense"},
		{"serve", "--trusted-proxies", "not-an-ip"},
		{"serve", "--log-level", "loud"},
		{"serve", "--db", "mysql://x", "--data", t.TempDir()},
	} {
		if _, err := run(t, args...); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}

func TestHelpSaysWhatEachCommandDoes(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"version", "--help"}, {"catalog", "--help"},
		{"catalog", "list", "--help"}, {"catalog", "validate", "--help"},
		{"evidence", "--help"}, {"evidence", "migrate", "--help"},
	} {
		out, err := run(t, args...)
		if err != nil || !strings.Contains(out, "Usage:") || strings.HasPrefix(out, "Usage:") {
			t.Errorf("%v: %q, %v", args, out, err)
		}
	}
	out, _ := run(t, "serve", "--help")
	for _, flag := range []string{"--addr", "--data", "--db", "SOCMAP_ADDR", "SOCMAP_DATA", "SOCMAP_DB",
		"--evidence-store", "SOCMAP_EVIDENCE_STORE", "--s3-endpoint", "AWS_ENDPOINT_URL_S3", "--s3-region", "AWS_REGION", "--s3-path-style"} {
		if !strings.Contains(out, flag) {
			t.Errorf("serve --help does not mention %s", flag)
		}
	}
}

func runWithInput(t *testing.T, input string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(input))
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestUserCreateReadsThePasswordFromStdin(t *testing.T) {
	data := t.TempDir()
	out, err := runWithInput(t, "a-long-admin-passphrase\n", "user", "create", "--data", data,
		"--email", "Lead@Example.com", "--role", "admin")
	if err != nil || !strings.Contains(out, "created lead@example.com (admin)") {
		t.Fatalf("create: %q %v", out, err)
	}
	if _, err := runWithInput(t, "", "user", "create", "--data", data, "--email", "b@example.com", "--role", "viewer"); err == nil {
		t.Error("an account was created without a password")
	}
	_, err = runWithInput(t, "password1234\n", "user", "create", "--data", data, "--email", "c@example.com", "--role", "viewer")
	if err == nil || !strings.Contains(err.Error(), "password: ") {
		t.Errorf("weak password: %v, want the reason named", err)
	}
	_, err = runWithInput(t, "a-long-auditor-passphrase\n", "user", "create", "--data", data, "--email", "aud@example.com", "--role", "auditor")
	if err == nil || !strings.Contains(err.Error(), "access_until") {
		t.Errorf("auditor without end date: %v", err)
	}
	if _, err := run(t, "user", "create", "--data", data, "--email", "d@example.com", "--role", "viewer", "--password", "x"); err == nil {
		t.Error("a --password flag exists; passwords must never be flags")
	}
	out, err = run(t, "user", "list", "--data", data)
	if err != nil || !strings.Contains(out, "lead@example.com") || strings.Contains(out, "b@example.com") {
		t.Errorf("list: %q %v", out, err)
	}
	if out, err := run(t, "user", "disable", "--data", data, "--email", "lead@example.com"); err == nil {
		t.Errorf("the last admin was disabled: %q", out)
	}
}

// A database administrator who drops the triggers and deletes the newest
// entries leaves a chain that holds; the checkpoint file and an anchor
// kept elsewhere both still tell.
func TestAuditAnchorCatchesTruncation(t *testing.T) {
	data := t.TempDir()
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := runWithInput(t, "a-long-enough-passphrase\n", "user", "create", "--data", data,
			"--email", email, "--role", "compliance"); err != nil {
			t.Fatal(err)
		}
	}
	out, err := run(t, "audit", "anchor", "--data", data)
	if err != nil || !strings.Contains(out, `"seq":3`) || !strings.Contains(out, `"signature":`) {
		t.Fatalf("anchor: %q %v", out, err)
	}
	anchor := filepath.Join(t.TempDir(), "anchor.json")
	if err := os.WriteFile(anchor, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, "audit", "verify", "--data", data, "--anchor", anchor)
	if err != nil || !strings.Contains(out, "intact: 3 entries verified against 2 signed checkpoints") {
		t.Fatalf("verify --anchor: %q %v", out, err)
	}
	db, err := sql.Open("sqlite3", filepath.Join(data, "socmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--data", data}, {"--data", data, "--anchor", anchor}} {
		_, err = run(t, append([]string{"audit", "verify"}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "entries after #2 are missing") {
			t.Errorf("verify %v after deleting the newest entry: %v", args, err)
		}
	}
	if _, err := run(t, "audit", "anchor", "--data", data); err == nil || !strings.Contains(err.Error(), "not anchoring") {
		t.Errorf("anchor of a truncated trail: %v", err)
	}
}

func TestAuditVerify(t *testing.T) {
	data := t.TempDir()
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := runWithInput(t, "a-long-enough-passphrase\n", "user", "create", "--data", data,
			"--email", email, "--role", "compliance"); err != nil {
			t.Fatal(err)
		}
	}
	out, err := run(t, "audit", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "intact: 3 entries") {
		t.Fatalf("verify: %q %v", out, err)
	}
	// Someone with file access edits entry 2 in SQLite directly.
	db, err := sql.Open("sqlite3", filepath.Join(data, "socmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{"DROP TRIGGER audit_log_no_update",
		"UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	_, err = run(t, "audit", "verify", "--data", data)
	if err == nil || !strings.Contains(err.Error(), "audit entry #2: altered") {
		t.Fatalf("verify after an edit: %v", err)
	}
	if _, err := db.Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, "audit", "verify", "--data", data)
	if err == nil || !strings.Contains(err.Error(), "audit entry #2: removed") {
		t.Fatalf("verify after a deletion: %v", err)
	}
}

func TestExportCommands(t *testing.T) {
	data := t.TempDir()
	db, err := app.OpenStore(context.Background(), config.Config{DataDir: data}, newLogger(slog.LevelWarn))
	if err != nil {
		t.Fatal(err)
	}
	name, report, typ, asOf := "Type I", "soc2", "type1", "2026-06-30"
	e, err := engagement.NewService(db, nil).Create(context.Background(), engagement.Input{Name: &name, Report: &report, ReportType: &typ, AsOf: &asOf})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "wb.xlsx")
	if _, err := run(t, "export", "workbook", "--data", data, "--engagement", fmt.Sprint(e.ID), "-o", out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); sheets[0] != "Summary" || sheets[3] != "Section IV" {
		t.Errorf("sheets %v", sheets)
	}
	f.Close()
	pkg := filepath.Join(t.TempDir(), "p.zip")
	if _, err := run(t, "export", "package", "--data", data, "--engagement", fmt.Sprint(e.ID), "-o", pkg); err != nil {
		t.Fatal(err)
	}
	if _, err := zip.OpenReader(pkg); err != nil {
		t.Errorf("package: %v", err)
	}
	csvFile := filepath.Join(t.TempDir(), "matrix.csv")
	if _, err := run(t, "export", "csv", "--data", data, "--engagement", fmt.Sprint(e.ID), "--sheet", "control MATRIX", "-o", csvFile); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(csvFile); !strings.HasPrefix(string(b), "\uFEFF\"Control ID\",\"Title\"") {
		t.Errorf("control matrix CSV: %q", b)
	}
	if _, err := run(t, "export", "csv", "--data", data, "--engagement", fmt.Sprint(e.ID), "--sheet", "Summary", "-o", csvFile); err != nil {
		t.Error(err)
	}
	if _, err := run(t, "export", "csv", "--data", data, "--engagement", fmt.Sprint(e.ID), "--sheet", "Nope", "-o", csvFile); err == nil ||
		!strings.Contains(err.Error(), "Evidence index") {
		t.Errorf("an unknown sheet: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "none.xlsx")
	if _, err := run(t, "export", "workbook", "--data", data, "--engagement", "999", "-o", missing); err == nil {
		t.Error("an unknown engagement was exported")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("a failed export left a file behind")
	}
}

func TestImportControlsCommand(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "matrix.csv")
	os.WriteFile(file, []byte("Reference,Title,Frequency,Nature,Type,Mapped requirement IDs\nAC-03,Access review,quarterly,manual,detective,CC6.1\n"), 0o644)
	out, err := run(t, "import", "controls", file, "--data", data)
	if err != nil || !strings.Contains(out, "create") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %q %v", out, err)
	}
	out, err = run(t, "import", "controls", file, "--data", data, "--apply")
	if err != nil || !strings.Contains(out, "imported") {
		t.Fatalf("apply: %q %v", out, err)
	}
	out, _ = run(t, "import", "controls", file, "--data", data)
	if !strings.Contains(out, "unchanged") {
		t.Errorf("second run: %q", out)
	}
	os.WriteFile(file, []byte("Reference,Title,Frequency,Nature,Type\nAC-04,x,every blue moon,manual,detective\n"), 0o644)
	if out, err := run(t, "import", "controls", file, "--data", data, "--apply"); err == nil || !strings.Contains(out, "row 2, column frequency") {
		t.Errorf("bad file: %q %v", out, err)
	}
}

func TestDemoCommand(t *testing.T) {
	data := t.TempDir()
	out, err := run(t, "demo", "--data", data, "--today", "2026-11-24")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Loaded Larkspur Payroll Ltd: 91 controls") || !strings.Contains(out, "Sign in as admin@larkspur.example with the password ") {
		t.Errorf("output: %s", out)
	}
	if out, err := run(t, "demo", "--data", data); err == nil || !strings.Contains(err.Error(), "without controls") {
		t.Errorf("a second demo into the same installation: %v %s", err, out)
	}
	if _, err := run(t, "demo", "--data", data, "--today", "24/11/2026"); err == nil {
		t.Error("a malformed --today was accepted")
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	data, restored := t.TempDir(), filepath.Join(t.TempDir(), "restored")
	archive := filepath.Join(t.TempDir(), "socmap-backup.tar")
	if out, err := run(t, "demo", "--data", data, "--today", "2026-11-24"); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	out, err := run(t, "backup", archive, "--data", data)
	if err != nil || !strings.Contains(out, "evidence files to") {
		t.Fatalf("backup: %v %s", err, out)
	}
	if out, err := run(t, "restore", archive, "--data", restored); err != nil || !strings.Contains(out, "Restored the database") {
		t.Fatalf("restore: %v %s", err, out)
	}
	if out, err := run(t, "audit", "verify", "--data", restored); err != nil {
		t.Errorf("audit verify on the restored installation: %v %s", err, out)
	}
	if _, err := run(t, "restore", archive, "--data", restored); err == nil {
		t.Error("restore overwrote an installation")
	}
	if _, err := run(t, "backup", archive, "--db", "postgres://localhost/x"); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of a PostgreSQL installation: %v", err)
	}
}

// A malformed setting in the environment stops any command before it
// touches anything, naming the variable; =1 is never read as off.
func TestMalformedEnvironmentStopsTheCommand(t *testing.T) {
	t.Setenv("SOCMAP_SECURE_COOKIES", "maybe")
	if _, err := run(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "SOCMAP_SECURE_COOKIES") {
		t.Errorf("serve with SOCMAP_SECURE_COOKIES=maybe: %v", err)
	}
	t.Setenv("SOCMAP_SECURE_COOKIES", "")
	t.Setenv("SOCMAP_TASK_GRACE_DAYS", "two weeks")
	data := t.TempDir()
	if _, err := run(t, "catalog", "list", "--data", data); err == nil || !strings.Contains(err.Error(), "SOCMAP_TASK_GRACE_DAYS") {
		t.Errorf("catalog list with SOCMAP_TASK_GRACE_DAYS=two weeks: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "socmap.db")); !os.IsNotExist(err) {
		t.Errorf("the refused command created a database (%v)", err)
	}
	// The command line wins, so a good flag repairs a bad variable.
	if _, err := run(t, "catalog", "list", "--data", data, "--task-grace-days", "7"); err != nil {
		t.Errorf("--task-grace-days 7 over a malformed variable: %v", err)
	}
}

// An installation's evidence moves into a bucket, and the commands that
// read evidence (export, backup, restore) then work from the bucket alone.
func TestEvidenceMigrateToS3AndCommandsOnIt(t *testing.T) {
	data := t.TempDir()
	if out, err := run(t, "demo", "--data", data, "--today", "2026-11-24"); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	srv := blobtest.FakeS3(t)
	srv.UseInEnvironment(t)
	cfg := srv.Config(t)
	bucket := "s3://" + cfg.Bucket + "/" + cfg.Prefix
	out, err := run(t, "evidence", "migrate", "--data", data, "--to", bucket)
	if err != nil || !regexp.MustCompile(`^\d{3} evidence files in `+bucket+` match their hashes \(\d{3} copied now\)`).MatchString(out) {
		t.Fatalf("evidence migrate: %v %s", err, out)
	}
	if out, err := run(t, "evidence", "migrate", "--data", data, "--to", bucket); err != nil || !strings.Contains(out, "(0 copied now)") {
		t.Errorf("a second migrate copied again: %v %s", err, out)
	}
	if err := os.RemoveAll(filepath.Join(data, "evidence")); err != nil {
		t.Fatal(err)
	}

	pkg := filepath.Join(t.TempDir(), "p.zip")
	if out, err := run(t, "export", "package", "--data", data, "--evidence-store", bucket, "--engagement", "1", "-o", pkg); err != nil {
		t.Fatalf("export package from the bucket: %v %s", err, out)
	}
	z, err := zip.OpenReader(pkg)
	if err != nil || len(z.File) < 10 {
		t.Fatalf("package from the bucket: %v", err)
	}
	z.Close()

	archive, restored := filepath.Join(t.TempDir(), "b.tar"), t.TempDir()
	if out, err := run(t, "backup", archive, "--data", data, "--evidence-store", bucket); err != nil {
		t.Fatalf("backup from the bucket: %v %s", err, out)
	}
	other := "s3://" + srv.Config(t).Bucket
	if out, err := run(t, "restore", archive, "--data", restored, "--evidence-store", other); err != nil || !strings.Contains(out, "evidence files into "+other) {
		t.Fatalf("restore into another bucket: %v %s", err, out)
	}
	if out, err := run(t, "evidence", "migrate", "--data", restored, "--evidence-store", other, "--to", filepath.Join(restored, "evidence")); err != nil {
		t.Errorf("evidence migrate back to a directory: %v %s", err, out)
	}

	if _, err := run(t, "evidence", "migrate", "--data", data, "--evidence-store", bucket, "--to", bucket+"/"); err == nil {
		t.Error("a migrate onto the current store was accepted")
	}
	if _, err := run(t, "evidence", "migrate", "--data", data, "--to", "s3://No_Such"); err == nil {
		t.Error("a malformed --to was accepted")
	}
	// A file altered in the bucket is named, not copied on.
	sha := firstEvidenceHash(t, data)
	blobtest.PutRaw(t, cfg, sha[:2]+"/"+sha, []byte("altered"))
	if _, err := run(t, "evidence", "migrate", "--data", data, "--evidence-store", bucket, "--to", t.TempDir()); err == nil || !strings.Contains(err.Error(), "altered") {
		t.Errorf("migrating an altered file: %v", err)
	}
}

func firstEvidenceHash(t *testing.T, data string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(data, "socmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sha string
	if err := db.QueryRow("SELECT sha256 FROM evidence_files ORDER BY sha256 LIMIT 1").Scan(&sha); err != nil {
		t.Fatal(err)
	}
	return sha
}

func TestIngestCommand(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join("..", "..", "internal", "ingest", "testdata", "inspec-exec-json-5.22.json")
	out, err := run(t, "ingest", file, "--source", "payroll-hosts", "--data", data)
	if err != nil || !strings.Contains(out, "Chef InSpec scan of payroll-hosts at 2026-03-02T04:30:15Z") ||
		!strings.Contains(out, "results: 3 passed, 1 failed, 1 could not run, 2 skipped") || !strings.Contains(out, "checks no control takes: sshd-01") {
		t.Fatalf("ingest: %q %v", out, err)
	}
	out, err = run(t, "ingest", file, "--source", "payroll-hosts", "--data", data)
	if err != nil || !strings.Contains(out, "already ingested") {
		t.Errorf("the same file again: %q %v", out, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"results": [{"check_id": "x", "status": "maybe"}]}`), 0o644)
	if out, err := run(t, "ingest", bad, "--data", data); err == nil || !strings.Contains(err.Error(), `status "maybe"`) {
		t.Errorf("a bad file: %q %v", out, err)
	}
}

func TestOpenAPIPrintsTheDescription(t *testing.T) {
	out, err := run(t, "openapi")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("socmap openapi printed no JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Paths["/api/v1/controls"] == nil {
		t.Errorf("openapi = %q with %d paths, want 3.1.0 describing /api/v1/controls", doc.OpenAPI, len(doc.Paths))
	}
}
