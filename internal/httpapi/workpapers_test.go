package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// TestWorkpaperFields: the organisation's evidence expected, risk and IPE
// on a control, the preparer and reviewer of a control in an engagement,
// and the evaluation of an exception reach the API and the workbook; bad
// values are refused naming the field, and nothing changes.
func TestWorkpaperFields(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	var ctl struct {
		Control struct {
			ID               int64  `json:"id"`
			EvidenceExpected string `json:"evidence_expected"`
			RiskAddressed    string `json:"risk_addressed"`
			IPERelied        string `json:"ipe_relied_on"`
		} `json:"control"`
	}
	ac04 := controlID(t, p, "AC-04")
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", ac04), `{"evidence_expected":"  Signed review record per quarter ",`+
		`"risk_addressed":"Access is not removed when no longer needed","ipe_relied_on":"Okta user listing"}`, 200, &ctl)
	if ctl.Control.EvidenceExpected != "Signed review record per quarter" || ctl.Control.IPERelied != "Okta user listing" {
		t.Errorf("control after PATCH: %+v", ctl.Control)
	}
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", ac04), `{"evidence_expected":"`+strings.Repeat("x", 5001)+`"}`, 400, nil)

	reviewer := signIn(t, p.svc, "compliance")
	signOff := fmt.Sprintf("%s/controls/%d/sign-off", base, ac04)
	p.call(p.admin, "PUT", signOff, `{"as":"preparer"}`, 200, nil)
	p.call(reviewer, "PUT", signOff, `{"as":"reviewer"}`, 200, nil)
	stale := p.admin.headers()
	stale.Set("If-Match", `"1"`)
	if w := send(p.h, "PUT", signOff, `{"as":"preparer"}`, stale); w.Code != 412 {
		t.Errorf("a sign-off with a stale If-Match: %d %s", w.Code, w.Body)
	}
	var excs struct {
		Exceptions []struct {
			ID int64 `json:"id"`
		} `json:"exceptions"`
	}
	p.call(p.admin, "GET", base+"/exceptions", "", 200, &excs)
	ev := fmt.Sprintf("%s/exceptions/%d/evaluation", base, excs.Exceptions[0].ID)
	for _, bad := range []string{`{"extent":"sometimes"}`, `{"identified_on":"31/03/2026"}`, `{"root_cause":"` + strings.Repeat("x", 5001) + `"}`} {
		w := send(p.h, "PUT", ev, bad, p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), `"fields"`) {
			t.Errorf("%s: %d %s", bad, w.Code, w.Body)
		}
	}
	p.call(p.admin, "PUT", fmt.Sprintf("%s/exceptions/%d/evaluation", base, 999), `{"extent":"isolated"}`, 404, nil)
	saved := send(p.h, "PUT", ev, `{"identified_on":"2026-03-10","root_cause":"Approval skipped in a hotfix","extent":"isolated",`+
		`"compensating_controls":"Weekly change review (CM-02)","remediation":"Pipeline blocks unapproved changes","retest":"No exceptions in 10 later changes"}`, p.admin.headers())
	if saved.Code != 200 {
		t.Fatalf("evaluation: %d %s", saved.Code, saved.Body)
	}
	// The evaluation is signed off like a conclusion: a preparer, then a
	// different reviewer, each from the version they read.
	read := saved.Header().Get("ETag")
	p.call(p.admin, "PUT", ev+"/sign-off", `{"as":"reviewer"}`, 400, nil) // nobody prepared it yet
	if w := send(p.h, "PUT", ev+"/sign-off", `{"as":"preparer"}`, withIfMatch(p.admin, read)); w.Code != 200 {
		t.Fatalf("prepared: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "PUT", ev+"/sign-off", `{"as":"reviewer"}`, 400, nil) // the preparer reviews their own work
	if w := send(p.h, "PUT", ev+"/sign-off", `{"as":"reviewer"}`, withIfMatch(reviewer, read)); w.Code != 412 {
		t.Errorf("a review of an evaluation signed since it was read: %d %s", w.Code, w.Body)
	}
	var signed struct {
		Evaluation struct {
			SignOff signOffOut `json:"sign_off"`
		} `json:"evaluation"`
	}
	p.call(reviewer, "PUT", ev+"/sign-off", `{"as":"reviewer"}`, 200, &signed)
	if got := signed.Evaluation.SignOff.String(); got != "admin@example.com/compliance@example.com" {
		t.Errorf("evaluation signed %s", got)
	}
	// Changing the evaluation clears its review, not its preparer.
	p.call(p.admin, "PUT", ev, `{"retest":"No exceptions in 12 later changes"}`, 200, &signed)
	if got := signed.Evaluation.SignOff.String(); got != "admin@example.com/-" {
		t.Errorf("evaluation changed after its review: signed %s", got)
	}
	p.call(p.admin, "PUT", ev, `{"retest":"No exceptions in 10 later changes"}`, 200, nil)
	p.call(reviewer, "PUT", ev+"/sign-off", `{"as":"reviewer"}`, 200, nil)
	today := time.Now().UTC().Format(time.DateOnly)

	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	matrix, _ := f.GetRows("Control matrix")
	head, row := matrix[0], matrix[2] // AC-03, AC-04, CM-01
	cell := func(name string) string {
		for i, h := range head {
			if h == name && i < len(row) {
				return row[i]
			}
		}
		t.Fatalf("no column %q in %q", name, head)
		return ""
	}
	if row[0] != "AC-04" || cell("Evidence expected") != "Signed review record per quarter" || cell("Risk addressed") == "" ||
		cell("IPE relied on") != "Okta user listing" || cell("Prepared by") != "admin@example.com" || cell("Prepared on") == "" ||
		cell("Reviewed by") != "compliance@example.com" || cell("Reviewed on") == "" ||
		cell("CUEC or CSOC dependency") != "CUEC-01" {
		t.Errorf("AC-04 in the control matrix: %q", row)
	}
	exc, _ := f.GetRows("Exceptions")
	want := []string{"1", "CM-01", "1 of 3", "C2", "2026-03-10", "C2 approved after deployment", "Approval skipped in a hotfix", "Isolated",
		"Weekly change review (CM-02)", "Pipeline blocks unapproved changes", "No exceptions in 10 later changes",
		"admin@example.com", today, "compliance@example.com", today, "Pipeline now blocks unapproved changes"}
	if strings.Join(exc[1], "|") != strings.Join(want, "|") {
		t.Errorf("exceptions sheet row\n%q\nwant\n%q", exc[1], want)
	}
	// Readiness parts are percentages, numbers with a number format.
	summary, _ := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	parts := 0
	for i, r := range summary {
		typ, _ := f.GetCellType("Summary", fmt.Sprintf("B%d", i+1))
		if strings.HasPrefix(r[0], "  ") {
			parts++
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || r[1] == "" || strings.Contains(r[1], "of") {
				t.Errorf("readiness part %q is not a number: %q (%v)", r[0], r[1], typ)
			}
		}
	}
	if parts != 4 { // design, windows, tests and the criteria with deviations evaluated
		t.Errorf("%d readiness parts in the summary", parts)
	}
}

// TestRefsUniqueInAnyCase: a reference that differs only in case from an
// existing one is refused through the API, whether created or renamed to.
func TestRefsUniqueInAnyCase(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			p.control("AC-01", "")
			other := p.control("AC-02", "")
			w := send(p.h, "POST", "/api/v1/controls", `{"ref":"ac-01","title":"Copy","frequency":"monthly","nature":"manual","type":"detective"}`, p.admin.headers())
			if w.Code != 400 || !strings.Contains(w.Body.String(), `"ref"`) {
				t.Errorf("create ac-01: %d %s", w.Code, w.Body)
			}
			w = send(p.h, "PATCH", fmt.Sprintf("/api/v1/controls/%d", other), `{"ref":"Ac-01"}`, p.admin.headers())
			if w.Code != 400 || !strings.Contains(w.Body.String(), `"ref"`) {
				t.Errorf("rename to Ac-01: %d %s", w.Code, w.Body)
			}
			if controlID(t, p, "AC-02") != other {
				t.Error("the refused rename changed the control")
			}
		})
	}
}

