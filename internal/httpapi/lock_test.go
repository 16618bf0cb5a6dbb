package httpapi_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// lockExemptRoutes are the changes a locked engagement still takes; every
// other change under /api/v1/engagements/:id answers 409
// engagement_locked from reporting on. Keep it short: a route added later
// is locked unless it is named here (and in the router's lockExempt).
var lockExemptRoutes = map[string]bool{
	"PATCH /api/v1/engagements/:id":                           true,
	"PUT /api/v1/engagements/:id/auditors":                    true,
	"POST /api/v1/engagements/:id/roll-forward":               true,
	"POST /api/v1/engagements/:id/requests/:request/comments": true,
	"POST /api/v1/engagements/:id/bridge-letter":              true,
	"POST /api/v1/engagements/:id/bridge-letter/sign":         true,
	"POST /api/v1/engagements/:id/workbook/jobs":              true,
	"POST /api/v1/engagements/:id/package/jobs":               true,
}

func (f auditorFixture) setStatus(status, reason string) {
	f.p.t.Helper()
	body := fmt.Sprintf(`{"status":%q}`, status)
	if reason != "" {
		body = fmt.Sprintf(`{"status":%q,"reason":%q}`, status, reason)
	}
	f.p.call(f.p.admin, "PATCH", fmt.Sprintf("/api/v1/engagements/%d", f.granted), body, 200, nil)
}

// From reporting on, every change to the engagement's routes is refused
// with 409 naming the lock, before anything is written, except the few
// the lock lets through; reads still answer.
func TestLockedEngagementRefusesEveryChange(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	results := fmt.Sprintf("/api/v1/engagements/%d/results", f.granted)
	exceptions := fmt.Sprintf("/api/v1/engagements/%d/exceptions", f.granted)
	before := send(f.p.h, "GET", results, "", f.p.admin.headers()).Body.String() +
		send(f.p.h, "GET", exceptions, "", f.p.admin.headers()).Body.String()
	for _, status := range []string{"reporting", "issued"} {
		f.setStatus(status, "")
		for _, r := range f.p.h.Routes() {
			if !strings.HasPrefix(r.Path, "/api/v1/engagements/:id") || r.Method == "GET" {
				continue
			}
			key := r.Method + " " + r.Path
			t.Run(status+" "+key, func(t *testing.T) {
				w := send(f.p.h, r.Method, f.path(r.Path, f.granted), "{}", f.p.admin.headers())
				locked := w.Code == 409 && errorCode(w) == "engagement_locked"
				if lockExemptRoutes[key] && locked {
					t.Errorf("%d %s: this change is exempt from the lock", w.Code, w.Body)
				}
				if !lockExemptRoutes[key] && !locked {
					t.Errorf("%d %s, want 409 engagement_locked", w.Code, w.Body)
				}
				if !lockExemptRoutes[key] && !strings.Contains(w.Body.String(), "is in "+status) {
					t.Errorf("the refusal does not name the lock: %s", w.Body)
				}
			})
		}
	}
	after := send(f.p.h, "GET", results, "", f.p.admin.headers()).Body.String() +
		send(f.p.h, "GET", exceptions, "", f.p.admin.headers()).Body.String()
	if before != after {
		t.Errorf("a locked engagement changed:\nbefore %s\nafter  %s", before, after)
	}
	for key := range lockExemptRoutes {
		found := false
		for _, r := range f.p.h.Routes() {
			found = found || r.Method+" "+r.Path == key
		}
		if !found {
			t.Errorf("lockExemptRoutes lists %s, which the router does not have", key)
		}
	}
}

// A role that may not make a change hears that first (403), and a caller
// not signed in 401, before the lock's 409.
func TestLockComesAfterTheRole(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	f.setStatus("reporting", "")
	viewer := signIn(t, f.p.svc, "viewer")
	path := fmt.Sprintf("/api/v1/engagements/%d/controls/%d/result", f.granted, f.inScope)
	if w := send(f.p.h, "PUT", path, `{"result":"no_exceptions"}`, viewer.headers()); w.Code != 403 {
		t.Errorf("viewer: %d %s, want 403", w.Code, w.Body)
	}
	if w := send(f.p.h, "PUT", path, `{"result":"no_exceptions"}`, nil); w.Code != 401 {
		t.Errorf("not signed in: %d %s, want 401", w.Code, w.Body)
	}
	if w := send(f.p.h, "PUT", path, `{"result":"no_exceptions"}`, f.auditor.headers()); w.Code != 403 {
		t.Errorf("auditor: %d %s, want 403", w.Code, w.Body)
	}
}

