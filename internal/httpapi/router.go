// Package httpapi is socmap's HTTP surface: the JSON API under /api/v1,
// health endpoints and the embedded web UI.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// Deps is everything the router needs; nothing is global.
type Deps struct {
	Log            *slog.Logger
	DB             *store.DB
	Catalog        *catalog.Service
	Auth           *auth.Service
	UI             fs.FS // the built web app (frontend/dist)
	TrustedProxies []string
	SecureCookies  bool          // mark the session cookie Secure even without TLS (behind a TLS proxy)
	SessionMax     time.Duration // absolute session lifetime, for the cookie's Max-Age
}

// route registers a handler behind the permission it needs. Every API
// route goes through here, so none can be added without a decision on
// who may call it.
func route(g *gin.RouterGroup, method, path string, perm auth.Permission, h gin.HandlerFunc) {
	g.Handle(method, path, require(perm), h)
}

// NewRouter builds the gin engine with socmap's middleware and routes.
func NewRouter(d Deps) (*gin.Engine, error) {
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.Use(requestID(), accessLog(d.Log), recovery(d.Log), securityHeaders(), errorMapper(d.Log))

	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d.DB))

	api := r.Group("/api/v1", authenticate(d.Auth))
	acc := accountHandlers{svc: d.Auth, secureCookie: d.SecureCookies, sessionMax: d.SessionMax}
	route(api, "GET", "/setup", auth.Public, acc.setupState)
	route(api, "POST", "/setup", auth.Public, acc.setup)
	route(api, "POST", "/auth/login", auth.Public, acc.login)
	route(api, "POST", "/auth/logout", auth.ManageOwnAccount, acc.logout)
	route(api, "GET", "/auth/session", auth.Authenticated, acc.session)
	route(api, "POST", "/auth/password", auth.ManageOwnAccount, acc.changePassword)

	tok := tokenHandlers{svc: d.Auth, db: d.DB}
	route(api, "GET", "/tokens", auth.Authenticated, tok.list)
	route(api, "POST", "/tokens", auth.ManageOwnAccount, tok.create)
	route(api, "DELETE", "/tokens/:id", auth.ManageOwnAccount, tok.revoke)

	usr := userHandlers{svc: d.Auth, db: d.DB}
	route(api, "GET", "/users", auth.ReadUsers, usr.list)
	route(api, "POST", "/users", auth.ManageUsers, usr.create)
	route(api, "PATCH", "/users/:id", auth.ManageUsers, usr.update)

	route(api, "GET", "/audit", auth.ReadAudit, auditHandlers{db: d.DB}.list)

	cat := catalogHandlers{svc: d.Catalog}
	route(api, "GET", "/frameworks", auth.ReadCatalog, cat.listFrameworks)
	route(api, "GET", "/frameworks/:framework/requirements", auth.ReadCatalog, cat.listRequirements)
	route(api, "GET", "/frameworks/:framework/requirements/:ref", auth.ReadCatalog, cat.getRequirement)

	ui := uiHandler(d.UI)
	r.NoRoute(func(c *gin.Context) {
		if isAPI(c.Request.URL.Path) {
			writeError(c, http.StatusNotFound, "not_found", "no such API endpoint: "+c.Request.URL.Path, nil)
			return
		}
		ui(c)
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, http.StatusMethodNotAllowed, "method_not_allowed",
			c.Request.Method+" is not allowed on "+c.Request.URL.Path, nil)
	})
	return r, nil
}

func isAPI(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
