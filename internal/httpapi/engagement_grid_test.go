package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store/storetest"
)

type gridOut struct {
	Controls []map[string]any `json:"controls"`
	Total    int              `json:"total"`
	Limit    int              `json:"limit"`
	Offset   int              `json:"offset"`
	Counts   struct {
		InScope      int      `json:"in_scope"`
		Excluded     int      `json:"excluded"`
		Missing      int      `json:"missing"`
		NotConcluded int      `json:"not_concluded"`
		Owners       []string `json:"owners"`
		Frequencies  []string `json:"frequencies"`
	} `json:"counts"`
}

func (g gridOut) refs() string {
	var out []string
	for _, c := range g.Controls {
		out = append(out, fmt.Sprint(c["ref"]))
	}
	return strings.Join(out, ",")
}

// The engagement page's grid is paged and filtered by the server, with
// the total that match: the page never reads every control to show some.
func TestEngagementGridPagesAndFilters(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	signIn(t, p.svc, "owner")
	owner := userID(t, p.db, "owner@example.com")
	ac := p.control("AC-03", fmt.Sprintf(`,"frequency":"monthly","owner_id":%d`, owner))
	cm := p.control("CM-01", `,"frequency":"quarterly"`)
	ir := p.control("IR-01", `,"frequency":"event-driven"`)
	out := p.control("OUT-1", `,"frequency":"monthly"`)
	unmapped := p.control("ZZ-99", "")
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[
		{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"},
		{"control_id":%d,"requirement":"soc2-tsc-2017/CC7.4"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC7.4"}]}`, ac, cm, ir, out), 200, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"H1","report":"soc2","type":"type2","period_start":"2026-01-15","period_end":"2026-07-14"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	p.call(p.admin, "PUT", base+"/scope", fmt.Sprintf(`{"control_id":%d,"included":false,"reason":"merged into AC-03"}`, out), 204, nil)
	upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Feb review", "control_ids": fmt.Sprint(ac),
		"covers_from": "2026-02-15", "covers_to": "2026-03-14"}, "feb.pdf", strings.NewReader("feb"))
	// AC-03's testing is concluded; the others' is not.
	if err := p.db.W.Create(&engagement.Result{EngagementID: e.Engagement.ID, ControlID: ac, DesignResult: "suitably_designed", Result: "no_exceptions"}).Error; err != nil {
		t.Fatal(err)
	}

	var all gridOut
	p.call(p.admin, "GET", base+"/controls", "", 200, &all)
	if all.refs() != "AC-03,CM-01,IR-01,OUT-1" || all.Total != 4 || all.Counts.InScope != 3 || all.Counts.Excluded != 1 {
		t.Fatalf("every control, in scope first: %s total %d counts %+v", all.refs(), all.Total, all.Counts)
	}
	// Which controls have a window past due without evidence, read from the windows themselves.
	var full gridOut
	p.call(p.admin, "GET", base+"/controls?windows=full", "", 200, &full)
	var withMissing []string
	for i, c := range full.Controls {
		ws, _ := c["windows"].([]any)
		if c["included"] == true && slices.ContainsFunc(ws, func(w any) bool { return w.(map[string]any)["missing"] == true }) {
			withMissing = append(withMissing, fmt.Sprint(c["ref"]))
		}
		checkWindowSummary(t, all.Controls[i], ws)
	}
	if !slices.Contains(withMissing, "AC-03") || slices.Contains(withMissing, "IR-01") {
		t.Fatalf("controls with missing windows: %v", withMissing)
	}
	if all.Counts.Missing != len(withMissing) || all.Counts.NotConcluded != 2 ||
		strings.Join(all.Counts.Owners, ",") != "owner@example.com" || !slices.Contains(all.Counts.Frequencies, "quarterly") {
		t.Errorf("counts: %+v", all.Counts)
	}

	for _, tc := range []struct {
		query, refs string
		total       int
	}{
		{"limit=2", "AC-03,CM-01", 4},
		{"limit=2&offset=2", "IR-01,OUT-1", 4},
		{"limit=2&offset=4", "", 4},
		{"scope=included", "AC-03,CM-01,IR-01", 3},
		{"scope=excluded", "OUT-1", 1},
		{"scope=included&missing=true", strings.Join(withMissing, ","), len(withMissing)},
		{"owner=OWNER@example.com", "AC-03", 1},
		{"owner=nobody@example.com", "", 0},
		{"frequency=quarterly", "CM-01", 1},
		{"not_concluded=true", "CM-01,IR-01,OUT-1", 3},
		{"not_concluded=true&scope=included&limit=1", "CM-01", 2},
		{"frequency=monthly&missing=true&not_concluded=true", "OUT-1", 1},
		{"frequency=monthly&missing=true&not_concluded=true&scope=included", "", 0},
		{"q=cm-0", "CM-01", 1},
		{"q=CONTROL%20ir&scope=included", "IR-01", 1},
		{"q=control&scope=included&limit=2", "AC-03,CM-01", 3},
		{"q=%25", "", 0},
	} {
		var g gridOut
		p.call(p.admin, "GET", base+"/controls?"+tc.query, "", 200, &g)
		if g.refs() != tc.refs || g.Total != tc.total || g.Counts.InScope != 3 {
			t.Errorf("%s: %q total %d (counts %+v), want %q total %d", tc.query, g.refs(), g.Total, g.Counts, tc.refs, tc.total)
		}
	}

	var brief gridOut
	p.call(p.admin, "GET", base+"/controls?fields=brief&scope=included", "", 200, &brief)
	if _, has := brief.Controls[0]["windows"]; has || brief.Controls[0]["title"] != "Control AC-03" || brief.Total != 3 {
		t.Errorf("brief: %+v", brief.Controls[0])
	}
	for _, bad := range []string{"limit=0", "limit=501", "offset=-1", "frequency=hourly", "missing=yes", "scope=all", "fields=all", "windows=brief", "sort=ref", "q=" + strings.Repeat("x", 201)} {
		if w := send(p.h, "GET", base+"/controls?"+bad, "", p.admin.headers()); w.Code != 400 {
			t.Errorf("%s: %d, want 400", bad, w.Code)
		}
	}

	// One control of the engagement, with its windows, as the full list has it.
	var one struct {
		Control map[string]any `json:"control"`
	}
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d", base, ac), "", 200, &one)
	want, err := json.Marshal(full.Controls[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(one.Control)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("one control:\n%s\nwant\n%s", got, want)
	}
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d", base, out), "", 200, &one)
	if one.Control["included"] != false || one.Control["reason"] != "merged into AC-03" {
		t.Errorf("excluded control: %+v", one.Control)
	}
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d", base, unmapped), "", 404, nil)
	p.call(p.admin, "GET", base+"/controls/999999", "", 404, nil)
	p.call(p.admin, "GET", base+"/controls/x", "", 400, nil)

	// An auditor not granted the engagement finds neither.
	auditor := signIn(t, p.svc, "auditor")
	p.call(auditor, "GET", base+"/controls?limit=1", "", 404, nil)
	p.call(auditor, "GET", fmt.Sprintf("%s/controls/%d", base, ac), "", 404, nil)
}
