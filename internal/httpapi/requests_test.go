package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

type requestOut struct {
	Request struct {
		Ref          string  `json:"ref"`
		Number       int     `json:"number"`
		Type         string  `json:"type"`
		Status       string  `json:"status"`
		OwnerID      *int64  `json:"owner_id"`
		OwnerEmail   string  `json:"owner_email"`
		DueOn        *string `json:"due_on"`
		ReturnReason string  `json:"return_reason"`
		SubmittedAt  *string `json:"submitted_at"`
		AcceptedAt   *string `json:"accepted_at"`
		Controls     []struct {
			Ref string `json:"ref"`
		} `json:"controls"`
		Evidence []struct {
			ID       int64  `json:"id"`
			FileName string `json:"file_name"`
		} `json:"evidence"`
		Comments []struct {
			Author string `json:"author"`
			Body   string `json:"body"`
			Files  []struct {
				ID       int64  `json:"id"`
				FileName string `json:"file_name"`
			} `json:"files"`
		} `json:"comments"`
	} `json:"request"`
}

func postMultipart(p *program, s session, path string, fields [][2]string, files [][2]string) *httptest.ResponseRecorder {
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for _, f := range files {
		part, _ := mw.CreateFormFile("file", f[0])
		part.Write([]byte(f[1]))
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, body)
	req.Header = s.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := serve(p.h, req)
	return w
}

// commentWithFile comments with one attachment and returns the attachment's ID.
func commentWithFile(t *testing.T, p *program, s session, path, body, name, content string) int64 {
	t.Helper()
	w := postMultipart(p, s, path, [][2]string{{"body", body}}, [][2]string{{name, content}})
	var out requestOut
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("comment with a file: %d %s", w.Code, w.Body)
	}
	last := out.Request.Comments[len(out.Request.Comments)-1]
	if len(last.Files) != 1 || last.Files[0].FileName != name {
		t.Fatalf("comment files: %+v", last)
	}
	return last.Files[0].ID
}

