package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The check every serve() runs refuses a request the server accepted but
// the description does not allow: a field of the wrong type, a field the
// type lacks, a query parameter of the wrong type, a body read where none
// is described. (The mismatches are taken back, so this run still passes.)
func TestOpenAPIContractHoldsAcceptedRequests(t *testing.T) {
	r := newRouter(t, loadedStore(t, storetest.Targets(t)[0]), nil)
	do(r, http.MethodGet, "/api/v1/openapi.json") // loads the description
	cases := []struct{ method, target, body string }{
		{"POST", "/api/v1/controls", `{"ref": 7}`},
		{"POST", "/api/v1/controls", `{"ref": "AC-01", "colour": "red"}`},
		{"GET", "/api/v1/controls?limit=many", ""},
		{"POST", "/api/v1/tasks/1/done", `{"note": "x"}`},
		{"POST", "/api/v1/controls", `{"ref": "AC-01"}`}, // allowed: no mismatch
	}
	for i, tc := range cases {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		body := readBody(req)
		_, _ = io.ReadAll(req.Body) // as a handler that reads the body
		route, params, err := contract.router.FindRoute(httptest.NewRequest(tc.method, tc.target, nil))
		if err != nil {
			t.Fatal(err)
		}
		contract.mu.Lock()
		before := len(contract.mismatches)
		contract.mu.Unlock()
		checkRequest(req, body, route, params)
		contract.mu.Lock()
		found := len(contract.mismatches) > before
		contract.mismatches = contract.mismatches[:before]
		contract.mu.Unlock()
		if want := i < len(cases)-1; found != want {
			t.Errorf("%s %s %s: mismatch found = %v, want %v", tc.method, tc.target, tc.body, found, want)
		}
	}
}
