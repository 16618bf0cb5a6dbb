package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// auditorDecision is what a granted auditor may do on every route of an
// engagement: "read" answers them, "allowed" is a change they may make
// (the walk's empty body may still be a 400 or 409, never a 403), "refused"
// is a 403. A route under
// /api/v1/engagements/:id that this table lacks fails the test: adding an
// engagement route means deciding what its auditors may do with it.
var auditorDecision = map[string]string{
	"GET /api/v1/engagements/:id":                                                         "read",
	"PATCH /api/v1/engagements/:id":                                                       "refused",
	"GET /api/v1/engagements/:id/controls":                                                "read",
	"GET /api/v1/engagements/:id/controls/:control":                                       "read",
	"PUT /api/v1/engagements/:id/scope":                                                   "refused",
	"PUT /api/v1/engagements/:id/auditors":                                                "refused",
	"GET /api/v1/engagements/:id/results":                                                 "read",
	"GET /api/v1/engagements/:id/controls/:control/result":                                "read",
	"PUT /api/v1/engagements/:id/controls/:control/result":                                "refused",
	"GET /api/v1/engagements/:id/controls/:control/walkthrough":                           "read",
	"PUT /api/v1/engagements/:id/controls/:control/walkthrough":                           "refused",
	"POST /api/v1/engagements/:id/controls/:control/exceptions":                           "refused",
	"GET /api/v1/engagements/:id/exceptions":                                              "read",
	"GET /api/v1/engagements/:id/exceptions/:exception":                                   "read",
	"PATCH /api/v1/engagements/:id/exceptions/:exception":                                 "refused",
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation":                        "refused",
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation/sign-off":               "refused",
	"POST /api/v1/engagements/:id/exceptions/:exception/retest":                           "refused",
	"PUT /api/v1/engagements/:id/controls/:control/sign-off":                              "refused",
	"PUT /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":          "refused",
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":       "refused",
	"POST /api/v1/engagements/:id/controls/:control/windows/:window/evidence":             "refused",
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/evidence/:evidence": "refused",
	"GET /api/v1/engagements/:id/rollup":                                                  "read",
	"GET /api/v1/engagements/:id/requirements/:ref/evaluation":                            "read",
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation":                            "refused",
	"DELETE /api/v1/engagements/:id/requirements/:ref/evaluation":                         "refused",
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation/sign-off":                   "refused",
	"GET /api/v1/engagements/:id/opinion-impact":                                          "read",
	"PUT /api/v1/engagements/:id/applicability/:ref":                                      "refused",
	"DELETE /api/v1/engagements/:id/applicability/:ref":                                   "refused",
	"GET /api/v1/engagements/:id/controls/:control/work":                                  "read",
	"GET /api/v1/engagements/:id/controls/:control/evidence":                              "read",
	"GET /api/v1/engagements/:id/evidence/:evidence/download":                             "read",
	"POST /api/v1/engagements/:id/controls/:control/population":                           "refused",
	"POST /api/v1/engagements/:id/controls/:control/samples":                              "refused",
	"PUT /api/v1/engagements/:id/samples/:sample/items/:seq":                              "refused",
	"POST /api/v1/engagements/:id/samples/:sample/items/pass":                             "refused",
	"POST /api/v1/engagements/:id/samples/:sample/extensions":                             "refused",
	"POST /api/v1/engagements/:id/results/import":                                         "refused",
	"PUT /api/v1/engagements/:id/samples/:sample/sign-off":                                "refused",
	"PUT /api/v1/engagements/:id/sample-policy":                                           "refused",
	"GET /api/v1/engagements/:id/complementary":                                           "read",
	"POST /api/v1/engagements/:id/cuecs":                                                  "refused",
	"GET /api/v1/engagements/:id/cuecs/:cuec":                                             "read",
	"PATCH /api/v1/engagements/:id/cuecs/:cuec":                                           "refused",
	"DELETE /api/v1/engagements/:id/cuecs/:cuec":                                          "refused",
	"POST /api/v1/engagements/:id/subservice-orgs":                                        "refused",
	"GET /api/v1/engagements/:id/subservice-orgs/:org":                                    "read",
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org":                                  "refused",
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org":                                 "refused",
	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews":                            "read",
	"POST /api/v1/engagements/:id/subservice-orgs/:org/reviews":                           "refused",
	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                    "read",
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                  "refused",
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                 "refused",
	"POST /api/v1/engagements/:id/roll-forward":                                           "refused",
	"POST /api/v1/engagements/:id/bridge-letter":                                          "refused",
	"POST /api/v1/engagements/:id/bridge-letter/sign":                                     "refused",
	"GET /api/v1/engagements/:id/bridge-letters":                                          "read",
	"GET /api/v1/engagements/:id/workbook":                                                "read",
	"GET /api/v1/engagements/:id/package":                                                 "read",
	"POST /api/v1/engagements/:id/workbook/jobs":                                          "read",
	"POST /api/v1/engagements/:id/package/jobs":                                           "read",
	"GET /api/v1/engagements/:id/jobs/:job":                                               "read",
	"GET /api/v1/engagements/:id/jobs/:job/file":                                          "read",
	"GET /api/v1/engagements/:id/control-matrix.csv":                                      "read",
	"GET /api/v1/engagements/:id/evidence-index.csv":                                      "read",
	"GET /api/v1/engagements/:id/requests.xlsx":                                           "read",
	"GET /api/v1/engagements/:id/requests.csv":                                            "read",
	"GET /api/v1/engagements/:id/requests":                                                "read",
	"POST /api/v1/engagements/:id/requests":                                               "allowed",
	"POST /api/v1/engagements/:id/requests/generate":                                      "allowed",
	"POST /api/v1/engagements/:id/requests/import":                                        "allowed",
	"GET /api/v1/engagements/:id/requests/:request":                                       "read",
	"PATCH /api/v1/engagements/:id/requests/:request":                                     "allowed",
	"DELETE /api/v1/engagements/:id/requests/:request":                                    "allowed",
	"POST /api/v1/engagements/:id/requests/:request/comments":                             "allowed",
	"GET /api/v1/engagements/:id/requests/:request/files/:file":                           "read",
	"POST /api/v1/engagements/:id/requests/:request/submit":                               "refused",
	"POST /api/v1/engagements/:id/requests/:request/accept":                               "allowed",
	"POST /api/v1/engagements/:id/requests/:request/return":                               "allowed",
	"POST /api/v1/engagements/:id/requests/:request/undo":                                 "allowed",
}

