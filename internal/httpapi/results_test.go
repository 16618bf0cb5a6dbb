package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type rollUpOut struct {
	Requirements []struct {
		Ref   string `json:"ref"`
		State string `json:"state"`
	} `json:"requirements"`
	Readiness struct {
		Percent int `json:"percent"`
		Parts   []struct {
			Name  string `json:"name"`
			Done  int    `json:"done"`
			Total int    `json:"total"`
		} `json:"parts"`
		Exceptions int `json:"exceptions"`
	} `json:"readiness"`
}

func (r rollUpOut) state(ref string) string {
	for _, q := range r.Requirements {
		if q.Ref == ref {
			return q.State
		}
	}
	return "absent"
}

func TestResultsExceptionsAndRollUp(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ac := p.control("AC-03", `,"frequency":"quarterly"`)
			cm := p.control("CM-01", `,"frequency":"quarterly"`)
			other := p.control("XX-01", "")
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, ac, cm), 200, nil)
			var ev evidenceOut
			if w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Q2 review", "control_ids": fmt.Sprint(ac),
				"covers_from": "2026-04-01", "covers_to": "2026-06-30"}, "q2.pdf", strings.NewReader("q2")); w.Code != 201 {
				t.Fatal(w.Body)
			}
			w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Q1 review", "control_ids": fmt.Sprint(ac),
				"covers_from": "2026-01-01", "covers_to": "2026-03-31"}, "q1.pdf", strings.NewReader("q1"))
			if w.Code != 201 {
				t.Fatal(w.Body)
			}
			jsonDecode(t, w.Body.Bytes(), &ev)

			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
			base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)

			var ru rollUpOut
			p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
			// CM-01 has no evidence for either quarter: it did not operate, a
			// deviation shown before any testing. Design 0/2, windows 2/4,
			// tests 0/2, criteria with deviations evaluated 0/1:
			// (0 + 50 + 0 + 0) / 4 = 13.
			if ru.state("CC6.1") != "in_progress" || ru.state("CC8.1") != "deviations_evaluation_needed" ||
				ru.state("CC1.1") != "not_covered" || ru.Readiness.Percent != 13 {
				t.Errorf("initial roll-up: CC6.1 %s, CC8.1 %s, CC1.1 %s, readiness %+v", ru.state("CC6.1"), ru.state("CC8.1"), ru.state("CC1.1"), ru.Readiness)
			}
			if len(ru.Readiness.Parts) != 4 || ru.Readiness.Parts[1].Done != 2 || ru.Readiness.Parts[1].Total != 4 {
				t.Errorf("readiness parts: %+v", ru.Readiness.Parts)
			}

			p.testedSample(base, ac, 2, "2026-02", 0)
			p.testedSample(base, cm, 2, "2026-03", 1)
			for name, body := range map[string]string{
				"inquiry alone":           `{"test_methods":["inquiry"],"result":"no_exceptions"}`,
				"n and m given":           `{"test_methods":["inspection"],"result":"exceptions_noted","exceptions_found":1,"tested_count":2}`,
				"exceptions with none":    `{"test_methods":["inspection"],"result":"exceptions_noted"}`,
				"bad method":              `{"test_methods":["guessing"]}`,
				"bad design result":       `{"design_result":"great"}`,
				"foreign evidence":        `{"evidence_ids":[999]}`,
				"bad risk":                `{"sample_risk":"medium"}`,
				"did not operate (daily)": `{"test_methods":["inspection"],"result":"not_tested_no_operation"}`,
			} {
				if w := send(p.h, "PUT", fmt.Sprintf("%s/controls/%d/result", base, ac), body, p.admin.headers()); w.Code != 400 {
					t.Errorf("%s: %d %s", name, w.Code, w.Body)
				}
			}
			p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, other), `{"design_result":"suitably_designed"}`, 400, nil)

			p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, ac), fmt.Sprintf(`{"design_result":"suitably_designed","design_notes":"Walkthrough with IT lead","evidence_ids":[%d],
				"test_methods":["inquiry","inspection"],"test_procedure":"Inspected both quarterly reviews","result":"no_exceptions"}`, ev.Evidence.ID), 200, nil)
			var res struct {
				Result struct {
					ResultLabel string `json:"result_label"`
				} `json:"result"`
			}
			if w := send(p.h, "PUT", fmt.Sprintf("%s/controls/%d/result", base, cm), `{"test_methods":["reperformance"],"result":"no_exceptions"}`, p.admin.headers()); w.Code != 400 || !strings.Contains(w.Body.String(), "1 of 2 tested items failed") {
				t.Errorf("no exceptions with a failed item: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, cm), `{"design_result":"suitably_designed","test_methods":["reperformance"],"result":"exceptions_noted"}`, 200, &res)
			if res.Result.ResultLabel != "Exceptions noted (1 of 2)" {
				t.Errorf("label %q", res.Result.ResultLabel)
			}
			var x struct {
				Exception struct {
					ID int64 `json:"id"`
				} `json:"exception"`
			}
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/exceptions", base, cm), `{"description":"Change 4711 deployed without approval"}`, 201, &x)
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/exceptions", base, cm), `{"description":" "}`, 400, nil)
			p.call(p.admin, "PATCH", fmt.Sprintf("%s/exceptions/%d", base, x.Exception.ID), `{"management_response":"Approval step made mandatory in the pipeline"}`, 200, nil)
			var xs struct {
				Exceptions []struct {
					ControlRef         string `json:"control_ref"`
					ManagementResponse string `json:"management_response"`
				} `json:"exceptions"`
			}
			p.call(p.admin, "GET", base+"/exceptions", "", 200, &xs)
			// The failed item's exception was recorded with it; the one found outside the sample beside it.
			if len(xs.Exceptions) != 2 || xs.Exceptions[1].ControlRef != "CM-01" || xs.Exceptions[1].ManagementResponse == "" {
				t.Errorf("exceptions: %+v", xs.Exceptions)
			}

			p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
			if ru.state("CC6.1") != "met" || ru.state("CC8.1") != "deviations_evaluation_needed" || ru.state("CC1.1") != "not_covered" {
				t.Errorf("roll-up: CC6.1 %s, CC8.1 %s, CC1.1 %s", ru.state("CC6.1"), ru.state("CC8.1"), ru.state("CC1.1"))
			}
			// design 2/2, windows 2/4 (only AC-03 has evidence), tests 2/2, evaluated 0/1:
			// (100 + 50 + 100 + 0) / 4 = 63; CM-01 has one failed item and two exception records: 2.
			if ru.Readiness.Percent != 63 || ru.Readiness.Exceptions != 2 {
				t.Errorf("readiness: %+v", ru.Readiness)
			}

			// Evidence an engagement relies on cannot be deleted.
			w = send(p.h, "DELETE", fmt.Sprintf("/api/v1/evidence/%d", ev.Evidence.ID), "", p.admin.headers())
			if w.Code != 409 || !strings.Contains(w.Body.String(), "relies on it for AC-03") {
				t.Errorf("deleting relied-on evidence: %d %s", w.Code, w.Body)
			}

			// A Type I records design only.
			var t1 engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"T1","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &t1)
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/controls/%d/result", t1.Engagement.ID, ac), `{"result":"no_exceptions"}`, 400, nil)
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/controls/%d/result", t1.Engagement.ID, ac), `{"design_result":"design_deficiency"}`, 200, nil)
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/rollup", t1.Engagement.ID), "", 200, &ru)
			// A design deficiency asks for an evaluation: design 1 of 2,
			// implementation 0 of 2, evaluated 0 of 1: (50 + 0 + 0) / 3 = 17.
			if ru.state("CC6.1") != "deviations_evaluation_needed" || len(ru.Readiness.Parts) != 3 || ru.Readiness.Percent != 17 {
				t.Errorf("Type I roll-up: CC6.1 %s, readiness %+v", ru.state("CC6.1"), ru.Readiness)
			}

			// Granted auditors read results and exceptions but change nothing.
			auditor := signIn(t, p.svc, "auditor")
			p.call(p.admin, "PUT", base+"/auditors", `{"auditors":["auditor@example.com"]}`, 200, nil)
			p.call(auditor, "GET", base+"/rollup", "", 200, nil)
			p.call(auditor, "GET", base+"/results", "", 200, nil)
			p.call(auditor, "GET", base+"/exceptions", "", 200, nil)
			p.call(auditor, "PUT", fmt.Sprintf("%s/controls/%d/result", base, ac), `{"result":"pending"}`, 403, nil)
			p.call(auditor, "PATCH", fmt.Sprintf("%s/exceptions/%d", base, x.Exception.ID), `{"management_response":"x"}`, 403, nil)
			p.call(auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d/rollup", t1.Engagement.ID), "", 404, nil)
		})
	}
}

