package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type engagementOut struct {
	Engagement struct {
		ID         int64    `json:"id"`
		Report     string   `json:"report"`
		Type       string   `json:"type"`
		Categories []string `json:"categories"`
		Status     string   `json:"status"`
		Tester     string   `json:"tester"`
		Warning    string   `json:"warning"`
	} `json:"engagement"`
	Objectives []string `json:"objectives"`
	Auditors   []string `json:"auditors"`
}

type scopedOut struct {
	Controls []struct {
		Ref      string `json:"ref"`
		Included bool   `json:"included"`
		Reason   string `json:"reason"`
		Windows  []struct {
			Label    string  `json:"label"`
			Start    string  `json:"start"`
			End      string  `json:"end"`
			Partial  bool    `json:"partial"`
			State    string  `json:"state"`
			Missing  bool    `json:"missing"`
			Evidence []int64 `json:"evidence"`
			Attached []int64 `json:"attached"`
			Reason   string  `json:"reason"`
		} `json:"windows"`
		Summary  windowSummaryOut `json:"window_summary"`
		Basis    string           `json:"basis"`
		Retired  string           `json:"retired"`
		Schedule string           `json:"schedule_words"`
		Changes  []struct {
			Kind string `json:"kind"`
			On   string `json:"on"`
		} `json:"changes"`
		Sample *struct {
			Size    int  `json:"size"`
			TestAll bool `json:"test_all"`
		} `json:"sample"`
		SampleNote string  `json:"sample_note"`
		Outside    []int64 `json:"evidence_outside_period"`
		AfterAsOf  []int64 `json:"evidence_after_as_of"`
	} `json:"controls"`
}

func TestScopingAPI(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	var out struct {
		Recommendation struct {
			Reports []struct {
				Value  string `json:"value"`
				Reason string `json:"reason"`
			} `json:"reports"`
			Type struct {
				Value string `json:"value"`
			} `json:"type"`
		} `json:"recommendation"`
	}
	p.call(p.admin, "POST", "/api/v1/scoping", `{"services":["payroll","saas"],"data":["personal"],"audited_before":true}`, 200, &out)
	r := out.Recommendation
	if len(r.Reports) != 2 || r.Reports[0].Value != "SOC 1" || r.Reports[1].Value != "SOC 2" || r.Type.Value != "Type II" || r.Reports[0].Reason == "" {
		t.Errorf("payroll SaaS: %+v", r)
	}
	p.call(p.admin, "POST", "/api/v1/scoping", `{"services":"payroll"}`, 400, nil)
}

