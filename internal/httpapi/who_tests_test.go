package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An engagement says who tests it. Management's readiness testing is the
// compliance team's; once the service auditor tests it, the granted
// auditors draw samples and record results and conclusions, the
// organisation can no longer, and it sees a sample only after the auditor
// has requested its evidence.
func TestWhoTestsDecidesWhoRecords(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p, auditor := f.p, f.auditor
	compliance := signIn(t, p.svc, "compliance")
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	ctl := fmt.Sprintf("%s/controls/%d", eng, f.inScope)
	var e engagementOut
	p.call(p.admin, "GET", eng, "", 200, &e)
	if e.Engagement.Tester != "management_readiness" {
		t.Fatalf("a new engagement is tested by %q, want management_readiness", e.Engagement.Tester)
	}
	p.call(auditor, "PUT", ctl+"/result", `{"design_result":"suitably_designed"}`, 403, nil)
	p.call(compliance, "PUT", ctl+"/result", `{"design_result":"suitably_designed"}`, 200, nil)
	testingLabel(t, p, eng, "Readiness testing by management", "Granted (readiness testing by management)")

	p.call(p.admin, "PATCH", eng, `{"tester":"the auditor"}`, 400, nil)
	p.call(p.admin, "PATCH", eng, `{"tester":"service_auditor"}`, 200, &e)
	if e.Engagement.Tester != "service_auditor" {
		t.Fatalf("tester after the change: %q", e.Engagement.Tester)
	}
	testingLabel(t, p, eng, "Tested by the service auditor", "Granted")
	// The organisation's testing routes are closed, the auditor's open.
	for _, c := range []struct{ method, path, body string }{
		{"PUT", ctl + "/result", `{"design_result":"suitably_designed"}`},
		{"POST", ctl + "/samples", `{"attributes":["access removed"]}`},
		{"POST", ctl + "/exceptions", `{"description":"L-1 kept access"}`},
		{"PUT", ctl + "/sign-off", `{}`},
	} {
		for _, s := range []session{p.admin, compliance} {
			if w := send(p.h, c.method, c.path, c.body, s.headers()); w.Code != 403 {
				t.Errorf("organisation %s %s in a service-auditor engagement: %d %s, want 403", c.method, c.path, w.Code, w.Body)
			}
		}
	}
	p.call(auditor, "PUT", ctl+"/result", `{"design_result":"suitably_designed","test_methods":["inspection"]}`, 200, nil)
	var drawn struct {
		Sample struct {
			ID int64 `json:"id"`
		} `json:"sample"`
	}
	// The organisation provides the population; the auditor samples it.
	if w := uploadPopulation(p, ctl+"/population", "leavers.csv", "item id,date,description\nL-1,2026-02-01,a\nL-2,2026-03-01,b\nL-3,2026-04-01,c\n"); w.Code != 201 {
		t.Fatalf("population: %d %s", w.Code, w.Body)
	}
	p.call(auditor, "POST", ctl+"/samples", `{"attributes":["access removed"]}`, 201, &drawn)
	var work workOut
	p.call(auditor, "GET", ctl+"/work", "", 200, &work)
	if len(work.Samples) != 1 || work.Samples[0].ID != drawn.Sample.ID || len(work.Samples[0].Items) != 3 {
		t.Fatalf("the auditor's view of the samples: %+v", work.Samples)
	}
	item := work.Samples[0].Items[0].Seq
	p.call(auditor, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", eng, drawn.Sample.ID, item), `{"results":{"access removed":"pass"}}`, 204, nil)
	p.call(compliance, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", eng, drawn.Sample.ID, item), `{"results":{"access removed":"fail"}}`, 403, nil)

	// Before the auditor asks for their evidence, the organisation sees
	// no sample and no count of one.
	var seen struct {
		workOut
		Counts struct {
			Selected int      `json:"selected"`
			Tested   int      `json:"tested"`
			Untested []string `json:"untested"`
		} `json:"counts"`
	}
	p.call(compliance, "GET", ctl+"/work", "", 200, &seen)
	if len(seen.Samples) != 0 || seen.Counts.Selected != 0 || seen.Counts.Tested != 0 || len(seen.Counts.Untested) != 0 {
		t.Errorf("the organisation sees unrequested samples: %+v", seen)
	}
	// Nor in the workbook.
	if n := sampledRows(t, p, compliance, eng); n != 0 {
		t.Errorf("the organisation's workbook lists %d unrequested sampled items", n)
	}
	if n := sampledRows(t, p, auditor, eng); n != 3 {
		t.Errorf("the auditor's workbook lists %d sampled items, want 3", n)
	}
	p.call(auditor, "POST", eng+"/requests/generate", `{}`, 200, nil)
	p.call(compliance, "GET", ctl+"/work", "", 200, &seen)
	if len(seen.Samples) != 1 || seen.Counts.Selected != 3 || seen.Counts.Tested != 1 {
		t.Errorf("once requested the organisation sees the samples: %+v", seen)
	}
	if n := sampledRows(t, p, compliance, eng); n != 3 {
		t.Errorf("once requested the organisation's workbook lists %d sampled items, want 3", n)
	}
}

// sampledRows counts the items on the Samples sheet of the workbook s downloads.
func sampledRows(t *testing.T, p *program, s session, eng string) int {
	t.Helper()
	w := send(p.h, "GET", eng+"/workbook", "", s.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("workbook: %d %v", w.Code, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Samples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if len(r) > 4 && strings.HasPrefix(r[4], "L-") {
			n++
		}
	}
	return n
}

// testingLabel checks that the workbook's Summary says who tested the
// engagement and every printed page's head names it with title.
func testingLabel(t *testing.T, p *program, eng, summary, title string) {
	t.Helper()
	w := send(p.h, "GET", eng+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("workbook: %d %v", w.Code, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || len(r) == 2 && r[0] == "Testing" && r[1] == summary
	}
	if !found {
		t.Errorf("Summary does not say %q: %q", summary, rows)
	}
	for _, sheet := range f.GetSheetList() {
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil || !strings.Contains(hf.OddHeader, "&C"+title+"&R") {
			t.Errorf("sheet %s page header %q, want the title %q", sheet, hf.OddHeader, title)
		}
	}
}
