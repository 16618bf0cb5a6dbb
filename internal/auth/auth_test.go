package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

const goodPassword = "correct-ledger-staple-42"

// clock is a settable time source for expiry tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time            { return c.t }
func (c *clock) advance(d time.Duration)   { c.t = c.t.Add(d) }
func newClock() *clock                     { return &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)} }
func isKind(err error, k apperr.Kind) bool { e, ok := apperr.As(err); return ok && e.Kind == k }

func setup(t *testing.T, target storetest.Target) (*auth.Service, *store.DB, *clock) {
	t.Helper()
	db := storetest.Open(t, target)
	c := newClock()
	return auth.NewService(db, auth.DefaultSettings(), c.now), db, c
}

func mustCreate(t *testing.T, svc *auth.Service, email, role string) store.User {
	t.Helper()
	in := auth.NewUser{Email: email, Role: role, Password: goodPassword}
	if role == "auditor" {
		in.AccessUntil = "2026-06-30"
	}
	u, err := svc.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                   false,
		"password1234":            false, // common
		"Password1234":            false, // common, any case
		"qwertyuiop123":           false,
		"jane.doe-secret-1":       false, // contains the e-mail name
		goodPassword:              true,
		strings.Repeat("x", 257):  false,
		"a long passphrase here!": true,
	} {
		err := auth.CheckPassword(pw, "jane.doe@example.com")
		if (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
	hash, err := auth.HashPassword(goodPassword)
	if err != nil || !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q, %v", hash, err)
	}
	other, _ := auth.HashPassword(goodPassword)
	if other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !auth.VerifyPassword(hash, goodPassword) || auth.VerifyPassword(hash, goodPassword+"x") ||
		auth.VerifyPassword("garbage", goodPassword) {
		t.Error("VerifyPassword gives wrong answers")
	}
}

func TestPolicy(t *testing.T) {
	for _, tt := range []struct {
		role auth.Role
		perm auth.Permission
		want bool
	}{
		{auth.Admin, auth.ManageUsers, true},
		{auth.Compliance, auth.ManageUsers, false},
		{auth.Viewer, auth.ReadCatalog, true},
		{auth.Auditor, auth.ReadUsers, false},
		{auth.Auditor, auth.ReadAudit, true},
		{auth.Owner, auth.ReadAudit, false},
		{auth.Viewer, auth.Public, true},
	} {
		if got := auth.RoleCan(tt.role, tt.perm); got != tt.want {
			t.Errorf("%s can %s = %v, want %v", tt.role, tt.perm.Name, got, tt.want)
		}
	}
}

func TestLoginAndSessions(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, _, clk := setup(t, target)
			mustCreate(t, svc, "Lead@Example.com", "compliance")

			if _, _, err := svc.Login(ctx, "lead@example.com", "wrong-password-000", "10.0.0.1"); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("wrong password: %v", err)
			}
			if _, _, err := svc.Login(ctx, "nobody@example.com", goodPassword, "10.0.0.1"); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("unknown account: %v", err)
			}
			cookie, p, err := svc.Login(ctx, " LEAD@example.com ", goodPassword, "10.0.0.1")
			if err != nil || p.User.Email != "lead@example.com" || len(cookie) < 40 || p.CSRFToken == "" {
				t.Fatalf("login: %q %+v %v", cookie, p, err)
			}
			if got, err := svc.SessionPrincipal(ctx, cookie); err != nil || got.User.ID != p.User.ID {
				t.Fatalf("session lookup: %v", err)
			}
			if _, err := svc.SessionPrincipal(ctx, cookie+"x"); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("forged cookie accepted: %v", err)
			}

			// Idle expiry: 59 minutes of use keeps it alive, 61 idle minutes end it.
			clk.advance(59 * time.Minute)
			if _, err := svc.SessionPrincipal(ctx, cookie); err != nil {
				t.Fatalf("session ended before its idle timeout: %v", err)
			}
			clk.advance(61 * time.Minute)
			if _, err := svc.SessionPrincipal(ctx, cookie); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("idle session still valid: %v", err)
			}

			// Absolute expiry: used every 30 minutes, it still ends after 12 hours.
			cookie, _, err = svc.Login(ctx, "lead@example.com", goodPassword, "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 23; i++ {
				clk.advance(30 * time.Minute)
				if _, err := svc.SessionPrincipal(ctx, cookie); err != nil {
					t.Fatalf("session ended after %d half-hours: %v", i+1, err)
				}
			}
			clk.advance(31 * time.Minute)
			if _, err := svc.SessionPrincipal(ctx, cookie); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("session outlived its absolute timeout: %v", err)
			}

			// Logout ends the session.
			if cookie, p, err = svc.Login(ctx, "lead@example.com", goodPassword, "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
			if err := svc.Logout(ctx, p); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SessionPrincipal(ctx, cookie); !isKind(err, apperr.KindUnauthorized) {
				t.Fatalf("session valid after logout: %v", err)
			}
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	ctx := context.Background()
	svc, _, clk := setup(t, storetest.Targets(t)[0])
	mustCreate(t, svc, "a@example.com", "viewer")
	for i := 0; i < 5; i++ {
		if _, _, err := svc.Login(ctx, "a@example.com", "not-the-password", "10.0.0.1"); !isKind(err, apperr.KindUnauthorized) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		clk.advance(time.Minute)
	}
	// Locked now, even with the right password, until the first failure is 15 minutes old.
	_, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.2")
	var locked *auth.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("sixth attempt: %v, want locked out", err)
	}
	if want := time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC); !locked.RetryAt.Equal(want) {
		t.Errorf("retry at %v, want %v", locked.RetryAt, want)
	}
	if !strings.Contains(locked.Error(), "09:15:00") {
		t.Errorf("message %q does not say when to retry", locked.Error())
	}
	clk.t = locked.RetryAt.Add(time.Second)
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.2"); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}

	// Per client address: 20 failures across many accounts lock that address only.
	for i := 0; i < 20; i++ {
		if _, _, err := svc.Login(ctx, "spray"+string(rune('a'+i))+"@example.com", "not-the-password", "10.9.9.9"); err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.9.9.9"); !errors.As(err, &locked) {
		t.Fatalf("sprayed address not locked: %v", err)
	}
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.3"); err != nil {
		t.Fatalf("another address was locked too: %v", err)
	}
}