// Changing a result on an issued engagement answers 409; moving it back
// takes an admin and a reason, is audited, and unlocks it; issued never
// goes back to planning; a locked engagement keeps its period and scope
// but may be renamed.
func TestMovingBackFromALockedEngagement(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	result := fmt.Sprintf("%s/controls/%d/result", eng, f.inScope)
	f.setStatus("issued", "")
	w := send(f.p.h, "PUT", result, `{"result":"no_exceptions"}`, f.p.admin.headers())
	if w.Code != 409 || errorCode(w) != "engagement_locked" || !strings.Contains(w.Body.String(), "move it back to fieldwork") {
		t.Errorf("result on an issued engagement: %d %s, want 409 engagement_locked", w.Code, w.Body)
	}
	compliance := signIn(t, f.p.svc, "compliance")
	for _, c := range []struct {
		who          session
		body         string
		code         int
		errCode, msg string
	}{
		{compliance, `{"status":"fieldwork","reason":"retest CM-02"}`, 403, "forbidden", "only an admin"},
		{f.p.admin, `{"status":"fieldwork"}`, 400, "invalid_request", "reason"},
		{f.p.admin, `{"status":"fieldwork","reason":"   "}`, 400, "invalid_request", "reason"},
		{f.p.admin, `{"status":"planning","reason":"start again"}`, 409, "status_not_allowed", "roll it forward"},
		{f.p.admin, `{"period_end":"2026-07-31"}`, 409, "engagement_locked", "period_end"},
		{f.p.admin, `{"categories":["availability"]}`, 409, "engagement_locked", "categories"},
	} {
		w := send(f.p.h, "PATCH", eng, c.body, c.who.headers())
		if w.Code != c.code || errorCode(w) != c.errCode || !strings.Contains(w.Body.String(), c.msg) {
			t.Errorf("PATCH %s: %d %s, want %d %s naming %q", c.body, w.Code, w.Body, c.code, c.errCode, c.msg)
		}
	}
	var e engagementOut
	f.p.call(f.p.admin, "GET", eng, "", 200, &e)
	if e.Engagement.Status != "issued" {
		t.Fatalf("refused moves changed the status: %s", e.Engagement.Status)
	}
	// Unchanged values and the name are not refused.
	f.p.call(f.p.admin, "PATCH", eng, `{"name":"Granted FY26","period_start":"2026-01-01","period_end":"2026-06-30"}`, 200, nil)
	f.setStatus("fieldwork", "CM-02 needs a retest after the auditor's review")
	f.p.call(f.p.admin, "PUT", result, `{"design_result":"suitably_designed"}`, 200, nil)
	var trail struct {
		Entries []struct {
			Action  string         `json:"action"`
			Changes map[string]any `json:"changes"`
		} `json:"entries"`
	}
	f.p.call(f.p.admin, "GET", "/api/v1/audit?object_type=engagement", "", 200, &trail)
	found := false
	for _, en := range trail.Entries {
		if en.Action == "engagement.update" && strings.Contains(fmt.Sprint(en.Changes["reason"]), "CM-02 needs a retest") &&
			strings.Contains(fmt.Sprint(en.Changes["status"]), "issued") {
			found = true
		}
	}
	if !found {
		t.Errorf("the move back and its reason are not in the audit trail: %+v", trail.Entries)
	}
	// Back and forth below reporting needs nothing.
	f.setStatus("planning", "")
	f.setStatus("fieldwork", "")
}

// zipParts reads every part of an archive, with its time in the archive.
func zipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = f.Modified.String() + "\n" + string(b)
	}
	return out
}

// A sheet footer gives the minute ("Generated 2026-12-03 14:02 UTC"), other parts the second.
var generatedAt = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?`)

// A locked engagement's workbook comes from its point-in-time record:
// exported twice it is the same file apart from the generation time, and
// a later change to a control's title does not reach it. Moving the
// engagement back supersedes the record; reaching reporting again takes a
// new one, with the control as it is then.
func TestLockedWorkbookIsReproducible(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	workbook := fmt.Sprintf("/api/v1/engagements/%d/workbook", f.granted)
	f.setStatus("reporting", "")
	first := send(f.p.h, "GET", workbook, "", f.p.admin.headers())
	if first.Code != 200 {
		t.Fatalf("workbook: %d %s", first.Code, first.Body)
	}
	f.p.call(f.p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", f.inScope), `{"title":"Retitled after the lock"}`, 200, nil)
	time.Sleep(1100 * time.Millisecond) // a later second of generation
	second := send(f.p.h, "GET", workbook, "", f.p.admin.headers())
	a, b := zipParts(t, first.Body.Bytes()), zipParts(t, second.Body.Bytes())
	if len(a) != len(b) {
		t.Fatalf("parts: %d and %d", len(a), len(b))
	}
	differ := 0
	for name, x := range a {
		y := b[name]
		if x == y {
			continue
		}
		differ++
		if generatedAt.ReplaceAllString(x, "T") != generatedAt.ReplaceAllString(y, "T") {
			t.Errorf("%s differs beyond the generation time", name)
		}
	}
	if differ != 1 {
		t.Errorf("%d parts differ, want only the one with the generation time", differ)
	}
	if bytes.Contains(second.Body.Bytes(), []byte("Retitled")) || strings.Contains(fmt.Sprint(b), "Retitled after the lock") {
		t.Error("a change after the lock reached the locked workbook")
	}
	pkg := fmt.Sprintf("/api/v1/engagements/%d/package", f.granted)
	if w := send(f.p.h, "GET", pkg, "", f.p.admin.headers()); w.Code != 200 || !strings.Contains(fmt.Sprint(zipParts(t, w.Body.Bytes())), "in scope") {
		t.Errorf("package from the record: %d", w.Code)
	}

	f.setStatus("fieldwork", "retest AC-01")
	f.setStatus("reporting", "")
	third := send(f.p.h, "GET", workbook, "", f.p.admin.headers())
	if !strings.Contains(fmt.Sprint(zipParts(t, third.Body.Bytes())), "Retitled after the lock") {
		t.Error("the new record does not have the control as it is now")
	}
	var trail struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	f.p.call(f.p.admin, "GET", "/api/v1/audit?object_type=engagement", "", 200, &trail)
	counts := map[string]int{}
	for _, e := range trail.Entries {
		counts[e.Action]++
	}
	if counts["engagement.record"] != 2 || counts["engagement.record_superseded"] != 1 {
		t.Errorf("records in the audit trail: %v", counts)
	}
}
