package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// post sends a raw body with headers and returns the answer.
func post(p *program, path, contentType string, body []byte, hdr http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range hdr {
		req.Header[k] = v
	}
	w := serve(p.h, req)
	return w
}

type ingestAnswer struct {
	Created bool `json:"created"`
	Run     struct {
		ID         int64  `json:"id"`
		Source     string `json:"source"`
		Format     string `json:"format"`
		EvidenceID int64  `json:"evidence_id"`
		Passed     int    `json:"passed"`
		Failed     int    `json:"failed"`
	} `json:"run"`
	ControlsPassed []struct{ Ref string } `json:"controls_passed"`
	ControlsFailed []struct{ Ref string } `json:"controls_failed"`
	UnmappedChecks []string               `json:"unmapped_checks"`
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%d %s: %v", w.Code, w.Body, err)
	}
	return v
}

// A CI job posts Prowler's output with a compliance account's token; the
// same file twice is one run; the control shows its automated history.
func TestIngestOverHTTP(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ac := p.control("AC-01", `,"nature":"automated","frequency":"daily"`)
			log := p.control("LOG-01", "")
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},
				{"control_id":%d,"requirement":"soc2-tsc-2017/CC7.2"}]}`, ac, log), 200, nil)
			ocsf, err := os.ReadFile("../ingest/testdata/prowler-ocsf-1.4.0.json")
			if err != nil {
				t.Fatal(err)
			}
			ci := tokenFor(t, p.db, "compliance")
			w := post(p, "/api/v1/ingest?source=aws-prod&filename=prowler.ocsf.json", "application/json", ocsf, ci)
			if w.Code != 201 {
				t.Fatalf("ingest: %d %s", w.Code, w.Body)
			}
			got := decode[ingestAnswer](t, w)
			if !got.Created || got.Run.Source != "aws-prod" || got.Run.Format != "prowler-ocsf" || got.Run.Passed != 4 ||
				len(got.ControlsFailed) != 1 || got.ControlsFailed[0].Ref != "AC-01" || got.ControlsPassed[0].Ref != "LOG-01" ||
				len(got.UnmappedChecks) != 3 {
				t.Errorf("answer %+v", got)
			}
			if w := post(p, "/api/v1/ingest?source=aws-prod", "application/json", ocsf, ci); w.Code != 200 ||
				decode[ingestAnswer](t, w).Created || decode[ingestAnswer](t, w).Run.ID != got.Run.ID {
				t.Errorf("the same file again: %d %s", w.Code, w.Body)
			}
			// Who may ingest: compliance and admins, with a read-write
			// token or a session; not owners, not read-only tokens.
			for role, hdr := range map[string]http.Header{"owner": tokenFor(t, p.db, "owner"), "viewer": tokenFor(t, p.db, "viewer")} {
				if w := post(p, "/api/v1/ingest", "application/json", ocsf, hdr); w.Code != 403 {
					t.Errorf("%s's token: %d", role, w.Code)
				}
			}
			var tok struct {
				Token string `json:"token"`
			}
			p.call(p.admin, "POST", "/api/v1/tokens", `{"name":"reader","scope":"read"}`, 201, &tok)
			if w := post(p, "/api/v1/ingest", "application/json", ocsf, http.Header{"Authorization": {"Bearer " + tok.Token}}); w.Code != 403 {
				t.Errorf("a read-only token: %d", w.Code)
			}
			// The dashboard shows the failing control and the silent source.
			var dash struct {
				Automated struct {
					Stale []struct {
						Name string `json:"name"`
					} `json:"stale"`
					Failing []struct {
						Ref     string   `json:"ref"`
						Sources []string `json:"sources"`
					} `json:"failing"`
				} `json:"automated"`
			}
			p.call(p.admin, "GET", "/api/v1/dashboard", "", 200, &dash)
			if a := dash.Automated; len(a.Failing) != 1 || a.Failing[0].Ref != "AC-01" || a.Failing[0].Sources[0] != "aws-prod" ||
				len(a.Stale) != 1 || a.Stale[0].Name != "aws-prod" {
				t.Errorf("dashboard %+v", a)
			}
			// The run's file is evidence whose links follow the rules only.
			w = send(p.h, "PATCH", fmt.Sprintf("/api/v1/evidence/%d", got.Run.EvidenceID), fmt.Sprintf(`{"control_ids":[%d]}`, ac), p.admin.headers())
			if w.Code != 409 {
				t.Errorf("relinking scan evidence by hand: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/evidence/%d", got.Run.EvidenceID), `{"description":"Nightly Prowler scan"}`, 200, nil)

			var hist struct {
				Runs []struct {
					Outcome string `json:"outcome"`
					Failing []struct {
						Resource string `json:"resource"`
					} `json:"failing"`
				} `json:"runs"`
				Windows []struct {
					State string `json:"state"`
				} `json:"windows"`
				Checks []struct {
					CheckID string `json:"check_id"`
				} `json:"checks"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d/automated?from=2026-03-01&to=2026-03-31", ac), "", 200, &hist)
			if len(hist.Runs) != 1 || hist.Runs[0].Outcome != "fail" || hist.Runs[0].Failing[0].Resource != "arn:aws:iam::210987654321:user/dana" ||
				len(hist.Windows) != 1 || hist.Windows[0].State != "failed" || len(hist.Checks) != 3 {
				t.Errorf("history %+v", hist)
			}
			for _, bad := range []string{"?from=2026-03-31&to=2026-03-01", "?from=March", "?since=2026-01-01"} {
				if w := send(p.h, "GET", fmt.Sprintf("/api/v1/controls/%d/automated%s", ac, bad), "", p.admin.headers()); w.Code != 400 {
					t.Errorf("history %s: %d", bad, w.Code)
				}
			}

			// The run, its checks and its failing rows.
			var runs struct {
				Runs  []struct{ ID int64 } `json:"runs"`
				Total int                  `json:"total"`
			}
			p.call(p.admin, "GET", "/api/v1/ingest/runs", "", 200, &runs)
			if runs.Total != 1 {
				t.Errorf("runs %+v", runs)
			}
			var results struct {
				Results []struct {
					CheckID string `json:"check_id"`
				} `json:"results"`
				Total int `json:"total"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/ingest/runs/%d/results?status=fail,error", got.Run.ID), "", 200, &results)
			if results.Total != 2 {
				t.Errorf("failing results %+v", results)
			}
			if w := send(p.h, "GET", fmt.Sprintf("/api/v1/ingest/runs/%d/results?status=red", got.Run.ID), "", p.admin.headers()); w.Code != 400 {
				t.Errorf("bad status filter: %d", w.Code)
			}
			if w := send(p.h, "GET", "/api/v1/ingest/runs/999/results", "", p.admin.headers()); w.Code != 404 {
				t.Errorf("results of no run: %d", w.Code)
			}

			// Unmapped checks are mapped with a rule; the rules import as CSV.
			var checks struct {
				Checks []struct {
					CheckID string `json:"check_id"`
				} `json:"checks"`
			}
			p.call(p.admin, "GET", "/api/v1/ingest/checks?unmapped=true", "", 200, &checks)
			if len(checks.Checks) != 3 {
				t.Errorf("unmapped %+v", checks)
			}
			p.call(p.admin, "POST", "/api/v1/ingest/rules", `{"pattern":"s3_bucket_*","control":"LOG-01"}`, 201, nil)
			if w := send(p.h, "POST", "/api/v1/ingest/rules", `{"pattern":"s3_bucket_*","control":"LOG-01"}`, p.admin.headers()); w.Code != 409 {
				t.Errorf("the same rule twice: %d", w.Code)
			}
			w = send(p.h, "POST", "/api/v1/ingest/rules", `{"pattern":"*","control":"NOPE"}`, p.admin.headers())
			if e := decode[apiError](t, w); w.Code != 400 || e.Error.Fields["pattern"] == "" || e.Error.Fields["control"] == "" {
				t.Errorf("a bad rule: %d %s", w.Code, w.Body)
			}
			w = post(p, "/api/v1/ingest/rules/import", "text/csv", []byte("pattern,control,note\nec2_*,AC-01,hosts\naccount_*,AC-01,\n"), p.admin.headers())
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"created":2`) {
				t.Errorf("import: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "GET", "/api/v1/ingest/checks?unmapped=true", "", 200, &checks)
			if len(checks.Checks) != 0 {
				t.Errorf("still unmapped %+v", checks)
			}
			var rules struct {
				Rules []struct{ ID int64 } `json:"rules"`
			}
			p.call(p.admin, "GET", "/api/v1/ingest/rules", "", 200, &rules)
			if len(rules.Rules) != 3 {
				t.Fatalf("rules %+v", rules)
			}
			if w := send(p.h, "DELETE", fmt.Sprintf("/api/v1/ingest/rules/%d", rules.Rules[0].ID), "", p.admin.headers()); w.Code != 204 {
				t.Errorf("delete rule: %d", w.Code)
			}

			// Sources: the expected interval and the owner are set here.
			var sources struct {
				Sources []struct {
					ID            int64 `json:"id"`
					IntervalHours int   `json:"interval_hours"`
					Stale         bool  `json:"stale"`
				} `json:"sources"`
			}
			p.call(p.admin, "GET", "/api/v1/ingest/sources", "", 200, &sources)
			if len(sources.Sources) != 1 || !sources.Sources[0].Stale { // the fixture's scan is from March
				t.Errorf("sources %+v", sources)
			}
			p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/ingest/sources/%d", sources.Sources[0].ID), `{"interval_hours":168}`, 200, &sources)
			if sources.Sources[0].IntervalHours != 168 {
				t.Errorf("after the change %+v", sources)
			}
			if w := send(p.h, "PATCH", fmt.Sprintf("/api/v1/ingest/sources/%d", sources.Sources[0].ID), `{"owner_id":424242}`, p.admin.headers()); w.Code != 400 {
				t.Errorf("an unknown owner: %d", w.Code)
			}
		})
	}
}