// Every state change of a request, tried by every kind of caller: a
// granted auditor and one not granted, the owner of the request's control
// and another owner, compliance and a viewer.
func TestRequestLifecycleByRole(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	owner := signInAs(t, p.svc, "owner@example.com", "owner")
	otherOwner := signInAs(t, p.svc, "other-owner@example.com", "owner")
	stranger := signInAs(t, p.svc, "stranger@example.com", "auditor")
	compliance := signIn(t, p.svc, "compliance")
	viewer := signIn(t, p.svc, "viewer")
	p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", f.inScope), fmt.Sprintf(`{"owner_id":%d}`, userID(t, p.db, "owner@example.com")), 200, nil)
	base := fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted)
	var out requestOut

	// Adding by hand: auditors and compliance; the number follows REQ-001 from the fixture.
	add := fmt.Sprintf(`{"type":"population","phase":"final","description":"Leavers list","control_ids":[%d],"owner_email":"owner@example.com","due_on":"2026-07-15"}`, f.inScope)
	for who, s := range map[string]session{"viewer": viewer, "owner": owner} {
		if w := send(p.h, "POST", base, add, s.headers()); w.Code != 403 {
			t.Errorf("%s added a request: %d %s", who, w.Code, w.Body)
		}
	}
	p.call(stranger, "POST", base, add, 404, nil)
	p.call(f.auditor, "POST", base, add, 201, &out)
	if out.Request.Ref != "REQ-002" || out.Request.Status != "open" || out.Request.OwnerEmail != "owner@example.com" || len(out.Request.Controls) != 1 {
		t.Errorf("added by the auditor: %+v", out.Request)
	}
	ownerID := *out.Request.OwnerID
	p.call(compliance, "POST", base, `{"type":"document","description":"Org chart","owner_email":"compliance@example.com"}`, 201, &out)
	if out.Request.Ref != "REQ-003" {
		t.Errorf("third request: %s", out.Request.Ref)
	}
	for name, body := range map[string]string{
		"no type":              `{"description":"x"}`,
		"bad type":             `{"type":"selfie"}`,
		"bad phase":            `{"type":"other","phase":"midterm"}`,
		"bad date":             `{"type":"other","due_on":"next week"}`,
		"unknown owner":        `{"type":"other","owner_email":"nobody@example.com"}`,
		"a viewer as owner":    `{"type":"other","owner_email":"viewer@example.com"}`,
		"control outside":      fmt.Sprintf(`{"type":"other","control_ids":[%d]}`, f.outOfScope),
		"sample not of it":     `{"type":"sample_evidence","sample_items":[{"sample_id":99,"seq":1}]}`,
		"unknown field":        `{"type":"other","colour":"red"}`,
		"description too long": `{"type":"other","description":"` + strings.Repeat("x", 4001) + `"}`,
	} {
		if w := send(p.h, "POST", base, body, compliance.headers()); w.Code != 400 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}

	// Changing it: auditors and compliance.
	for who, s := range map[string]session{"viewer": viewer, "owner": owner} {
		if w := send(p.h, "PATCH", base+"/REQ-002", `{"due_on":"2026-07-31"}`, s.headers()); w.Code != 403 {
			t.Errorf("%s changed a request: %d", who, w.Code)
		}
	}
	p.call(stranger, "PATCH", base+"/REQ-002", `{"due_on":"2026-07-31"}`, 404, nil)
	p.call(compliance, "PATCH", base+"/REQ-002", `{"due_on":"2026-07-31"}`, 200, &out)
	p.call(f.auditor, "PATCH", base+"/req-2", `{"description":"Leavers, January to June"}`, 200, &out)
	if *out.Request.DueOn != "2026-07-31" || len(out.Request.Controls) != 1 {
		t.Errorf("after the changes: %+v", out.Request)
	}

	// The thread: everyone but viewers, owners only on their own requests.
	p.call(viewer, "POST", base+"/REQ-002/comments", `{"body":"hi"}`, 403, nil)
	p.call(otherOwner, "POST", base+"/REQ-002/comments", `{"body":"hi"}`, 403, nil)
	p.call(stranger, "POST", base+"/REQ-002/comments", `{"body":"hi"}`, 404, nil)
	p.call(owner, "POST", base+"/REQ-002/comments", `{"body":"Which system?"}`, 201, nil)
	p.call(f.auditor, "POST", base+"/REQ-002/comments", `{"body":"Workday."}`, 201, nil)
	p.call(compliance, "POST", base+"/REQ-002/comments", `{"body":"  "}`, 400, nil)

	// Submitting: the owner of the control, compliance; not auditors or viewers.
	submit := fmt.Sprintf(`{"evidence_ids":[%d],"note":"Attached."}`, f.evidenceIn)
	for who, s := range map[string]session{"viewer": viewer, "auditor": f.auditor, "another owner": otherOwner} {
		if w := send(p.h, "POST", base+"/REQ-002/submit", submit, s.headers()); w.Code != 403 {
			t.Errorf("%s submitted: %d %s", who, w.Code, w.Body)
		}
	}
	p.call(stranger, "POST", base+"/REQ-002/submit", submit, 404, nil)
	p.call(owner, "POST", base+"/REQ-002/submit", `{"evidence_ids":[]}`, 400, nil)
	p.call(owner, "POST", base+"/REQ-002/submit", `{"evidence_ids":[99999]}`, 400, nil)
	p.call(owner, "POST", base+"/REQ-002/accept", "", 403, nil)
	p.call(owner, "POST", base+"/REQ-002/submit", submit, 200, &out)
	if out.Request.Status != "submitted" || out.Request.SubmittedAt == nil || len(out.Request.Evidence) != 1 {
		t.Errorf("submitted: %+v", out.Request)
	}
	p.call(owner, "POST", base+"/REQ-002/submit", submit, 409, nil)

	// Returning and accepting: auditors and compliance.
	for who, s := range map[string]session{"viewer": viewer, "owner": owner} {
		if w := send(p.h, "POST", base+"/REQ-002/return", `{"reason":"x"}`, s.headers()); w.Code != 403 {
			t.Errorf("%s returned: %d", who, w.Code)
		}
	}
	p.call(stranger, "POST", base+"/REQ-002/return", `{"reason":"x"}`, 404, nil)
	p.call(stranger, "POST", base+"/REQ-002/accept", "", 404, nil)
	p.call(f.auditor, "POST", base+"/REQ-002/return", `{"reason":"  "}`, 400, nil)
	p.call(f.auditor, "POST", base+"/REQ-002/return", `{"reason":"The list must cover the whole period."}`, 200, &out)
	if out.Request.Status != "returned" || out.Request.ReturnReason != "The list must cover the whole period." ||
		out.Request.Comments[len(out.Request.Comments)-1].Body != "Returned: The list must cover the whole period." {
		t.Errorf("returned: %+v", out.Request)
	}
	p.call(f.auditor, "POST", base+"/REQ-002/accept", "", 409, nil)
	p.call(f.auditor, "POST", base+"/REQ-002/return", `{"reason":"again"}`, 409, nil)

	// Submitting again with a new upload, in one step: the file becomes
	// evidence of the request's control, attached to the request.
	w := postMultipart(p, owner, base+"/REQ-002/submit", [][2]string{{"covers_from", "2026-01-01"}, {"covers_to", "2026-06-30"}, {"note", "Whole period now."}},
		[][2]string{{"leavers-h1.csv", "id,date\nL-1,2026-02-01\n"}})
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &out) != nil || out.Request.Status != "submitted" || len(out.Request.Evidence) != 2 {
		t.Fatalf("submit with an upload: %d %s", w.Code, w.Body)
	}
	uploaded := out.Request.Evidence[1]
	if uploaded.FileName != "leavers-h1.csv" {
		t.Errorf("uploaded evidence: %+v", uploaded)
	}
	var evList struct {
		Evidence []struct {
			ID int64 `json:"id"`
		} `json:"evidence"`
	}
	p.call(f.auditor, "GET", fmt.Sprintf("/api/v1/engagements/%d/controls/%d/evidence", f.granted, f.inScope), "", 200, &evList)
	if len(evList.Evidence) != 2 {
		t.Errorf("the upload is not evidence of the control: %+v", evList)
	}
	p.call(f.auditor, "POST", base+"/REQ-002/accept", "", 200, &out)
	if out.Request.Status != "accepted" || out.Request.AcceptedAt == nil {
		t.Errorf("accepted: %+v", out.Request)
	}
	p.call(f.auditor, "PATCH", base+"/REQ-002", `{"description":"late change"}`, 409, nil)
	p.call(owner, "POST", base+"/REQ-002/submit", submit, 409, nil)

	// Compliance answers and decides requests of its own; evidence handed
	// over for a request is the auditor's to download even off scope.
	p.call(compliance, "POST", base+"/REQ-003/submit", fmt.Sprintf(`{"evidence_ids":[%d]}`, f.evidenceOut), 200, nil)
	p.call(compliance, "POST", base+"/REQ-003/return", `{"reason":"Unsigned."}`, 200, nil)
	p.call(compliance, "POST", base+"/REQ-003/submit", fmt.Sprintf(`{"evidence_ids":[%d]}`, f.evidenceOut), 200, nil)
	p.call(compliance, "POST", base+"/REQ-003/accept", "", 200, nil)
	if w := send(p.h, "GET", fmt.Sprintf("/api/v1/engagements/%d/evidence/%d/download", f.granted, f.evidenceOut), "", f.auditor.headers()); w.Code != 200 {
		t.Errorf("evidence handed over, off scope: %d", w.Code)
	}

	// Reading: everyone of the organisation and the granted auditor.
	for who, s := range map[string]session{"viewer": viewer, "owner": owner, "auditor": f.auditor, "compliance": compliance} {
		if w := send(p.h, "GET", base+"/REQ-002", "", s.headers()); w.Code != 200 {
			t.Errorf("%s read a request: %d", who, w.Code)
		}
	}
	p.call(stranger, "GET", base, "", 404, nil)
	p.call(stranger, "GET", base+"/REQ-001", "", 404, nil)
	p.call(viewer, "GET", base+"/REQ-099", "", 404, nil)
	p.call(viewer, "GET", base+"/nonsense", "", 400, nil)

	var list struct {
		Requests []struct {
			Ref string `json:"ref"`
		} `json:"requests"`
	}
	for query, want := range map[string]string{
		"":                                       "REQ-001,REQ-002,REQ-003",
		"?status=accepted":                       "REQ-002,REQ-003",
		"?status=open":                           "REQ-001",
		"?type=document":                         "REQ-003",
		fmt.Sprintf("?owner_id=%d", ownerID):     "REQ-002",
		fmt.Sprintf("?control_id=%d", f.inScope): "REQ-001,REQ-002",
	} {
		p.call(viewer, "GET", base+query, "", 200, &list)
		var got []string
		for _, r := range list.Requests {
			got = append(got, r.Ref)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("list%s: %v, want %s", query, got, want)
		}
	}
	p.call(viewer, "GET", base+"?status=lost", "", 400, nil)

	// The thread's attachment downloads as it was sent; the auditor sees
	// every change in the audit trail.
	w = send(p.h, "GET", fmt.Sprintf("%s/REQ-001/files/%d", base, f.file), "", f.auditor.headers())
	if w.Code != 200 || w.Body.String() != "a list" || !strings.Contains(w.Header().Get("Content-Disposition"), "list.txt") {
		t.Errorf("attachment: %d %q", w.Code, w.Body)
	}
	p.call(f.auditor, "GET", fmt.Sprintf("%s/REQ-002/files/%d", base, f.file), "", 404, nil)
	var audit struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	p.call(f.auditor, "GET", "/api/v1/audit?action=request.accept", "", 200, &audit)
	if len(audit.Entries) != 2 {
		t.Errorf("accept entries the auditor sees: %+v", audit.Entries)
	}
}
