package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// versioned is one kind of editable resource: where its GET is, and the
// write that changes it (write(n) leaves marker(n) in its state).
type versioned struct {
	name   string
	get    string
	method string
	path   func(n int) string
	body   func(n int) string
	key    string // the object inside the GET answer and the 412's "current"
	// mark is what write(n) leaves in the state; marker when nil.
	mark func(n int) string
}

func marker(n int) string { return fmt.Sprintf("edit number %d", n) }

// versionedResources creates one of every editable resource kind.
func versionedResources(t *testing.T, p *program) []versioned {
	t.Helper()
	ctl := p.control("AC-09", "")
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, ctl), 200, nil)
	var ev evidenceOut
	w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "Q1 review", "control_ids": fmt.Sprint(ctl)},
		"q1.pdf", strings.NewReader("q1"))
	if w.Code != 201 {
		t.Fatal(w.Body)
	}
	jsonDecode(t, w.Body.Bytes(), &ev)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type I","report":"soc2","type":"type1","as_of":"2026-03-31"}`, 201, &e)
	eng := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	var x struct{ Exception struct{ ID int64 } }
	p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/exceptions", eng, ctl), `{"description":"One review was late"}`, 201, &x)
	p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"ref":"CO-01","category":"business","title":"Payroll is accurate","description":"Pay runs are complete and accurate."}`, 201, nil)
	var u struct{ User struct{ ID int64 } }
	p.call(p.admin, "POST", "/api/v1/users", `{"email":"casey@example.com","role":"owner","password":"`+testPassword+`","access_until":"2099-12-31"}`, 201, &u)
	for _, a := range []string{"firm-a@example.com", "firm-b@example.com"} {
		p.call(p.admin, "POST", "/api/v1/users", `{"email":"`+a+`","role":"auditor","password":"`+testPassword+`","access_until":"2099-12-31"}`, 201, nil)
	}
	auditor := func(n int) string { return []string{"firm-b@example.com", "firm-a@example.com"}[n%2] }
	var cuec struct{ CUEC struct{ ID int64 } }
	p.call(p.admin, "POST", eng+"/cuecs", `{"text":"Customers review their users","requirements":["soc2-tsc-2017/CC6.2"]}`, 201, &cuec)
	var org struct {
		Org struct{ ID int64 } `json:"subservice_org"`
	}
	p.call(p.admin, "POST", eng+"/subservice-orgs", `{"name":"Cloud Host Ltd","method":"carve-out","csocs":[]}`, 201, &org)
	var task struct{ Task struct{ ID int64 } }
	p.call(p.admin, "POST", "/api/v1/tasks", fmt.Sprintf(`{"title":"Send the HR list","owner_id":%d,"due_on":"2026-12-01"}`, u.User.ID), 201, &task)

	fixed := func(path string) func(int) string { return func(int) string { return path } }
	field := func(name string) func(int) string {
		return func(n int) string { return fmt.Sprintf(`{%q:%q}`, name, marker(n)) }
	}
	result := fmt.Sprintf("%s/controls/%d/result", eng, ctl)
	exception := fmt.Sprintf("%s/exceptions/%d", eng, x.Exception.ID)
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.Task.ID)
	return []versioned{
		{"control", fmt.Sprintf("/api/v1/controls/%d", ctl), "PATCH", fixed(fmt.Sprintf("/api/v1/controls/%d", ctl)), field("description"), "control", nil},
		{"evidence", fmt.Sprintf("/api/v1/evidence/%d", ev.Evidence.ID), "PATCH", fixed(fmt.Sprintf("/api/v1/evidence/%d", ev.Evidence.ID)), field("description"), "evidence", nil},
		{"engagement", eng, "PATCH", fixed(eng), field("audit_firm"), "engagement", nil},
		// Granting auditors changes the engagement as its GET shows it.
		{"engagement auditors", eng, "PUT", fixed(eng + "/auditors"), func(n int) string {
			return fmt.Sprintf(`{"auditors":[%q]}`, auditor(n))
		}, "auditors", auditor},
		{"result and design conclusion", result, "PUT", fixed(result), field("design_notes"), "result", nil},
		{"exception", exception, "PATCH", fixed(exception), field("management_response"), "exception", nil},
		{"CUEC", fmt.Sprintf("%s/cuecs/%d", eng, cuec.CUEC.ID), "PATCH", fixed(fmt.Sprintf("%s/cuecs/%d", eng, cuec.CUEC.ID)), field("text"), "cuec", nil},
		{"subservice organisation", fmt.Sprintf("%s/subservice-orgs/%d", eng, org.Org.ID), "PATCH",
			fixed(fmt.Sprintf("%s/subservice-orgs/%d", eng, org.Org.ID)), field("services"), "subservice_org", nil},
		{"SOC 1 objective", "/api/v1/soc1-objectives/CO-01", "PATCH", fixed("/api/v1/soc1-objectives/CO-01"), field("title"), "objective", nil},
		{"user", fmt.Sprintf("/api/v1/users/%d", u.User.ID), "PATCH", fixed(fmt.Sprintf("/api/v1/users/%d", u.User.ID)), field("name"), "user", nil},
		// A task changes by its actions: odd writes mark it not applicable
		// (with the marker as the reason), even ones reopen it.
		{"task", taskPath, "POST", func(n int) string {
			if n%2 == 1 {
				return taskPath + "/not-applicable"
			}
			return taskPath + "/reopen"
		}, func(n int) string {
			if n%2 == 1 {
				return fmt.Sprintf(`{"reason":%q}`, marker(n))
			}
			return "{}"
		}, "task", nil},
	}
}

func withIfMatch(s session, tag string) http.Header {
	h := s.headers()
	if tag != "" {
		h.Set("If-Match", tag)
	}
	return h
}

// Every editable resource: its GET gives an ETag; a write without
// If-Match goes through; one with a stale If-Match is refused with 412,
// the current state and its ETag, and changes nothing; one with the
// current ETag goes through and gets a new one; a malformed If-Match is a
// 400 that names the header.
func TestLostUpdatesRefused(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			for _, r := range versionedResources(t, p) {
				t.Run(r.name, func(t *testing.T) {
					marker := marker
					if r.mark != nil {
						marker = r.mark
					}
					w := send(p.h, "GET", r.get, "", p.admin.headers())
					first := w.Header().Get("ETag")
					if w.Code != 200 || !strings.HasPrefix(first, `"`) {
						t.Fatalf("GET %s: %d, ETag %q", r.get, w.Code, first)
					}
					w = send(p.h, r.method, r.path(1), r.body(1), p.admin.headers())
					second := w.Header().Get("ETag")
					if w.Code != 200 || second == "" || second == first {
						t.Fatalf("write without If-Match: %d %s, ETag %q after %q", w.Code, w.Body, second, first)
					}

					w = send(p.h, r.method, r.path(2), r.body(2), withIfMatch(p.admin, first))
					if w.Code != 412 || errorCode(w) != "version_mismatch" {
						t.Fatalf("write with the stale ETag %s: %d %s, want 412 version_mismatch", first, w.Code, w.Body)
					}
					var refused struct {
						Current map[string]json.RawMessage `json:"current"`
					}
					jsonDecode(t, w.Body.Bytes(), &refused)
					if cur := string(refused.Current[r.key]); !strings.Contains(cur, marker(1)) {
						t.Errorf("412's current %s is %s, want the saved state with %q", r.key, cur, marker(1))
					}
					if got := w.Header().Get("ETag"); got != second {
						t.Errorf("412's ETag %q, want the current %q", got, second)
					}
					w = send(p.h, "GET", r.get, "", p.admin.headers())
					if w.Header().Get("ETag") != second || strings.Contains(w.Body.String(), marker(2)) {
						t.Fatalf("the refused write changed the resource: ETag %q, %s", w.Header().Get("ETag"), w.Body)
					}

					w = send(p.h, r.method, r.path(2), r.body(2), withIfMatch(p.admin, second))
					third := w.Header().Get("ETag")
					if w.Code != 200 || third == "" || third == second {
						t.Fatalf("write with the current ETag %s: %d %s, new ETag %q", second, w.Code, w.Body, third)
					}
					if w := send(p.h, "GET", r.get, "", p.admin.headers()); w.Header().Get("ETag") != third {
						t.Errorf("GET after the write: ETag %q, want %q", w.Header().Get("ETag"), third)
					}
					for _, bad := range []string{"3", `"three"`, `"1", "2"`} {
						w = send(p.h, r.method, r.path(3), r.body(3), withIfMatch(p.admin, bad))
						var e apiError
						jsonDecode(t, w.Body.Bytes(), &e)
						if w.Code != 400 || e.Error.Fields["If-Match"] == "" {
							t.Errorf("If-Match %s: %d %s, want a 400 naming If-Match", bad, w.Code, w.Body)
						}
					}
					if w := send(p.h, "GET", r.get, "", p.admin.headers()); w.Header().Get("ETag") != third {
						t.Errorf("a refused If-Match changed the resource: ETag %q, want %q", w.Header().Get("ETag"), third)
					}
				})
			}
		})
	}
}

