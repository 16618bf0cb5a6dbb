package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// TestWindowMarksAndSummaryEvidence: a preparer marks a window not
// expected with a reason and withdraws the mark, attaches summary evidence
// (a listing of the whole period) to a window it then covers and detaches
// it; bad requests are 4xx naming the problem and change nothing.
func TestWindowMarksAndSummaryEvidence(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	ac := p.control("AC-03", `,"frequency":"monthly"`)
	other := p.control("AC-04", `,"frequency":"monthly"`)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"H1","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	p.call(p.admin, "PUT", base+"/scope", fmt.Sprintf(`{"control_id":%d,"included":true,"reason":"key control"}`, ac), 204, nil)
	windows := func() map[string]string {
		t.Helper()
		var one struct {
			Control struct {
				Windows []struct {
					Start    string  `json:"start"`
					State    string  `json:"state"`
					Reason   string  `json:"reason"`
					Attached []int64 `json:"attached"`
				} `json:"windows"`
			} `json:"control"`
		}
		p.call(p.admin, "GET", base+fmt.Sprintf("/controls/%d", ac), "", 200, &one)
		out := map[string]string{}
		for _, w := range one.Control.Windows {
			out[w.Start] = w.State + "|" + w.Reason + "|" + fmt.Sprint(w.Attached)
		}
		return out
	}
	win := base + fmt.Sprintf("/controls/%d/windows/", ac)

	p.call(p.admin, "PUT", win+"2026-02-01/not-expected", `{"reason":"No joiners or leavers in February."}`, 204, nil)
	if got := windows()["2026-02-01"]; got != "not_expected|No joiners or leavers in February.|[]" {
		t.Errorf("marked window: %s", got)
	}
	for _, c := range []struct {
		method, path, body string
		code               int
		names              string
	}{
		{"PUT", win + "2026-03-01/not-expected", `{"reason":"  "}`, 400, "reason"},
		{"PUT", win + "2026-03-01/not-expected", `{"reason":"` + strings.Repeat("x", 2001) + `"}`, 400, "reason"},
		{"PUT", win + "2026-03-15/not-expected", `{"reason":"mid-month"}`, 404, "no occurrence window starting 2026-03-15"},
		{"PUT", win + "march/not-expected", `{"reason":"x"}`, 400, "window"},
		{"PUT", base + fmt.Sprintf("/controls/%d/windows/2026-03-01/not-expected", other), `{"reason":"x"}`, 404, "not in engagement"},
		{"DELETE", win + "2026-03-01/not-expected", ``, 404, "not marked"},
	} {
		w := send(p.h, c.method, c.path, c.body, p.admin.headers())
		if w.Code != c.code || !strings.Contains(w.Body.String(), c.names) {
			t.Errorf("%s %s: %d %s, want %d naming %q", c.method, c.path, w.Code, w.Body, c.code, c.names)
		}
	}
	if got := windows()["2026-03-01"]; got != "missing||[]" {
		t.Errorf("a refused request changed March: %s", got)
	}
	p.call(p.admin, "DELETE", win+"2026-02-01/not-expected", "", 204, nil)
	if got := windows()["2026-02-01"]; got != "missing||[]" {
		t.Errorf("after the mark is withdrawn: %s", got)
	}

	// A listing of the whole period covers no month by itself; attached
	// to March it covers March.
	listing := p.listing("H1 access listing", ac)
	elsewhere := p.listing("Other control's listing", other)
	if got := windows()["2026-03-01"]; got != "missing||[]" {
		t.Errorf("spanning evidence covered a window by itself: %s", got)
	}
	p.call(p.admin, "POST", win+"2026-03-01/evidence", fmt.Sprintf(`{"evidence_id":%d}`, listing.Evidence.ID), 204, nil)
	p.call(p.admin, "POST", win+"2026-03-01/evidence", fmt.Sprintf(`{"evidence_id":%d}`, listing.Evidence.ID), 204, nil) // again: no change
	if got := windows()["2026-03-01"]; got != fmt.Sprintf("covered||[%d]", listing.Evidence.ID) {
		t.Errorf("attached: %s", got)
	}
	if w := send(p.h, "POST", win+"2026-04-01/evidence", fmt.Sprintf(`{"evidence_id":%d}`, elsewhere.Evidence.ID), p.admin.headers()); w.Code != 400 ||
		!strings.Contains(w.Body.String(), "evidence_id") {
		t.Errorf("another control's evidence: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "DELETE", win+fmt.Sprintf("2026-03-01/evidence/%d", listing.Evidence.ID), "", 204, nil)
	p.call(p.admin, "DELETE", win+fmt.Sprintf("2026-03-01/evidence/%d", listing.Evidence.ID), "", 404, nil)
	if got := windows()["2026-03-01"]; got != "missing||[]" {
		t.Errorf("detached: %s", got)
	}
}

// TestHolidays: the organisation's holidays are replaced as a list, with
// every bad entry named and nothing saved; a business-day control's
// windows leave them out.
func TestHolidays(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	var out struct {
		Holidays []struct {
			Day  string `json:"day"`
			Name string `json:"name"`
		} `json:"holidays"`
	}
	p.call(p.admin, "PUT", "/api/v1/settings/holidays", `{"holidays":[{"day":"2026-12-25","name":"Christmas  Day"},{"day":"2026-11-26","name":"Thanksgiving"}]}`, 200, &out)
	if len(out.Holidays) != 2 || out.Holidays[0].Day != "2026-11-26" || out.Holidays[1].Name != "Christmas Day" {
		t.Errorf("saved: %+v", out.Holidays)
	}
	for _, body := range []string{`{"holidays":[{"day":"2026-13-01"}]}`, `{"holidays":[{"day":"2026-12-24"},{"day":"2026-12-24"}]}`,
		`{"holidays":[{"day":"2026-12-24","name":"` + strings.Repeat("x", 101) + `"}]}`} {
		if w := send(p.h, "PUT", "/api/v1/settings/holidays", body, p.admin.headers()); w.Code != 400 || !strings.Contains(w.Body.String(), "holidays[") {
			t.Errorf("%s: %d %s", body, w.Code, w.Body)
		}
	}
	p.call(p.admin, "GET", "/api/v1/settings/holidays", "", 200, &out)
	if len(out.Holidays) != 2 {
		t.Errorf("a refused list changed the holidays: %+v", out.Holidays)
	}
	daily := p.control("OPS-01", `,"frequency":"daily","calendar":"business-days"`)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"December","report":"soc2","type":"type2","period_start":"2026-12-01","period_end":"2026-12-31"}`, 201, &e)
	p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/scope", e.Engagement.ID), fmt.Sprintf(`{"control_id":%d,"included":true,"reason":"daily"}`, daily), 204, nil)
	var scoped scopedOut
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls", e.Engagement.ID), "", 200, &scoped)
	// December 2026 has 23 weekdays; Christmas is a Friday.
	if n := scoped.Controls[0].Summary.Expected; n != 22 {
		t.Errorf("business days in December: %d, want 22", n)
	}
}

// listing uploads evidence of the whole of 2026-H1 for a control.
func (p *program) listing(title string, control int64) evidenceOut {
	p.t.Helper()
	var out evidenceOut
	w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": title, "control_ids": fmt.Sprint(control),
		"covers_from": "2026-01-01", "covers_to": "2026-06-30"}, title+".csv", strings.NewReader(title))
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 201 {
		p.t.Fatalf("upload %s: %d %s", title, w.Code, w.Body)
	}
	return out
}
