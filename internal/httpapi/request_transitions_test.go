package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Every state change of a request for every kind of caller, as a table:
// the answer each gets, and the request's state left as it was on every
// refusal.
func TestRequestTransitionsByRole(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	callers := map[string]session{
		"auditor granted":      f.auditor,
		"auditor not granted":  signInAs(t, p.svc, "stranger@example.com", "auditor"),
		"owner of the control": signInAs(t, p.svc, "owner@example.com", "owner"),
		"another owner":        signInAs(t, p.svc, "other-owner@example.com", "owner"),
		"compliance":           signIn(t, p.svc, "compliance"),
		"viewer":               signIn(t, p.svc, "viewer"),
	}
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", f.inScope), fmt.Sprintf(`{"owner_id":%d}`, userID(t, p.db, "owner@example.com")), 200, nil)
	base := fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted)
	submit := fmt.Sprintf(`{"evidence_ids":[%d],"note":"Attached."}`, f.evidenceIn)
	// inState makes a new request about the control and brings it to state.
	inState := func(state string) string {
		var out requestOut
		p.call(p.admin, "POST", base, fmt.Sprintf(`{"type":"population","control_ids":[%d],"owner_email":"owner@example.com"}`, f.inScope), 201, &out)
		path := base + "/" + out.Request.Ref
		if state != "open" {
			p.call(p.admin, "POST", path+"/submit", submit, 200, nil)
		}
		switch state {
		case "returned":
			p.call(p.admin, "POST", path+"/return", `{"reason":"Incomplete."}`, 200, nil)
		case "accepted":
			p.call(p.admin, "POST", path+"/accept", "", 200, nil)
		}
		return path
	}
	status := func(path string) string {
		var out requestOut
		p.call(p.admin, "GET", path, "", 200, &out)
		return out.Request.Status
	}
	type answers map[string]int
	organisation := answers{"auditor granted": 403, "auditor not granted": 404, "owner of the control": 200, "another owner": 403, "compliance": 200, "viewer": 403}
	auditors := answers{"auditor granted": 200, "auditor not granted": 404, "owner of the control": 403, "another owner": 403, "compliance": 200, "viewer": 403}
	for _, tr := range []struct {
		name, from, method, action, body, to string
		want                                 answers
	}{
		{"submit", "open", "POST", "/submit", submit, "submitted", organisation},
		{"submit again", "returned", "POST", "/submit", submit, "submitted", organisation},
		{"accept", "submitted", "POST", "/accept", "", "accepted", auditors},
		{"return", "submitted", "POST", "/return", `{"reason":"The list misses June."}`, "returned", auditors},
		{"change", "open", "PATCH", "", `{"due_on":"2026-07-31"}`, "open", auditors},
		{"delete", "open", "DELETE", "", "", "", answers{"auditor granted": 204, "auditor not granted": 404, "owner of the control": 403,
			"another owner": 403, "compliance": 204, "viewer": 403}},
		{"accept what was not submitted", "open", "POST", "/accept", "", "open", answers{"auditor granted": 409, "auditor not granted": 404,
			"owner of the control": 403, "another owner": 403, "compliance": 409, "viewer": 403}},
		{"submit what was accepted", "accepted", "POST", "/submit", submit, "accepted", answers{"auditor granted": 403, "auditor not granted": 404,
			"owner of the control": 409, "another owner": 403, "compliance": 409, "viewer": 403}},
	} {
		for who, s := range callers {
			t.Run(tr.name+"/"+who, func(t *testing.T) {
				path := inState(tr.from)
				want := tr.want[who]
				if w := send(p.h, tr.method, path+tr.action, tr.body, s.headers()); w.Code != want {
					t.Fatalf("%s %s by %s: %d %s, want %d", tr.name, tr.from, who, w.Code, w.Body, want)
				}
				switch {
				case want >= 300:
					if got := status(path); got != tr.from {
						t.Errorf("refused, yet the request went from %s to %s", tr.from, got)
					}
				case tr.method == "DELETE":
					p.call(p.admin, "GET", path, "", 404, nil)
				default:
					if got := status(path); got != tr.to {
						t.Errorf("after %s the request is %s, want %s", tr.name, got, tr.to)
					}
				}
			})
		}
	}
}

// A request carries a version: its GET names it as the ETag, a change
// sent with an older If-Match is refused with 412 and the request as it
// now is, and every change moves it on.
func TestRequestVersions(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	path := fmt.Sprintf("/api/v1/engagements/%d/requests/REQ-001", f.granted)
	w := send(p.h, "GET", path, "", p.admin.headers())
	if w.Code != 200 || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("GET: %d ETag %q", w.Code, w.Header().Get("ETag"))
	}
	first := p.admin.headers()
	first.Set("If-Match", `"1"`)
	if w := send(p.h, "PATCH", path, `{"due_on":"2026-07-31"}`, first); w.Code != 200 || w.Header().Get("ETag") != `"2"` {
		t.Fatalf("PATCH at version 1: %d %s", w.Code, w.Body)
	}
	w = send(p.h, "PATCH", path, `{"description":"Mine"}`, first)
	var now requestOut
	if w.Code != 412 || json.Unmarshal(w.Body.Bytes(), &struct{}{}) != nil {
		t.Fatalf("a stale PATCH: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "GET", path, "", 200, &now)
	if *now.Request.DueOn != "2026-07-31" {
		t.Errorf("after the stale PATCH: %+v", now.Request)
	}
	p.call(p.admin, "POST", path+"/submit", fmt.Sprintf(`{"evidence_ids":[%d]}`, f.evidenceIn), 200, nil)
	if w := send(p.h, "GET", path, "", p.admin.headers()); w.Header().Get("ETag") != `"3"` {
		t.Errorf("a submission does not move the version on: %q", w.Header().Get("ETag"))
	}
}