// Bad files are refused with the one error shape, and nothing is kept.
func TestIngestRefusals(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		status            int
		says              string
	}{
		{"unknown format", "application/json", []byte(`{"hello":"world"}`), 400, "unknown JSON format"},
		{"malformed", "application/json", []byte(`[{"class_uid": 2004, "metadata": {"event_code": "x"}, "status_code": "PASS"},`), 400, "cut off"},
		{"empty", "application/json", nil, 400, "empty"},
		{"too large", "application/json", bytes.Repeat([]byte(" "), testMaxUpload+formOverhead+1), 413, "larger than"},
		{"too large, undeclared", "application/json", append([]byte(`{"results":[`), bytes.Repeat([]byte(`{"check_id":"a","status":"pass"},`), testMaxUpload/30)...), 413, "larger than"},
		{"bad query", "application/json", []byte(`{}`), 400, "invalid query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/api/v1/ingest"
			if tc.name == "bad query" {
				path += "?scanned_at=yesterday"
			}
			w := post(p, path, tc.contentType, tc.body, p.admin.headers())
			e := decode[apiError](t, w)
			if w.Code != tc.status || !strings.Contains(e.Error.Message, tc.says) {
				t.Errorf("%d %s", w.Code, w.Body)
			}
		})
	}
	var runs struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/ingest/runs", "", 200, &runs)
	if runs.Total != 0 {
		t.Errorf("a refused file left %d runs", runs.Total)
	}

	// A form with a file part works as well as a raw body.
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	fw, err := mw.CreateFormFile("file", "results.csv")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(fw, "check_id,status,resource\nbackup.restore_test,pass,payroll-db\n")
	mw.Close()
	w := post(p, "/api/v1/ingest?source=backups", mw.FormDataContentType(), body.Bytes(), p.admin.headers())
	if w.Code != 201 || decode[ingestAnswer](t, w).Run.Format != "generic-csv" {
		t.Errorf("multipart: %d %s", w.Code, w.Body)
	}
}

const formOverhead = 1 << 20