// auditorFixture is an engagement granted to an auditor with one control
// in scope (with evidence, a population and a sample), one control out of
// scope with its own evidence, and a second engagement not granted.
type auditorFixture struct {
	p                       *program
	auditor                 session
	granted, other          int64
	inScope, outOfScope     int64
	evidenceIn, evidenceOut int64
	file                    int64     // an attachment of REQ-001's thread
	jobs                    [2]string // the auditor's ready workbooks: one to read, one to download
}

func newAuditorFixture(t *testing.T) auditorFixture {
	p := newProgram(t, storetest.Targets(t)[0])
	f := auditorFixture{p: p, auditor: signIn(t, p.svc, "auditor")}
	f.inScope = p.control("AC-01", `,"frequency":"event-driven"`)
	f.outOfScope = p.control("OUT-1", "")
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, f.inScope), 200, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Granted","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	f.granted = e.Engagement.ID
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Other","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	f.other = e.Engagement.ID
	p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/auditors", f.granted), `{"auditors":["auditor@example.com"]}`, 200, nil)
	f.evidenceIn = fileEvidence(t, p, f.inScope, "in.pdf", "in scope")
	f.evidenceOut = fileEvidence(t, p, f.outOfScope, "out.pdf", "out of scope")
	base := fmt.Sprintf("/api/v1/engagements/%d/controls/%d", f.granted, f.inScope)
	if w := uploadPopulation(p, base+"/population", "leavers.csv", "item id,date,description\nL-1,2026-02-01,a\nL-2,2026-03-01,b\n"); w.Code != 201 {
		t.Fatalf("population: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "POST", base+"/samples", `{"attributes":["access removed"]}`, 201, nil)
	p.call(p.admin, "POST", base+"/exceptions", `{"description":"L-2 kept access"}`, 201, nil)
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	p.call(p.admin, "POST", eng+"/cuecs", `{"text":"Customers review their users","requirements":["soc2-tsc-2017/CC6.2"]}`, 201, nil)
	p.call(p.admin, "POST", eng+"/subservice-orgs", `{"name":"Cloud Host Ltd","method":"carve-out","csocs":[]}`, 201, nil)
	p.call(p.admin, "POST", eng+"/subservice-orgs/1/reviews", `{"report":"soc2","report_type":"type1","period_end":"2026-03-31","opinion":"unmodified","reviewed_on":"2026-04-20"}`, 201, nil)
	p.call(p.admin, "POST", fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted),
		fmt.Sprintf(`{"type":"population","phase":"interim","control_ids":[%d]}`, f.inScope), 201, nil)
	f.file = commentWithFile(t, p, p.admin, fmt.Sprintf("/api/v1/engagements/%d/requests/REQ-001/comments", f.granted), "See the list.", "list.txt", "a list")
	for i := range f.jobs {
		f.jobs[i] = readyJob(t, p, f.auditor, eng+"/workbook/jobs").ID
	}
	return f
}