// Two people load control 2. One saves a new description; the other
// saves the form they loaded before that and is refused with 412: the
// first description is still there.
func TestTwoSessionsEditControl2(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			p.control("AC-01", "")
			id := p.control("AC-02", "")
			if id != 2 {
				t.Fatalf("the second control has ID %d", id)
			}
			alice, bob := p.admin, signIn(t, p.svc, "compliance")
			path := "/api/v1/controls/2"
			a, b := send(p.h, "GET", path, "", alice.headers()), send(p.h, "GET", path, "", bob.headers())
			loaded := a.Header().Get("ETag")
			if loaded == "" || b.Header().Get("ETag") != loaded {
				t.Fatalf("ETags %q and %q", loaded, b.Header().Get("ETag"))
			}
			if w := send(p.h, "PATCH", path, `{"description":"Alice: reviewed quarterly by the CISO"}`, withIfMatch(alice, loaded)); w.Code != 200 {
				t.Fatalf("first save: %d %s", w.Code, w.Body)
			}
			w := send(p.h, "PATCH", path, `{"title":"Control AC-02","description":"Bob's older text"}`, withIfMatch(bob, loaded))
			if w.Code != 412 {
				t.Fatalf("stale save: %d %s, want 412", w.Code, w.Body)
			}
			var got struct {
				Control struct{ Description string }
			}
			p.call(alice, "GET", path, "", 200, &got)
			if got.Control.Description != "Alice: reviewed quarterly by the CISO" {
				t.Fatalf("description is %q, want Alice's", got.Control.Description)
			}
		})
	}
}

// Many sessions save the same loaded version at once: exactly one wins.
func TestConcurrentWritersOneVersion(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			id := p.control("AC-05", "")
			path := fmt.Sprintf("/api/v1/controls/%d", id)
			tag := send(p.h, "GET", path, "", p.admin.headers()).Header().Get("ETag")
			const writers = 6
			codes := make([]int, writers)
			var wg sync.WaitGroup
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w := send(p.h, "PATCH", path, fmt.Sprintf(`{"description":"writer %d"}`, i), withIfMatch(p.admin, tag))
					codes[i] = w.Code
				}()
			}
			wg.Wait()
			ok, refused := 0, 0
			for _, c := range codes {
				switch c {
				case 200:
					ok++
				case 412:
					refused++
				}
			}
			if ok != 1 || refused != writers-1 {
				t.Fatalf("answers %v: want one 200 and %d 412s", codes, writers-1)
			}
		})
	}
}
