package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every answer a test receives through serve is checked against the API's
// description: its status, content type and body schema. A mismatch fails
// the package's run, named with the request that received it, so the
// description cannot say one thing while the server answers another.
var contract struct {
	once       sync.Once
	router     routers.Router
	err        error
	mu         sync.Mutex
	mismatches []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if contract.err != nil {
		fmt.Fprintln(os.Stderr, "the API description does not load:", contract.err)
		code = 1
	}
	for _, s := range contract.mismatches {
		fmt.Fprintln(os.Stderr, "answer does not match the API description:", s)
		code = 1
	}
	os.Exit(code)
}

// serve answers req with h and checks the answer against the description.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	check(h, req, w)
	return w
}

func check(h http.Handler, req *http.Request, w *httptest.ResponseRecorder) {
	contract.once.Do(func() { contract.router, contract.err = loadContract(h) })
	if contract.err != nil {
		return
	}
	// A fresh request, without the body the handler has read: the route is
	// found by method and path.
	probe := httptest.NewRequest(req.Method, req.URL.String(), nil)
	probe.Header = req.Header.Clone()
	route, params, err := contract.router.FindRoute(probe)
	if err != nil {
		return // not an API route the description names: the UI, health, an unknown path
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route},
		Status:                 w.Code,
		Header:                 w.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(w.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		mismatch(fmt.Sprintf("%s %s answered %d: %v", req.Method, req.URL.Path, w.Code, err))
	}
}

func mismatch(s string) {
	contract.mu.Lock()
	defer contract.mu.Unlock()
	contract.mismatches = append(contract.mismatches, s)
}

// loadContract reads the description from the router under test.
func loadContract(h http.Handler) (routers.Router, error) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if w.Code != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/openapi.json = %d: %s", w.Code, w.Body)
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
}
