package httpapi

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
)

const (
	sessionCookie = "socmap_session"
	csrfHeader    = "X-CSRF-Token"
)

// authenticate works out who is calling, from an Authorization: Bearer
// token or the session cookie, and puts them in the request context for
// require and for the audit trail. It refuses cross-site and CSRF-less
// state changes made with a cookie.
func authenticate(svc *auth.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		client, requestID := c.ClientIP(), c.GetString("request_id")
		var p *auth.Principal
		var err error
		if header := c.GetHeader("Authorization"); header != "" {
			secret, ok := strings.CutPrefix(header, "Bearer ")
			if !ok {
				fail(c, &apperr.Error{Kind: apperr.KindUnauthorized, Code: "unauthenticated",
					Message: "the Authorization header must be \"Bearer <token>\""})
				return
			}
			if p, err = svc.TokenPrincipal(ctx, strings.TrimSpace(secret)); err != nil {
				fail(c, err) // a bad token is refused even on public routes
				return
			}
		} else if cookie, cerr := c.Cookie(sessionCookie); cerr == nil && cookie != "" {
			p, err = svc.SessionPrincipal(ctx, cookie)
			if err != nil {
				c.Set("auth_error", err) // reported by require if the route needs a user
				p = nil
			}
		}
		if !safeMethod(c.Request.Method) {
			if err := checkOrigin(c.Request); err != nil {
				fail(c, err)
				return
			}
			if p != nil && p.Via == "session" && !validCSRF(c.GetHeader(csrfHeader), p.CSRFToken) {
				fail(c, &apperr.Error{Kind: apperr.KindForbidden, Code: "csrf",
					Message: "missing or wrong " + csrfHeader + " header; reload the page and try again"})
				return
			}
		}
		actor := auditlog.Actor{Label: "anonymous", Via: "anonymous", Client: client, RequestID: requestID}
		if p != nil {
			c.Set("principal", p)
			actor = p.Actor(client, requestID)
		}
		c.Request = c.Request.WithContext(auditlog.WithActor(ctx, actor))
		c.Next()
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func validCSRF(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// crossOrigin is the standard library's check of a browser's request: its
// Sec-Fetch-Site header, or failing that its Origin against the Host.
// Requests with neither come from scripts, which authenticate with a token
// or, holding a session cookie, still need the CSRF token: that is why the
// token stays, for clients or proxies that drop both headers.
var crossOrigin = http.NewCrossOriginProtection()

// checkOrigin refuses a state-changing request that a browser says comes
// from another origin, sign-in included.
func checkOrigin(r *http.Request) error {
	if err := crossOrigin.Check(r); err != nil {
		return &apperr.Error{Kind: apperr.KindForbidden, Code: "cross_origin",
			Message: "cross-site requests are not accepted"}
	}
	return nil
}

// principal returns the authenticated caller; require guarantees one on
// every non-public route.
func principal(c *gin.Context) *auth.Principal {
	p, _ := c.Get("principal")
	pr, _ := p.(*auth.Principal)
	return pr
}

// require lets the request through only if the caller holds perm: 401
// without a valid session or token, 403 when the role or token scope does
// not allow it.
func require(perm auth.Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		if perm == auth.Public {
			c.Next()
			return
		}
		p := principal(c)
		if p == nil {
			if err, ok := c.Get("auth_error"); ok {
				fail(c, err.(error))
				return
			}
			fail(c, &apperr.Error{Kind: apperr.KindUnauthorized, Code: "unauthenticated",
				Message: "sign in, or send an API token as Authorization: Bearer <token>"})
			return
		}
		if !p.Can(perm) {
			fail(c, apperr.Forbidden("your %s %s does not allow this (%s)", p.Role(), viaWord(p), perm.Name))
			return
		}
		if missing, ok := c.Get(missingKey); ok { // set by engagementGate
			fail(c, missing.(error))
			return
		}
		if perm == auth.RecordTesting {
			if err := mayTest(c, p); err != nil {
				fail(c, err)
				return
			}
		}
		if locked, ok := c.Get(lockedKey); ok { // set by engagementGate
			fail(c, locked.(error))
			return
		}
		c.Next()
	}
}

func viaWord(p *auth.Principal) string {
	if p.Via == "token" {
		return "role or " + p.Token.Scope + " token"
	}
	return "role"
}
