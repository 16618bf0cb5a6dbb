package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The evidence page shows where engagements use an item: the conclusion
// that relies on it, at the revision it was pinned to, and the window it
// was attached to; deleted evidence has no usage to show.
func TestEvidenceUsage(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p) // evidence 1: q1.pdf on AC-03 (1)
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"evidence_ids":[1]}`, 200, nil)
	p.call(p.admin, "POST", base+"/controls/1/windows/2026-01-01/evidence", `{"evidence_id":1}`, 204, nil)
	var u struct {
		Relied []struct {
			EngagementName string `json:"engagement_name"`
			ControlRef     string `json:"control_ref"`
			Revision       *int   `json:"revision"`
		} `json:"relied_on"`
		Windows []struct {
			ControlRef  string `json:"control_ref"`
			WindowStart string `json:"window_start"`
		} `json:"windows"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence/1/usage", "", 200, &u)
	if len(u.Relied) != 1 || u.Relied[0].ControlRef != "AC-03" || u.Relied[0].EngagementName != "SOC 2 Type II H1 2026" ||
		u.Relied[0].Revision == nil || *u.Relied[0].Revision != 1 {
		t.Errorf("relied on: %+v", u.Relied)
	}
	if len(u.Windows) != 1 || u.Windows[0].WindowStart != "2026-01-01" || u.Windows[0].ControlRef != "AC-03" {
		t.Errorf("windows: %+v", u.Windows)
	}
	p.call(p.admin, "GET", "/api/v1/evidence/2/usage", "", 200, &u)
	if len(u.Relied) != 0 || len(u.Windows) != 0 {
		t.Errorf("the runbook is used nowhere, got %+v", u)
	}
	p.call(p.admin, "DELETE", "/api/v1/evidence/2?reason=superseded", "", 204, nil)
	p.call(p.admin, "GET", "/api/v1/evidence/2/usage", "", 404, nil)
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/evidence/%d/usage", 99), "", 404, nil)
}

// A control's page lists the engagements whose scope holds it, with its
// results there; a control in no scope has none.
func TestControlEngagements(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	seedEngagement(t, p) // AC-03 (1) mapped to CC6.1, concluded with no exceptions
	var out struct {
		Engagements []struct {
			Name         string `json:"name"`
			DesignResult string `json:"design_result"`
			Result       string `json:"result"`
			TestedCount  int    `json:"tested_count"`
		} `json:"engagements"`
	}
	p.call(p.admin, "GET", "/api/v1/controls/1/engagements", "", 200, &out)
	if len(out.Engagements) != 1 || out.Engagements[0].Name != "SOC 2 Type II H1 2026" || out.Engagements[0].Result != "no_exceptions" ||
		out.Engagements[0].DesignResult != "suitably_designed" {
		t.Errorf("AC-03's engagements: %+v", out.Engagements)
	}
	lone := p.control("ZZ-01", "")
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d/engagements", lone), "", 200, &out)
	if len(out.Engagements) != 0 {
		t.Errorf("an unmapped control is in %+v", out.Engagements)
	}
}
