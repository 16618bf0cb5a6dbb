package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auth"
)

// registered holds every API route route() has seen: the description is
// built from the same calls that register the handlers, so it cannot name
// a route the router lacks. Routers built in one process register the same
// routes, so one book serves them all.
var registered = routeBook{seen: map[string]registeredRoute{}}

type registeredRoute struct {
	Method, Path string
	Perm         auth.Permission
}

type routeBook struct {
	mu   sync.Mutex
	seen map[string]registeredRoute
}

func (b *routeBook) add(rt registeredRoute) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen[rt.Method+" "+rt.Path] = rt
}

func (b *routeBook) list() []registeredRoute {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]registeredRoute, 0, len(b.seen))
	for _, rt := range b.seen {
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// openAPIPath turns gin's /engagements/:id into OpenAPI's /engagements/{id}
// and returns the path parameters in order.
func openAPIPath(p string) (string, []string) {
	parts := strings.Split(p, "/")
	var params []string
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			params = append(params, s[1:])
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/"), params
}

func operation(rt registeredRoute, params []string) (gin.H, error) {
	success := gin.H{"description": "success"}
	responses := gin.H{
		"2XX": success,
		"4XX": gin.H{"description": "refused", "content": gin.H{"application/json": gin.H{
			"schema": gin.H{"$ref": "#/components/schemas/Error"}}}},
	}
	op := gin.H{
		"operationId":  strings.ToLower(rt.Method) + strings.ReplaceAll(rt.Path, "/", "_"),
		"x-permission": rt.Perm.Name,
		"responses":    responses,
	}
	if err := describeBodies(op, responses, bodies[rt.Method+" "+rt.Path]); err != nil {
		return nil, fmt.Errorf("%s %s: %w", rt.Method, rt.Path, err)
	}
	if rt.Perm.Name == auth.Public.Name {
		op["security"] = []gin.H{}
	}
	var ps []gin.H
	for _, p := range params {
		ps = append(ps, gin.H{"name": p, "in": "path", "required": true, "schema": gin.H{"type": "string"}})
	}
	qs, err := queryParameters(bodies[rt.Method+" "+rt.Path].Query)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", rt.Method, rt.Path, err)
	}
	if ps = append(ps, qs...); len(ps) > 0 {
		op["parameters"] = ps
	}
	return op, nil
}

// describeBodies adds the JSON request and answer schemas of b's Go types.
func describeBodies(op, responses gin.H, b routeBody) error {
	success, _ := responses["2XX"].(gin.H)
	in, err := requestContent(b)
	if err != nil {
		return err
	}
	if len(in) > 0 {
		op["requestBody"] = gin.H{"required": !b.Optional, "content": in}
	}
	if b.Response != nil {
		s, err := schemaOf(b.Response, true)
		if err != nil {
			return err
		}
		success["content"] = gin.H{"application/json": gin.H{"schema": s}}
	}
	if b.FileType != "" {
		content, _ := success["content"].(gin.H)
		if content == nil {
			content = gin.H{}
			success["content"] = content
		}
		content[b.FileType] = gin.H{}
	}
	if b.Refused != nil {
		s, err := schemaOf(b.Refused, true)
		if err != nil {
			return err
		}
		responses["400"] = gin.H{"description": "refused", "content": gin.H{"application/json": gin.H{
			"schema": gin.H{"anyOf": []any{gin.H{"$ref": "#/components/schemas/Error"}, s}}}}}
	}
	if b.NoContent {
		delete(responses, "2XX")
		responses["204"] = gin.H{"description": "done; no body"}
	}
	if b.File {
		success["description"] = "the file, as an attachment"
	}
	if b.Ranges {
		responses["416"] = gin.H{"description": "the range asked for is not in the file",
			"content": gin.H{"text/plain": gin.H{"schema": gin.H{"type": "string"}}}}
	}
	return nil
}

// requestContent is what a route reads: JSON of Request's type, a
// multipart form, a raw file. Its forms and files carry no schema: the
// handler reads their parts itself.
func requestContent(b routeBody) (gin.H, error) {
	in := gin.H{}
	if b.Request != nil {
		s, err := schemaOf(b.Request, false)
		if err != nil {
			return nil, err
		}
		in["application/json"] = gin.H{"schema": s}
	}
	if b.Form {
		in["multipart/form-data"] = gin.H{}
	}
	if b.Raw {
		in["*/*"] = gin.H{}
	}
	return in, nil
}

// openAPIDocument describes every route registered through route(). It
// fails on a body named for a route that is not registered, so a typo in
// the bodies table cannot leave a route undescribed unnoticed.
func openAPIDocument() (gin.H, error) {
	paths := gin.H{}
	described := 0
	for _, rt := range registered.list() {
		p, params := openAPIPath(rt.Path)
		item, _ := paths[p].(gin.H)
		if item == nil {
			item = gin.H{}
			paths[p] = item
		}
		op, err := operation(rt, params)
		if err != nil {
			return nil, err
		}
		item[strings.ToLower(rt.Method)] = op
		if _, ok := bodies[rt.Method+" "+rt.Path]; ok {
			described++
		}
	}
	if described != len(bodies) {
		return nil, errors.New("the bodies table names a route that is not registered")
	}
	schemas := enumSchemas()
	// The one shape of every error answer, from the type errors are
	// written with, so the two cannot drift apart.
	errorSchema, err := schemaOf(errorBody{}, true)
	if err != nil {
		return nil, err
	}
	schemas["Error"] = errorSchema
	return gin.H{
		"openapi": "3.1.0",
		"info":    gin.H{"title": "socmap API", "version": "1"},
		"paths":   paths,
		"components": gin.H{
			"schemas": schemas,
			"securitySchemes": gin.H{
				"session": gin.H{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				"token":   gin.H{"type": "http", "scheme": "bearer"},
			},
		},
		"security": []gin.H{{"session": []string{}}, {"token": []string{}}},
	}, nil
}

// serveOpenAPI is public: the description holds no data, only the shape of
// the API the web app already reveals, and tools read it before signing in.
func serveOpenAPI(c *gin.Context) {
	doc, err := openAPIDocument()
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, doc)
}
