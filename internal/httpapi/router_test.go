package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

var builtUI = fstest.MapFS{
	"index.html":                 {Data: []byte("<!doctype html><title>socmap</title>")},
	"assets/index-3f2a1b.js":     {Data: []byte("console.log(1)")},
	"favicon.svg":                {Data: []byte("<svg/>")},
	"assets/index-3f2a1b.css":    {Data: []byte("body{}")},
	"assets/nested/chunk-9a8.js": {Data: []byte("x")},
}

func newRouter(t *testing.T, db *store.DB, ui fstest.MapFS) *gin.Engine {
	t.Helper()
	return newRouterWith(t, db, ui, auth.NewService(db, auth.DefaultSettings(), nil), false)
}

func newRouterWith(t testing.TB, db *store.DB, ui fstest.MapFS, svc *auth.Service, secure bool) *gin.Engine {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newRouterOn(t, db, ui, svc, secure, blobs)
}

// newRouterOn builds the router with its evidence in blobs.
func newRouterOn(t testing.TB, db *store.DB, ui fstest.MapFS, svc *auth.Service, secure bool, blobs blob.Store) *gin.Engine {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctl, ev, eng := controls.NewService(db), evidence.NewService(db, blobs, testMaxUpload), engagement.NewService(db, nil)
	tsk := tasks.NewService(db, eng, tasks.DefaultSettings())
	ing := ingest.NewService(db, blobs, t.TempDir(), testMaxUpload, time.UTC)
	ev.Changed, eng.Changed, ing.Changed = tsk.Follow(log), tsk.Follow(log), tsk.Follow(log)
	ev.FillsWindow = eng.WindowFilledBy
	eng.Records = record.NewService(db, eng)
	ctl.Changed = ing.Follow(log, tsk.Follow(log))
	objectives := soc1.NewService(db)
	objectives.Changed = ctl.Changed
	key, err := signing.LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	notary := auditlog.NewNotary(db, key, t.TempDir())
	tsk.Notary = notary
	r, err := httpapi.NewRouter(httpapi.Deps{
		Log:           log,
		DB:            db,
		Catalog:       catalog.NewService(db),
		Auth:          svc,
		Controls:      ctl,
		SOC1:          objectives,
		Evidence:      ev,
		Engagements:   eng,
		Tasks:         tsk,
		Ingest:        ing,
		MaxIngestFile: testMaxUpload,
		ExportDir:     t.TempDir(),
		Blobs:         blobs,
		Notary:        notary,
		UI:            ui,
		SecureCookies: secure,
		SessionMax:    12 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func loadedStore(t testing.TB, target storetest.Target) *store.DB {
	t.Helper()
	db := catalogtest.Open(t, target)
	return db
}

// do sends a request with optional headers (e.g. a bearer token from
// tokenFor) and no body.
func do(h http.Handler, method, target string, headers ...http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for _, hdr := range headers {
		for k, v := range hdr {
			req.Header[k] = v
		}
	}
	return serve(h, req)
}

const testPassword = "audit-ready-passphrase-7"

// testMaxUpload is the evidence size limit in router tests: 8 MiB, so the
// over-limit cases stay quick.
const testMaxUpload = 8 << 20

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

type requirementList struct {
	Requirements []struct {
		Ref           string `json:"ref"`
		Category      string `json:"category"`
		Series        string `json:"series"`
		COSOPrinciple *int   `json:"coso_principle"`
		Title         string `json:"title"`
	} `json:"requirements"`
	Total int `json:"total"`
	Limit int `json:"limit"`
}

func TestCatalogAPI(t *testing.T) {
	t.Parallel()
	const soc2 = "/api/v1/frameworks/soc2-tsc-2017"
	tests := []struct {
		name, path string
		status     int
		total      int    // for 200 listings: expected total
		first      string // for 200 listings: expected first ref
		errField   string // for 400: the field named in the error
	}{
		{name: "all SOC 2", path: soc2 + "/requirements?limit=500", status: 200, total: 61, first: "CC1.1"},
		{name: "default page", path: soc2 + "/requirements", status: 200, total: 61, first: "CC1.1"},
		{name: "by category", path: soc2 + "/requirements?category=availability", status: 200, total: 3, first: "A1.1"},
		{name: "by series", path: soc2 + "/requirements?series=CC6", status: 200, total: 8, first: "CC6.1"},
		{name: "privacy", path: soc2 + "/requirements?category=privacy", status: 200, total: 18, first: "P1.1"},
		{name: "search by ref", path: soc2 + "/requirements?q=cc6.1", status: 200, total: 1, first: "CC6.1"},
		{name: "second page", path: soc2 + "/requirements?limit=10&offset=60", status: 200, total: 61, first: "P8.1"},
		{name: "LIKE wildcards are literal", path: soc2 + "/requirements?q=%25_%25", status: 200, total: 0},
		{name: "SOC 1 templates", path: "/api/v1/frameworks/soc1-objective-templates/requirements?category=itgc", status: 200, first: "ITGC-"},
		{name: "unknown category", path: soc2 + "/requirements?category=nope", status: 400, errField: "category"},
		{name: "limit not a number", path: soc2 + "/requirements?limit=ten", status: 400, errField: "limit"},
		{name: "limit too large", path: soc2 + "/requirements?limit=501", status: 400, errField: "limit"},
		{name: "negative offset", path: soc2 + "/requirements?offset=-1", status: 400, errField: "offset"},
		{name: "unknown parameter", path: soc2 + "/requirements?sort=ref", status: 400, errField: "sort"},
		{name: "repeated parameter", path: soc2 + "/requirements?q=a&q=b", status: 400, errField: "q"},
		{name: "search too long", path: soc2 + "/requirements?q=" + strings.Repeat("x", 201), status: 400, errField: "q"},
		{name: "unknown framework", path: "/api/v1/frameworks/iso27001/requirements", status: 404},
		{name: "one requirement", path: soc2 + "/requirements/CC6.1", status: 200},
		{name: "unknown requirement", path: soc2 + "/requirements/CC6.9", status: 404},
		{name: "requirement of unknown framework", path: "/api/v1/frameworks/x/requirements/CC6.1", status: 404},
		{name: "unknown API route", path: "/api/v1/nope", status: 404},
		{name: "unknown API version", path: "/api/v2/frameworks", status: 404},
	}
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := loadedStore(t, target)
			h := newRouter(t, db, builtUI)
			viewer := tokenFor(t, db, "viewer")
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					w := do(h, "GET", tt.path, viewer)
					if w.Code != tt.status {
						t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
					}
					if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
						t.Fatalf("Content-Type %q, want JSON", ct)
					}
					if tt.status != 200 {
						var e apiError
						if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
							t.Fatalf("error body %s is not the error shape (%v)", w.Body, err)
						}
						if tt.errField != "" && e.Error.Fields[tt.errField] == "" {
							t.Fatalf("error %s does not name field %q", w.Body, tt.errField)
						}
						return
					}
					if !strings.Contains(tt.path, "/requirements?") && !strings.HasSuffix(tt.path, "/requirements") {
						return
					}
					var list requirementList
					if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
						t.Fatal(err)
					}
					if tt.total != 0 && list.Total != tt.total {
						t.Errorf("total %d, want %d", list.Total, tt.total)
					}
					if tt.total == 0 && tt.first == "" && len(list.Requirements) != 0 {
						t.Errorf("want no results, got %d", len(list.Requirements))
					}
					if tt.first != "" && (len(list.Requirements) == 0 || !strings.HasPrefix(list.Requirements[0].Ref, tt.first)) {
						t.Errorf("first result %+v, want %s", list.Requirements, tt.first)
					}
				})
			}
		})
	}
}

