package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Scope      string     `json:"scope"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

func toTokenJSON(t store.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Scope: t.Scope, ExpiresAt: t.ExpiresAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt, CreatedAt: t.CreatedAt}
}

type tokenList struct {
	Tokens []tokenJSON `json:"tokens"`
}

type tokenBody struct {
	Name      string `json:"name"`
	Scope     string `json:"scope"`
	ExpiresOn string `json:"expires_on"`
}

// newTokenJSON carries the token's secret, shown this once.
type newTokenJSON struct {
	Token   string    `json:"token"`
	Details tokenJSON `json:"details"`
}

type tokenHandlers struct {
	svc *auth.Service
	db  *store.DB
}

func (h tokenHandlers) list(c *gin.Context) {
	tokens, err := h.db.ListTokens(c.Request.Context(), principal(c).User.ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]tokenJSON, len(tokens))
	for i, t := range tokens {
		out[i] = toTokenJSON(t)
	}
	c.JSON(http.StatusOK, tokenList{Tokens: out})
}

func (h tokenHandlers) create(c *gin.Context) {
	var in tokenBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	secret, t, err := h.svc.CreateToken(c.Request.Context(), principal(c),
		auth.NewToken{Name: in.Name, Scope: in.Scope, ExpiresOn: in.ExpiresOn})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, newTokenJSON{Token: secret, Details: toTokenJSON(t)})
}

func (h tokenHandlers) revoke(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.svc.RevokeToken(c.Request.Context(), principal(c), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
