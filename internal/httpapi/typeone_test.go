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

// typeOne is a SOC 2 Type I as of 2026-03-31 with two controls on CC6.1:
// AC-03, in place since 2025, with a review of Q1 2026 and one of Q2
// 2025 (stale: before the 90 days); and CM-01, implemented only on
// 2026-05-01, after the as-of date.
type typeOne struct {
	p             *program
	base          string
	ac, cm        int64
	recent, stale int64
	engagementID  int64
}

func newTypeOne(t *testing.T, target storetest.Target) typeOne {
	p := newProgram(t, target)
	f := typeOne{p: p}
	f.ac = p.control("AC-03", `,"frequency":"quarterly","implemented_on":"2025-01-01"`)
	f.cm = p.control("CM-01", `,"frequency":"quarterly","implemented_on":"2026-05-01"`)
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, f.ac, f.cm), 200, nil)
	f.recent = f.evidence(t, "Q1 2026 review", f.ac, "2026-01-01", "2026-03-31")
	f.stale = f.evidence(t, "Q2 2025 review", f.ac, "2025-04-01", "2025-06-30")
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type I","report":"soc2","type":"type1","as_of":"2026-03-31"}`, 201, &e)
	f.engagementID = e.Engagement.ID
	f.base = fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	return f
}

func (f typeOne) evidence(t *testing.T, title string, control int64, from, to string) int64 {
	var ev evidenceOut
	w := upload(f.p.h, f.p.admin, "/api/v1/evidence", map[string]string{"title": title, "control_ids": fmt.Sprint(control),
		"covers_from": from, "covers_to": to}, "review.pdf", strings.NewReader(title))
	if w.Code != 201 {
		t.Fatal(w.Body)
	}
	jsonDecode(t, w.Body.Bytes(), &ev)
	return ev.Evidence.ID
}

func (f typeOne) result(control int64) string {
	return fmt.Sprintf("%s/controls/%d/result", f.base, control)
}