// controlID finds a control by its reference.
func controlID(t *testing.T, p *program, ref string) int64 {
	t.Helper()
	var out struct {
		Controls []struct {
			ID  int64  `json:"id"`
			Ref string `json:"ref"`
		} `json:"controls"`
	}
	p.call(p.admin, "GET", "/api/v1/controls?q="+ref, "", 200, &out)
	for _, c := range out.Controls {
		if c.Ref == ref {
			return c.ID
		}
	}
	t.Fatalf("no control %s", ref)
	return 0
}

// TestPopulationAndSampleSheets: the Populations sheet names where each
// population came from; the Samples sheet has a column per attribute, and
// an item not yet tested is blank there and in its exception cell.
func TestPopulationAndSampleSheets(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	ac := controlID(t, p, "AC-04")
	if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, ac), "reviews.csv", "id,date\nR1,2026-02-01\nR2,2026-05-01\n"); w.Code != 201 {
		t.Fatal(w.Body)
	}
	p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, ac), `{"seed":3,"attributes":["signed off"]}`, 201, nil)

	var found bool
	for _, r := range sheetRows(t, p, base, "Populations") {
		if r[0] != "CM-01" {
			continue
		}
		found = true
		want := []string{"CM-01", "Period", "2026-01-01 to 2026-06-30", "Jira change tickets", "project = CHG AND created >= 2026-01-01",
			"", "", "3", "", "changes.csv", "admin@example.com"}
		if len(r) != 12 || strings.Join(r[:11], "|") != strings.Join(want, "|") {
			t.Errorf("CM-01's population: %q", r)
		}
	}
	if !found {
		t.Error("no population of CM-01 on the Populations sheet")
	}
	rows := sheetRows(t, p, base, "Samples")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if _, ok := col["approved"]; !ok || col["signed off"] == 0 || col["Exception"] != len(rows[0])-10 || col["Tester"] != len(rows[0])-9 || col["Evidence IDs"] != len(rows[0])-7 ||
		col["Sample reviewed by"] != len(rows[0])-3 || col["Row version"] != len(rows[0])-1 {
		t.Fatalf("samples sheet header %q", rows[0])
	}
	untested, failed := 0, 0
	for _, r := range rows[1:] {
		r = append(r, make([]string, len(rows[0])-len(r))...)
		switch {
		case r[0] == "AC-04":
			untested++
			if r[col["signed off"]] != "" || r[col["Exception"]] != "" || r[col["Tester"]] != "" {
				t.Errorf("an untested item is not blank: %q", r)
			}
		case r[0] == "CM-01" && r[col["approved"]] == "Fail":
			failed++
			if r[col["Exception"]] != "Yes" || r[col["Tester"]] == "" || r[col["Tested on"]] == "" {
				t.Errorf("a failed item is not an exception: %q", r)
			}
		}
	}
	if untested != 2 || failed == 0 {
		t.Errorf("%d untested items of AC-04, %d failed of CM-01: %q", untested, failed, rows)
	}
}
