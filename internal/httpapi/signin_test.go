package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
)

// Creating a user and signing in each hash a password with argon2id, the
// largest cost of these tests; a test that asks for the same role's session
// or token again gets the one it already has while it still works, so it
// pays once. Each test keeps its own database: the caches are keyed by it.
var (
	signedIn = struct {
		sync.Mutex
		m map[signInKey]session
	}{m: map[signInKey]session{}}
	tokens = struct {
		sync.Mutex
		m map[tokenKey]string
	}{m: map[tokenKey]string{}}
)

type signInKey struct {
	svc   *auth.Service
	email string
}

type tokenKey struct {
	db   *store.DB
	role string
}

func signIn(t testing.TB, svc *auth.Service, role string) session {
	t.Helper()
	return signInAs(t, svc, role+"@example.com", role)
}

// signInAs signs in a user of the role with the address, creating it if
// need be; a session from an earlier call is reused while it is still live
// for that user and role (a logout, a password change or a disabled
// account ends it, and then the user signs in afresh).
func signInAs(t testing.TB, svc *auth.Service, email, role string) session {
	t.Helper()
	key := signInKey{svc, email}
	signedIn.Lock()
	c, ok := signedIn.m[key]
	signedIn.Unlock()
	if ok {
		p, err := svc.SessionPrincipal(context.Background(), c.cookie)
		if err == nil && p.User.Role == role && p.User.Email == email {
			return c
		}
	}
	c = newSession(t, svc, email, role)
	signedIn.Lock()
	signedIn.m[key] = c
	signedIn.Unlock()
	return c
}

func newSession(t testing.TB, svc *auth.Service, email, role string) session {
	t.Helper()
	ctx := context.Background()
	if _, err := svc.CreateUser(ctx, auth.Trusted, auth.NewUser{Email: email, Role: role, Password: testPassword,
		AccessUntil: "2099-12-31"}); err != nil && !strings.Contains(err.Error(), "exists") {
		t.Fatal(err)
	}
	cookie, p, err := svc.Login(ctx, email, testPassword, "test")
	if err != nil {
		t.Fatal(err)
	}
	return session{cookie: cookie, csrf: p.CSRFToken}
}

// tokenFor returns the Authorization header of a read-write API token of a
// user of the role, the same token while it still acts for that role.
func tokenFor(t testing.TB, db *store.DB, role string) http.Header {
	t.Helper()
	key := tokenKey{db, role}
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	tokens.Lock()
	secret, ok := tokens.m[key]
	tokens.Unlock()
	if ok {
		p, err := svc.TokenPrincipal(context.Background(), secret)
		if err == nil && p.User.Role == role {
			return bearer(secret)
		}
	}
	secret = newToken(t, svc, role)
	tokens.Lock()
	tokens.m[key] = secret
	tokens.Unlock()
	return bearer(secret)
}

func newToken(t testing.TB, svc *auth.Service, role string) string {
	t.Helper()
	ctx := context.Background()
	email := role + "-token@example.com"
	in := auth.NewUser{Email: email, Role: role, Password: testPassword, AccessUntil: "2099-12-31"}
	if _, err := svc.CreateUser(ctx, auth.Trusted, in); err != nil && !strings.Contains(err.Error(), "exists") {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, email, testPassword, "test")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "test", Scope: auth.ScopeReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func bearer(secret string) http.Header {
	return http.Header{"Authorization": {"Bearer " + secret}}
}
