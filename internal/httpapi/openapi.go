package httpapi

import (
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

// errorSchema is the one shape every 4xx answer has.
var errorSchema = gin.H{
	"type":     "object",
	"required": []string{"error"},
	"properties": gin.H{"error": gin.H{
		"type":     "object",
		"required": []string{"code", "message"},
		"properties": gin.H{
			"code":    gin.H{"type": "string"},
			"message": gin.H{"type": "string"},
			"fields":  gin.H{"type": "object", "additionalProperties": gin.H{"type": "string"}},
		},
	}},
}

func operation(rt registeredRoute, params []string) gin.H {
	op := gin.H{
		"operationId":  strings.ToLower(rt.Method) + strings.ReplaceAll(rt.Path, "/", "_"),
		"x-permission": rt.Perm.Name,
		"responses": gin.H{
			"2XX": gin.H{"description": "success"},
			"4XX": gin.H{"description": "refused", "content": gin.H{"application/json": gin.H{
				"schema": gin.H{"$ref": "#/components/schemas/Error"}}}},
		},
	}
	if rt.Perm.Name == auth.Public.Name {
		op["security"] = []gin.H{}
	}
	if len(params) > 0 {
		ps := make([]gin.H, 0, len(params))
		for _, p := range params {
			ps = append(ps, gin.H{"name": p, "in": "path", "required": true, "schema": gin.H{"type": "string"}})
		}
		op["parameters"] = ps
	}
	return op
}

// openAPIDocument describes every route registered through route().
func openAPIDocument() gin.H {
	paths := gin.H{}
	for _, rt := range registered.list() {
		p, params := openAPIPath(rt.Path)
		item, _ := paths[p].(gin.H)
		if item == nil {
			item = gin.H{}
			paths[p] = item
		}
		item[strings.ToLower(rt.Method)] = operation(rt, params)
	}
	return gin.H{
		"openapi": "3.1.0",
		"info":    gin.H{"title": "socmap API", "version": "1"},
		"paths":   paths,
		"components": gin.H{
			"schemas": gin.H{"Error": errorSchema},
			"securitySchemes": gin.H{
				"session": gin.H{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				"token":   gin.H{"type": "http", "scheme": "bearer"},
			},
		},
		"security": []gin.H{{"session": []string{}}, {"token": []string{}}},
	}
}

// serveOpenAPI is public: the description holds no data, only the shape of
// the API the web app already reveals, and tools read it before signing in.
func serveOpenAPI(c *gin.Context) { c.JSON(http.StatusOK, openAPIDocument()) }
