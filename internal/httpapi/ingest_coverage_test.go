package httpapi_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// scanJSON is a generic scan of one backup check, run at an instant.
func scanJSON(id, at, status string) []byte {
	return fmt.Appendf(nil, `{"format":"socmap-results/1","tool":"backup-verifier","scan_id":%q,"scanned_at":%q,
		"results":[{"check_id":"backup.restore_test","title":"Nightly restore test succeeds","status":%q,"resource":"payroll-db"}]}`,
		id, at, status)
}

// A monthly control fed by a scanner: in the engagement a month is
// covered by a run that passed inside it and by nothing else, in the
// grid, in readiness and in the workbook, and the control's automated
// history says the same of each month.
func TestScansCoverTheEngagementsWindows(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			bk := p.control("BK-01", `,"frequency":"monthly","nature":"it-dependent-manual","implemented_on":"2025-01-01"`)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC7.2"}]}`, bk), 200, nil)
			p.call(p.admin, "POST", "/api/v1/ingest/rules", `{"pattern":"backup.*","control":"BK-01"}`, 201, nil)
			var e struct {
				Engagement struct {
					ID int64 `json:"id"`
				} `json:"engagement"`
			}
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Q1","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-03-31"}`, 201, &e)

			ci := tokenFor(t, p.db, "compliance")
			evidence := map[string]int64{}
			for _, s := range []struct{ id, at, status string }{
				{"jan", "2026-01-15T02:00:00Z", "pass"}, // January: covered
				{"feb", "2026-02-10T02:00:00Z", "fail"}, // February: its only run failed
				{"mar-1", "2026-03-05T02:00:00Z", "fail"},
				{"mar-2", "2026-03-20T02:00:00Z", "pass"}, // March: covered by the later run
				{"apr", "2026-04-02T02:00:00Z", "pass"},   // after the period: covers nothing in it
			} {
				w := post(p, "/api/v1/ingest?source=backups", "application/json", scanJSON(s.id, s.at, s.status), ci)
				if w.Code != 201 {
					t.Fatalf("scan %s: %d %s", s.id, w.Code, w.Body)
				}
				evidence[s.id] = decode[ingestAnswer](t, w).Run.EvidenceID
			}

			var grid struct {
				Controls []struct {
					Ref     string `json:"ref"`
					Windows []struct {
						Label    string  `json:"label"`
						State    string  `json:"state"`
						Evidence []int64 `json:"evidence"`
					} `json:"windows"`
				} `json:"controls"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls?windows=full", e.Engagement.ID), "", 200, &grid)
			if len(grid.Controls) != 1 || len(grid.Controls[0].Windows) != 3 {
				t.Fatalf("grid %+v", grid)
			}
			var states []string
			for _, w := range grid.Controls[0].Windows {
				states = append(states, w.State)
			}
			ws := grid.Controls[0].Windows
			if !slices.Equal(states, []string{"covered", "missing", "covered"}) ||
				!slices.Equal(ws[0].Evidence, []int64{evidence["jan"]}) || !slices.Equal(ws[2].Evidence, []int64{evidence["mar-2"]}) {
				t.Errorf("windows in the engagement %+v", ws)
			}

			var rollup struct {
				Readiness struct {
					Parts []struct {
						Name  string `json:"name"`
						Done  int    `json:"done"`
						Total int    `json:"total"`
					} `json:"parts"`
				} `json:"readiness"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/rollup", e.Engagement.ID), "", 200, &rollup)
			i := slices.IndexFunc(rollup.Readiness.Parts, func(x struct {
				Name  string `json:"name"`
				Done  int    `json:"done"`
				Total int    `json:"total"`
			}) bool {
				return strings.Contains(x.Name, "windows")
			})
			if i < 0 || rollup.Readiness.Parts[i].Done != 2 || rollup.Readiness.Parts[i].Total != 3 {
				t.Errorf("readiness %+v: want 2 of 3 windows", rollup.Readiness.Parts)
			}

			w := send(p.h, "GET", fmt.Sprintf("/api/v1/engagements/%d/workbook", e.Engagement.ID), "", p.admin.headers())
			if w.Code != 200 {
				t.Fatalf("workbook: %d", w.Code)
			}
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows("Occurrences")
			if err != nil {
				t.Fatal(err)
			}
			var sheet []string
			for _, r := range rows[1:] {
				r = append(r, make([]string, 8)...) // excelize drops empty cells at a row's end
				sheet = append(sheet, r[0]+" "+r[5]+" "+r[7])
			}
			want := []string{"BK-01 Covered " + fmt.Sprint(evidence["jan"]), "BK-01 Missing ", "BK-01 Covered " + fmt.Sprint(evidence["mar-2"])}
			if !slices.Equal(trimAll(sheet), trimAll(want)) {
				t.Errorf("the workbook's occurrences %q, want %q", sheet, want)
			}

			var hist struct {
				Windows []struct {
					State       string `json:"state"`
					PassingRuns int    `json:"passing_runs"`
					FailingRuns int    `json:"failing_runs"`
				} `json:"windows"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d/automated?from=2026-01-01&to=2026-03-31", bk), "", 200, &hist)
			states = nil
			for _, w := range hist.Windows {
				states = append(states, fmt.Sprintf("%s %d/%d", w.State, w.PassingRuns, w.FailingRuns))
			}
			if !slices.Equal(states, []string{"covered 1/0", "failed 0/1", "covered 1/1"}) {
				t.Errorf("the automated history's windows %v", states)
			}
		})
	}
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(strings.TrimSpace(v))
	}
	return out
}
