package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

type generatedOut struct {
	Created []struct {
		Ref         string `json:"ref"`
		Type        string `json:"type"`
		Phase       string `json:"phase"`
		OwnerEmail  string `json:"owner_email"`
		DueOn       string `json:"due_on"`
		SampleItems []struct {
			ItemID string `json:"item_id"`
		} `json:"sample_items"`
	} `json:"created"`
}

func (g generatedOut) summary() string {
	var out []string
	for _, r := range g.Created {
		out = append(out, fmt.Sprintf("%s %s/%s/%d", r.Ref, r.Type, r.Phase, len(r.SampleItems)))
	}
	return strings.Join(out, ", ")
}

// Requests come from the engagement: the documents once, a population
// request per sampled control and phase, a sample-evidence request per
// drawn sample with its items, and for a Type I a walkthrough per
// control. Generating again adds only what is new; numbers go on.
func TestRequestGeneration(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	owner := signInAs(t, p.svc, "owner@example.com", "owner")
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", f.inScope), fmt.Sprintf(`{"owner_id":%d}`, userID(t, p.db, "owner@example.com")), 200, nil)
	base := fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted)

	var g generatedOut
	p.call(f.auditor, "POST", base+"/generate", "", 200, &g)
	if got := g.summary(); got != "REQ-002 document/interim/0, REQ-003 population/interim/0, REQ-004 population/final/0, REQ-005 sample_evidence/final/2" {
		t.Errorf("generated: %s", got)
	}
	if g.Created[1].OwnerEmail != "owner@example.com" || g.Created[1].DueOn != "2026-04-15" || g.Created[2].DueOn != "2026-07-14" {
		t.Errorf("population request: %+v", g.Created[1:3])
	}
	p.call(f.auditor, "POST", base+"/generate", "{}", 200, &g)
	if len(g.Created) != 0 {
		t.Errorf("generated again: %s", g.summary())
	}
	// A new sample is new: one more request, numbered after the others.
	ctl := fmt.Sprintf("/api/v1/engagements/%d/controls/%d", f.granted, f.inScope)
	if w := uploadPopulation(p, ctl+"/population", "leavers-2.csv", "item id,date,description\nL-3,2026-04-01,c\n"); w.Code != 201 {
		t.Fatalf("second population: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "POST", ctl+"/samples", `{"attributes":["access removed"]}`, 201, nil)
	p.call(p.admin, "POST", base+"/generate", "", 200, &g)
	if got := g.summary(); got != "REQ-006 sample_evidence/final/1" {
		t.Errorf("after a new sample: %s", got)
	}
	// A deleted request keeps its number, and generating does not bring it back.
	p.call(owner, "DELETE", base+"/REQ-006", "", 403, nil)
	// A delete made from a stale page is refused: someone changed it since.
	read := send(p.h, "GET", base+"/REQ-006", "", f.auditor.headers()).Header().Get("ETag")
	p.call(p.admin, "PATCH", base+"/REQ-006", `{"description":"Leavers, second population"}`, 200, nil)
	if w := send(p.h, "DELETE", base+"/REQ-006", "", withIfMatch(f.auditor, read)); w.Code != 412 || !strings.Contains(w.Body.String(), "second population") {
		t.Fatalf("delete with a stale If-Match: %d %s", w.Code, w.Body)
	}
	p.call(f.auditor, "GET", base+"/REQ-006", "", 200, nil)
	current := send(p.h, "GET", base+"/REQ-006", "", f.auditor.headers()).Header().Get("ETag")
	if w := send(p.h, "DELETE", base+"/REQ-006", "", withIfMatch(f.auditor, current)); w.Code != 204 {
		t.Fatalf("delete with the current If-Match: %d %s", w.Code, w.Body)
	}
	p.call(f.auditor, "GET", base+"/REQ-006", "", 404, nil)
	p.call(f.auditor, "DELETE", base+"/REQ-006", "", 404, nil)
	p.call(p.admin, "POST", base+"/generate", "", 200, &g)
	if len(g.Created) != 0 {
		t.Errorf("generation brought back a deleted request: %s", g.summary())
	}
	var added requestOut
	p.call(f.auditor, "POST", base, `{"type":"other","description":"After the deletion"}`, 201, &added)
	if added.Request.Ref != "REQ-007" {
		t.Errorf("after deleting REQ-006 the next request is %s", added.Request.Ref)
	}
	p.call(p.admin, "POST", base+"/REQ-007/submit", fmt.Sprintf(`{"evidence_ids":[%d]}`, f.evidenceIn), 200, nil)
	p.call(f.auditor, "DELETE", base+"/REQ-007", "", 409, nil)
	p.call(owner, "POST", base+"/generate", "", 403, nil)
	p.call(signInAs(t, p.svc, "stranger@example.com", "auditor"), "POST", base+"/generate", "", 404, nil)

	// The owner owes the open requests about their control, on My tasks.
	var mine struct {
		Requests []struct {
			Ref          string `json:"ref"`
			EngagementID int64  `json:"engagement_id"`
		} `json:"requests"`
	}
	p.call(owner, "GET", "/api/v1/requests/mine", "", 200, &mine)
	var refs []string
	for _, r := range mine.Requests {
		refs = append(refs, r.Ref)
	}
	if strings.Join(refs, ",") != "REQ-001,REQ-003,REQ-004,REQ-005" || mine.Requests[0].EngagementID != f.granted {
		t.Errorf("owner's requests: %v", refs)
	}
	p.call(f.auditor, "GET", "/api/v1/requests/mine", "", 403, nil)

	// A Type I asks for a walkthrough of each control.
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Type I","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &e)
	p.call(p.admin, "POST", fmt.Sprintf("/api/v1/engagements/%d/requests/generate", e.Engagement.ID), "", 200, &g)
	if got := g.summary(); got != "REQ-001 document/final/0, REQ-002 walkthrough/final/0" {
		t.Errorf("Type I: %s", got)
	}
}

