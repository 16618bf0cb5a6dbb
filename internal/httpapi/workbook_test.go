package httpapi_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/exports/exportstest"
	"github.com/socmap/socmap/internal/store/storetest"
)

// seedEngagement builds a small Type II engagement with everything a
// workbook shows and returns its API base path.
func seedEngagement(t *testing.T, p *program) string {
	t.Helper()
	ac := p.control("AC-03", `,"frequency":"quarterly","description":"Quarterly review of user access by system owners"`)
	evil := p.control("AC-04", `,"frequency":"quarterly"`)
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", evil), `{"title":"=HYPERLINK(\"http://x\",\"y\")"}`, 200, nil)
	sum := p.control("CM-01", `,"frequency":"event-driven"`)
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", sum), `{"title":"@SUM(A1:A9) change approvals"}`, 200, nil)
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.2"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, ac, evil, sum), 200, nil)
	upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Q1 access review", "control_ids": fmt.Sprint(ac),
		"covers_from": "2026-01-01", "covers_to": "2026-03-31", "collected_on": "2026-04-02"}, "q1.pdf", strings.NewReader("%PDF q1"))
	p.call(p.admin, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"link","url":"https://wiki.example.com/runbook","title":"Runbook","control_ids":[%d]}`, ac), 201, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II H1 2026","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30","audit_firm":"Example LLP"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	p.testedSample(base, ac, 2, "2026-02", 0)
	p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, ac), `{"design_result":"suitably_designed","test_methods":["inquiry","inspection"],"test_procedure":"Inspected both reviews","result":"no_exceptions"}`, 200, nil)
	if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, sum), "changes.csv", "id,date\nC1,2026-01-03\nC2,2026-02-03\nC3,2026-03-03\n"); w.Code != 201 {
		t.Fatal(w.Body)
	}
	var drawn struct {
		Sample struct {
			ID int64 `json:"id"`
		} `json:"sample"`
	}
	p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, sum), `{"seed":7,"attributes":["approved"]}`, 201, &drawn)
	for seq, outcome := range map[int]string{1: "pass", 2: "fail", 3: "pass"} {
		p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", base, drawn.Sample.ID, seq), fmt.Sprintf(`{"results":{"approved":%q}}`, outcome), 204, nil)
	}
	p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, sum), `{"test_methods":["reperformance"],"result":"exceptions_noted"}`, 200, nil)
	var xs struct {
		Exceptions []struct {
			ID int64 `json:"id"`
		} `json:"exceptions"`
	}
	p.call(p.admin, "GET", base+"/exceptions", "", 200, &xs)
	if len(xs.Exceptions) != 1 {
		t.Fatalf("the failed item's exception: %+v", xs)
	}
	p.call(p.admin, "PATCH", fmt.Sprintf("%s/exceptions/%d", base, xs.Exceptions[0].ID), `{"description":"C2 approved after deployment","management_response":"Pipeline now blocks unapproved changes"}`, 200, nil)
	p.call(p.admin, "POST", base+"/cuecs", `{"text":"Customers review their users' access","requirements":["soc2-tsc-2017/CC6.2"]}`, 201, nil)
	p.call(p.admin, "POST", base+"/subservice-orgs", `{"name":"Cloud Hosting Inc.","method":"carve-out","csocs":[{"text":"Physical access restricted","requirements":["soc2-tsc-2017/CC6.4"]}]}`, 201, nil)
	p.call(p.admin, "POST", base+"/requests/generate", "", 200, nil)
	return base
}

func TestEngagementWorkbook(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { testEngagementWorkbook(t, target) })
	}
}

