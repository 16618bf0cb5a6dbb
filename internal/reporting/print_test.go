package reporting

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/exports/exportstest"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// hostile are values a user could type that a spreadsheet would run.
var hostile = []string{`=HYPERLINK("https://evil.example","x")`, "@SUM(1+1)", "+1+1", "-1+1",
	"review;=1+1", "review,=1+1", "two\n=1+1", "tab\t@x", "review; +cmd"}

// longText is a description of about 600 characters: its last words must
// be on the printed page, not cut off by the row height.
const longText = "The payroll operations lead reviews every change to pay rates, bank details and tax codes made in the " +
	"payroll platform during the week against the approved change requests in the service desk, confirms that each " +
	"change was requested by the client's authorised contact, approved by a second person who did not make it, and " +
	"entered exactly as approved, follows up every difference with the client before the next pay run, records the " +
	"outcome of the review with the reviewer's name and the date in the review log kept in the shared compliance " +
	"folder, and escalates unresolved differences to the head of operations, who decides before payments are " +
	"released whether the pay run may go ahead on the agreed date zanzibarfinal."

// TestDemoFilesInLibreOffice renders the demo's SOC 2 Type II workbook to
// PDF with LibreOffice and checks what an auditor printing it sees, then
// opens every CSV with a comma and with a semicolon as the separator and
// finds no formula. LibreOffice runs three times in all.
func TestDemoFilesInLibreOffice(t *testing.T) {
	for _, tool := range []string{"soffice", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (scripts/test-deps installs it): %v", tool, err)
		}
	}
	ctx := context.Background()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := engagement.NewService(db, nil)
	taskService := tasks.NewService(db, svc, tasks.DefaultSettings())
	res, err := demo.Load(ctx, db, blobs, taskService, demo.Options{Seed: demo.DefaultSeed,
		Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	plantHostileText(t, db)
	rep := Reporter{Engagements: svc, DB: db, Blobs: blobs, TmpDir: t.TempDir()}
	id := res.Engagements[0] // the SOC 2 Type II
	dir := t.TempDir()
	var workbook bytes.Buffer
	if err := rep.Workbook(ctx, id, &workbook); err != nil {
		t.Fatal(err)
	}
	if n, err := exportstest.Formulas(workbook.Bytes()); err != nil || n != 0 {
		t.Errorf("the workbook has %d formula cells (%v)", n, err)
	}
	xlsx := filepath.Join(dir, "workbook.xlsx")
	if err := os.WriteFile(xlsx, workbook.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	var csvs []string
	_, tables, err := rep.records().Workbook(ctx, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range append([]string{"Summary"}, names(tables)...) {
		var buf bytes.Buffer
		if err := rep.CSV(ctx, id, sheet, &buf); err != nil {
			t.Fatal(err)
		}
		csvs = append(csvs, writeFile(t, dir, strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(sheet)+".csv", buf.Bytes()))
	}
	var taskCSV, taskXLSX bytes.Buffer
	if err := taskService.WriteCSV(ctx, &taskCSV, tasks.Filter{}); err != nil {
		t.Fatal(err)
	}
	csvs = append(csvs, writeFile(t, dir, "tasks.csv", taskCSV.Bytes()))
	if err := taskService.WriteWorkbook(ctx, &taskXLSX, tasks.Filter{}, "test"); err != nil {
		t.Fatal(err)
	}
	if n, err := exportstest.Formulas(taskXLSX.Bytes()); err != nil || n != 0 {
		t.Errorf("the task workbook has %d formula cells (%v)", n, err)
	}

	pages := printPages(t, dir, xlsx)
	checkPrint(t, pages)
	for _, sep := range []struct{ name, code string }{{"comma", "44"}, {"semicolon", "59"}} {
		out := filepath.Join(dir, sep.name)
		// Separator, quote, UTF-8, from line 1, standard cells, language,
		// quoted as text off, detect special numbers on, …, evaluate
		// formulas on: the settings most likely to find a formula.
		filter := "CSV:" + sep.code + ",34,76,1,,0,false,true,false,false,false,false,true"
		soffice(t, out, []string{"--infilter=" + filter, "--convert-to", "xlsx"}, csvs...)
		for _, c := range csvs {
			name := strings.TrimSuffix(filepath.Base(c), ".csv") + ".xlsx"
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatalf("LibreOffice did not convert %s with a %s: %v", filepath.Base(c), sep.name, err)
			}
			if n, err := exportstest.Formulas(data); err != nil || n != 0 {
				t.Errorf("%s opened with a %s as the separator has %d formula cells (%v)", filepath.Base(c), sep.name, n, err)
			}
		}
	}
}

func names(tables []exports.Table) []string {
	out := make([]string, len(tables))
	for i, t := range tables {
		out[i] = t.Name
	}
	return out
}

// plantHostileText gives controls and evidence of the demo formula-like
// titles and one long description, as a careless or hostile user might.
func plantHostileText(t *testing.T, db *store.DB) {
	t.Helper()
	var ids []int64
	if err := db.R.Model(&store.Control{}).Order("ref").Limit(len(hostile)+1).Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	for i, s := range hostile {
		if err := db.W.Model(&store.Control{}).Where("id = ?", ids[i]).Updates(map[string]any{"title": s, "description": s}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.W.Model(&store.Evidence{}).Where("id = ?", i+1).Update("title", s).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.W.Model(&store.Control{}).Where("id = ?", ids[len(hostile)]).Update("description", longText).Error; err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// officeProfile is this test process's LibreOffice profile: one for the
// whole run, because a first start in a new profile takes the longest, and
// never shared with another process, because two LibreOffice instances on
// one profile wait for each other for ever.
var officeProfile = filepath.Join(os.TempDir(), fmt.Sprintf("socmap-test-libreoffice-%d", os.Getpid()))

func TestMain(m *testing.M) {
	code := m.Run()
	if err := os.RemoveAll(officeProfile); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// soffice converts files with LibreOffice, headless and with its own
// profile, into the folder out. A conversion that hangs fails the test
// after five minutes instead of stalling the package until its timeout.
func soffice(t *testing.T, out string, convert []string, files ...string) {
	t.Helper()
	args := append([]string{"-env:UserInstallation=file://" + officeProfile, "--headless", "--norestore"}, convert...)
	args = append(append(args, "--outdir", out), files...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", args...)
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	defer func() { t.Logf("soffice %v: %v", convert, time.Since(start).Round(time.Millisecond)) }()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice %v: %v\n%s", args, err, b)
	}
}

// printPages renders a workbook to PDF and returns the text of each page.
func printPages(t *testing.T, dir, xlsx string) []string {
	t.Helper()
	soffice(t, dir, []string{"--convert-to", "pdf"}, xlsx)
	pdf := strings.TrimSuffix(xlsx, ".xlsx") + ".pdf"
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	return pages
}

// sheetHeaders are the first header cells of each sheet, which every
// printed page of the sheet repeats.
var sheetHeaders = map[string]string{"Summary": "Item", "Control matrix": "Control ID", "Criteria coverage": "Requirement",
	"Section IV": "Criterion or", "Evidence index": "Evidence ID", "Control operation": "Control", "Occurrences": "Control", "Populations": "Control", "Samples": "Control",
	"Exceptions": "Exception", "CUECs and subservice": "Ref", "Requests (PBC)": "Request ID"}

var spaces = regexp.MustCompile(`\s+`)

func checkPrint(t *testing.T, pages []string) {
	t.Helper()
	perSheet := map[string]int{}
	var matrix strings.Builder
	for i, page := range pages {
		lines := strings.Split(strings.TrimLeft(page, "\n"), "\n")
		head := strings.TrimSpace(lines[0])
		sheet := ""
		for name := range sheetHeaders {
			if strings.HasSuffix(head, name) && len(name) > len(sheet) {
				sheet = name
			}
		}
		if sheet == "" || !strings.HasPrefix(head, demo.Organisation) {
			t.Fatalf("page %d has no page header with the organisation, the engagement and the sheet: %q", i+1, head)
		}
		perSheet[sheet]++
		if !strings.Contains(page, sheetHeaders[sheet]) {
			t.Errorf("page %d (%s) does not repeat the header row", i+1, sheet)
		}
		if !regexp.MustCompile(`Page \d+ of \d+\s+Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC`).MatchString(page) {
			t.Errorf("page %d (%s) has no footer with the page number and generation time", i+1, sheet)
		}
		if sheet == "Control matrix" {
			matrix.WriteString(page)
		}
	}
	t.Logf("the workbook prints on %d pages: %v", len(pages), perSheet)
	// Every sheet counts, the per-window Occurrences and requests too.
	if len(pages) > 60 {
		t.Errorf("the workbook prints on %d pages, more than 60: %v", len(pages), perSheet)
	}
	if perSheet["Exceptions"] != 1 {
		t.Errorf("the Exceptions sheet prints on %d pages, not one", perSheet["Exceptions"])
	}
	// Every word of the long description, in order, is on the control
	// matrix's pages: the row is tall enough to show it all.
	text := spaces.ReplaceAllString(matrix.String(), " ")
	at := 0
	for _, w := range strings.Fields(longText) {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("the long description is cut off in print at %q", w)
		}
		at += i + len(w)
	}
}
