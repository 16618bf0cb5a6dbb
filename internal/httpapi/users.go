package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

// userList is the accounts that match, one page of them when a limit is given.
type userList struct {
	Users  []userJSON `json:"users"`
	Total  int64      `json:"total"`
	Limit  int        `json:"limit"`
	Offset int        `json:"offset"`
}

type userOne struct {
	User userJSON `json:"user"`
}

type newUserBody struct {
	Email       string `json:"email"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	Password    string `json:"password"`
	AccessUntil string `json:"access_until"`
}

// userPatchBody changes the fields it names and leaves the rest.
type userPatchBody struct {
	Name        *string `json:"name"`
	Role        *string `json:"role"`
	Disabled    *bool   `json:"disabled"`
	AccessUntil *string `json:"access_until"`
	Password    *string `json:"password"`
}

type userHandlers struct {
	svc *auth.Service
	db  *store.DB
}

// list answers the accounts by e-mail address: all of them, or one page
// of those a picker searches for (q, role, active, limit, offset), with
// how many match so a picker never shows a cut list without saying so.
func (h userHandlers) list(c *gin.Context) {
	q := newQuery(c)
	f := store.UserFilter{Text: q.str("q", 200), Active: q.boolean("active"),
		Limit: q.integer("limit", 0, 1, maxPageSize), Offset: q.integer("offset", 0, 0, 100_000_000)}
	f.Roles = roles(q)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	users, total, err := h.db.UsersPage(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = toUserJSON(u)
	}
	c.JSON(http.StatusOK, userList{Users: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// roles reads the role parameter: roles separated by commas.
func roles(q *query) []string {
	v := q.str("role", 200)
	if v == "" {
		return nil
	}
	out := strings.Split(v, ",")
	for _, r := range out {
		if !auth.ValidRole(r) {
			q.fields["role"] = "roles separated by commas, each one of admin, compliance, owner, auditor, viewer"
			return nil
		}
	}
	return out
}

func (h userHandlers) create(c *gin.Context) {
	var in newUserBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	u, err := h.svc.CreateUser(c.Request.Context(), principal(c), auth.NewUser{Email: in.Email, Name: in.Name,
		Role: in.Role, Password: in.Password, AccessUntil: in.AccessUntil})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, userOne{User: toUserJSON(u)})
}

// account is a user as GET /users/:id shows it, with its version.
func (h userHandlers) account(c *gin.Context, id int64) (any, int64, error) {
	u, err := h.db.UserByID(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("user %d not found", id)
	}
	if err != nil {
		return nil, 0, err
	}
	return userOne{User: toUserJSON(u)}, u.Version, nil
}

func (h userHandlers) get(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	body, v, err := h.account(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(http.StatusOK, body)
}

func (h userHandlers) update(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in userPatchBody
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	v, ok := ifMatchOrFail(c)
	if !ok {
		return
	}
	u, err := h.svc.UpdateUser(c.Request.Context(), principal(c), id, auth.UserPatch{Name: in.Name, Role: in.Role,
		Disabled: in.Disabled, AccessUntil: in.AccessUntil, Password: in.Password, IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.account(c, id) })
		return
	}
	setETag(c, u.Version)
	c.JSON(http.StatusOK, userOne{User: toUserJSON(u)})
}

// pathID reads a positive integer path parameter.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.Invalid("invalid "+name+" in the path", map[string]string{name: "must be a positive whole number"})
	}
	return id, nil
}