func fileEvidence(t *testing.T, p *program, control int64, name, content string) int64 {
	t.Helper()
	w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": name, "control_ids": fmt.Sprint(control),
		"covers_from": "2026-02-01", "covers_to": "2026-02-28"}, name, strings.NewReader(content))
	var out evidenceOut
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("evidence %s: %d %s", name, w.Code, w.Body)
	}
	return out.Evidence.ID
}

// path fills a route's parameters with the fixture's objects.
func (f auditorFixture) path(route string, engagement int64) string {
	return strings.NewReplacer(":id", fmt.Sprint(engagement), ":control", fmt.Sprint(f.inScope), ":ref", "CC6.1",
		":evidence", fmt.Sprint(f.evidenceIn), ":exception", "1", ":sample", "1", ":seq", "1",
		":cuec", "1", ":org", "1", ":review", "1", ":window", "2026-01-01", ":request", "REQ-001", ":file", fmt.Sprint(f.file), ":job", f.jobs[0]).Replace(route)
}

// An auditor opens every route of their engagement that the table says
// they may read, is refused every other, and finds nothing of another
// engagement: every route of it is "not found".
func TestAuditorWalksEveryEngagementRoute(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	// REQ-002 is the one the walk deletes; the other routes keep REQ-001.
	f.p.call(f.p.admin, "POST", fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted), `{"type":"other"}`, 201, nil)
	for _, r := range f.p.h.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/engagements/:id") {
			continue
		}
		key := r.Method + " " + r.Path
		decision, ok := auditorDecision[key]
		if !ok {
			t.Errorf("engagement route %s has no entry in auditorDecision: decide what a granted auditor may do with it", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			path := f.path(r.Path, f.granted)
			if r.Method == "DELETE" && strings.HasSuffix(r.Path, "/requests/:request") {
				path = strings.Replace(path, "REQ-001", "REQ-002", 1)
			}
			if strings.HasSuffix(r.Path, "/jobs/:job/file") { // a download removes its job
				path = strings.Replace(path, f.jobs[0], f.jobs[1], 1)
			}
			w := send(f.p.h, r.Method, path, "{}", f.auditor.headers())
			switch decision {
			case "read":
				if w.Code >= 300 {
					t.Errorf("granted auditor: %d %s, want it answered", w.Code, w.Body)
				}
			case "allowed":
				if w.Code == 403 || w.Code == 404 || w.Code == 401 {
					t.Errorf("granted auditor: %d %s, want the change let through", w.Code, w.Body)
				}
			case "refused":
				if w.Code != 403 || errorCode(w) != "forbidden" {
					t.Errorf("granted auditor: %d %s, want 403", w.Code, w.Body)
				}
			default:
				t.Fatalf("unknown decision %q", decision)
			}
			if w := send(f.p.h, r.Method, f.path(r.Path, f.other), "{}", f.auditor.headers()); w.Code != 404 {
				t.Errorf("auditor of another engagement: %d %s, want 404", w.Code, w.Body)
			}
			if w := send(f.p.h, r.Method, f.path(r.Path, 9999), "{}", f.auditor.headers()); w.Code != 404 {
				t.Errorf("engagement that does not exist: %d %s, want 404", w.Code, w.Body)
			}
		})
	}
	for key := range auditorDecision {
		found := false
		for _, r := range f.p.h.Routes() {
			found = found || r.Method+" "+r.Path == key
		}
		if !found {
			t.Errorf("auditorDecision lists %s, which the router does not have", key)
		}
	}
}