func TestFrameworksList(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	h := newRouter(t, db, builtUI)
	w := do(h, "GET", "/api/v1/frameworks", tokenFor(t, db, "auditor"))
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var body struct {
		Frameworks []struct {
			ID               string `json:"id"`
			Kind             string `json:"kind"`
			RequirementCount int    `json:"requirement_count"`
			Categories       []struct {
				Code             string `json:"code"`
				RequirementCount int    `json:"requirement_count"`
			} `json:"categories"`
		} `json:"frameworks"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Frameworks) != 3 || body.Frameworks[0].Kind != "soc2" || body.Frameworks[1].Kind != "soc1" ||
		body.Frameworks[2].ID != "org-soc1" {
		t.Fatalf("frameworks = %+v, want SOC 2, the SOC 1 templates, then our SOC 1 objectives", body.Frameworks)
	}
	soc2 := body.Frameworks[0]
	if soc2.RequirementCount != 61 || len(soc2.Categories) != 5 || soc2.Categories[0].Code != "security" ||
		soc2.Categories[0].RequirementCount != 33 {
		t.Errorf("SOC 2 summary = %+v", soc2)
	}
	if body.Frameworks[1].RequirementCount < 30 {
		t.Errorf("SOC 1 templates: %d", body.Frameworks[1].RequirementCount)
	}
}

func TestRequirementDetail(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	h := newRouter(t, db, builtUI)
	w := do(h, "GET", "/api/v1/frameworks/soc2-tsc-2017/requirements/CC1.1", tokenFor(t, db, "owner"))
	var body struct {
		Requirement struct {
			Ref           string `json:"ref"`
			COSOPrinciple *int   `json:"coso_principle"`
			Description   string `json:"description"`
		} `json:"requirement"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	r := body.Requirement
	if r.Ref != "CC1.1" || r.COSOPrinciple == nil || *r.COSOPrinciple != 1 || r.Description == "" {
		t.Errorf("CC1.1 = %+v", r)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	h := newRouter(t, db, builtUI)
	if w := do(h, "GET", "/healthz"); w.Code != 200 {
		t.Errorf("/healthz: %d", w.Code)
	}
	if w := do(h, "GET", "/readyz"); w.Code != 200 {
		t.Errorf("/readyz: %d %s", w.Code, w.Body)
	}
	db.Close()
	if w := do(h, "GET", "/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: %d, want 503", w.Code)
	}
	if w := do(h, "GET", "/healthz"); w.Code != 200 {
		t.Errorf("/healthz must not depend on the database: %d", w.Code)
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	h := newRouter(t, loadedStore(t, storetest.Targets(t)[0]), builtUI)
	h.GET("/api/v1/test-panic", func(*gin.Context) { panic("boom") })

	w := do(h, "GET", "/api/v1/test-panic")
	var e apiError
	if w.Code != 500 || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Code != "internal" ||
		strings.Contains(w.Body.String(), "boom") {
		t.Errorf("panic answered %d %s; want a JSON 500 without the panic text", w.Code, w.Body)
	}

	w = do(h, "GET", "/healthz")
	if id := w.Header().Get("X-Request-ID"); len(id) < 16 {
		t.Errorf("no generated request id: %q", id)
	}
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
	} {
		if got := w.Header().Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}

	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	w = serve(h, req)
	if got := w.Header().Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("caller's request id not kept: %q", got)
	}
	req.Header.Set("X-Request-ID", "bad id\nwith newline")
	w = serve(h, req)
	if got := w.Header().Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " \n") {
		t.Errorf("malformed request id echoed: %q", got)
	}

	w = do(h, "POST", "/api/v1/frameworks")
	if w.Code != http.StatusMethodNotAllowed || json.Unmarshal(w.Body.Bytes(), &e) != nil {
		t.Errorf("POST /api/v1/frameworks: %d %s, want a JSON 405", w.Code, w.Body)
	}
}

