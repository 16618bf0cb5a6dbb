package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// A CUEC and a subservice organisation are edited in place; bad input is a
// 400 naming each field and changes nothing.
func TestEditComplementaryControls(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	ctl := p.control("VM-01", "")
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type I","report":"soc2","type":"type1","as_of":"2026-03-31"}`, 201, &e)
	eng := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	var cuec struct{ CUEC struct{ ID int64 } }
	p.call(p.admin, "POST", eng+"/cuecs", `{"text":"Customers review their users","requirements":["soc2-tsc-2017/CC6.2"]}`, 201, &cuec)
	var org struct {
		Org struct{ ID int64 } `json:"subservice_org"`
	}
	p.call(p.admin, "POST", eng+"/subservice-orgs", `{"name":"Cloud Host Ltd","method":"carve-out","csocs":[{"text":"The host guards its data centres","requirements":["soc2-tsc-2017/CC6.4"]}]}`, 201, &org)
	cuecPath, orgPath := fmt.Sprintf("%s/cuecs/%d", eng, cuec.CUEC.ID), fmt.Sprintf("%s/subservice-orgs/%d", eng, org.Org.ID)

	for _, bad := range []struct{ path, body, field string }{
		{cuecPath, `{"text":"  "}`, "text"},
		{cuecPath, `{"requirements":["CC99.9"]}`, "requirements"},
		{orgPath, `{"name":""}`, "name"},
		{orgPath, `{"method":"sideways"}`, "method"},
		{orgPath, `{"monitoring_control_id":999}`, "monitoring_control_id"},
	} {
		w := send(p.h, "PATCH", bad.path, bad.body, p.admin.headers())
		var out apiError
		jsonDecode(t, w.Body.Bytes(), &out)
		if w.Code != 400 || out.Error.Fields[bad.field] == "" {
			t.Errorf("PATCH %s %s: %d %s, want a 400 naming %s", bad.path, bad.body, w.Code, w.Body, bad.field)
		}
	}
	if w := send(p.h, "GET", orgPath, "", p.admin.headers()); w.Header().Get("ETag") != `"1"` {
		t.Fatalf("refused edits changed the organisation: ETag %q", w.Header().Get("ETag"))
	}

	p.call(p.admin, "PATCH", cuecPath, `{"text":"Customers review their users quarterly","requirements":["soc2-tsc-2017/CC6.2","soc2-tsc-2017/CC6.3"]}`, 200, nil)
	p.call(p.admin, "PATCH", orgPath, fmt.Sprintf(`{"method":"inclusive","monitoring_control_id":%d}`, ctl), 200, nil)
	var c struct {
		CUECs []struct {
			Text         string
			Requirements []string
		}
		Orgs []struct {
			Method              string
			MonitoringControlID *int64 `json:"monitoring_control_id"`
			CSOCs               []struct{ Text string }
		} `json:"subservice_orgs"`
	}
	p.call(p.admin, "GET", eng+"/complementary", "", 200, &c)
	if len(c.CUECs) != 1 || c.CUECs[0].Text != "Customers review their users quarterly" || len(c.CUECs[0].Requirements) != 2 {
		t.Errorf("CUECs after the edit: %+v", c.CUECs)
	}
	if len(c.Orgs) != 1 || c.Orgs[0].Method != "inclusive" || c.Orgs[0].MonitoringControlID == nil || *c.Orgs[0].MonitoringControlID != ctl ||
		len(c.Orgs[0].CSOCs) != 1 || !strings.Contains(c.Orgs[0].CSOCs[0].Text, "data centres") {
		t.Errorf("subservice organisation after the edit: %+v", c.Orgs)
	}
	p.call(p.admin, "PATCH", orgPath, `{"monitoring_control_id":0}`, 200, nil)
	p.call(p.admin, "GET", eng+"/complementary", "", 200, &c)
	if c.Orgs[0].MonitoringControlID != nil {
		t.Errorf("monitoring control 0 did not remove it: %v", *c.Orgs[0].MonitoringControlID)
	}
}
