package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// program is a small organisation: an owner and controls mapped to the
// criteria the fixtures' checks are tagged with.
type program struct {
	db       *store.DB
	svc      *ingest.Service
	blobDir  string
	owner    int64
	controls map[string]int64 // ref → id
	clock    *time.Time
	ctl      *controls.Service
}

func newProgram(t *testing.T, target storetest.Target) *program {
	t.Helper()
	ctx := context.Background()
	db := catalogtest.Open(t, target)
	dir := t.TempDir()
	blobs, err := blob.Open(filepath.Join(dir, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	owner, err := auth.NewService(db, auth.DefaultSettings(), nil).CreateUser(ctx, auth.Trusted, auth.NewUser{
		Email: "olivia@larkspur.example", Role: "owner", Password: "a long and unusual passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	p := &program{db: db, blobDir: filepath.Join(dir, "evidence"), owner: owner.ID, controls: map[string]int64{}}
	ctl := controls.NewService(db)
	var maps []controls.MappingChange
	for ref, criterion := range map[string]string{"AC-01": "CC6.1", "AC-02": "CC6.6", "LOG-01": "CC7.2", "BK-01": "A1.2", "AC-03": ""} {
		nature := "automated"
		if ref == "AC-02" {
			nature = "it-dependent-manual" // a daily review a person does, with a scan's help
		}
		c, err := ctl.Create(ctx, controls.Input{Ref: ptr(ref), Title: ptr("Control " + ref), Frequency: ptr("daily"),
			Nature: ptr(nature), Type: ptr("preventive"), OwnerID: &owner.ID, Status: ptr("active")})
		if err != nil {
			t.Fatal(err)
		}
		p.controls[ref] = c.ID
		if criterion != "" {
			maps = append(maps, controls.MappingChange{ControlID: c.ID, Requirement: "soc2-tsc-2017/" + criterion})
		}
	}
	if err := ctl.ApplyMappings(ctx, maps, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p.clock = &now
	p.svc = ingest.NewService(db, blobs, dir, 10<<20, time.UTC)
	p.svc.SetClock(func() time.Time { return *p.clock })
	p.ctl = ctl
	ctl.Changed = p.svc.Follow(slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return p
}

func ptr[T any](v T) *T { return &v }

func fixture(name string) string { return filepath.Join("testdata", name) }

func (p *program) ingest(t *testing.T, path string, in ingest.Input) ingest.Ingested {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in.Body, in.By = f, &p.owner
	out, err := p.svc.Ingest(context.Background(), in)
	if err != nil {
		t.Fatalf("ingest %s: %v", path, err)
	}
	return out
}

// count returns the rows of each table, to show what a call changed.
func (p *program) count(t *testing.T) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"ingest_sources", "ingest_runs", "ingest_results", "ingest_checks", "ingest_run_checks",
		"ingest_check_criteria", "evidence", "evidence_files", "evidence_controls", "tasks", "audit_log"} {
		var n int64
		if err := p.db.R.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func (p *program) refs(ids []int64) []string {
	var out []string
	for ref, id := range p.controls {
		if slices.Contains(ids, id) {
			out = append(out, ref)
		}
	}
	slices.Sort(out)
	return out
}

type taskRow struct {
	ID        int64
	TaskKey   string
	Kind      string
	OwnerID   *int64
	Title     string
	DueOn     string
	DoneAt    *time.Time
	DoneVia   string
	ControlID *int64
}

func (p *program) tasks(t *testing.T) map[string]taskRow {
	t.Helper()
	var rows []taskRow
	if err := p.db.R.Table("tasks").Where("kind IN ?", []string{"check_failure", "stale_source"}).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]taskRow{}
	for _, r := range rows {
		out[r.TaskKey] = r
	}
	return out
}

func (p *program) links(t *testing.T, evidenceID int64) []string {
	t.Helper()
	var ids []int64
	if err := p.db.R.Table("evidence_controls").Where("evidence_id = ?", evidenceID).Pluck("control_id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return p.refs(ids)
}

func TestIngestProwlerRunThenAPassingRun(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ctx := context.Background()
			first := p.ingest(t, fixture("prowler-ocsf-1.4.0.json"), ingest.Input{Source: "aws-prod", FileName: "prowler-output.ocsf.json"})
			if !first.Created || first.Source.Name != "aws-prod" || first.Run.Format != "prowler-ocsf" || first.Run.FormatVersion != "1.4.0" {
				t.Fatalf("first run: %+v", first)
			}
			if r := first.Run; r.Passed != 4 || r.Failed != 2 || r.Errored != 0 || r.Skipped != 2 || r.ScanID != "0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4" {
				t.Errorf("run counts %+v", r)
			}
			// AC-01 (CC6.1) has a failing IAM check; AC-02 (CC6.6) the public
			// bucket; LOG-01 (CC7.2) only the passing CloudTrail check.
			if got := p.refs(first.Failed); !slices.Equal(got, []string{"AC-01", "AC-02"}) {
				t.Errorf("failed controls %v", got)
			}
			if got := p.refs(first.Passed); !slices.Equal(got, []string{"LOG-01"}) {
				t.Errorf("passed controls %v", got)
			}
			if !slices.Equal(first.Unmapped, []string{"ec2_instance_imdsv2_enabled", "account_maintain_current_contact_details"}) {
				t.Errorf("unmapped %v", first.Unmapped)
			}

			// The file is evidence: its bytes by SHA-256, dated by the scan,
			// the tool as source system, linked to the control it passed.
			var ev store.Evidence
			var file store.EvidenceFile
			if err := p.db.R.First(&ev, first.Run.EvidenceID).Error; err != nil {
				t.Fatal(err)
			}
			if err := p.db.R.Where("evidence_id = ?", ev.ID).First(&file).Error; err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join("testdata", "prowler-ocsf-1.4.0.json"))
			if err != nil {
				t.Fatal(err)
			}
			stored, err := os.ReadFile(filepath.Join(p.blobDir, file.SHA256[:2], file.SHA256))
			if err != nil || string(stored) != string(raw) || file.Size != int64(len(raw)) {
				t.Fatalf("stored file differs from the upload (%v)", err)
			}
			if *ev.CollectedOn != "2026-03-02" || ev.SourceSystem != "Prowler 5.12.1" || ev.ProvidedBy != "ingest: aws-prod" ||
				file.OriginalName != "prowler-output.ocsf.json" || file.MediaType != "application/json" {
				t.Errorf("evidence %+v, file %+v", ev, file)
			}
			if got := p.links(t, ev.ID); !slices.Equal(got, []string{"LOG-01"}) {
				t.Errorf("evidence linked to %v, want the passing control only", got)
			}
			var results []store.IngestResult
			if err := p.db.R.Where("run_id = ?", first.Run.ID).Order("id").Find(&results).Error; err != nil {
				t.Fatal(err)
			}
			if len(results) != 8 || results[1].CheckID != "iam_user_mfa_enabled_console_access" || results[1].Status != "fail" ||
				results[1].Resource != "arn:aws:iam::210987654321:user/dana" || results[1].Message != "User dana has console access but no MFA." {
				t.Errorf("result rows %+v", results)
			}

			// A failing check opens a task for the control's owner, one per
			// control and day.
			tasks := p.tasks(t)
			ac01 := tasks["failure/"+id(p.controls["AC-01"])+"/2026-03-02"]
			if ac01.ID == 0 || *ac01.OwnerID != p.owner || ac01.DueOn != "2026-03-09" || ac01.DoneAt != nil ||
				!strings.Contains(ac01.Title, "AC-01") {
				t.Fatalf("AC-01's task: %+v (all: %v)", ac01, tasks)
			}
			if len(tasks) != 2 {
				t.Errorf("tasks %v", tasks)
			}

			// The same file again changes nothing.
			before := p.count(t)
			again := p.ingest(t, fixture("prowler-ocsf-1.4.0.json"), ingest.Input{Source: "aws-prod"})
			if again.Created || again.Run.ID != first.Run.ID {
				t.Errorf("second ingest: %+v", again)
			}
			if after := p.count(t); !mapsEqual(before, after) {
				t.Errorf("the same file twice changed rows:\n before %v\n after  %v", before, after)
			}

			// A later scan in which the IAM checks pass closes AC-01's task
			// and is linked to AC-01 as evidence; AC-02 still fails.
			*p.clock = time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC)
			fixed := writeGeneric(t, `{"scan_id": "fix-1", "scanned_at": "2026-03-03T02:00:00Z", "results": [
				{"check_id": "iam_user_mfa_enabled_console_access", "status": "pass", "resource": "arn:aws:iam::210987654321:user/dana"},
				{"check_id": "iam_root_mfa_enabled", "status": "pass", "resource": "arn:aws:iam::210987654321:root"}]}`)
			third := p.ingest(t, fixed, ingest.Input{Source: "aws-prod"})
			if got := p.refs(third.Passed); !slices.Equal(got, []string{"AC-01"}) {
				t.Errorf("third run passed %v", got)
			}
			if got := p.links(t, third.Run.EvidenceID); !slices.Equal(got, []string{"AC-01"}) {
				t.Errorf("third run's evidence linked to %v", got)
			}
			tasks = p.tasks(t)
			ac01 = tasks["failure/"+id(p.controls["AC-01"])+"/2026-03-02"]
			if ac01.DoneAt == nil || ac01.DoneVia != "passed" {
				t.Errorf("AC-01's task after a passing run: %+v", ac01)
			}
			if ac02 := tasks["failure/"+id(p.controls["AC-02"])+"/2026-03-02"]; ac02.DoneAt != nil {
				t.Errorf("AC-02's task closed by a run that did not check it: %+v", ac02)
			}

			// An older failing scan that arrives late opens nothing: a later
			// scan of the source has passed since.
			late := writeGeneric(t, `{"scan_id": "late-1", "scanned_at": "2026-03-02T20:00:00Z", "results": [
				{"check_id": "iam_user_mfa_enabled_console_access", "status": "fail", "resource": "arn:aws:iam::210987654321:user/dana"}]}`)
			p.ingest(t, late, ingest.Input{Source: "aws-prod"})
			if ac01 := p.tasks(t)["failure/"+id(p.controls["AC-01"])+"/2026-03-02"]; ac01.DoneAt == nil {
				t.Errorf("a late, older failure reopened AC-01's task: %+v", ac01)
			}

			// An open failure task follows its control to a new owner.
			other, err := auth.NewService(p.db, auth.DefaultSettings(), nil).CreateUser(ctx, auth.Trusted, auth.NewUser{
				Email: "ravi@larkspur.example", Role: "owner", Password: "another long and unusual passphrase"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.ctl.Update(ctx, p.controls["AC-02"], controls.Input{OwnerID: &other.ID}); err != nil {
				t.Fatal(err)
			}
			if ac02 := p.tasks(t)["failure/"+id(p.controls["AC-02"])+"/2026-03-02"]; ac02.OwnerID == nil || *ac02.OwnerID != other.ID {
				t.Errorf("AC-02's open task after a new owner: %+v", ac02)
			}
			if ac01 := p.tasks(t)["failure/"+id(p.controls["AC-01"])+"/2026-03-02"]; *ac01.OwnerID != p.owner {
				t.Errorf("a closed task moved to another owner: %+v", ac01)
			}

			// The control's history: each run's counts and failing
			// resources, and its daily windows covered only by passing runs.
			h, err := p.svc.ControlHistory(ctx, p.controls["AC-01"], civil.MustParse("2026-03-01"), civil.MustParse("2026-03-04"))
			if err != nil {
				t.Fatal(err)
			}
			var outcomes []string
			for _, r := range h.Runs {
				outcomes = append(outcomes, r.ScannedAt.Format("01-02T15")+":"+string(r.Outcome))
			}
			if !slices.Equal(outcomes, []string{"03-02T02:fail", "03-02T20:fail", "03-03T02:pass"}) {
				t.Errorf("history runs %v", outcomes)
			}
			if f := h.Runs[0]; f.Passed != 3 || f.Failed != 1 || f.FailingTotal != 1 || f.Failing[0].Resource != "arn:aws:iam::210987654321:user/dana" {
				t.Errorf("first run in the history: %+v", f)
			}
			// An automated control has one window, its baseline for the
			// period: the passing run covers it.
			if len(h.Windows) != 1 || h.Windows[0].State != "covered" || h.Windows[0].PassingRuns != 1 || h.Windows[0].FailingRuns != 2 {
				t.Errorf("AC-01's windows %+v", h.Windows)
			}
			// A daily control a person runs has a window a day, covered only
			// by a run that passed inside it.
			h, err = p.svc.ControlHistory(ctx, p.controls["AC-02"], civil.MustParse("2026-03-01"), civil.MustParse("2026-03-04"))
			if err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, w := range h.Windows {
				states = append(states, w.Start.String()+":"+w.State)
			}
			// Within the grace days a window without a passing run is due,
			// as the engagement counts it, and failed once it had only
			// failing runs.
			if !slices.Equal(states, []string{"2026-03-01:due", "2026-03-02:failed", "2026-03-03:due", "2026-03-04:due"}) {
				t.Errorf("AC-02's windows %v", states)
			}
			if len(h.Checks) != 1 || h.Checks[0].CheckID != "s3_bucket_public_access" || h.Checks[0].Via != ingest.ViaCriteria {
				t.Errorf("AC-02's checks %+v", h.Checks)
			}
		})
	}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func writeGeneric(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Bad input is a 400 that names the problem and changes nothing.
func TestIngestRefusesBadFilesAndChangesNothing(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	before := p.count(t)
	for _, body := range []string{
		`{"results": [{"check_id": "a", "status": "pass"}, {"check_id": "b", "status": "sideways"}]}`,
		`[{"class_uid": 2004, "metadata": {"event_code": "x"}, "status_code": "PASS"}, {"class_uid"`,
		"not,a,scan\n1,2,3\n",
	} {
		_, err := p.svc.Ingest(context.Background(), ingest.Input{Body: strings.NewReader(body), By: &p.owner})
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.KindInvalid || e.Fields["file"] == "" {
			t.Errorf("ingest %.30q: %v, want a 400 naming the problem", body, err)
		}
	}
	_, err := p.svc.Ingest(context.Background(), ingest.Input{Body: strings.NewReader(`{"results": []}`), Source: "bad name!"})
	if e, ok := apperr.As(err); !ok || e.Fields["source"] == "" {
		t.Errorf("bad source name: %v", err)
	}
	if after := p.count(t); !mapsEqual(before, after) {
		t.Errorf("refused files changed rows:\n before %v\n after  %v", before, after)
	}
	entries, err := os.ReadDir(p.blobDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "tmp" {
			t.Errorf("a refused file was stored: %s", e.Name())
		}
	}
}

// Every format's fixture becomes a run with its evidence and result rows.
func TestIngestEachFormat(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	for _, tc := range []struct {
		file, source, format, system, collected string
		rows, passed, failed, errored, skipped  int
		mediaType                               string
	}{
		{"prowler-ocsf-1.4.0.json", "prowler", "prowler-ocsf", "Prowler 5.12.1", "2026-03-02", 8, 4, 2, 0, 2, "application/json"},
		{"prowler-soc2-aws-compliance-5.x.csv", "prowler", "prowler-compliance-csv", "Prowler", "2026-03-09", 5, 3, 1, 0, 1, "text/csv; charset=utf-8"},
		{"powerpipe-soc2-json-template-1.1.2.json", "powerpipe", "powerpipe-json", "Powerpipe", "2026-03-10", 8, 5, 2, 1, 0, "application/json"},
		{"inspec-exec-json-5.22.json", "inspec", "inspec-json", "Chef InSpec 5.22.58", "2026-03-02", 7, 3, 1, 1, 2, "application/json"},
		{"oscal-assessment-results-1.1.2.json", "oscal", "oscal-assessment-results", "OSCAL 1.0", "2026-03-31", 3, 2, 1, 0, 0, "application/json"},
		{"generic-socmap-results-1.json", "backup-verifier", "generic-json", "backup-verifier 2.3.0", "2026-03-03", 4, 2, 1, 0, 1, "application/json"},
		{"generic-results.csv", "generic", "generic-csv", "generic", "2026-03-04", 3, 2, 1, 0, 0, "text/csv; charset=utf-8"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			if tc.file == "oscal-assessment-results-1.1.2.json" {
				*p.clock = time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC) // after the assessment
			}
			out := p.ingest(t, fixture(tc.file), ingest.Input{})
			r := out.Run
			if !out.Created || out.Source.Name != tc.source || r.Format != tc.format ||
				[4]int{r.Passed, r.Failed, r.Errored, r.Skipped} != [4]int{tc.passed, tc.failed, tc.errored, tc.skipped} {
				t.Errorf("run %+v in source %q", r, out.Source.Name)
			}
			var ev store.Evidence
			var file store.EvidenceFile
			var rows int64
			if err := p.db.R.First(&ev, r.EvidenceID).Error; err != nil {
				t.Fatal(err)
			}
			if err := p.db.R.Where("evidence_id = ?", ev.ID).First(&file).Error; err != nil {
				t.Fatal(err)
			}
			if err := p.db.R.Model(&store.IngestResult{}).Where("run_id = ?", r.ID).Count(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if ev.Kind != "file" || ev.SourceSystem != tc.system || *ev.CollectedOn != tc.collected || file.MediaType != tc.mediaType ||
				len(file.SHA256) != 64 || int(rows) != tc.rows {
				t.Errorf("evidence %+v, file %+v, %d result rows", ev, file, rows)
			}
		})
	}
}

// Rules map checks to controls and win over the criteria; past runs
// follow a new rule at once, evidence links included.
func TestRulesRemapPastRuns(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ctx := context.Background()
			run := p.ingest(t, fixture("prowler-ocsf-1.4.0.json"), ingest.Input{Source: "aws-prod"}).Run
			if got := p.links(t, run.EvidenceID); !slices.Equal(got, []string{"LOG-01"}) {
				t.Fatalf("links before %v", got)
			}
			// CloudTrail is AC-03's check from now on, and only AC-03's.
			n, err := p.svc.CreateRules(ctx, &p.owner, []ingest.NewRule{{Pattern: "cloudtrail_*", ControlRef: "AC-03"}})
			if err != nil || n != 1 {
				t.Fatalf("create rule: %d, %v", n, err)
			}
			if got := p.links(t, run.EvidenceID); !slices.Equal(got, []string{"AC-03"}) {
				t.Errorf("links after the rule %v, want AC-03 instead of LOG-01", got)
			}
			h, err := p.svc.ControlHistory(ctx, p.controls["LOG-01"], civil.MustParse("2026-03-01"), civil.MustParse("2026-03-31"))
			if err != nil || len(h.Runs) != 0 || len(h.Checks) != 0 {
				t.Errorf("LOG-01 still fed: %+v, %v", h, err)
			}
			// Mapping an unmapped check: importing rules, all or nothing.
			unmapped, err := p.svc.Checks(ctx, true)
			if err != nil || len(unmapped) != 2 {
				t.Fatalf("unmapped %+v, %v", unmapped, err)
			}
			rules, err := ingest.ReadRules(strings.NewReader("pattern,control,note\nec2_*,AC-03,hosts\nnope,ZZ-99,\n"))
			if err != nil {
				t.Fatal(err)
			}
			before := p.count(t)
			_, err = p.svc.CreateRules(ctx, &p.owner, rules)
			if e, ok := apperr.As(err); !ok || e.Fields["row 3, column control"] == "" {
				t.Errorf("import with an unknown control: %v", err)
			}
			if after := p.count(t); !mapsEqual(before, after) {
				t.Errorf("a refused import changed rows")
			}
			if n, err := p.svc.CreateRules(ctx, &p.owner, rules[:1]); err != nil || n != 1 {
				t.Fatalf("import: %d, %v", n, err)
			}
			if n, err := p.svc.CreateRules(ctx, &p.owner, rules[:1]); err != nil || n != 0 {
				t.Errorf("importing the same rule again: %d, %v", n, err)
			}
			if unmapped, err := p.svc.Checks(ctx, true); err != nil || len(unmapped) != 1 || unmapped[0].CheckID != "account_maintain_current_contact_details" {
				t.Errorf("unmapped after the import: %+v, %v", unmapped, err)
			}
			// Removing the CloudTrail rule gives the check back to LOG-01.
			all, err := p.db.IngestRules(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range all {
				if r.Pattern == "cloudtrail_*" {
					if err := p.svc.DeleteRule(ctx, r.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			if got := p.links(t, run.EvidenceID); !slices.Equal(got, []string{"LOG-01"}) {
				t.Errorf("links after deleting the rule %v", got)
			}
		})
	}
}

// A source that stops reporting is flagged and its owner gets a task,
// closed by its next report.
func TestStaleSource(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	ctx := context.Background()
	p.ingest(t, fixture("prowler-ocsf-1.4.0.json"), ingest.Input{Source: "aws-prod"}) // scanned 2026-03-02 02:14
	*p.clock = time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)
	if err := p.svc.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	sources, err := p.svc.Sources(ctx)
	if err != nil || len(sources) != 1 || sources[0].Stale {
		t.Fatalf("within its interval: %+v, %v", sources, err)
	}
	*p.clock = time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC)
	for range 2 {
		if err := p.svc.CheckStale(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sources, err = p.svc.Sources(ctx)
	if err != nil || !sources[0].Stale || sources[0].StaleSince.Format(time.RFC3339) != "2026-03-03T02:14:07Z" {
		t.Fatalf("after its interval: %+v, %v", sources, err)
	}
	var stale []taskRow
	for _, task := range p.tasks(t) {
		if task.Kind == "stale_source" {
			stale = append(stale, task)
		}
	}
	if len(stale) != 1 || *stale[0].OwnerID != p.owner || stale[0].DueOn != "2026-03-03" || stale[0].DoneAt != nil {
		t.Fatalf("stale tasks %+v", stale)
	}
	// The owner hears of it in their digest.
	tsk := tasks.NewService(p.db, engagement.NewService(p.db, nil), tasks.DefaultSettings())
	tsk.SetClock(func() time.Time { return *p.clock })
	if n, err := tsk.SendDigests(ctx, "2026-03-03", nil); err != nil || n != 1 {
		t.Fatalf("digests: %d, %v", n, err)
	}
	var body string
	if err := p.db.R.Table("digests").Select("body").Where("user_id = ?", p.owner).Scan(&body).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "aws-prod has not reported since 2026-03-02 02:14 UTC") {
		t.Errorf("the owner's digest does not name the silent source:\n%s", body)
	}
	// A longer interval makes it current; a new report closes the task.
	if _, err := p.svc.UpdateSource(ctx, sources[0].ID, ingest.SourceChange{IntervalHours: ptr(48)}); err != nil {
		t.Fatal(err)
	}
	if sources, err := p.svc.Sources(ctx); err != nil || sources[0].Stale {
		t.Errorf("still stale with 48 hours (%v)", err)
	}
	p.ingest(t, writeGeneric(t, `{"scanned_at": "2026-03-03T02:30:00Z", "results": [{"check_id": "iam_root_mfa_enabled", "status": "pass"}]}`),
		ingest.Input{Source: "aws-prod"})
	if task := p.tasks(t)[stale[0].TaskKey]; task.DoneAt == nil || task.DoneVia != "reported" {
		t.Errorf("the stale task after a report: %+v", task)
	}
	if _, err := p.svc.UpdateSource(ctx, sources[0].ID, ingest.SourceChange{IntervalHours: ptr(0)}); err == nil {
		t.Errorf("an interval of 0 hours was accepted")
	}
}

// The same scan sent twice at once is one run, and both callers get it.
func TestConcurrentIngestOfOneScan(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			raw, err := os.ReadFile(fixture("prowler-ocsf-1.4.0.json"))
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			outs := make([]ingest.Ingested, 4)
			errs := make([]error, 4)
			for i := range outs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					outs[i], errs[i] = p.svc.Ingest(context.Background(), ingest.Input{Body: bytes.NewReader(raw), Source: "aws-prod", By: &p.owner})
				}()
			}
			wg.Wait()
			created := 0
			for i, out := range outs {
				if errs[i] != nil {
					t.Fatalf("ingest %d: %v", i, errs[i])
				}
				if out.Created {
					created++
				}
				if out.Run.ID != outs[0].Run.ID || out.Run.ID == 0 {
					t.Errorf("ingest %d answered run %d, the first %d", i, out.Run.ID, outs[0].Run.ID)
				}
			}
			if n := p.count(t); created != 1 || n["ingest_runs"] != 1 || n["evidence"] != 1 || n["ingest_results"] != 8 {
				t.Errorf("%d created; rows %v", created, n)
			}
			// Different scans reporting a new source at once: one source, every run.
			for i := range outs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body := fmt.Sprintf(`{"scan_id": "nightly-%d", "results": [{"check_id": "backup.restore_test", "status": "pass"}]}`, i)
					outs[i], errs[i] = p.svc.Ingest(context.Background(), ingest.Input{Body: strings.NewReader(body), Source: "backups"})
				}()
			}
			wg.Wait()
			for i := range outs {
				if errs[i] != nil || !outs[i].Created || outs[i].Source.Name != "backups" {
					t.Errorf("scan %d of a new source: %+v, %v", i, outs[i].Run, errs[i])
				}
			}
			if n := p.count(t); n["ingest_sources"] != 2 || n["ingest_runs"] != 5 {
				t.Errorf("rows after the new source's scans %v", n)
			}
		})
	}
}
