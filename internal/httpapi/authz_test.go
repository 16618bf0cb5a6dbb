package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store/storetest"
)

const public = "public"

var (
	allRoles = []string{"admin", "compliance", "owner", "auditor", "viewer"}
	readers  = []string{"admin", "compliance", "owner", "viewer"} // everyone but auditors
	workers  = []string{"admin", "compliance", "owner"}           // those who do tasks
)

// routeAccess is the expected answer of every route for every role. A
// route the router has but this table lacks fails the test: adding an
// endpoint means deciding who may call it.
var routeAccess = map[string][]string{
	"GET /healthz":                                                                        {public},
	"GET /readyz":                                                                         {public},
	"GET /api/v1/openapi.json":                                                            {public},
	"GET /api/v1/setup":                                                                   {public},
	"POST /api/v1/setup":                                                                  {public},
	"POST /api/v1/auth/login":                                                             {public},
	"POST /api/v1/auth/logout":                                                            allRoles,
	"GET /api/v1/auth/session":                                                            allRoles,
	"POST /api/v1/auth/password":                                                          allRoles,
	"POST /api/v1/auth/reauth":                                                            allRoles,
	"GET /api/v1/tokens":                                                                  allRoles,
	"POST /api/v1/tokens":                                                                 allRoles,
	"DELETE /api/v1/tokens/:id":                                                           allRoles,
	"GET /api/v1/dashboard":                                                               readers,
	"GET /api/v1/tasks":                                                                   readers,
	"POST /api/v1/tasks":                                                                  {"admin", "compliance"},
	"POST /api/v1/tasks/bulk":                                                             {"admin", "compliance"},
	"GET /api/v1/tasks/counts":                                                            {"admin", "compliance", "viewer"},
	"GET /api/v1/tasks/export.xlsx":                                                       readers,
	"GET /api/v1/tasks/export.csv":                                                        readers,
	"GET /api/v1/tasks/:id":                                                               readers,
	"POST /api/v1/tasks/:id/not-applicable":                                               workers,
	"POST /api/v1/tasks/:id/done":                                                         workers,
	"POST /api/v1/tasks/:id/reopen":                                                       workers,
	"GET /api/v1/calendar-feed":                                                           readers,
	"POST /api/v1/calendar-feed":                                                          workers,
	"DELETE /api/v1/calendar-feed":                                                        workers,
	"GET /api/v1/calendar.ics":                                                            {public},
	"GET /api/v1/outbox":                                                                  {"admin"},
	"GET /api/v1/outbox/:id":                                                              {"admin"},
	"GET /api/v1/settings":                                                                allRoles,
	"PUT /api/v1/settings":                                                                {"admin"},
	"GET /api/v1/settings/holidays":                                                       allRoles,
	"PUT /api/v1/settings/holidays":                                                       {"admin", "compliance"},
	"GET /api/v1/users":                                                                   readers,
	"GET /api/v1/users/:id":                                                               readers,
	"POST /api/v1/users":                                                                  {"admin"},
	"PATCH /api/v1/users/:id":                                                             {"admin"},
	"GET /api/v1/audit":                                                                   {"admin", "compliance", "auditor"},
	"GET /api/v1/frameworks":                                                              allRoles,
	"GET /api/v1/controls":                                                                readers,
	"POST /api/v1/controls":                                                               {"admin", "compliance"},
	"POST /api/v1/controls/import":                                                        {"admin", "compliance"},
	"POST /api/v1/controls/bulk":                                                          {"admin", "compliance"},
	"GET /api/v1/controls/:id":                                                            readers,
	"PATCH /api/v1/controls/:id":                                                          {"admin", "compliance"},
	"DELETE /api/v1/controls/:id":                                                         {"admin", "compliance"},
	"GET /api/v1/mappings":                                                                readers,
	"GET /api/v1/matrix":                                                                  readers,
	"POST /api/v1/mappings":                                                               {"admin", "compliance"},
	"PUT /api/v1/applicability":                                                           {"admin", "compliance"},
	"POST /api/v1/soc1-objectives":                                                        {"admin", "compliance"},
	"PATCH /api/v1/soc1-objectives/:ref":                                                  {"admin", "compliance"},
	"GET /api/v1/soc1-objectives":                                                         readers,
	"GET /api/v1/soc1-objectives/:ref":                                                    readers,
	"GET /api/v1/soc1-objectives/proposal":                                                readers,
	"POST /api/v1/soc1-objectives/adopt":                                                  {"admin", "compliance"},
	"POST /api/v1/soc1-objectives/:ref/controls":                                          {"admin", "compliance"},
	"GET /api/v1/evidence":                                                                readers,
	"POST /api/v1/evidence":                                                               {"admin", "compliance", "owner"},
	"GET /api/v1/evidence/:id":                                                            readers,
	"PATCH /api/v1/evidence/:id":                                                          {"admin", "compliance", "owner"},
	"DELETE /api/v1/evidence/:id":                                                         {"admin", "compliance", "owner"},
	"POST /api/v1/evidence/:id/revisions":                                                 {"admin", "compliance", "owner"},
	"POST /api/v1/evidence/:id/restore":                                                   {"admin", "compliance"},
	"GET /api/v1/evidence/:id/download":                                                   readers,
	"GET /api/v1/evidence/:id/usage":                                                      readers,
	"GET /api/v1/controls/:id/engagements":                                                readers,
	"GET /api/v1/coverage":                                                                readers,
	"POST /api/v1/scoping":                                                                readers,
	"GET /api/v1/engagements":                                                             allRoles,
	"POST /api/v1/engagements":                                                            {"admin", "compliance"},
	"GET /api/v1/engagements/:id":                                                         allRoles,
	"PATCH /api/v1/engagements/:id":                                                       {"admin", "compliance"},
	"GET /api/v1/engagements/:id/controls":                                                allRoles,
	"GET /api/v1/engagements/:id/controls/:control":                                       allRoles,
	"PUT /api/v1/engagements/:id/scope":                                                   {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/auditors":                                                {"admin", "compliance"},
	"GET /api/v1/engagements/:id/results":                                                 allRoles,
	"GET /api/v1/engagements/:id/controls/:control/result":                                allRoles,
	"PUT /api/v1/engagements/:id/controls/:control/result":                                {"admin", "compliance"},
	"GET /api/v1/engagements/:id/controls/:control/walkthrough":                           allRoles,
	"PUT /api/v1/engagements/:id/controls/:control/walkthrough":                           {"admin", "compliance"},
	"POST /api/v1/engagements/:id/controls/:control/exceptions":                           {"admin", "compliance"},
	"GET /api/v1/engagements/:id/exceptions":                                              allRoles,
	"GET /api/v1/engagements/:id/exceptions/:exception":                                   allRoles,
	"PATCH /api/v1/engagements/:id/exceptions/:exception":                                 {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation":                        {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation/sign-off":               {"admin", "compliance"},
	"POST /api/v1/engagements/:id/exceptions/:exception/retest":                           {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/controls/:control/sign-off":                              {"admin", "compliance"},
	"POST /api/v1/engagements/:id/results/import":                                         {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/samples/:sample/sign-off":                                {"admin", "compliance"},
	"GET /api/v1/engagements/:id/rollup":                                                  allRoles,
	"GET /api/v1/engagements/:id/requirements/:ref/evaluation":                            allRoles,
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation":                            {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/requirements/:ref/evaluation":                         {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation/sign-off":                   {"admin", "compliance"},
	"GET /api/v1/engagements/:id/opinion-impact":                                          allRoles,
	"PUT /api/v1/engagements/:id/applicability/:ref":                                      {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/applicability/:ref":                                   {"admin", "compliance"},
	"GET /api/v1/engagements/:id/controls/:control/work":                                  allRoles,
	"GET /api/v1/engagements/:id/controls/:control/evidence":                              allRoles,
	"GET /api/v1/engagements/:id/evidence/:evidence/download":                             allRoles,
	"GET /api/v1/engagements/:id/requests":                                                allRoles,
	"POST /api/v1/engagements/:id/requests":                                               {"admin", "compliance", "auditor"},
	"POST /api/v1/engagements/:id/requests/generate":                                      {"admin", "compliance", "auditor"},
	"POST /api/v1/engagements/:id/requests/import":                                        {"admin", "compliance", "auditor"},
	"GET /api/v1/requests/mine":                                                           readers,
	"GET /api/v1/engagements/:id/requests/:request":                                       allRoles,
	"PATCH /api/v1/engagements/:id/requests/:request":                                     {"admin", "compliance", "auditor"},
	"DELETE /api/v1/engagements/:id/requests/:request":                                    {"admin", "compliance", "auditor"},
	"POST /api/v1/engagements/:id/requests/:request/comments":                             {"admin", "compliance", "owner", "auditor"},
	"GET /api/v1/engagements/:id/requests/:request/files/:file":                           allRoles,
	"POST /api/v1/engagements/:id/requests/:request/submit":                               workers,
	"POST /api/v1/engagements/:id/requests/:request/accept":                               {"admin", "compliance", "auditor"},
	"POST /api/v1/engagements/:id/requests/:request/return":                               {"admin", "compliance", "auditor"},
	"POST /api/v1/engagements/:id/requests/:request/undo":                                 {"admin", "compliance", "owner", "auditor"},
	"POST /api/v1/engagements/:id/controls/:control/population":                           {"admin", "compliance"},
	"POST /api/v1/engagements/:id/controls/:control/samples":                              {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":          {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":       {"admin", "compliance"},
	"POST /api/v1/engagements/:id/controls/:control/windows/:window/evidence":             {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/evidence/:evidence": {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/samples/:sample/items/:seq":                              {"admin", "compliance"},
	"POST /api/v1/engagements/:id/samples/:sample/items/pass":                             {"admin", "compliance"},
	"POST /api/v1/engagements/:id/samples/:sample/extensions":                             {"admin", "compliance"},
	"PUT /api/v1/engagements/:id/sample-policy":                                           {"admin", "compliance"},
	"GET /api/v1/engagements/:id/complementary":                                           allRoles,
	"POST /api/v1/engagements/:id/cuecs":                                                  {"admin", "compliance"},
	"GET /api/v1/engagements/:id/cuecs/:cuec":                                             allRoles,
	"PATCH /api/v1/engagements/:id/cuecs/:cuec":                                           {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/cuecs/:cuec":                                          {"admin", "compliance"},
	"POST /api/v1/engagements/:id/subservice-orgs":                                        {"admin", "compliance"},
	"GET /api/v1/engagements/:id/subservice-orgs/:org":                                    allRoles,
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org":                                  {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org":                                 {"admin", "compliance"},
	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews":                            allRoles,
	"POST /api/v1/engagements/:id/subservice-orgs/:org/reviews":                           {"admin", "compliance"},
	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                    allRoles,
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                  {"admin", "compliance"},
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":                 {"admin", "compliance"},
	"POST /api/v1/engagements/:id/roll-forward":                                           {"admin", "compliance"},
	"POST /api/v1/engagements/:id/bridge-letter":                                          {"admin", "compliance"},
	"POST /api/v1/engagements/:id/bridge-letter/sign":                                     {"admin", "compliance"},
	"GET /api/v1/engagements/:id/bridge-letters":                                          allRoles,
	"GET /api/v1/engagements/:id/workbook":                                                allRoles,
	"GET /api/v1/engagements/:id/package":                                                 allRoles,
	"POST /api/v1/engagements/:id/workbook/jobs":                                          allRoles,
	"POST /api/v1/engagements/:id/package/jobs":                                           allRoles,
	"GET /api/v1/engagements/:id/jobs/:job":                                               allRoles,
	"GET /api/v1/engagements/:id/jobs/:job/file":                                          allRoles,
	"GET /api/v1/engagements/:id/control-matrix.csv":                                      allRoles,
	"GET /api/v1/engagements/:id/evidence-index.csv":                                      allRoles,
	"GET /api/v1/engagements/:id/requests.xlsx":                                           allRoles,
	"GET /api/v1/engagements/:id/requests.csv":                                            allRoles,
	"GET /api/v1/frameworks/:framework/requirements":                                      allRoles,
	"GET /api/v1/frameworks/:framework/requirements/:ref":                                 allRoles,
	"POST /api/v1/ingest":                                                                 {"admin", "compliance"},
	"GET /api/v1/ingest/sources":                                                          readers,
	"PATCH /api/v1/ingest/sources/:id":                                                    {"admin", "compliance"},
	"GET /api/v1/ingest/runs":                                                             readers,
	"GET /api/v1/ingest/runs/:id":                                                         readers,
	"GET /api/v1/ingest/runs/:id/results":                                                 readers,
	"GET /api/v1/ingest/checks":                                                           readers,
	"GET /api/v1/ingest/rules":                                                            readers,
	"POST /api/v1/ingest/rules":                                                           {"admin", "compliance"},
	"POST /api/v1/ingest/rules/import":                                                    {"admin", "compliance"},
	"DELETE /api/v1/ingest/rules/:id":                                                     {"admin", "compliance"},
	"GET /api/v1/controls/:id/automated":                                                  readers,
	"GET /api/v1/frameworks/:framework/industries":                                        allRoles,
}

// session is a signed-in browser: its cookie and CSRF token.
type session struct{ cookie, csrf string }

func (s session) headers() http.Header {
	return http.Header{"Cookie": {"socmap_session=" + s.cookie}, "X-Csrf-Token": {s.csrf}}
}

// roleSessions signs each role in once, and again only when a request
// ended its session (a logout, a password change, a disabled account):
// walking every route for every role then hashes a password a few times
// instead of twice per request.
type roleSessions struct {
	t      testing.TB
	svc    *auth.Service
	byRole map[string]session
}

func (s roleSessions) of(role string) session {
	if c, ok := s.byRole[role]; ok {
		if p, err := s.svc.SessionPrincipal(context.Background(), c.cookie); err == nil && p.User.Role == role {
			return c
		}
	}
	c := signIn(s.t, s.svc, role)
	s.byRole[role] = c
	return c
}

func concrete(path string) string {
	return strings.NewReplacer(":framework", "soc2-tsc-2017", ":ref", "CC6.1", ":id", "1", ":control", "1",
		":exception", "1", ":sample", "1", ":seq", "1", ":evidence", "1", ":request", "1", ":file", "1",
		":cuec", "1", ":org", "1", ":review", "1").Replace(path)
}

func send(h http.Handler, method, path, body string, hdr http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header[k] = v
	}
	w := serve(h, req)
	return w
}

func errorCode(w *httptest.ResponseRecorder) string {
	var e apiError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		return fmt.Sprintf("(not an error body: %v: %s)", err, w.Body)
	}
	return e.Error.Code
}

func TestEveryRouteForEveryRole(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, false)
	signedIn := roleSessions{t: t, svc: svc, byRole: map[string]session{}}

	for _, r := range h.Routes() {
		key := r.Method + " " + r.Path
		allowed, ok := routeAccess[key]
		if !ok {
			t.Errorf("route %s has no entry in routeAccess: decide who may call it", key)
			continue
		}
		isPublic := allowed[0] == public
		t.Run(key, func(t *testing.T) {
			path := concrete(r.Path)
			if w := send(h, r.Method, path, "{}", nil); !isPublic && (w.Code != 401 || errorCode(w) != "unauthenticated") {
				t.Errorf("without a session: %d %s, want 401", w.Code, w.Body)
			}
			if isPublic {
				return
			}
			for _, role := range allRoles {
				w := send(h, r.Method, path, "{}", signedIn.of(role).headers())
				want := contains(allowed, role)
				refused := w.Code == 403 && errorCode(w) == "forbidden"
				// This auditor is granted no engagement, so every engagement
				// route answers them "not found" before the role is asked
				// (TestAuditorWalksEveryEngagementRoute covers granted ones).
				if role == "auditor" && strings.HasPrefix(r.Path, "/api/v1/engagements/:id") {
					refused = w.Code == 404 && errorCode(w) == "not_found"
					want = false
				}
				if want && (refused || w.Code == 401) {
					t.Errorf("%s was refused: %d %s", role, w.Code, w.Body)
				}
				if !want && !refused {
					t.Errorf("%s was let through: %d %s", role, w.Code, w.Body)
				}
			}
		})
	}
	for key := range routeAccess {
		found := false
		for _, r := range h.Routes() {
			found = found || r.Method+" "+r.Path == key
		}
		if !found {
			t.Errorf("routeAccess lists %s, which the router does not have", key)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A read-only token can read but not write; no token can manage the account.
func TestTokenScopes(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, false)
	admin := signIn(t, svc, "admin")

	w := send(h, "POST", "/api/v1/tokens", `{"name":"reader","scope":"read"}`, admin.headers())
	var created struct {
		Token string `json:"token"`
	}
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &created) != nil || !strings.HasPrefix(created.Token, "smp_") {
		t.Fatalf("create token: %d %s", w.Code, w.Body)
	}
	bearer := http.Header{"Authorization": {"Bearer " + created.Token}}
	if w := send(h, "GET", "/api/v1/users", "", bearer); w.Code != 200 {
		t.Errorf("read with a read token: %d", w.Code)
	}
	w = send(h, "POST", "/api/v1/users", `{"email":"x@example.com","role":"viewer","password":"`+testPassword+`"}`, bearer)
	if w.Code != 403 {
		t.Errorf("write with a read token: %d %s", w.Code, w.Body)
	}
	rw := tokenFor(t, db, "admin")
	if w := send(h, "POST", "/api/v1/tokens", `{"name":"more","scope":"read-write"}`, rw); w.Code != 403 {
		t.Errorf("a token minted another token: %d", w.Code)
	}
	// Not even an administrator's read-write token manages accounts.
	for _, try := range []struct{ method, path, body string }{
		{"POST", "/api/v1/users", `{"email":"x@example.com","role":"admin","password":"` + testPassword + `"}`},
		{"PATCH", "/api/v1/users/1", `{"role":"viewer"}`},
		{"PATCH", "/api/v1/users/1", `{"password":"another-passphrase-99"}`},
		{"PATCH", "/api/v1/users/1", `{"disabled":true}`},
	} {
		if w := send(h, try.method, try.path, try.body, rw); w.Code != 403 || errorCode(w) != "forbidden" {
			t.Errorf("%s %s %s with a read-write admin token: %d %s", try.method, try.path, try.body, w.Code, w.Body)
		}
	}
	if w := send(h, "GET", "/api/v1/users", "", http.Header{"Authorization": {"Bearer smp_forged"}}); w.Code != 401 {
		t.Errorf("forged token: %d", w.Code)
	}
	if w := send(h, "GET", "/api/v1/users", "", http.Header{"Authorization": {"Basic abc"}}); w.Code != 401 {
		t.Errorf("basic auth: %d", w.Code)
	}
}

func TestCSRFAndOrigin(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, false)
	s := signIn(t, svc, "admin")
	body := `{"name":"ci","scope":"read"}`

	noCSRF := http.Header{"Cookie": {"socmap_session=" + s.cookie}}
	if w := send(h, "POST", "/api/v1/tokens", body, noCSRF); w.Code != 403 || errorCode(w) != "csrf" {
		t.Errorf("cookie POST without CSRF token: %d %s", w.Code, w.Body)
	}
	wrong := s.headers()
	wrong.Set("X-Csrf-Token", "guess")
	if w := send(h, "POST", "/api/v1/tokens", body, wrong); w.Code != 403 {
		t.Errorf("wrong CSRF token: %d", w.Code)
	}
	cross := s.headers()
	cross.Set("Origin", "https://evil.example")
	if w := send(h, "POST", "/api/v1/tokens", body, cross); w.Code != 403 || errorCode(w) != "cross_origin" {
		t.Errorf("cross-site POST: %d %s", w.Code, w.Body)
	}
	for name, hdr := range map[string]http.Header{
		"a cross-site fetch":                {"Sec-Fetch-Site": {"cross-site"}},
		"a sibling subdomain":               {"Sec-Fetch-Site": {"same-site"}, "Origin": {"https://other.example.com"}},
		"a sandboxed page (Origin null)":    {"Origin": {"null"}},
		"another port of the same host":     {"Origin": {"http://example.com:8081"}},
		"Sec-Fetch-Site over a same Origin": {"Sec-Fetch-Site": {"cross-site"}, "Origin": {"http://example.com"}},
	} {
		cross := s.headers()
		for k, v := range hdr {
			cross[k] = v
		}
		if w := send(h, "POST", "/api/v1/tokens", body, cross); w.Code != 403 || errorCode(w) != "cross_origin" {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	if w := send(h, "POST", "/api/v1/auth/login", `{"email":"a@example.com","password":"x"}`,
		http.Header{"Origin": {"https://evil.example"}}); w.Code != 403 || errorCode(w) != "cross_origin" {
		t.Errorf("a cross-site sign-in (login CSRF): %d %s", w.Code, w.Body)
	}
	for name, hdr := range map[string]http.Header{
		"the same Origin": {"Origin": {"http://example.com"}}, // httptest requests are for example.com
		// Behind a proxy that rewrites Host the Origin differs, but the browser knows better.
		"Sec-Fetch-Site: same-origin": {"Sec-Fetch-Site": {"same-origin"}, "Origin": {"https://socmap.example.com"}},
		"neither header (a script)":   {},
	} {
		same := s.headers()
		for k, v := range hdr {
			same[k] = v
		}
		if w := send(h, "POST", "/api/v1/tokens", body, same); w.Code != 201 {
			t.Errorf("%s, with the CSRF token: %d %s", name, w.Code, w.Body)
		}
	}
	if w := send(h, "GET", "/api/v1/tokens", "", noCSRF); w.Code != 200 {
		t.Errorf("GET needs no CSRF token: %d", w.Code)
	}
	form := s.headers()
	req := httptest.NewRequest("POST", "/api/v1/tokens", strings.NewReader("name=x"))
	req.Header = form
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := serve(h, req)
	if w.Code != 415 {
		t.Errorf("form-encoded body: %d, want 415", w.Code)
	}
}

func TestLoginOverHTTP(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, true)

	// First run: setup works once and signs the admin in.
	if w := send(h, "GET", "/api/v1/setup", "", nil); !strings.Contains(w.Body.String(), `"needed":true`) {
		t.Fatalf("setup state: %s", w.Body)
	}
	// A server that offers no demo refuses one, and creates nobody.
	if w := send(h, "POST", "/api/v1/setup", `{"email":"first@example.com","password":"`+testPassword+`","demo":true}`, nil); w.Code != 400 {
		t.Errorf("setup with a demo this server does not offer: %d %s", w.Code, w.Body)
	}
	w := send(h, "POST", "/api/v1/setup", `{"email":"first@example.com","name":"First","password":"`+testPassword+`"}`, nil)
	if w.Code != 201 || !strings.Contains(w.Body.String(), `"role":"admin"`) {
		t.Fatalf("setup: %d %s", w.Code, w.Body)
	}
	if w := send(h, "POST", "/api/v1/setup", `{"email":"again@example.com","password":"`+testPassword+`"}`, nil); w.Code != 409 {
		t.Errorf("second setup: %d", w.Code)
	}

	w = send(h, "POST", "/api/v1/auth/login", `{"email":"first@example.com","password":"`+testPassword+`"}`, nil)
	if w.Code != 200 {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	cookie := w.Result().Cookies()[0]
	if cookie.Name != "socmap_session" || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode ||
		cookie.Path != "/" || cookie.MaxAge != int((12*time.Hour).Seconds()) {
		t.Errorf("session cookie %+v: want HttpOnly, Secure, SameSite=Lax, Path=/", cookie)
	}
	var body struct {
		CSRF        string   `json:"csrf_token"`
		Permissions []string `json:"permissions"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("login body %s: %v", w.Body, err)
	}
	if body.CSRF == "" || !contains(body.Permissions, "users.manage") {
		t.Errorf("login body: %s", w.Body)
	}
	s := session{cookie: cookie.Value, csrf: body.CSRF}
	if w := send(h, "GET", "/api/v1/auth/session", "", s.headers()); w.Code != 200 {
		t.Errorf("session: %d", w.Code)
	}
	if w := send(h, "POST", "/api/v1/auth/logout", "", s.headers()); w.Code != 204 {
		t.Errorf("logout: %d %s", w.Code, w.Body)
	}
	if w := send(h, "GET", "/api/v1/auth/session", "", s.headers()); w.Code != 401 {
		t.Errorf("session after logout: %d", w.Code)
	}

	// Five wrong passwords lock the account with a 429 that says when to retry.
	for i := 0; i < 5; i++ {
		send(h, "POST", "/api/v1/auth/login", `{"email":"first@example.com","password":"wrong-wrong-wrong"}`, nil)
	}
	w = send(h, "POST", "/api/v1/auth/login", `{"email":"first@example.com","password":"`+testPassword+`"}`, nil)
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "try again after") {
		t.Errorf("locked-out login: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	for _, bad := range []string{`{"email":1}`, `{"email":"a","extra":true}`, `not json`, ``, `{"a":1}{"b":2}`} {
		if w := send(h, "POST", "/api/v1/auth/login", bad, nil); w.Code != 400 {
			t.Errorf("login body %q: %d, want 400", bad, w.Code)
		}
	}
	big := `{"email":"` + strings.Repeat("x", 2<<20) + `"}`
	if w := send(h, "POST", "/api/v1/auth/login", big, nil); w.Code != 413 {
		t.Errorf("2 MiB login body: %d, want 413", w.Code)
	}
}

// Audit entries are listed for compliance, filtered, and hidden from
// auditors unless they concern an engagement granted to them.
func TestAuditAPI(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, false)
	admin, compliance := signIn(t, svc, "admin"), signIn(t, svc, "compliance")
	w := send(h, "POST", "/api/v1/users", `{"email":"new@example.com","role":"viewer","password":"`+testPassword+`"}`, admin.headers())
	if w.Code != 201 {
		t.Fatal(w.Body)
	}
	w = send(h, "GET", "/api/v1/audit?action=user.create&object_type=user", "", compliance.headers())
	var list struct {
		Entries []struct {
			Action  string                    `json:"action"`
			Actor   string                    `json:"actor"`
			Changes map[string]map[string]any `json:"changes"`
		} `json:"entries"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	// admin, compliance and new@: three creations, newest first, made by the HTTP admin for new@.
	if list.Total != 3 || list.Entries[0].Actor != "admin@example.com" || list.Entries[0].Changes["email"]["after"] != "new@example.com" {
		t.Errorf("audit list: %s", w.Body)
	}
	if w := send(h, "GET", "/api/v1/audit?from=yesterday", "", admin.headers()); w.Code != 400 {
		t.Errorf("bad date filter: %d", w.Code)
	}
	w = send(h, "GET", "/api/v1/audit", "", signIn(t, svc, "auditor").headers())
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"total":0`) {
		t.Errorf("auditor sees entries outside their engagements: %s", w.Body)
	}
}

// A session whose password was entered more than ten minutes ago is asked
// for it again (403 reauth_required) before it may make a token or change
// a role; POST /auth/reauth takes it, and the action then goes through.
func TestStepUpOverHTTP(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	now := time.Now().UTC()
	svc := auth.NewService(db, auth.DefaultSettings(), func() time.Time { return now })
	h := newRouterWith(t, db, builtUI, svc, false)
	admin := signIn(t, svc, "admin")
	signIn(t, svc, "viewer")
	now = now.Add(11 * time.Minute)

	token := `{"name":"ci","scope":"read-write"}`
	if w := send(h, "POST", "/api/v1/tokens", token, admin.headers()); w.Code != 403 || errorCode(w) != "reauth_required" {
		t.Fatalf("token with a stale password: %d %s", w.Code, w.Body)
	}
	if w := send(h, "PATCH", "/api/v1/users/2", `{"role":"admin"}`, admin.headers()); w.Code != 403 || errorCode(w) != "reauth_required" {
		t.Fatalf("role change with a stale password: %d %s", w.Code, w.Body)
	}
	if w := send(h, "POST", "/api/v1/auth/reauth", `{"password":"not-it-at-all"}`, admin.headers()); w.Code != 400 {
		t.Fatalf("wrong password confirmed: %d %s", w.Code, w.Body)
	}
	if w := send(h, "POST", "/api/v1/auth/reauth", `{"password":"`+testPassword+`"}`, admin.headers()); w.Code != 200 {
		t.Fatalf("reauth: %d %s", w.Code, w.Body)
	}
	if w := send(h, "POST", "/api/v1/tokens", token, admin.headers()); w.Code != 201 {
		t.Errorf("token after confirming: %d %s", w.Code, w.Body)
	}
	if w := send(h, "PATCH", "/api/v1/users/2", `{"role":"compliance"}`, admin.headers()); w.Code != 200 {
		t.Errorf("role change after confirming: %d %s", w.Code, w.Body)
	}
}

// Signing in to a disabled account gets exactly the answer a wrong
// password gets.
func TestDisabledSignInLooksLikeAWrongPassword(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	h := newRouterWith(t, db, builtUI, svc, false)
	signIn(t, svc, "owner")
	off := true
	if _, err := svc.UpdateUser(context.Background(), auth.Trusted, 1, auth.UserPatch{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	wrong := send(h, "POST", "/api/v1/auth/login", `{"email":"owner@example.com","password":"wrong-wrong-wrong"}`, nil)
	right := send(h, "POST", "/api/v1/auth/login", `{"email":"owner@example.com","password":"`+testPassword+`"}`, nil)
	unknown := send(h, "POST", "/api/v1/auth/login", `{"email":"nobody@example.com","password":"`+testPassword+`"}`, nil)
	for _, w := range []*httptest.ResponseRecorder{right, unknown} {
		if w.Code != wrong.Code || w.Body.String() != wrong.Body.String() {
			t.Errorf("answer %d %s differs from a wrong password's %d %s", w.Code, w.Body, wrong.Code, wrong.Body)
		}
	}
}