func TestEngagements(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ac := p.control("AC-03", `,"frequency":"monthly"`)
			cm := p.control("CM-01", `,"frequency":"quarterly"`)
			ev := p.control("IR-01", `,"frequency":"event-driven"`)
			p.control("OUT-1", "")
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[
				{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"},
				{"control_id":%d,"requirement":"soc2-tsc-2017/A1.2"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC7.4"}]}`, ac, cm, cm, ev), 200, nil)

			for name, body := range map[string]string{
				"type II without period": `{"name":"x","report":"soc2","type":"type2"}`,
				"type I without as-of":   `{"name":"x","report":"soc2","type":"type1"}`,
				"reversed period":        `{"name":"x","report":"soc2","type":"type2","period_start":"2026-06-30","period_end":"2026-01-01"}`,
				"bad category":           `{"name":"x","report":"soc2","type":"type1","as_of":"2026-06-30","categories":["integrity"]}`,
				"SOC 1 with categories":  `{"name":"x","report":"soc1","type":"type1","as_of":"2026-06-30","categories":["availability"]}`,
				"SOC 2 with objectives":  `{"name":"x","report":"soc2","type":"type1","as_of":"2026-06-30","objectives":["CO-01"]}`,
				"unknown objective":      `{"name":"x","report":"soc1","type":"type1","as_of":"2026-06-30","objectives":["CO-99"]}`,
				"bad report":             `{"name":"x","report":"soc3","type":"type1","as_of":"2026-06-30"}`,
				"no name":                `{"report":"soc2","type":"type1","as_of":"2026-06-30"}`,
				"bad status":             `{"name":"x","report":"soc2","type":"type1","as_of":"2026-06-30","status":"done"}`,
			} {
				if w := send(p.h, "POST", "/api/v1/engagements", body, p.admin.headers()); w.Code != 400 {
					t.Errorf("%s: %d %s", name, w.Code, w.Body)
				}
			}

			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II 2026 H1","report":"soc2","type":"type2",
				"period_start":"2026-01-15","period_end":"2026-07-14","categories":["availability"],"audit_firm":"Example LLP"}`, 201, &e)
			if e.Engagement.Status != "planning" || strings.Join(e.Engagement.Categories, ",") != "security,availability" || e.Engagement.Warning != "" {
				t.Errorf("created: %+v", e.Engagement)
			}
			id := e.Engagement.ID

			// Evidence: one inside the second month of the period, one
			// entirely before the period.
			upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Feb review", "control_ids": fmt.Sprint(ac),
				"covers_from": "2026-02-15", "covers_to": "2026-03-14"}, "feb.pdf", strings.NewReader("feb"))
			upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Old review", "control_ids": fmt.Sprint(ac),
				"as_of": "2025-11-30"}, "old.pdf", strings.NewReader("old"))

			var scoped scopedOut
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls?windows=full", id), "", 200, &scoped)
			byRef := map[string]int{}
			for i, c := range scoped.Controls {
				byRef[c.Ref] = i
			}
			if _, in := byRef["OUT-1"]; in || len(scoped.Controls) != 3 {
				t.Fatalf("controls in scope: %+v", scoped.Controls)
			}
			acs := scoped.Controls[byRef["AC-03"]]
			// Six months counted from the period's first day, whatever day that is.
			if len(acs.Windows) != 6 || acs.Windows[0].Partial || acs.Windows[1].Label != "Month 2 (2026-02-15 to 2026-03-14)" ||
				acs.Windows[1].State != "covered" || acs.Windows[2].State != "missing" || !acs.Windows[2].Missing ||
				acs.Sample == nil || acs.Sample.Size != 2 {
				t.Errorf("AC-03 windows/sample: %+v", acs)
			}
			if len(acs.Outside) != 1 {
				t.Errorf("evidence outside the period not flagged: %+v", acs.Outside)
			}
			cms := scoped.Controls[byRef["CM-01"]]
			if len(cms.Windows) != 2 || cms.Sample == nil || cms.Sample.Size != 2 {
				t.Errorf("CM-01 (quarterly over 2026-01-15..07-14): %+v", cms)
			}
			if evs := scoped.Controls[byRef["IR-01"]]; evs.Sample != nil || !strings.Contains(evs.SampleNote, "population") {
				t.Errorf("event-driven control: %+v", evs)
			}

			// Manual exclusion with a reason, and inclusion of an unmapped control.
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/scope", id), fmt.Sprintf(`{"control_id":%d,"included":false,"reason":"superseded by AC-04"}`, cm), 204, nil)
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/scope", id), fmt.Sprintf(`{"control_id":%d,"included":false}`, cm), 400, nil)
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", id), "", 200, &scoped)
			last := scoped.Controls[len(scoped.Controls)-1]
			if last.Ref != "CM-01" || last.Included || last.Reason != "superseded by AC-04" {
				t.Errorf("excluded control: %+v", last)
			}

			// A short period is flagged; a Type I flags evidence after its date.
			p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/engagements/%d", id), `{"period_end":"2026-02-28"}`, 200, &e)
			if !strings.Contains(e.Engagement.Warning, "at least 3 months") {
				t.Errorf("short period warning: %q", e.Engagement.Warning)
			}
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Type I","report":"soc2","type":"type1","as_of":"2026-01-31"}`, 201, &e)
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", e.Engagement.ID), "", 200, &scoped)
			for _, c := range scoped.Controls {
				if c.Ref == "AC-03" && len(c.AfterAsOf) != 1 {
					t.Errorf("evidence after the as-of date not flagged: %+v", c)
				}
			}

			// SOC 1 engagements scope by the organisation's objectives.
			p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"template_ref":"ITGC-LA"}`, 201, nil)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"org-soc1/CO-01"}]}`, ac), 200, nil)
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 1","report":"soc1","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30","objectives":["CO-01"]}`, 201, &e)
			if strings.Join(e.Objectives, ",") != "CO-01" {
				t.Errorf("objectives: %+v", e.Objectives)
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", e.Engagement.ID), "", 200, &scoped)
			if len(scoped.Controls) != 1 || scoped.Controls[0].Ref != "AC-03" || scoped.Controls[0].Summary.Expected != 6 {
				t.Errorf("SOC 1 scope: %+v", scoped.Controls)
			}
		})
	}
}

// Auditors read the engagements granted to them, nothing else, and change nothing.
func TestAuditorGrants(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	auditor := signIn(t, p.svc, "auditor")
	var a, b engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"A","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &a)
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"B","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &b)
	p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/auditors", a.Engagement.ID), `{"auditors":["admin@example.com"]}`, 400, nil)
	p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/auditors", a.Engagement.ID), `{"auditors":["auditor@example.com"]}`, 200, &a)
	if strings.Join(a.Auditors, ",") != "auditor@example.com" {
		t.Errorf("auditors: %v", a.Auditors)
	}
	var list struct {
		Engagements []struct {
			Name string `json:"name"`
		} `json:"engagements"`
	}
	p.call(auditor, "GET", "/api/v1/engagements", "", 200, &list)
	if len(list.Engagements) != 1 || list.Engagements[0].Name != "A" {
		t.Errorf("auditor's engagements: %+v", list.Engagements)
	}
	p.call(auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d", a.Engagement.ID), "", 200, nil)
	p.call(auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", a.Engagement.ID), "", 200, nil)
	p.call(auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d", b.Engagement.ID), "", 404, nil)
	p.call(auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", b.Engagement.ID), "", 404, nil)
	p.call(auditor, "PATCH", fmt.Sprintf("/api/v1/engagements/%d", a.Engagement.ID), `{"status":"fieldwork"}`, 403, nil)
	p.call(auditor, "GET", "/api/v1/controls", "", 403, nil)

	// The audit trail shows an auditor only their engagements' entries.
	var entries struct {
		Entries []struct {
			ObjectType string `json:"object_type"`
			ObjectID   string `json:"object_id"`
		} `json:"entries"`
	}
	p.call(auditor, "GET", "/api/v1/audit", "", 200, &entries)
	if len(entries.Entries) == 0 {
		t.Fatal("the auditor sees no entries of the granted engagement")
	}
	for _, e := range entries.Entries {
		if e.ObjectType != "engagement" || e.ObjectID != fmt.Sprint(a.Engagement.ID) {
			t.Errorf("auditor sees %+v", e)
		}
	}
}
