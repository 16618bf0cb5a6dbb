package httpapi

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Every API route says what it answers: JSON of a Go type, nothing (204)
// or a file. A route added without an entry in the bodies tables would be
// described with an answer of any shape, which the API tests cannot hold
// it to, so it fails here.
func TestOpenAPIEveryRouteSaysWhatItAnswers(t *testing.T) {
	t.Parallel()
	if _, err := OpenAPIJSON(); err != nil { // registers every route
		t.Fatal(err)
	}
	routes := registered.list()
	if len(routes) < 100 {
		t.Fatalf("only %d API routes registered; the router did not build", len(routes))
	}
	for _, rt := range routes {
		if problem := bodyProblem(rt); problem != "" {
			t.Errorf("%s %s: %s", rt.Method, rt.Path, problem)
		}
	}
}

// bodyProblem is what is wrong with a route's entry, or "".
func bodyProblem(rt registeredRoute) string {
	b, ok := bodies[rt.Method+" "+rt.Path]
	if !ok {
		return "no entry in the bodies tables (openapi_bodies*.go): name the types it reads and answers"
	}
	switch {
	case b.Response == nil && !b.NoContent && !b.File:
		return "its entry names no answer: set Response, NoContent or File"
	case b.NoContent && (b.Response != nil || b.File):
		return "a 204 answers no body, yet the entry names one"
	case b.FileType != "" && !b.File:
		return "FileType names the media type of a File answer; set File too"
	case b.Query != nil && len(queryParams(b.Query)) == 0:
		return "its Query has no `query:\"name\"` fields"
	case rt.Method == "GET" && (b.Request != nil || b.Form || b.Raw):
		return "a GET reads no body"
	}
	return ""
}

// The error schema is the errorBody type's: a code and a message always,
// the fields when there are any.
func TestOpenAPIErrorSchemaIsErrorBody(t *testing.T) {
	t.Parallel()
	raw, err := OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				Error struct {
					Required   []string `json:"required"`
					Properties struct {
						Error struct {
							Required   []string                   `json:"required"`
							Properties map[string]json.RawMessage `json:"properties"`
						} `json:"error"`
					} `json:"properties"`
				} `json:"Error"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	e := doc.Components.Schemas.Error
	if fmt.Sprint(e.Required) != "[error]" || fmt.Sprint(e.Properties.Error.Required) != "[code message]" {
		t.Errorf("Error requires %v and error %v, want [error] and [code message]", e.Required, e.Properties.Error.Required)
	}
	if len(e.Properties.Error.Properties) != 3 || e.Properties.Error.Properties["fields"] == nil {
		t.Errorf("error has %d properties, want code, message and fields", len(e.Properties.Error.Properties))
	}
}
