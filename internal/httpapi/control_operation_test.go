package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// TestControlOperationFields: a control's schedule, calendar, retirement
// and replacement are saved, read back with the schedule in words, and
// every combination that does not fit is a 400 naming the field, with
// nothing saved.
func TestControlOperationFields(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	type controlOut struct {
		Control struct {
			ID            int64   `json:"id"`
			Status        string  `json:"status"`
			RetiredOn     *string `json:"retired_on"`
			ReplacedBy    *int64  `json:"replaced_by"`
			ScheduleWords string  `json:"schedule_words"`
			Calendar      string  `json:"calendar"`
			Schedule      struct {
				Months []int `json:"months"`
			} `json:"schedule"`
		} `json:"control"`
	}
	q := p.control("AC-01", `,"schedule":{"months":[1,4,7,10]}`)
	var got controlOut
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", q), "", 200, &got)
	if got.Control.ScheduleWords != "in the month after each quarter end (January, April, July, October)" || len(got.Control.Schedule.Months) != 4 {
		t.Errorf("quarterly schedule: %+v", got.Control)
	}
	daily := p.control("NET-04", `,"frequency":"daily","calendar":"business-days"`)
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", daily), "", 200, &got)
	if got.Control.Calendar != "business-days" {
		t.Errorf("calendar: %+v", got.Control)
	}
	monthly := p.control("AC-09", `,"frequency":"monthly","schedule":{"business_day":5}`)
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", q), fmt.Sprintf(`{"retired_on":"2026-06-30","replaced_by":%d}`, monthly), 200, &got)
	if got.Control.Status != "retired" || got.Control.RetiredOn == nil || *got.Control.RetiredOn != "2026-06-30" ||
		got.Control.ReplacedBy == nil || *got.Control.ReplacedBy != monthly {
		t.Errorf("retired: %+v", got.Control)
	}
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", monthly), "", 200, &got)
	if got.Control.ScheduleWords != "by the 5th business day of each month" {
		t.Errorf("monthly schedule: %q", got.Control.ScheduleWords)
	}

	for _, c := range []struct{ body, field string }{
		{`{"schedule":{"weekday":1}}`, "schedule"},              // a weekday for a monthly control
		{`{"schedule":{"months":[1,2]}}`, "schedule"},           // months for a monthly control
		{`{"schedule":{"day":5,"business_day":5}}`, "schedule"}, // two things at once
		{`{"schedule":{"day":32}}`, "schedule"},
		{`{"calendar":"business-days"}`, "calendar"}, // only daily controls
		{`{"calendar":"weekends"}`, "calendar"},
		{`{"retired_on":"2026-13-01"}`, "retired_on"},
		{`{"implemented_on":"2026-05-01","retired_on":"2026-04-30"}`, "retired_on"},
		{`{"replaced_by":999999,"retired_on":"2026-04-30"}`, "replaced_by"},
		{fmt.Sprintf(`{"replaced_by":%d,"retired_on":"2026-04-30"}`, monthly), "replaced_by"}, // itself
		{fmt.Sprintf(`{"replaced_by":%d}`, daily), "replaced_by"},                             // not retired
		{`{"frequency":"weekly"}`, "schedule"},                                                // its business-day schedule no longer fits
	} {
		w := send(p.h, "PATCH", fmt.Sprintf("/api/v1/controls/%d", monthly), c.body, p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), `"`+c.field+`"`) {
			t.Errorf("%s: %d %s, want a 400 naming %s", c.body, w.Code, w.Body, c.field)
		}
	}
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", monthly), "", 200, &got)
	if got.Control.Status != "active" || got.Control.RetiredOn != nil || got.Control.ScheduleWords != "by the 5th business day of each month" {
		t.Errorf("a refused change left its mark: %+v", got.Control)
	}
	// The schedule is cleared with an empty one.
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", monthly), `{"schedule":{},"frequency":"weekly"}`, 200, &got)
	if got.Control.ScheduleWords != "" {
		t.Errorf("cleared schedule: %q", got.Control.ScheduleWords)
	}
	// A control another one replaced stays on record.
	w := send(p.h, "DELETE", fmt.Sprintf("/api/v1/controls/%d", monthly), "", p.admin.headers())
	if w.Code != 409 {
		t.Errorf("deleting a replacement: %d %s", w.Code, w.Body)
	}
}
