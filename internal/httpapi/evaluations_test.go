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

type evaluationOut struct {
	Requirement struct {
		State string `json:"state"`
	} `json:"requirement"`
	Figures struct {
		Deviations    int     `json:"deviations"`
		SampleSize    int     `json:"sample_size"`
		DeviationRate float64 `json:"deviation_rate"`
		TolerableRate float64 `json:"tolerable_rate"`
		Exceeds       bool    `json:"exceeds"`
	} `json:"figures"`
	Compensators []struct {
		ID  int64  `json:"id"`
		Ref string `json:"ref"`
	} `json:"compensators"`
	Evaluation *struct {
		Conclusion    string  `json:"conclusion"`
		Extent        string  `json:"extent"`
		TolerableRate float64 `json:"tolerable_rate"`
		Compensating  []struct {
			Ref string `json:"ref"`
		} `json:"compensating_controls"`
		SignOff struct {
			PreparedBy *string `json:"prepared_by"`
		} `json:"sign_off"`
		Version int64 `json:"version"`
	} `json:"evaluation"`
}

type opinionOut struct {
	NotMet []struct {
		Ref string `json:"ref"`
	} `json:"not_met"`
	ScopeLimitations []struct {
		Ref string `json:"ref"`
	} `json:"scope_limitations"`
	Applicable int  `json:"applicable"`
	Pervasive  bool `json:"pervasive"`
}

