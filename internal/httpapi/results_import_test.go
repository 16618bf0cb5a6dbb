package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type resultsPlanOut struct {
	Plan struct {
		Changes []struct {
			Sheet, What, Field, Before, After string
			Row                               int
		} `json:"changes"`
		Conflicts []struct {
			Sheet, Column, Message string
			Row                    int
		} `json:"conflicts"`
		Applied bool `json:"applied"`
	} `json:"plan"`
}

// fillIn exports the engagement's workbook and sets cells of it as the
// auditor would offline: sheet → row's first cell (or sample item) →
// column → value.
func fillIn(t *testing.T, p *program, eng string, edit func(f *excelize.File, set func(sheet, key, column, value string))) []byte {
	t.Helper()
	w := send(p.h, "GET", eng+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := func(sheet, key, column, value string) {
		rows, _ := f.GetRows(sheet)
		for r, row := range rows {
			for c, h := range rows[0] {
				if h != column || !(len(row) > 0 && row[0] == key || len(row) > 4 && row[4] == key) {
					continue
				}
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(sheet, name, value); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no row %q with column %q on %s", key, column, sheet)
	}
	edit(f, set)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importResults(t *testing.T, p *program, s session, eng string, file []byte, query string, want int) resultsPlanOut {
	t.Helper()
	w := postMultipart(p, s, eng+"/results/import"+query, nil, [][2]string{{"results.xlsx", string(file)}})
	var out resultsPlanOut
	if w.Code != want || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("results import%s: %d %s, want %d", query, w.Code, w.Body, want)
	}
	return out
}

// The auditor's filled-in results sheet comes back: a dry run lists every
// change and every conflict (an unknown control, a value socmap does not
// know, a row changed in socmap since the export), applying it with a
// conflict changes nothing, and without one applies every change in one
// go, audited.
func TestResultsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	ctl := fmt.Sprintf("%s/controls/%d", eng, f.inScope)
	good := func(f *excelize.File, set func(sheet, key, column, value string)) {
		set("Control matrix", "AC-01", "Test method", "Inspection, reperformance")
		set("Control matrix", "AC-01", "Test procedure", "Reperformed the removal of each leaver's access")
		set("Control matrix", "AC-01", "Result", "Exceptions noted")
		set("Samples", "L-1", "access removed", "Pass")
		set("Samples", "L-2", "access removed", "Fail")
	}
	bad := fillIn(t, p, eng, func(f *excelize.File, set func(sheet, key, column, value string)) {
		good(f, set)
		if err := f.SetSheetRow("Control matrix", "A9", &[]any{"ZZ-99"}); err != nil {
			t.Fatal(err)
		}
		set("Samples", "L-1", "access removed", "Maybe")
	})
	dry := importResults(t, p, p.admin, eng, bad, "", 200)
	if len(dry.Plan.Changes) != 1 || len(dry.Plan.Conflicts) != 3 || dry.Plan.Applied {
		t.Fatalf("dry run: %+v", dry.Plan)
	}
	for _, want := range []string{"ZZ-99 is not a control", `"Maybe" is not an outcome`, "not tested yet: L-1"} {
		if !strings.Contains(fmt.Sprint(dry.Plan.Conflicts), want) {
			t.Errorf("no conflict %q in %+v", want, dry.Plan.Conflicts)
		}
	}
	importResults(t, p, p.admin, eng, bad, "?dry_run=false", 400)
	var result struct {
		Result struct {
			Result        string `json:"result"`
			TestProcedure string `json:"test_procedure"`
			Version       int64  `json:"version"`
		} `json:"result"`
	}
	p.call(p.admin, "GET", ctl+"/result", "", 200, &result)
	if result.Result.Result != "pending" || result.Result.TestProcedure != "" {
		t.Fatalf("a refused import changed the result: %+v", result)
	}

	file := fillIn(t, p, eng, good)
	dry = importResults(t, p, p.admin, eng, file, "?dry_run=true", 200)
	if len(dry.Plan.Changes) != 5 || len(dry.Plan.Conflicts) != 0 || dry.Plan.Applied {
		t.Fatalf("dry run of a clean sheet: %+v", dry.Plan)
	}
	applied := importResults(t, p, p.admin, eng, file, "?dry_run=false", 200)
	if !applied.Plan.Applied || len(applied.Plan.Changes) != 5 {
		t.Fatalf("applied: %+v", applied.Plan)
	}
	p.call(p.admin, "GET", ctl+"/result", "", 200, &result)
	if result.Result.Result != "exceptions_noted" || !strings.HasPrefix(result.Result.TestProcedure, "Reperformed") {
		t.Errorf("result after the import: %+v", result)
	}
	var work workOut
	p.call(p.admin, "GET", ctl+"/work", "", 200, &work)
	for _, it := range work.Samples[0].Items {
		if want := map[string]string{"L-1": "pass", "L-2": "fail"}[it.ItemID]; it.Results["access removed"] != want {
			t.Errorf("item %s: %v, want %s", it.ItemID, it.Results, want)
		}
	}
	var audit struct {
		Entries []struct{} `json:"entries"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=engagement.results_import", "", 200, &audit)
	if len(audit.Entries) != 1 {
		t.Errorf("%d results imports audited", len(audit.Entries))
	}
	// The same sheet again changes nothing; one exported before a change
	// in socmap conflicts on the rows that changed.
	if again := importResults(t, p, p.admin, eng, file, "", 200); len(again.Plan.Changes) != 0 || len(again.Plan.Conflicts) != 0 {
		t.Errorf("the same sheet again: %+v", again.Plan)
	}
	stale := fillIn(t, p, eng, func(f *excelize.File, set func(sheet, key, column, value string)) {
		set("Control matrix", "AC-01", "Test procedure", "Inspected the tickets")
	})
	p.call(p.admin, "PUT", ctl+"/result", `{"result_notes":"Discussed with the owner"}`, 200, nil)
	conflict := importResults(t, p, p.admin, eng, stale, "?dry_run=false", 400)
	if len(conflict.Plan.Conflicts) != 1 || !strings.Contains(conflict.Plan.Conflicts[0].Message, "changed in socmap since the export") {
		t.Errorf("a stale row: %+v", conflict.Plan)
	}
	if w := postMultipart(p, p.admin, eng+"/results/import", nil, [][2]string{{"results.xlsx", "not a workbook"}}); w.Code != 400 || !strings.Contains(w.Body.String(), `"file"`) {
		t.Errorf("not a workbook: %d %s", w.Code, w.Body)
	}
}
