package httpapi

import (
	"reflect"
	"sync"

	"github.com/gin-gonic/gin"
)

// A route's query parameters are the `query:"name"` fields of its bodies
// entry's Query struct: the description names them from it, and newQuery
// takes exactly those names, so a handler cannot read a parameter the
// description leaves out (see query.go).

// queryParam is one query parameter as the description names it.
type queryParam struct {
	Name string
	Type reflect.Type
	Enum string // the name of its allowed-value list, if it has one
}

// queryParams lists the parameters of a Query struct, embedded ones included.
func queryParams(v any) []queryParam {
	if v == nil {
		return nil
	}
	var out []queryParam
	for _, f := range reflect.VisibleFields(reflect.TypeOf(v)) {
		if name := f.Tag.Get("query"); name != "" {
			out = append(out, queryParam{Name: name, Type: f.Type, Enum: f.Tag.Get("enum")})
		}
	}
	return out
}

// queryParameters describes the query parameters of a Query struct.
func queryParameters(v any) ([]gin.H, error) {
	var out []gin.H
	for _, p := range queryParams(v) {
		s, err := paramSchema(p)
		if err != nil {
			return nil, err
		}
		out = append(out, gin.H{"name": p.Name, "in": "query", "schema": s})
	}
	return out, nil
}

// paramSchema is the JSON Schema of a query parameter's value.
func paramSchema(p queryParam) (gin.H, error) {
	if p.Enum != "" {
		if _, ok := enums[p.Enum]; !ok {
			return nil, &unknownEnum{p.Enum}
		}
		return gin.H{"$ref": "#/components/schemas/" + schemaName(p.Enum)}, nil
	}
	switch {
	case p.Type == civilDate:
		return gin.H{"type": "string", "format": "date"}, nil
	case p.Type.Kind() == reflect.Bool:
		return gin.H{"type": "boolean"}, nil
	case p.Type.Kind() >= reflect.Int && p.Type.Kind() <= reflect.Int64:
		return gin.H{"type": "integer"}, nil
	}
	return gin.H{"type": "string"}, nil
}

// queryNames maps each route ("GET /api/v1/controls") to the names of its
// query parameters, built once from the bodies tables.
var queryNames = sync.OnceValue(func() map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(bodies))
	for key, b := range bodies {
		names := map[string]bool{}
		for _, p := range queryParams(b.Query) {
			names[p.Name] = true
		}
		out[key] = names
	}
	return out
})
