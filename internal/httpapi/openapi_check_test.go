package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
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

// serve answers req with h and checks the request and the answer against
// the description.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	body := readBody(req)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	check(h, req, body, w)
	return w
}

// sentBody is a request's body as a test sent it, and whether the
// handler read any of it: a handler may ignore a body it does not take.
type sentBody struct {
	data []byte
	r    io.Reader
	read bool
}

func (b *sentBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read = b.read || n > 0
	return n, err
}

// readBody takes the request's body and puts back one that notes its reading.
func readBody(req *http.Request) *sentBody {
	b := &sentBody{}
	if req.Body != nil && req.Body != http.NoBody {
		data, err := io.ReadAll(req.Body)
		if err != nil {
			panic(err) // a test's request body is in memory
		}
		b.data = data
	}
	b.r = bytes.NewReader(b.data)
	req.Body = io.NopCloser(b)
	return b
}

func check(h http.Handler, req *http.Request, body *sentBody, w *httptest.ResponseRecorder) {
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
	if w.Code < 300 {
		checkRequest(req, body, route, params)
	}
}

// checkRequest holds a request the server accepted to the description: it
// names the body's fields and types, and the query parameters, the route
// takes. A request it refused may be anything; that is what bad-input
// tests send.
func checkRequest(req *http.Request, body *sentBody, route *routers.Route, params map[string]string) {
	if body.read && route.Operation.RequestBody == nil {
		mismatch(fmt.Sprintf("%s %s read a body the description does not name", req.Method, req.URL.Path))
		return
	}
	var sent io.Reader // none unless read: the route may ignore a body it does not take
	if body.read && len(body.data) > 0 {
		sent = bytes.NewReader(body.data)
	}
	probe := httptest.NewRequest(req.Method, req.URL.String(), sent)
	probe.Header = req.Header.Clone()
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		mismatch(fmt.Sprintf("%s %s was accepted, yet the description refuses it: %v", req.Method, req.URL.Path, err))
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