func TestWebUI(t *testing.T) {
	t.Parallel()
	db := loadedStore(t, storetest.Targets(t)[0])
	h := newRouter(t, db, builtUI)
	tests := []struct {
		path, cache, body string
		status            int
	}{
		{"/", "no-cache", "<title>socmap</title>", 200},
		{"/catalog/soc2-tsc-2017?q=access", "no-cache", "<title>socmap</title>", 200},
		{"/index.html", "no-cache", "<title>socmap</title>", 200},
		{"/assets/index-3f2a1b.js", "public, max-age=31536000, immutable", "console.log(1)", 200},
		{"/assets/nested/chunk-9a8.js", "public, max-age=31536000, immutable", "x", 200},
		{"/favicon.svg", "no-cache", "<svg/>", 200},
		{"/assets/missing-123.js", "", "not found", 404},
		{"/../../etc/passwd", "no-cache", "<title>socmap</title>", 200},
	}
	for _, tt := range tests {
		w := do(h, "GET", tt.path)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) || w.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("GET %s: %d, Cache-Control %q, body %q", tt.path, w.Code, w.Header().Get("Cache-Control"), w.Body)
		}
	}
	if w := do(h, "POST", "/catalog"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /catalog: %d", w.Code)
	}

	bare := newRouter(t, db, fstest.MapFS{".gitkeep": {}})
	w := do(bare, "GET", "/catalog")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "UI is not built") || !strings.Contains(w.Body.String(), "make build") {
		t.Errorf("without a built UI: %d %s", w.Code, w.Body)
	}
	if w := do(bare, "GET", "/api/v1/frameworks", tokenFor(t, db, "viewer")); w.Code != 200 {
		t.Errorf("the API must work without the UI: %d", w.Code)
	}
}