func testEngagementWorkbook(t *testing.T, target storetest.Target) {
	p := newProgram(t, target)
	base := seedEngagement(t, p)
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), "socmap-SOC-2-Type-II-H1-2026.xlsx") {
		t.Fatalf("workbook: %d %v", w.Code, w.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := exportstest.Formulas(w.Body.Bytes()); err != nil || n != 0 {
		t.Errorf("the workbook has %d formula cells (%v)", n, err)
	}
	if dims, err := exportstest.Dimensions(w.Body.Bytes()); err != nil || dims["xl/worksheets/sheet5.xml"] != "A1:K3" {
		t.Errorf("the evidence index declares %q as its used range (%v)", dims["xl/worksheets/sheet5.xml"], err)
	}
	want := []string{"Summary", "Control matrix", "Criteria coverage", "Section IV", "Evidence index", "Control operation", "Occurrences",
		"Populations", "Samples", "Exceptions", "CUECs and subservice", "Requests (PBC)"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v", got)
	}
	rows := func(sheet string) [][]string {
		r, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	find := func(sheet, first string) []string {
		for _, r := range rows(sheet) {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Fatalf("%s has no row starting %q", sheet, first)
		return nil
	}

	matrix := rows("Control matrix")
	if len(matrix) != 4 || matrix[0][0] != "Control ID" || matrix[0][19] != "Design result" || matrix[0][28] != "Result" {
		t.Fatalf("control matrix: %v", matrix)
	}
	ac := find("Control matrix", "AC-03")
	if ac[3] != "soc2-tsc-2017/CC6.1" && ac[3] != "CC6.1" || ac[19] != "Suitably designed" || ac[28] != "No exceptions noted" || ac[7] != "Quarterly" || !strings.Contains(ac[17], "Q1 access review") {
		t.Errorf("AC-03 row: %v", ac)
	}
	if evil := find("Control matrix", "AC-04"); evil[1] != `'=HYPERLINK("http://x","y")` {
		t.Errorf("formula-like title: %q", evil[1])
	}
	if formula, _ := f.GetCellFormula("Control matrix", "B3"); formula != "" {
		t.Errorf("a control title became a formula: %q", formula)
	}
	if cm := find("Control matrix", "CM-01"); cm[1] != "'@SUM(A1:A9) change approvals" || cm[29] != "1 of 3" || cm[22] != "3" {
		t.Errorf("CM-01 row: %v", cm)
	}

	coverage := rows("Criteria coverage")
	// CC6.1's quarterly controls have quarters without evidence (they did
	// not operate), CC8.1's control has exceptions: neither is evaluated.
	if len(coverage) != 34 || find("Criteria coverage", "CC6.1")[3] != "Deviations — evaluation needed" || find("Criteria coverage", "CC8.1")[3] != "Deviations — evaluation needed" {
		t.Errorf("criteria coverage: %d rows, CC6.1 %q, CC8.1 %q", len(coverage), find("Criteria coverage", "CC6.1")[3], find("Criteria coverage", "CC8.1")[3])
	}
	section := rows("Section IV")
	if section[0][3] != "Tests performed" || find("Section IV", "CC1.1")[2] == "" { // the rest is TestSectionIV's
		t.Errorf("section IV: %v", section)
	}
	index := rows("Evidence index")
	if len(index) != 3 || len(find("Evidence index", "1")[4]) != 64 {
		t.Errorf("evidence index: %v", index)
	}
	if ok, target, _ := f.GetCellHyperLink("Evidence index", "K3"); !ok || target != "https://wiki.example.com/runbook" {
		t.Errorf("runbook link: %v %q", ok, target)
	}
	if occ := rows("Occurrences"); len(occ) != 1+2+2 { // AC-03 and AC-04 quarterly: 2 windows each; CM-01 event-driven: none
		t.Errorf("occurrences: %v", occ)
	}
	if smp := rows("Samples"); len(smp) != 6 || smp[1][2] != "7" { // AC-03: 2 items, CM-01: 3
		t.Errorf("samples: %v", smp)
	}
	if exc := rows("Exceptions"); len(exc) != 2 || exc[1][1] != "CM-01" {
		t.Errorf("exceptions: %v", exc)
	}
	if comp := rows("CUECs and subservice"); len(comp) != 4 {
		t.Errorf("CUECs and subservice: %v", comp)
	}
	if pbc := rows("Requests (PBC)"); len(pbc) < 9 || pbc[0][7] != "Due" || pbc[1][0] != "REQ-001" || pbc[len(pbc)-1][2] != "Sample evidence" || pbc[len(pbc)-1][8] != "Open" {
		t.Errorf("PBC: %v", pbc)
	}
	summary := rows("Summary")
	if find("Summary", "Exceptions")[1] != "1" || find("Summary", "Controls in scope")[1] != "3" || len(find("Summary", "Organisation")) != 1 {
		t.Errorf("summary: %v", summary)
	}

	var audit struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=engagement.export", "", 200, &audit)
	if audit.Total != 1 {
		t.Errorf("export audit entries: %d", audit.Total)
	}
	checkExportEntry(t, p, "engagement.export", w.Body.Bytes())
	p.call(signIn(t, p.svc, "auditor"), "GET", base+"/workbook", "", 404, nil)
}

func TestEvidencePackageAndCSV(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	ac := controlID(t, p, "AC-03")
	p.call(p.admin, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"note","note":"Walkthrough with J. Smith on 2026-02-03",`+
		`"title":"Walkthrough","as_of":"2026-02-03","control_ids":[%d]}`, ac), 201, nil)
	var q1 struct {
		Revisions []struct {
			UploadedAt time.Time `json:"uploaded_at"`
		} `json:"revisions"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence/1", "", 200, &q1)
	time.Sleep(1100 * time.Millisecond) // the package's own time is later than any upload
	w := send(p.h, "GET", base+"/package", "", p.admin.headers())
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("package: %d %v", w.Code, w.Header())
	}
	checkExportEntry(t, p, "engagement.export", w.Body.Bytes())
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		if zf.Name == "AC-03/1-q1.pdf" && (len(q1.Revisions) == 0 || !zf.Modified.Equal(q1.Revisions[0].UploadedAt.Truncate(time.Second))) {
			t.Errorf("the evidence file's entry is dated %v, not its upload time %+v", zf.Modified, q1.Revisions)
		}
		if strings.Contains(zf.Name, "..") || strings.HasPrefix(zf.Name, "/") {
			t.Fatalf("escaping path %q", zf.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(zf.Name))
		os.MkdirAll(filepath.Dir(target), 0o755)
		r, _ := zf.Open()
		data, _ := io.ReadAll(r)
		os.WriteFile(target, data, 0o644)
	}
	if strings.Join(names, "|") != "workbook.xlsx|AC-03/1-q1.pdf|AC-03/3-Walkthrough.txt|AC-03/population-period-items.csv|"+
		"CM-01/population-period-changes.csv|manifest.sha256" {
		t.Errorf("package contents: %v", names)
	}
	cmd := exec.Command("sha256sum", "-c", "manifest.sha256")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.Count(string(out), ": OK") != 5 {
		t.Fatalf("sha256sum -c manifest.sha256: %v\n%s", err, out)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "AC-03", "1-q1.pdf")); string(data) != "%PDF q1" {
		t.Errorf("evidence file in the package: %q", data)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "AC-03", "3-Walkthrough.txt")); string(data) != "Walkthrough with J. Smith on 2026-02-03" {
		t.Errorf("note evidence in the package: %q", data)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "CM-01", "population-period-changes.csv")); !strings.Contains(string(data), `"C2",2026-02-03`) {
		t.Errorf("population in the package: %q", data)
	}

	csv := send(p.h, "GET", base+"/control-matrix.csv", "", p.admin.headers())
	body := csv.Body.String()
	if csv.Code != 200 || !strings.HasPrefix(body, "\uFEFF\"Control ID\",\"Title\",") || !strings.Contains(body, `"'=HYPERLINK(""http://x"",""y"")"`) ||
		!strings.Contains(body, "'@SUM(A1:A9) change approvals") {
		t.Errorf("control matrix CSV: %d\n%s", csv.Code, body)
	}
	idx := send(p.h, "GET", base+"/evidence-index.csv", "", p.admin.headers())
	if idx.Code != 200 || strings.Count(idx.Body.String(), "\r\n") != 4 {
		t.Errorf("evidence index CSV: %d\n%s", idx.Code, idx.Body)
	}
	checkExportEntry(t, p, "engagement.export", idx.Body.Bytes())
}