// A key control's deviations on CC8.1 ask for an evaluation; it is
// concluded met only with an effective compensating key control, not met
// otherwise (then a qualification candidate); the evaluation is signed
// off, withdrawn, and frozen from reporting on. Not applicable is
// decided per engagement, and the organisation's gap view can use it.
func TestCriterionEvaluation(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			cm := p.control("CM-01", `,"frequency":"event-driven","key_control":true`)
			ac := p.control("AC-03", `,"frequency":"event-driven","key_control":true`)
			hr := p.control("HR-01", `,"frequency":"event-driven"`)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"},`+
				`{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC1.4"}]}`, cm, ac, hr), 200, nil)
			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
			base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
			p.testedSample(base, cm, 2, "2026-03", 2)
			p.testedSample(base, ac, 2, "2026-03", 0)
			p.testedSample(base, hr, 2, "2026-03", 0)
			for control, result := range map[int64]string{cm: "exceptions_noted", ac: "no_exceptions", hr: "no_exceptions"} {
				p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, control),
					fmt.Sprintf(`{"design_result":"suitably_designed","test_methods":["inspection"],"result":%q}`, result), 200, nil)
			}

			var ev evaluationOut
			p.call(p.admin, "GET", base+"/requirements/CC8.1/evaluation", "", 200, &ev)
			// 2 of 2 failed: 100 % against the 0 % a sample under five tolerates.
			if ev.Requirement.State != "deviations_evaluation_needed" || ev.Figures.Deviations != 2 || ev.Figures.SampleSize != 2 ||
				ev.Figures.DeviationRate != 100 || ev.Figures.TolerableRate != 0 || !ev.Figures.Exceeds || ev.Evaluation != nil {
				t.Errorf("before the evaluation: %+v", ev)
			}
			if len(ev.Compensators) != 2 { // AC-03 and HR-01, both effective
				t.Errorf("compensators %+v", ev.Compensators)
			}
			var impact opinionOut
			p.call(p.admin, "GET", base+"/opinion-impact", "", 200, &impact)
			if len(impact.NotMet) != 0 || impact.Pervasive {
				t.Errorf("nothing concluded not met yet: %+v", impact)
			}

			url := base + "/requirements/CC8.1/evaluation"
			for name, tt := range map[string]struct{ body, field string }{
				"no cause":                    {fmt.Sprintf(`{"extent":"isolated","conclusion":"met","compensating_control_ids":[%d]}`, ac), "cause"},
				"no extent":                   {fmt.Sprintf(`{"cause":"x","conclusion":"met","compensating_control_ids":[%d]}`, ac), "systemic"},
				"no conclusion":               {`{"cause":"x","extent":"isolated"}`, "conclusion"},
				"key deviation, no key comp.": {fmt.Sprintf(`{"cause":"x","extent":"isolated","conclusion":"met","compensating_control_ids":[%d]}`, hr), "compensating_control_ids"},
				"key deviation, none":         {`{"cause":"x","extent":"isolated","conclusion":"met"}`, "compensating_control_ids"},
				"the deviating control":       {fmt.Sprintf(`{"cause":"x","extent":"isolated","conclusion":"met","compensating_control_ids":[%d]}`, cm), "compensating_control_ids"},
			} {
				w := send(p.h, "PUT", url, tt.body, p.admin.headers())
				if w.Code != 400 || fieldOf(t, w.Body.Bytes(), tt.field) == "" {
					t.Errorf("%s: %d %s, want 400 naming %s", name, w.Code, w.Body, tt.field)
				}
			}
			p.call(p.admin, "PUT", base+"/requirements/CC6.1/evaluation", `{"cause":"x","extent":"isolated","conclusion":"met"}`, 400, nil)
			p.call(p.admin, "PUT", base+"/requirements/CC9.9/evaluation", `{"cause":"x","extent":"isolated","conclusion":"met"}`, 404, nil)

			p.call(p.admin, "PUT", url, fmt.Sprintf(`{"cause":"Two emergency changes bypassed the approval step","extent":"isolated",`+
				`"conclusion":"met","compensating_control_ids":[%d]}`, ac), 200, &ev)
			if ev.Requirement.State != "met_after_evaluation" || ev.Evaluation == nil || ev.Evaluation.Conclusion != "met" ||
				ev.Evaluation.Extent != "isolated" || len(ev.Evaluation.Compensating) != 1 || ev.Evaluation.Compensating[0].Ref != "AC-03" ||
				ev.Evaluation.Version != 1 {
				t.Fatalf("after the evaluation: %+v", ev)
			}
			var ru rollUpOut
			p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
			if ru.state("CC8.1") != "met_after_evaluation" {
				t.Errorf("roll-up CC8.1 %s", ru.state("CC8.1"))
			}
			// A stale version is refused; signing off moves it on.
			stale := p.admin.headers()
			stale.Set("If-Match", `"7"`)
			w := send(p.h, "PUT", url+"/sign-off", `{"as":"preparer"}`, stale)
			if w.Code != 412 {
				t.Errorf("stale sign-off: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "PUT", url+"/sign-off", `{"as":"preparer"}`, 200, &ev)
			if ev.Evaluation.SignOff.PreparedBy == nil || ev.Evaluation.Version != 2 {
				t.Errorf("signed off: %+v", ev.Evaluation)
			}
			// The workbook states the evaluation beside the conclusion, with its sign-off.
			row := coverageRow(t, p, base, "CC8.1")
			if got := strings.Join(row, "|"); !strings.Contains(got, "Met after evaluation|") ||
				!strings.Contains(got, "|Two emergency changes bypassed the approval step|Isolated|AC-03|Met|admin@example.com|") ||
				!strings.Contains(got, "2 of 2 (100.0 %) against 0 % tolerable") || !strings.Contains(got, "|admin@example.com|"+time.Now().UTC().Format(time.DateOnly)) {
				t.Errorf("the workbook's CC8.1 row: %q", row)
			}

			// Concluded not met, CC8.1 is a qualification candidate: one of
			// the applicable criteria, so not pervasive at 25 %.
			p.call(p.admin, "PUT", url, `{"cause":"Approvals are not enforced","extent":"systemic","conclusion":"not_met"}`, 200, &ev)
			p.call(p.admin, "GET", base+"/opinion-impact", "", 200, &impact)
			if ev.Requirement.State != "not_met" || len(impact.NotMet) != 1 || impact.NotMet[0].Ref != "CC8.1" || impact.Pervasive {
				t.Errorf("not met: %s, impact %+v", ev.Requirement.State, impact)
			}
			p.call(p.admin, "PATCH", base, `{"pervasive_percent":1}`, 200, nil)
			p.call(p.admin, "GET", base+"/opinion-impact", "", 200, &impact)
			if !impact.Pervasive {
				t.Errorf("one criterion of %d is more than 1 %%: %+v", impact.Applicable, impact)
			}
			p.call(p.admin, "PATCH", base, `{"pervasive_percent":0}`, 400, nil)

			// Withdrawn, the deviations need evaluating again.
			if w := send(p.h, "DELETE", url, "", p.admin.headers()); w.Code != 204 {
				t.Fatalf("delete: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "GET", url, "", 200, &ev)
			if ev.Requirement.State != "deviations_evaluation_needed" || ev.Evaluation != nil {
				t.Errorf("after the delete: %+v", ev)
			}
			p.call(p.admin, "DELETE", url, "", 404, nil)

			// Not applicable to this engagement, with its reason; the
			// organisation's gap view uses it when asked to.
			p.call(p.admin, "PUT", base+"/applicability/CC1.4", `{"reason":" "}`, 400, nil)
			p.call(p.admin, "PUT", base+"/applicability/CC1.4", `{"reason":"No staff of our own in this system"}`, 200, nil)
			p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
			if ru.state("CC1.4") != "not_applicable" {
				t.Errorf("CC1.4 %s", ru.state("CC1.4"))
			}
			var cov struct {
				Requirements []struct {
					Ref   string `json:"ref"`
					State string `json:"state"`
				} `json:"requirements"`
			}
			stateOf := func(ref string) string {
				for _, r := range cov.Requirements {
					if r.Ref == ref {
						return r.State
					}
				}
				return ""
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/coverage?engagement=%d", e.Engagement.ID), "", 200, &cov)
			if stateOf("CC1.4") != "not_applicable" {
				t.Errorf("coverage for the engagement: CC1.4 %s", stateOf("CC1.4"))
			}
			p.call(p.admin, "GET", "/api/v1/coverage", "", 200, &cov)
			if stateOf("CC1.4") == "not_applicable" {
				t.Error("the organisation's own gap view took the engagement's decision")
			}
			p.call(p.admin, "GET", "/api/v1/coverage?engagement=9999", "", 404, nil)
			if w := send(p.h, "DELETE", base+"/applicability/CC1.4", "", p.admin.headers()); w.Code != 204 {
				t.Errorf("clear: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
			if ru.state("CC1.4") != "met" {
				t.Errorf("CC1.4 applicable again: %s", ru.state("CC1.4"))
			}

			// From reporting on, evaluations are frozen.
			p.call(p.admin, "PATCH", base, `{"status":"reporting"}`, 200, nil)
			w = send(p.h, "PUT", url, fmt.Sprintf(`{"cause":"x","extent":"isolated","conclusion":"met","compensating_control_ids":[%d]}`, ac), p.admin.headers())
			if w.Code != 409 || !strings.Contains(w.Body.String(), "engagement_locked") {
				t.Errorf("locked: %d %s", w.Code, w.Body)
			}
		})
	}
}

// coverageRow is a requirement's row on the Criteria coverage sheet of
// the engagement's workbook.
func coverageRow(t *testing.T, p *program, base, ref string) []string {
	t.Helper()
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("workbook: %d %v", w.Code, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Criteria coverage")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == ref {
			return r
		}
	}
	t.Fatalf("no %s on the Criteria coverage sheet", ref)
	return nil
}