// An exception recorded while the control's test is still open is a
// deviation already: its criterion asks for the evaluation at once, not
// "in progress" until the result is written down.
func TestExceptionsBeforeTheConclusionAreDeviations(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	cm := p.control("CM-02", `,"frequency":"quarterly"`)
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, cm), 200, nil)
	for q, from := range []string{"2026-01-01", "2026-04-01"} {
		to := []string{"2026-03-31", "2026-06-30"}[q]
		if w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Change review " + from, "control_ids": fmt.Sprint(cm),
			"covers_from": from, "covers_to": to}, "review.pdf", strings.NewReader(from)); w.Code != 201 {
			t.Fatal(w.Body)
		}
	}
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	var ru rollUpOut
	p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
	if ru.state("CC8.1") != "in_progress" {
		t.Fatalf("before testing: CC8.1 %s, want in_progress", ru.state("CC8.1"))
	}
	p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/exceptions", base, cm), `{"description":"Change 5120 deployed without approval"}`, 201, nil)
	p.call(p.admin, "GET", base+"/rollup", "", 200, &ru)
	if ru.state("CC8.1") != "deviations_evaluation_needed" || ru.Readiness.Exceptions != 1 {
		t.Errorf("exception recorded, result pending: CC8.1 %s, exceptions %d; want deviations_evaluation_needed, 1", ru.state("CC8.1"), ru.Readiness.Exceptions)
	}
	var ev struct {
		Deviating []struct {
			Ref string `json:"ref"`
		} `json:"deviating"`
	}
	p.call(p.admin, "GET", base+"/requirements/CC8.1/evaluation", "", 200, &ev)
	if len(ev.Deviating) != 1 || ev.Deviating[0].Ref != "CM-02" {
		t.Errorf("evaluation view's deviating controls: %+v, want CM-02", ev.Deviating)
	}
}