// Within the granted engagement the auditor sees the control page's parts
// and downloads its evidence, but no control and no evidence outside its
// scope.
func TestAuditorOpensControlsAndEvidenceInScope(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	base := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	var work workOut
	f.p.call(f.auditor, "GET", fmt.Sprintf("%s/controls/%d/work", base, f.inScope), "", 200, &work)
	if work.Population == nil || work.Population.ItemCount != 2 || len(work.Samples) != 1 || len(work.Samples[0].Items) != 2 {
		t.Errorf("population and sample: %+v", work)
	}
	var list struct {
		Evidence []struct {
			ID       int64  `json:"id"`
			FileName string `json:"file_name"`
		} `json:"evidence"`
	}
	f.p.call(f.auditor, "GET", fmt.Sprintf("%s/controls/%d/evidence", base, f.inScope), "", 200, &list)
	if len(list.Evidence) != 1 || list.Evidence[0].ID != f.evidenceIn || list.Evidence[0].FileName != "in.pdf" {
		t.Errorf("control evidence: %+v", list)
	}
	w := send(f.p.h, "GET", fmt.Sprintf("%s/evidence/%d/download", base, f.evidenceIn), "", f.auditor.headers())
	if w.Code != 200 || w.Body.String() != "in scope" || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("download in scope: %d %q %v", w.Code, w.Body, w.Header())
	}
	for _, path := range []string{
		fmt.Sprintf("%s/controls/%d/work", base, f.outOfScope),
		fmt.Sprintf("%s/controls/%d/evidence", base, f.outOfScope),
		fmt.Sprintf("%s/evidence/%d/download", base, f.evidenceOut),
		fmt.Sprintf("%s/evidence/%d/download", base, 9999),
	} {
		if w := send(f.p.h, "GET", path, "", f.auditor.headers()); w.Code != 404 {
			t.Errorf("%s: %d %s, want 404", path, w.Code, w.Body)
		}
	}
	// Outside an engagement the program stays closed to auditors.
	for _, path := range []string{"/api/v1/controls/" + fmt.Sprint(f.inScope), fmt.Sprintf("/api/v1/evidence/%d/download", f.evidenceIn)} {
		if w := send(f.p.h, "GET", path, "", f.auditor.headers()); w.Code != 403 {
			t.Errorf("%s: %d, want 403", path, w.Code)
		}
	}
	// The compliance team reaches the same evidence through the engagement,
	// and the download is in the audit trail under the auditor's name.
	f.p.call(f.p.admin, "GET", fmt.Sprintf("%s/controls/%d/evidence", base, f.inScope), "", 200, nil)
	var audit struct {
		Entries []struct {
			Actor string `json:"actor"`
		} `json:"entries"`
	}
	f.p.call(f.p.admin, "GET", "/api/v1/audit?action=evidence.download", "", 200, &audit)
	if len(audit.Entries) != 1 || audit.Entries[0].Actor != "auditor@example.com" {
		t.Errorf("download audit entries: %+v", audit.Entries)
	}
}