// requestSheet reads the workbook's request list as ID → what is needed.
func requestSheet(t *testing.T, p *program, base string) [][]string {
	t.Helper()
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	if w.Code != 200 {
		t.Fatalf("workbook: %d %s", w.Code, w.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Requests (PBC)")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The workbook's Requests sheet is the request list: a request keeps its
// ID from one export to the next while others are added, and the CSV
// export is the same list.
func TestRequestListExportsKeepIDs(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	before := requestSheet(t, p, base)
	p.call(p.admin, "POST", base+"/requests", `{"type":"configuration","description":"Password policy settings","auditor_ref":"PBC-17"}`, 201, nil)
	p.call(p.admin, "POST", base+"/requests/REQ-002/submit", `{"evidence_ids":[1],"note":"Done"}`, 200, nil)
	after := requestSheet(t, p, base)
	if len(after) != len(before)+1 {
		t.Fatalf("rows before %d, after %d", len(before), len(after))
	}
	for i, row := range before[1:] {
		if after[i+1][0] != row[0] || after[i+1][5] != row[5] {
			t.Errorf("row %d was %v, now %v", i+1, row[:6], after[i+1][:6])
		}
	}
	last := after[len(after)-1]
	if last[0] != fmt.Sprintf("REQ-%03d", len(before)) || last[1] != "PBC-17" || last[2] != "Configuration or point-in-time" {
		t.Errorf("added request: %v", last)
	}
	req2 := after[2]
	if req2[8] != "Submitted" || req2[10] == "" || req2[12] != "1" || req2[13] != "q1.pdf" || req2[14] != "Done" {
		t.Errorf("submitted request's row: %v", req2)
	}
	w := send(p.h, "GET", base+"/requests.csv", "", p.admin.headers())
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"REQ-009"`) || !strings.Contains(w.Body.String(), `"PBC-17"`) {
		t.Errorf("CSV: %d %s", w.Code, w.Body)
	}
}

// The request list downloads on its own as XLSX: the workbook's Requests
// sheet, its text neutralised, printed like the workbook's sheets, after
// a summary counting the requests by status.
func TestRequestListXLSX(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	p.call(p.admin, "POST", base+"/requests", `{"type":"other","description":"=HYPERLINK(\"http://x\",\"y\")"}`, 201, nil)
	p.call(p.admin, "POST", base+"/requests/REQ-002/submit", `{"evidence_ids":[1],"note":"Done"}`, 200, nil)
	sheet := requestSheet(t, p, base)
	w := send(p.h, "GET", base+"/requests.xlsx", "", p.admin.headers())
	if w.Code != 200 || !strings.HasSuffix(w.Header().Get("Content-Disposition"), "-requests.xlsx") {
		t.Fatalf("requests.xlsx: %d %v", w.Code, w.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Summary|Requests (PBC)" {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Requests (PBC)")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sheet) {
		t.Fatalf("%d rows, the workbook's sheet has %d", len(rows), len(sheet))
	}
	for i := range rows {
		if strings.Join(rows[i], "|") != strings.Join(sheet[i], "|") {
			t.Errorf("row %d\n%q\nthe workbook's\n%q", i, rows[i], sheet[i])
		}
	}
	last := rows[len(rows)-1]
	if last[5] != `'=HYPERLINK("http://x","y")` {
		t.Errorf("a formula-like description is not neutralised: %q", last[5])
	}
	summary, _ := f.GetRows("Summary")
	counts := map[string]string{}
	for _, r := range summary {
		if len(r) == 2 {
			counts[strings.TrimSpace(r[0])] = r[1]
		}
	}
	if counts["Requests"] != fmt.Sprint(len(rows)-1) || counts["Submitted"] != "1" || counts["Testing"] != "Readiness testing by management" {
		t.Errorf("summary %q", summary)
	}
	hf, err := f.GetHeaderFooter("Requests (PBC)")
	if err != nil || !strings.Contains(hf.OddHeader, "&C") || !strings.Contains(hf.OddFooter, "Page") {
		t.Errorf("print header and footer: %+v %v", hf, err)
	}
	if rows, err := f.GetPageLayout("Requests (PBC)"); err != nil || rows.Orientation == nil || *rows.Orientation != "landscape" {
		t.Errorf("page layout: %+v %v", rows, err)
	}
}
