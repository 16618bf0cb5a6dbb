package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type signOffOut struct {
	PreparedBy *string `json:"prepared_by"`
	PreparedOn *string `json:"prepared_on"`
	ReviewedBy *string `json:"reviewed_by"`
	ReviewedOn *string `json:"reviewed_on"`
}

func (s signOffOut) String() string {
	str := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return str(s.PreparedBy) + "/" + str(s.ReviewedBy)
}

// A conclusion and a sample's results are signed off by a preparer and
// then by a reviewer who is someone else, each on a day; a change after
// the review clears the review and keeps the preparer.
func TestSignOffs(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	compliance := signIn(t, p.svc, "compliance")
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	ctl := fmt.Sprintf("%s/controls/%d", eng, f.inScope)
	conclusion := func() signOffOut {
		var out struct {
			Result struct {
				SignOff signOffOut `json:"sign_off"`
			} `json:"result"`
		}
		p.call(p.admin, "GET", ctl+"/result", "", 200, &out)
		return out.Result.SignOff
	}
	sample := func() signOffOut {
		var out struct {
			Samples []struct {
				SignOff signOffOut `json:"sign_off"`
			} `json:"samples"`
		}
		p.call(p.admin, "GET", ctl+"/work", "", 200, &out)
		return out.Samples[0].SignOff
	}
	for _, c := range []struct {
		name      string
		who       session
		path, as  string
		code      int
		conc, smp string // sign-offs afterwards, preparer/reviewer
	}{
		{"a review before anyone prepared", compliance, "/controls/%d/sign-off", "reviewer", 400, "-/-", "-/-"},
		{"neither preparer nor reviewer", p.admin, "/controls/%d/sign-off", "approver", 400, "-/-", "-/-"},
		{"the preparer signs", p.admin, "/controls/%d/sign-off", "preparer", 200, "admin@example.com/-", "-/-"},
		{"the preparer reviews their own work", p.admin, "/controls/%d/sign-off", "reviewer", 400, "admin@example.com/-", "-/-"},
		{"someone else reviews", compliance, "/controls/%d/sign-off", "reviewer", 200, "admin@example.com/compliance@example.com", "-/-"},
		{"the reviewer would prepare", compliance, "/controls/%d/sign-off", "preparer", 400, "admin@example.com/compliance@example.com", "-/-"},
		{"the sample's preparer", compliance, "/samples/1/sign-off", "preparer", 200, "admin@example.com/compliance@example.com", "compliance@example.com/-"},
		{"the sample's preparer reviews", compliance, "/samples/1/sign-off", "reviewer", 400, "admin@example.com/compliance@example.com", "compliance@example.com/-"},
		{"the sample's reviewer", p.admin, "/samples/1/sign-off", "reviewer", 200, "admin@example.com/compliance@example.com", "compliance@example.com/admin@example.com"},
		{"a sample not in the engagement", p.admin, "/samples/999/sign-off", "reviewer", 404, "admin@example.com/compliance@example.com", "compliance@example.com/admin@example.com"},
	} {
		path := eng + c.path
		if c.path == "/controls/%d/sign-off" {
			path = fmt.Sprintf(eng+c.path, f.inScope)
		}
		p.call(c.who, "PUT", path, fmt.Sprintf(`{"as":%q}`, c.as), c.code, nil)
		if got := conclusion().String(); got != c.conc {
			t.Errorf("%s: conclusion signed %s, want %s", c.name, got, c.conc)
		}
		if got := sample().String(); got != c.smp {
			t.Errorf("%s: sample signed %s, want %s", c.name, got, c.smp)
		}
	}
	if s := conclusion(); s.PreparedOn == nil || s.ReviewedOn == nil || len(*s.ReviewedOn) != 10 {
		t.Errorf("sign-off dates: %+v", s)
	}
	// Changing the work after its review clears the review.
	p.call(p.admin, "PUT", ctl+"/result", `{"design_notes":"Walked through again"}`, 200, nil)
	p.call(p.admin, "PUT", eng+"/samples/1/items/1", `{"results":{"access removed":"pass"}}`, 204, nil)
	if got := conclusion().String(); got != "admin@example.com/-" {
		t.Errorf("conclusion changed after review: signed %s", got)
	}
	if got := sample().String(); got != "compliance@example.com/-" {
		t.Errorf("sample changed after review: signed %s", got)
	}
	// A review signed from a page that had not seen the latest results is
	// refused with the sample as it is now; from the current page it goes through.
	seen := send(p.h, "GET", ctl+"/work", "", p.admin.headers())
	var work struct {
		Samples []struct {
			Version int64 `json:"version"`
		} `json:"samples"`
	}
	if err := json.Unmarshal(seen.Body.Bytes(), &work); err != nil || len(work.Samples) != 1 {
		t.Fatalf("work: %v %s", err, seen.Body)
	}
	read := fmt.Sprintf(`"%d"`, work.Samples[0].Version)
	p.call(compliance, "PUT", eng+"/samples/1/items/1", `{"results":{"access removed":"fail"}}`, 204, nil)
	if w := send(p.h, "PUT", eng+"/samples/1/sign-off", `{"as":"reviewer"}`, withIfMatch(p.admin, read)); w.Code != 412 || !strings.Contains(w.Body.String(), "compliance@example.com") {
		t.Errorf("review of results changed since they were read: %d %s", w.Code, w.Body)
	}
	if got := sample().String(); got != "compliance@example.com/-" {
		t.Errorf("after a stale review the sample is signed %s", got)
	}
	current := fmt.Sprintf(`"%d"`, work.Samples[0].Version+1)
	if w := send(p.h, "PUT", eng+"/samples/1/sign-off", `{"as":"reviewer"}`, withIfMatch(p.admin, current)); w.Code != 200 || w.Header().Get("ETag") != fmt.Sprintf(`"%d"`, work.Samples[0].Version+2) {
		t.Errorf("review of the current results: %d %s %q", w.Code, w.Body, w.Header().Get("ETag"))
	}
	var audit struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=engagement.sample_sign_off", "", 200, &audit)
	if len(audit.Entries) != 3 { // the refused one is not
		t.Errorf("sample sign-offs audited: %+v", audit.Entries)
	}
}