// checkExportEntry finds the newest audit entry of action and checks that
// it records the SHA-256 and size of the file the client received.
func checkExportEntry(t *testing.T, p *program, action string, file []byte) {
	t.Helper()
	var out struct {
		Entries []struct {
			Seq     int64 `json:"seq"`
			Changes map[string]struct {
				After any `json:"after"`
			} `json:"changes"`
		} `json:"entries"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action="+action, "", 200, &out)
	if len(out.Entries) == 0 {
		t.Fatalf("no %s entry in the audit trail", action)
	}
	sum := sha256.Sum256(file)
	got := out.Entries[0].Changes
	if got["sha256"].After != hex.EncodeToString(sum[:]) || got["size"].After != float64(len(file)) {
		t.Errorf("%s entry records %v, %v; the file handed over is %x, %d bytes", action, got["sha256"].After, got["size"].After, sum, len(file))
	}
	// The export is covered by a signed checkpoint at once, which the
	// administrators find in their outbox.
	var outbox struct {
		Digests []struct {
			Subject string `json:"subject"`
		} `json:"digests"`
	}
	p.call(p.admin, "GET", "/api/v1/outbox", "", 200, &outbox)
	want := fmt.Sprintf("socmap: audit trail checkpoint #%d", out.Entries[0].Seq)
	if len(outbox.Digests) == 0 || outbox.Digests[0].Subject != want {
		t.Errorf("outbox after the export: %+v, want %q first", outbox.Digests, want)
	}
}
