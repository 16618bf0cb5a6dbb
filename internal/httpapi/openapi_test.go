package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The description names exactly the API routes the router serves: a route
// registered without route() is missing from it and fails here, and so
// does a described route the router does not answer.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	r := newRouter(t, loadedStore(t, storetest.Targets(t)[0]), nil)
	w := do(r, http.MethodGet, "/api/v1/openapi.json")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d: %s", w.Code, w.Body)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	described := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			described[strings.ToUpper(m)+" "+p] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range r.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		key := rt.Method + " " + ginToOpenAPI(rt.Path)
		served[key] = true
		if !described[key] {
			t.Errorf("%s is served but not described", key)
		}
	}
	for key := range described {
		if !served[key] {
			t.Errorf("%s is described but not served", key)
		}
	}
	if len(served) < 100 {
		t.Errorf("only %d API routes served; the router did not build", len(served))
	}
}

func ginToOpenAPI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// A route refuses a query parameter its description does not name, even
// one whose handler reads no query at all.
func TestOpenAPIUndescribedQueryIsRefused(t *testing.T) {
	t.Parallel()
	r := newRouter(t, loadedStore(t, storetest.Targets(t)[0]), nil)
	for _, target := range []string{"/api/v1/setup?colour=red", "/api/v1/openapi.json?colour=red"} {
		w := do(r, http.MethodGet, target)
		var e apiError
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != http.StatusBadRequest || e.Error.Fields["colour"] != "unknown parameter" {
			t.Errorf("GET %s = %d %s, want 400 naming colour", target, w.Code, w.Body)
		}
	}
	if w := do(r, http.MethodGet, "/api/v1/setup"); w.Code != http.StatusOK {
		t.Errorf("GET /api/v1/setup = %d, want 200", w.Code)
	}
}
