package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type complementaryOut struct {
	CUECs []struct {
		ID           int64    `json:"id"`
		Text         string   `json:"text"`
		Requirements []string `json:"requirements"`
	} `json:"cuecs"`
	Subservice []struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Method string `json:"method"`
		CSOCs  []struct {
			Text         string   `json:"text"`
			Requirements []string `json:"requirements"`
		} `json:"csocs"`
	} `json:"subservice_orgs"`
}

func TestComplementaryControlsAndRollForward(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ac := p.control("AC-03", `,"frequency":"quarterly"`)
			vendor := p.control("VM-01", `,"frequency":"annual"`)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, ac), 200, nil)
			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 2026","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30","categories":["availability"],"audit_firm":"Example LLP"}`, 201, &e)
			base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)

			p.call(p.admin, "POST", base+"/cuecs", `{"text":"Customers review their own users' access quarterly","requirements":["soc2-tsc-2017/CC6.2"]}`, 201, nil)
			p.call(p.admin, "POST", base+"/cuecs", `{"text":"x","requirements":["soc2-tsc-2017/CC99.1"]}`, 400, nil)
			p.call(p.admin, "POST", base+"/cuecs", `{"text":" "}`, 400, nil)
			p.call(p.admin, "POST", base+"/subservice-orgs", fmt.Sprintf(`{"name":"Cloud Hosting Inc.","services":"IaaS hosting","method":"carve-out","monitoring_control_id":%d,
				"csocs":[{"text":"Physical access to data centres is restricted","requirements":["soc2-tsc-2017/CC6.4"]},{"text":"Environmental protections","requirements":["soc2-tsc-2017/A1.2"]}]}`, vendor), 201, nil)
			for name, body := range map[string]string{
				"bad method":      `{"name":"X","method":"partial"}`,
				"no name":         `{"method":"inclusive"}`,
				"bad csoc":        `{"name":"X","method":"inclusive","csocs":[{"text":"","requirements":[]}]}`,
				"unknown monitor": `{"name":"X","method":"inclusive","monitoring_control_id":999}`,
			} {
				if w := send(p.h, "POST", base+"/subservice-orgs", body, p.admin.headers()); w.Code != 400 {
					t.Errorf("%s: %d %s", name, w.Code, w.Body)
				}
			}
			var comp complementaryOut
			p.call(p.admin, "GET", base+"/complementary", "", 200, &comp)
			if len(comp.CUECs) != 1 || comp.CUECs[0].Requirements[0] != "soc2-tsc-2017/CC6.2" || len(comp.Subservice) != 1 ||
				comp.Subservice[0].Method != "carve-out" || len(comp.Subservice[0].CSOCs) != 2 {
				t.Fatalf("complementary: %+v", comp)
			}

			// Results and populations stay behind when the engagement rolls forward.
			p.call(p.admin, "PUT", fmt.Sprintf("%s/controls/%d/result", base, ac), `{"design_result":"suitably_designed"}`, 200, nil)
			p.call(p.admin, "PUT", base+"/scope", fmt.Sprintf(`{"control_id":%d,"included":true,"reason":"monitors the hosting provider"}`, vendor), 204, nil)
			p.call(p.admin, "PUT", base+"/applicability/CC1.4", `{"reason":"No staff of our own in this system"}`, 200, nil)
			// The engagement offers the next period a roll forward defaults to.
			var offered struct {
				Next struct {
					AsOf        *string `json:"as_of"`
					PeriodStart string  `json:"period_start"`
					PeriodEnd   string  `json:"period_end"`
				} `json:"next_period"`
			}
			p.call(p.admin, "GET", base, "", 200, &offered)
			if n := offered.Next; n.PeriodStart != "2026-07-01" || n.PeriodEnd != "2026-12-31" || n.AsOf != nil {
				t.Errorf("next period offered: %+v", n)
			}
			var next engagementOut
			p.call(p.admin, "POST", base+"/roll-forward", `{"name":"SOC 2 2026 H2","period_start":"2026-07-01","period_end":"2026-12-31"}`, 201, &next)
			if next.Engagement.Status != "planning" || next.Engagement.Type != "type2" || len(next.Engagement.Categories) != 2 {
				t.Errorf("rolled forward: %+v", next.Engagement)
			}
			nb := fmt.Sprintf("/api/v1/engagements/%d", next.Engagement.ID)
			p.call(p.admin, "GET", nb+"/complementary", "", 200, &comp)
			if len(comp.CUECs) != 1 || len(comp.Subservice) != 1 || len(comp.Subservice[0].CSOCs) != 2 {
				t.Errorf("complementary controls not carried: %+v", comp)
			}
			var scoped scopedOut
			p.call(p.admin, "GET", nb+"/controls", "", 200, &scoped)
			if len(scoped.Controls) != 2 {
				t.Errorf("scope (with the manual inclusion) not carried: %+v", scoped.Controls)
			}
			var ru rollUpOut
			p.call(p.admin, "GET", nb+"/rollup", "", 200, &ru)
			if ru.state("CC1.4") != "not_applicable" {
				t.Errorf("the not-applicable decision was not carried: CC1.4 %s", ru.state("CC1.4"))
			}
			var results struct {
				Results []any `json:"results"`
			}
			p.call(p.admin, "GET", nb+"/results", "", 200, &results)
			if len(results.Results) != 0 {
				t.Errorf("results were carried forward: %+v", results.Results)
			}
			p.call(p.admin, "POST", base+"/roll-forward", `{"period_start":"2027-01-01"}`, 400, nil) // after the next period's end

			// Removing is possible and audited.
			p.call(p.admin, "DELETE", fmt.Sprintf("%s/cuecs/%d", nb, comp.CUECs[0].ID), "", 204, nil)
			p.call(p.admin, "DELETE", fmt.Sprintf("%s/subservice-orgs/%d", nb, comp.Subservice[0].ID), "", 204, nil)
			p.call(p.admin, "DELETE", fmt.Sprintf("%s/cuecs/%d", nb, comp.CUECs[0].ID), "", 404, nil)
			p.call(p.admin, "GET", nb+"/complementary", "", 200, &comp)
			if len(comp.CUECs) != 0 || len(comp.Subservice) != 0 {
				t.Errorf("not removed: %+v", comp)
			}
		})
	}
}