// A Type I concludes design and implementation apart: implemented is
// refused for a control put in place after the as-of date and for one
// resting on stale evidence alone; the roll-up is met only when every
// control is suitably designed and implemented.
func TestTypeOneImplementation(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			f := newTypeOne(t, target)
			p := f.p
			var scoped struct {
				Controls []struct {
					ID                   int64   `json:"id"`
					ImplementedAfterAsOf bool    `json:"implemented_after_as_of"`
					EvidenceStale        []int64 `json:"evidence_stale"`
				} `json:"controls"`
			}
			p.call(p.admin, "GET", f.base+"/controls", "", 200, &scoped)
			for _, c := range scoped.Controls {
				if want := c.ID == f.cm; c.ImplementedAfterAsOf != want {
					t.Errorf("control %d: implemented after the as-of date %v, want %v", c.ID, c.ImplementedAfterAsOf, want)
				}
				if c.ID == f.ac && fmt.Sprint(c.EvidenceStale) != fmt.Sprint([]int64{f.stale}) {
					t.Errorf("AC-03's stale evidence %v, want [%d]", c.EvidenceStale, f.stale)
				}
			}

			for name, tt := range map[string]struct {
				control int64
				body    string
				field   string
				says    string
			}{
				"implemented after the as-of date": {f.cm, `{"design_result":"suitably_designed","implementation":"implemented"}`,
					"implementation", "implemented on 2026-05-01, after the as-of date 2026-03-31"},
				"an implemented-on date after it": {f.ac, fmt.Sprintf(`{"implementation":"implemented","implemented_on":"2026-04-02","evidence_ids":[%d]}`, f.recent),
					"implementation", "implemented on 2026-04-02"},
				"stale evidence only": {f.ac, fmt.Sprintf(`{"implementation":"implemented","evidence_ids":[%d]}`, f.stale),
					"evidence_ids", "stale for this as-of date"},
				"no evidence":             {f.ac, `{"implementation":"implemented"}`, "evidence_ids", "dated between 2025-12-31 and the as-of date 2026-03-31"},
				"unknown implementation":  {f.ac, `{"implementation":"mostly"}`, "implementation", "must be one of"},
				"operating effectiveness": {f.ac, `{"result":"no_exceptions"}`, "result", "Type I"},
			} {
				w := send(p.h, "PUT", f.result(tt.control), tt.body, p.admin.headers())
				if w.Code != 400 || !strings.Contains(fieldOf(t, w.Body.Bytes(), tt.field), tt.says) {
					t.Errorf("%s: %d %s, want 400 with %s saying %q", name, w.Code, w.Body, tt.field, tt.says)
				}
			}
			var res struct {
				Result struct {
					Version int64 `json:"version"`
				} `json:"result"`
			}
			p.call(p.admin, "GET", f.result(f.ac), "", 200, &res)
			if res.Result.Version != 0 {
				t.Errorf("a refused conclusion was saved: version %d", res.Result.Version)
			}

			var ru rollUpOut
			p.call(p.admin, "PUT", f.result(f.ac), fmt.Sprintf(`{"design_result":"suitably_designed","evidence_ids":[%d,%d]}`, f.recent, f.stale), 200, nil)
			p.call(p.admin, "PUT", f.result(f.cm), `{"design_result":"suitably_designed","implementation":"not_implemented"}`, 200, nil)
			p.call(p.admin, "GET", f.base+"/rollup", "", 200, &ru)
			// CM-01 not implemented is a deviation that shows at once, though
			// AC-03's implementation is not concluded yet.
			if ru.state("CC6.1") != "deviations_evaluation_needed" {
				t.Errorf("CM-01 not implemented, AC-03 in progress: CC6.1 %s, want deviations_evaluation_needed", ru.state("CC6.1"))
			}
			// Stale evidence beside recent evidence is no objection.
			var saved struct {
				Result struct {
					Implementation string  `json:"implementation"`
					ImplementedOn  *string `json:"implemented_on"`
				} `json:"result"`
			}
			p.call(p.admin, "PUT", f.result(f.ac), `{"implementation":"implemented","implemented_on":"2026-02-01"}`, 200, &saved)
			if saved.Result.Implementation != "implemented" || saved.Result.ImplementedOn == nil || *saved.Result.ImplementedOn != "2026-02-01" {
				t.Errorf("saved %+v", saved.Result)
			}
			p.call(p.admin, "GET", f.base+"/rollup", "", 200, &ru)
			if ru.state("CC6.1") == "met" || ru.state("CC6.1") == "in_progress" {
				t.Errorf("CM-01 not implemented: CC6.1 %s, want a deficiency", ru.state("CC6.1"))
			}
			// design 2 of 2, implementation 2 of 2, criteria with deviations
			// evaluated 0 of 1: not ready while CC6.1 needs its evaluation.
			if ru.Readiness.Percent != 67 || len(ru.Readiness.Parts) != 3 {
				t.Errorf("readiness %+v", ru.Readiness)
			}

			// A Type II does not conclude on implementation; the window is 1 to 730 days.
			var t2 engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"T2","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &t2)
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/controls/%d/result", t2.Engagement.ID, f.ac), `{"implementation":"implemented"}`, 400, nil)
			p.call(p.admin, "PATCH", f.base, `{"evidence_window_days":0}`, 400, nil)
			var e struct {
				Engagement struct {
					EvidenceWindowDays int `json:"evidence_window_days"`
				} `json:"engagement"`
			}
			p.call(p.admin, "PATCH", f.base, `{"evidence_window_days":400}`, 200, &e)
			if e.Engagement.EvidenceWindowDays != 400 {
				t.Errorf("evidence window %d, want 400", e.Engagement.EvidenceWindowDays)
			}
			p.call(p.admin, "GET", f.base+"/controls", "", 200, &scoped)
			for _, c := range scoped.Controls {
				if len(c.EvidenceStale) != 0 {
					t.Errorf("with 400 days nothing is stale: %v", c.EvidenceStale)
				}
			}
		})
	}
}

