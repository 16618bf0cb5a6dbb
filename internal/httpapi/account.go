package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

type userJSON struct {
	ID          int64      `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	AccessUntil *string    `json:"access_until"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	DisabledAt  *time.Time `json:"disabled_at"`
	Version     int64      `json:"version"` // the ETag's value: send it back as If-Match
}

func toUserJSON(u store.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, AccessUntil: u.AccessUntil,
		Disabled: u.DisabledAt != nil, CreatedAt: u.CreatedAt, DisabledAt: u.DisabledAt,
		Version: u.Version}
}

type accountHandlers struct {
	svc          *auth.Service
	secureCookie bool
	sessionMax   time.Duration
	loadDemo     func(ctx context.Context) error // nil: the first-run page offers no demo
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// setCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure over
// TLS or when configured.
func (h accountHandlers) setCookie(c *gin.Context, value string, maxAge int) {
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, value, maxAge, "/", "", h.secureCookie || c.Request.TLS != nil, true)
}

// sessionBody is what the UI learns about the signed-in user: who they
// are, the CSRF token for its requests, and which permissions they hold,
// so it can hide what they may not use.
func sessionBody(p *auth.Principal) sessionJSON {
	perms := []string{}
	for _, perm := range auth.AllPermissions() {
		if p.Can(perm) {
			perms = append(perms, perm.Name)
		}
	}
	return sessionJSON{User: toUserJSON(p.User), CSRFToken: p.CSRFToken, Via: p.Via, Permissions: perms}
}

type sessionJSON struct {
	User        userJSON `json:"user"`
	CSRFToken   string   `json:"csrf_token"`
	Via         string   `json:"via"`
	Permissions []string `json:"permissions"`
	// DemoError says why the demo asked for at setup did not load.
	DemoError string `json:"demo_error,omitempty"`
}

// setupStateJSON says whether the first administrator is still to be
// created, and whether the first-run page may offer the demo.
type setupStateJSON struct {
	Needed bool `json:"needed"`
	Demo   bool `json:"demo"`
}

type setupBody struct {
	credentials
	Demo bool `json:"demo"`
}

type passwordBody struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

type reauthBody struct {
	Password string `json:"password"`
}

// reauthJSON says when the password was entered and for how long the
// most dangerous actions accept it.
type reauthJSON struct {
	ReauthAt        *time.Time `json:"reauth_at"`
	ValidForSeconds int        `json:"valid_for_seconds"`
}

func (h accountHandlers) setupState(c *gin.Context) {
	needed, err := h.svc.SetupNeeded(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, setupStateJSON{Needed: needed, Demo: h.loadDemo != nil})
}

// setup creates the first administrator and, if asked, loads the demo
// organisation. A demo that fails to load still leaves the administrator
// signed in, and says why.
func (h accountHandlers) setup(c *gin.Context) {
	var in setupBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.Demo && h.loadDemo == nil {
		fail(c, apperr.Invalid("this server does not offer the demo organisation", map[string]string{"demo": "not available"}))
		return
	}
	cookie, p, err := h.svc.Setup(c.Request.Context(),
		auth.NewUser{Email: in.Email, Name: in.Name, Password: in.Password}, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	h.setCookie(c, cookie, int(h.sessionMax.Seconds()))
	body := sessionBody(p)
	if in.Demo {
		ctx := auditlog.WithActor(c.Request.Context(), auditlog.Actor{UserID: &p.User.ID, Label: p.User.Email, Via: "session"})
		if err := h.loadDemo(ctx); err != nil {
			body.DemoError = err.Error()
		}
	}
	c.JSON(http.StatusCreated, body)
}

func (h accountHandlers) login(c *gin.Context) {
	var in credentials
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	cookie, p, err := h.svc.Login(c.Request.Context(), in.Email, in.Password, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	h.setCookie(c, cookie, int(h.sessionMax.Seconds()))
	c.JSON(http.StatusOK, sessionBody(p))
}

func (h accountHandlers) logout(c *gin.Context) {
	if err := h.svc.Logout(c.Request.Context(), principal(c)); err != nil {
		fail(c, err)
		return
	}
	h.setCookie(c, "", -1)
	c.Status(http.StatusNoContent)
}

func (h accountHandlers) session(c *gin.Context) {
	c.JSON(http.StatusOK, sessionBody(principal(c)))
}

func (h accountHandlers) changePassword(c *gin.Context) {
	var in passwordBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.ChangeOwnPassword(c.Request.Context(), principal(c), in.Current, in.New, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// reauthenticate takes the signed-in user's password again, which the
// most dangerous actions ask for (a 403 with code reauth_required).
func (h accountHandlers) reauthenticate(c *gin.Context) {
	var in reauthBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	if err := h.svc.Reauthenticate(c.Request.Context(), p, in.Password, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, reauthJSON{ReauthAt: p.ReauthAt, ValidForSeconds: int(auth.StepUpWindow.Seconds())})
}