// CUECs and CSOCs are listed with their stable IDs, and a SOC 1
// engagement refuses SOC 2 criteria with a 400 that names the field.
func TestComplementaryRefsAndFramework(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { complementaryRefsAndFramework(t, target) })
	}
}

func complementaryRefsAndFramework(t *testing.T, target storetest.Target) {
	p := newProgram(t, target)
	p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"template_ref":"ITGC-LA"}`, 201, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 1","report":"soc1","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30","objectives":["CO-01"]}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	if len(e.Engagement.Categories) != 0 {
		t.Errorf("a SOC 1 engagement reports SOC 2 categories: %v", e.Engagement.Categories)
	}
	for name, body := range map[string]string{
		"SOC 2 criterion": `{"text":"Customers review their users","requirements":["soc2-tsc-2017/CC6.2"]}`,
		"no objective":    `{"text":"Customers review their users","requirements":[]}`,
	} {
		w := send(p.h, "POST", base+"/cuecs", body, p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), `"requirements"`) {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	w := send(p.h, "POST", base+"/subservice-orgs", `{"name":"Host","method":"carve-out","csocs":[{"text":"Guards","requirements":["soc2-tsc-2017/CC6.4"]}]}`, p.admin.headers())
	if w.Code != 400 {
		t.Errorf("a SOC 2 criterion on a SOC 1 CSOC: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "POST", base+"/cuecs", `{"text":"Customers review their users","requirements":["org-soc1/CO-01"]}`, 201, nil)
	p.call(p.admin, "POST", base+"/subservice-orgs", `{"name":"Host","method":"carve-out","csocs":[{"text":"Guards","requirements":["org-soc1/CO-01"]},{"text":"Backups","requirements":["org-soc1/CO-01"]}]}`, 201, nil)
	var comp struct {
		CUECs []struct {
			Ref string `json:"ref"`
		} `json:"cuecs"`
		Subservice []struct {
			CSOCs []struct {
				Ref string `json:"ref"`
			} `json:"csocs"`
		} `json:"subservice_orgs"`
	}
	p.call(p.admin, "GET", base+"/complementary", "", 200, &comp)
	if len(comp.CUECs) != 1 || comp.CUECs[0].Ref != "CUEC-01" || len(comp.Subservice) != 1 || len(comp.Subservice[0].CSOCs) != 2 ||
		comp.Subservice[0].CSOCs[0].Ref != "CSOC-01" || comp.Subservice[0].CSOCs[1].Ref != "CSOC-02" {
		t.Errorf("refs: %+v", comp)
	}
}