// fieldOf is what an error body says of one field ("" when nothing).
func fieldOf(t *testing.T, body []byte, field string) string {
	t.Helper()
	var e apiError
	jsonDecode(t, body, &e)
	return e.Error.Fields[field]
}

// A control's walkthrough is one record per control in the engagement:
// recorded by whoever tests it, with its day, participants, the instance
// traced and the evidence inspected; versioned, audited, read by a
// granted auditor and frozen from reporting on.
func TestWalkthrough(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			f := newTypeOne(t, target)
			p := f.p
			path := fmt.Sprintf("%s/controls/%d/walkthrough", f.base, f.ac)
			type walkthroughOut struct {
				Walkthrough struct {
					PerformedOn       string  `json:"performed_on"`
					Participants      string  `json:"participants"`
					InstanceTraced    string  `json:"instance_traced"`
					EvidenceInspected string  `json:"evidence_inspected"`
					EvidenceIDs       []int64 `json:"evidence_ids"`
					PerformedBy       string  `json:"performed_by"`
					Version           int64   `json:"version"`
				} `json:"walkthrough"`
			}
			var got walkthroughOut
			p.call(p.admin, "GET", path, "", 200, &got)
			if got.Walkthrough.Version != 0 || got.Walkthrough.PerformedOn != "" {
				t.Errorf("before any: %+v", got.Walkthrough)
			}
			good := fmt.Sprintf(`{"performed_on":"2026-03-20","participants":"IT lead; HR manager","instance_traced":"Leaver 4711",
				"evidence_inspected":"Termination ticket","evidence_ids":[%d]}`, f.recent)
			for name, tt := range map[string]struct{ body, field string }{
				"no day":            {`{"participants":"x","instance_traced":"y","evidence_inspected":"z"}`, "performed_on"},
				"not a date":        {`{"performed_on":"20 March","participants":"x","instance_traced":"y","evidence_inspected":"z"}`, "performed_on"},
				"in the future":     {`{"performed_on":"2999-01-01","participants":"x","instance_traced":"y","evidence_inspected":"z"}`, "performed_on"},
				"no participants":   {`{"performed_on":"2026-03-20","instance_traced":"y","evidence_inspected":"z"}`, "participants"},
				"nothing traced":    {`{"performed_on":"2026-03-20","participants":"x","evidence_inspected":"z"}`, "instance_traced"},
				"nothing inspected": {`{"performed_on":"2026-03-20","participants":"x","instance_traced":"y"}`, "evidence_inspected"},
				"foreign evidence":  {`{"performed_on":"2026-03-20","participants":"x","instance_traced":"y","evidence_ids":[99999]}`, "evidence_ids"},
			} {
				w := send(p.h, "PUT", path, tt.body, p.admin.headers())
				if w.Code != 400 || fieldOf(t, w.Body.Bytes(), tt.field) == "" {
					t.Errorf("%s: %d %s, want 400 naming %s", name, w.Code, w.Body, tt.field)
				}
			}
			p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/walkthrough", f.base, p.control("XX-01", "")), good, 400, nil) // not in scope

			p.call(p.admin, "PUT", path, good, 200, &got)
			if g := got.Walkthrough; g.Version != 1 || g.PerformedOn != "2026-03-20" || g.InstanceTraced != "Leaver 4711" ||
				fmt.Sprint(g.EvidenceIDs) != fmt.Sprint([]int64{f.recent}) || g.PerformedBy != "admin@example.com" {
				t.Errorf("saved %+v", g)
			}
			// If-Match: a stale version is refused with the walkthrough as it is.
			h := p.admin.headers()
			h.Set("If-Match", `"7"`)
			if w := send(p.h, "PUT", path, `{"participants":"someone else"}`, h); w.Code != 412 {
				t.Errorf("stale If-Match: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "PUT", path, `{"participants":"IT lead"}`, 200, &got)
			if got.Walkthrough.Version != 2 || got.Walkthrough.Participants != "IT lead" || got.Walkthrough.InstanceTraced != "Leaver 4711" {
				t.Errorf("changed %+v", got.Walkthrough)
			}
			var audit struct {
				Entries []struct {
					Action string `json:"action"`
				} `json:"entries"`
			}
			p.call(p.admin, "GET", "/api/v1/audit?action=engagement.walkthrough", "", 200, &audit)
			if n := strings.Count(fmt.Sprint(audit), "engagement.walkthrough"); n != 2 {
				t.Errorf("audited %d walkthrough changes, want 2: %+v", n, audit)
			}

			auditor := signIn(t, p.svc, "auditor")
			p.call(p.admin, "PUT", f.base+"/auditors", `{"auditors":["auditor@example.com"]}`, 200, nil)
			p.call(auditor, "GET", path, "", 200, &got)
			p.call(auditor, "PUT", path, good, 403, nil)

			p.call(p.admin, "PATCH", f.base, `{"status":"reporting"}`, 200, nil)
			if w := send(p.h, "PUT", path, good, p.admin.headers()); w.Code != 409 || errorCode(w) != "engagement_locked" {
				t.Errorf("walkthrough of a locked engagement: %d %s", w.Code, w.Body)
			}
		})
	}
}

