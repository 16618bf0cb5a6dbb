package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing/fstest"
)

// OpenAPIJSON is the API description /api/v1/openapi.json serves, built
// without a database: the routes are registered by building a router that
// never serves. The web app's TypeScript types are generated from it.
func OpenAPIJSON() ([]byte, error) {
	if _, err := NewRouter(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), UI: fstest.MapFS{}}); err != nil {
		return nil, err
	}
	doc, err := openAPIDocument()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