func TestDisabledAndExpiredAccounts(t *testing.T) {
	ctx := context.Background()
	svc, _, clk := setup(t, storetest.Targets(t)[0])
	mustCreate(t, svc, "admin@example.com", "admin")
	aud := mustCreate(t, svc, "aud@example.com", "auditor")
	v := mustCreate(t, svc, "v@example.com", "viewer")

	cookie, p, err := svc.Login(ctx, "v@example.com", goodPassword, "c")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "ci", Scope: auth.ScopeRead})
	if err != nil {
		t.Fatal(err)
	}
	disabled := true
	if _, err := svc.UpdateUser(ctx, v.ID, auth.UserPatch{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SessionPrincipal(ctx, cookie); !isKind(err, apperr.KindUnauthorized) {
		t.Errorf("session of a disabled user still works: %v", err)
	}
	if _, err := svc.TokenPrincipal(ctx, secret); !isKind(err, apperr.KindUnauthorized) {
		t.Errorf("token of a disabled user still works: %v", err)
	}
	if _, _, err := svc.Login(ctx, "v@example.com", goodPassword, "c"); !isKind(err, apperr.KindUnauthorized) {
		t.Errorf("disabled user signed in: %v", err)
	}

	// The auditor's access ends after 2026-06-30.
	if _, _, err := svc.Login(ctx, aud.Email, goodPassword, "c"); err != nil {
		t.Fatalf("auditor within access period: %v", err)
	}
	clk.t = time.Date(2026, 7, 1, 0, 0, 1, 0, time.UTC)
	_, _, err = svc.Login(ctx, aud.Email, goodPassword, "c")
	if !isKind(err, apperr.KindUnauthorized) || !strings.Contains(err.Error(), "ended on 2026-06-30") {
		t.Errorf("auditor after access end: %v", err)
	}
}

func TestUserRules(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := setup(t, storetest.Targets(t)[0])
	admin := mustCreate(t, svc, "admin@example.com", "admin")
	for name, in := range map[string]auth.NewUser{
		"bad email":            {Email: "not-an-email", Role: "viewer", Password: goodPassword},
		"bad role":             {Email: "x@example.com", Role: "superuser", Password: goodPassword},
		"weak password":        {Email: "x@example.com", Role: "viewer", Password: "password1234"},
		"auditor without date": {Email: "x@example.com", Role: "auditor", Password: goodPassword},
		"duplicate":            {Email: "ADMIN@example.com", Role: "viewer", Password: goodPassword},
	} {
		if _, err := svc.CreateUser(ctx, in); !isKind(err, apperr.KindInvalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	viewer := "viewer"
	if _, err := svc.UpdateUser(ctx, admin.ID, auth.UserPatch{Role: &viewer}); !isKind(err, apperr.KindConflict) {
		t.Errorf("demoting the last admin: %v, want a conflict", err)
	}
	second := mustCreate(t, svc, "admin2@example.com", "admin")
	if _, err := svc.UpdateUser(ctx, admin.ID, auth.UserPatch{Role: &viewer}); err != nil {
		t.Errorf("demoting one of two admins: %v", err)
	}
	disabled := true
	if _, err := svc.UpdateUser(ctx, second.ID, auth.UserPatch{Disabled: &disabled}); !isKind(err, apperr.KindConflict) {
		t.Errorf("disabling the last admin: %v", err)
	}
}

func TestSetupOnlyOnce(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := setup(t, storetest.Targets(t)[0])
	if needed, err := svc.SetupNeeded(ctx); err != nil || !needed {
		t.Fatalf("a new installation does not need setup (%v)", err)
	}
	_, p, err := svc.Setup(ctx, auth.NewUser{Email: "first@example.com", Password: goodPassword, Role: "viewer"}, "c")
	if err != nil || p.User.Role != "admin" {
		t.Fatalf("setup: %+v %v (the first account is always an admin)", p, err)
	}
	if _, _, err := svc.Setup(ctx, auth.NewUser{Email: "second@example.com", Password: goodPassword}, "c"); !isKind(err, apperr.KindConflict) {
		t.Fatalf("second setup: %v", err)
	}
}

func TestTokens(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, _, clk := setup(t, target)
			mustCreate(t, svc, "c@example.com", "compliance")
			_, p, err := svc.Login(ctx, "c@example.com", goodPassword, "c")
			if err != nil {
				t.Fatal(err)
			}
			rw, tok, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "evidence push", Scope: auth.ScopeReadWrite, ExpiresOn: "2026-03-11"})
			if err != nil || !strings.HasPrefix(rw, "smp_") || tok.Hash == rw || !strings.HasPrefix(rw, tok.Prefix) {
				t.Fatalf("create: %q %+v %v", rw, tok, err)
			}
			ro, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "reader", Scope: auth.ScopeRead})
			if err != nil {
				t.Fatal(err)
			}

			tp, err := svc.TokenPrincipal(ctx, rw)
			if err != nil || tp.Via != "token" {
				t.Fatalf("token auth: %v", err)
			}
			if !tp.Can(auth.ReadCatalog) || tp.Can(auth.ManageUsers) || tp.Can(auth.ManageOwnAccount) {
				t.Error("a read-write token must act within its owner's role and never manage the account")
			}
			rp, err := svc.TokenPrincipal(ctx, ro)
			if err != nil {
				t.Fatal(err)
			}
			if rp.Can(auth.Permission{Name: "catalog.read", Write: true}) {
				t.Error("a read token was allowed a write")
			}

			clk.t = time.Date(2026, 3, 12, 0, 0, 1, 0, time.UTC)
			if _, err := svc.TokenPrincipal(ctx, rw); !isKind(err, apperr.KindUnauthorized) {
				t.Errorf("expired token accepted: %v", err)
			}
			if err := svc.RevokeToken(ctx, p, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.TokenPrincipal(ctx, ro); !isKind(err, apperr.KindUnauthorized) {
				t.Errorf("revoked token accepted: %v", err)
			}
			for name, in := range map[string]auth.NewToken{
				"no name":   {Scope: auth.ScopeRead},
				"bad scope": {Name: "x", Scope: "admin"},
				"past":      {Name: "x", Scope: auth.ScopeRead, ExpiresOn: "2026-03-01"},
				"bad date":  {Name: "x", Scope: auth.ScopeRead, ExpiresOn: "next week"},
			} {
				if _, _, err := svc.CreateToken(ctx, p, in); !isKind(err, apperr.KindInvalid) {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

// Every change leaves an audit entry, and the trail verifies.
func TestAuditTrailOfAccountChanges(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := auditlog.WithActor(context.Background(), auditlog.Actor{Label: "tester", Via: "cli"})
			svc, db, _ := setup(t, target)
			u := mustCreate(t, svc, "o@example.com", "owner")
			if _, _, err := svc.Login(ctx, "o@example.com", "bad-password-xyz", "10.1.1.1"); err == nil {
				t.Fatal("a wrong password signed in")
			}
			compliance := "compliance"
			if _, err := svc.UpdateUser(ctx, u.ID, auth.UserPatch{Role: &compliance}); err != nil {
				t.Fatal(err)
			}

			entries, total, err := auditlog.List(ctx, db, auditlog.Filter{Limit: 10})
			if err != nil || total != 3 {
				t.Fatalf("entries: %d %v", total, err)
			}
			actions := []string{entries[2].Action, entries[1].Action, entries[0].Action}
			if strings.Join(actions, ",") != "user.create,login.failure,user.update" {
				t.Errorf("actions %v", actions)
			}
			if !strings.Contains(entries[0].Changes, `"role":{"before":"owner","after":"compliance"}`) {
				t.Errorf("role change not recorded with before/after: %s", entries[0].Changes)
			}
			if strings.Contains(entries[2].Changes, "argon2") {
				t.Error("the password hash reached the audit trail")
			}
			if entries[1].Client != "10.1.1.1" || entries[0].Actor != "tester" {
				t.Errorf("actor/client not recorded: %+v", entries[:2])
			}
			if n, err := auditlog.Verify(ctx, db); err != nil || n != 3 {
				t.Fatalf("verify: %d %v", n, err)
			}
		})
	}
}