// A Type I workbook carries no operating-effectiveness sheet or column:
// no samples, occurrences, n of m or results; its control matrix has the
// design, implementation and walkthrough of each control instead.
func TestTypeOneWorkbook(t *testing.T) {
	t.Parallel()
	f := newTypeOne(t, storetest.Targets(t)[0])
	p := f.p
	p.call(p.admin, "PUT", f.result(f.ac), fmt.Sprintf(`{"design_result":"suitably_designed","implementation":"implemented","evidence_ids":[%d]}`, f.recent), 200, nil)
	p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/walkthrough", f.base, f.ac), fmt.Sprintf(`{"performed_on":"2026-03-20",
		"participants":"IT lead","instance_traced":"Access review of March 2026","evidence_inspected":"Review sign-off","evidence_ids":[%d]}`, f.recent), 200, nil)
	w := send(p.h, "GET", f.base+"/workbook", "", p.admin.headers())
	if w.Code != 200 {
		t.Fatalf("workbook: %d %s", w.Code, w.Body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, sheet := range []string{"Control operation", "Occurrences", "Populations", "Samples", "Exceptions"} {
		if slices.Contains(x.GetSheetList(), sheet) {
			t.Errorf("a Type I workbook has the %s sheet", sheet)
		}
	}
	typeII := []string{"Test method", "Test procedure", "Population size", "Sample size", "Result", "Exceptions", "Tests performed", "Results", "n of m"}
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil || len(rows) == 0 {
			continue
		}
		for _, h := range rows[0] {
			if slices.Contains(typeII, h) {
				t.Errorf("%s has the Type II column %q", sheet, h)
			}
		}
	}
	matrix, err := x.GetRows("Control matrix")
	if err != nil || len(matrix) != 3 {
		t.Fatalf("control matrix: %v %v", matrix, err)
	}
	col := map[string]int{}
	for i, h := range matrix[0] {
		col[h] = i
	}
	ac := matrix[1]
	if ac[0] != "AC-03" {
		ac = matrix[2]
	}
	for h, want := range map[string]string{"Design result": "Suitably designed", "Implementation": "Implemented", "In place since": "2025-01-01",
		"Walkthrough on": "2026-03-20", "Walkthrough participants": "IT lead", "Instance traced": "Access review of March 2026",
		"Evidence stale for this as-of date": fmt.Sprint(f.stale)} {
		if i, ok := col[h]; !ok || i >= len(ac) || ac[i] != want {
			t.Errorf("AC-03 %s: %v, want %q (headers %v)", h, ac, want, matrix[0])
		}
	}
	if i := col["Evidence inspected"]; !strings.Contains(ac[i], "Review sign-off") || !strings.Contains(ac[i], fmt.Sprint(f.recent)) {
		t.Errorf("evidence inspected %q", ac[i])
	}
}
