package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
	u, err := svc.CreateUser(context.Background(), auth.Trusted, in)
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

func retryAfter(err error) (time.Duration, bool) {
	e, ok := apperr.As(err)
	return e.RetryAfter, ok && e.Kind == apperr.KindTooMany && e.Code == "locked_out"
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
	// Locked from that address, even with the right password, until the
	// first failure is 15 minutes old.
	_, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.1")
	if wait, locked := retryAfter(err); !locked || wait != 10*time.Minute {
		t.Fatalf("sixth attempt: %v (retry after %v), want locked out for 10 more minutes", err, wait)
	}
	if !strings.Contains(err.Error(), "09:15:00") {
		t.Errorf("message %q does not say when to retry", err)
	}
	// The owner, elsewhere, is not locked out by someone else's guesses.
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.2"); err != nil {
		t.Fatalf("the right password from another address: %v", err)
	}
	clk.t = time.Date(2026, 3, 10, 9, 15, 1, 0, time.UTC)
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.1"); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}

	// Per client address: 20 failures across many accounts lock that address only.
	for i := 0; i < 20; i++ {
		if _, _, err := svc.Login(ctx, "spray"+string(rune('a'+i))+"@example.com", "not-the-password", "10.9.9.9"); err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.9.9.9"); !isKind(err, apperr.KindTooMany) {
		t.Fatalf("sprayed address not locked: %v", err)
	}
	if _, _, err := svc.Login(ctx, "a@example.com", goodPassword, "10.0.0.3"); err != nil {
		t.Fatalf("another address was locked too: %v", err)
	}
}

// Guesses at one account from many addresses are slowed down, more with
// every failure, but the owner can still sign in after a short wait.
func TestGuessingFromManyAddressesSlowsDown(t *testing.T) {
	ctx := context.Background()
	svc, _, clk := setup(t, storetest.Targets(t)[0])
	mustCreate(t, svc, "b@example.com", "viewer")
	guess := func(i int) error {
		_, _, err := svc.Login(ctx, "b@example.com", "not-the-password", fmt.Sprintf("10.1.0.%d", i))
		return err
	}
	for i := 0; i < 10; i++ {
		if err := guess(i); !isKind(err, apperr.KindUnauthorized) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	// The eleventh attempt must wait a second after the tenth failure,
	// each further failure doubling the wait, up to a minute.
	var waits []time.Duration
	for i := 10; i < 20; i++ {
		err := guess(i)
		wait, slowed := retryAfter(err)
		if !slowed {
			t.Fatalf("attempt %d went straight through: %v", i+1, err)
		}
		waits = append(waits, wait)
		clk.advance(wait)
		if err := guess(i); !isKind(err, apperr.KindUnauthorized) {
			t.Fatalf("attempt %d after waiting %v: %v", i+1, wait, err)
		}
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60, 60}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits %v, want %v seconds", waits, want)
		}
	}
	// The owner waits out the current delay and gets in.
	_, _, err := svc.Login(ctx, "b@example.com", goodPassword, "192.0.2.7")
	wait, _ := retryAfter(err)
	clk.advance(wait)
	if _, _, err := svc.Login(ctx, "b@example.com", goodPassword, "192.0.2.7"); err != nil {
		t.Fatalf("the owner after a %v wait: %v", wait, err)
	}
}

// Sixty wrong passwords sent at once check at most five: the attempt is
// counted before the password is hashed, in the same transaction as the
// limit check.
func TestConcurrentGuessesAreCountedBeforeHashing(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			settings := auth.DefaultSettings()
			settings.HashWait = time.Minute // queue rather than refuse: every claimed attempt is checked
			svc := auth.NewService(db, settings, nil)
			mustCreate(t, svc, "target@example.com", "admin")
			checks := auth.CountPasswordChecks(svc)
			var wg sync.WaitGroup
			var locked, refused atomic.Int64
			start := make(chan struct{})
			for i := 0; i < 60; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, _, err := svc.Login(ctx, "target@example.com", fmt.Sprintf("guess-number-%02d", i), "203.0.113.5")
					switch {
					case isKind(err, apperr.KindTooMany):
						locked.Add(1)
					case isKind(err, apperr.KindUnauthorized):
						refused.Add(1)
					default:
						t.Errorf("guess %d: %v", i, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			t.Logf("60 concurrent wrong guesses: %d password checks, %d refused as wrong, %d locked out",
				checks.Load(), refused.Load(), locked.Load())
			if checks.Load() > 5 || refused.Load() > 5 || locked.Load() < 55 {
				t.Fatalf("%d password checks for 60 concurrent guesses, want at most 5", checks.Load())
			}
		})
	}
}

func TestHashSlots(t *testing.T) {
	for _, tt := range []struct {
		mem        uint64
		cpus, want int
	}{{64 << 20, 8, 1}, {256 << 20, 8, 1}, {512 << 20, 8, 3}, {1 << 30, 8, 4}, {64 << 30, 16, 4}, {64 << 30, 2, 2}, {64 << 30, 0, 1}} {
		if got := auth.HashSlots(tt.mem, tt.cpus); got != tt.want {
			t.Errorf("HashSlots(%d MiB, %d cores) = %d, want %d", tt.mem>>20, tt.cpus, got, tt.want)
		}
	}
}

// With every hashing slot taken, sign-in answers 503 with a Retry-After
// instead of queueing without bound.
func TestSignInWhenHashingIsBusy(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, storetest.Targets(t)[0])
	settings := auth.DefaultSettings()
	settings.HashSlots, settings.HashWait = 1, 50*time.Millisecond
	svc := auth.NewService(db, settings, nil)
	mustCreate(t, svc, "busy@example.com", "viewer")
	var wg sync.WaitGroup
	var busy atomic.Int64
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := svc.Login(ctx, fmt.Sprintf("nobody%d@example.com", i), "not-the-password", fmt.Sprintf("10.2.0.%d", i))
			if e, ok := apperr.As(err); ok && e.Kind == apperr.KindUnavailable {
				if e.RetryAfter <= 0 {
					t.Errorf("503 without Retry-After")
				}
				busy.Add(1)
			}
		}()
	}
	wg.Wait()
	if busy.Load() == 0 {
		t.Fatal("12 concurrent sign-ins through one hashing slot with a 50 ms wait: none was turned away")
	}
	// A sign-in turned away checked nothing and does not count against
	// the account: five real failures are still allowed.
	for i := 0; i < 5; i++ {
		if _, _, err := svc.Login(ctx, "busy@example.com", "not-the-password", "10.2.0.99"); !isKind(err, apperr.KindUnauthorized) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
}

func TestDisabledAndExpiredAccounts(t *testing.T) {
	ctx := context.Background()
	svc, db, clk := setup(t, storetest.Targets(t)[0])
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
	if _, err := svc.UpdateUser(ctx, auth.Trusted, v.ID, auth.UserPatch{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SessionPrincipal(ctx, cookie); !isKind(err, apperr.KindUnauthorized) {
		t.Errorf("session of a disabled user still works: %v", err)
	}
	if _, err := svc.TokenPrincipal(ctx, secret); !isKind(err, apperr.KindUnauthorized) {
		t.Errorf("token of a disabled user still works: %v", err)
	}
	_, _, wrong := svc.Login(ctx, "v@example.com", "not-the-password", "c")
	_, _, err = svc.Login(ctx, "v@example.com", goodPassword, "c")
	if !sameAnswer(err, wrong) {
		t.Errorf("disabled user with the right password: %v; want the answer to a wrong password, %v", err, wrong)
	}

	// The auditor's access ends after 2026-06-30.
	if _, _, err := svc.Login(ctx, aud.Email, goodPassword, "c"); err != nil {
		t.Fatalf("auditor within access period: %v", err)
	}
	clk.t = time.Date(2026, 7, 1, 0, 0, 1, 0, time.UTC)
	_, _, err = svc.Login(ctx, aud.Email, goodPassword, "c")
	if !sameAnswer(err, wrong) {
		t.Errorf("auditor after access end: %v; want the answer to a wrong password", err)
	}
	// Only the audit trail says why.
	entries, _, err := auditlog.List(ctx, db, auditlog.Filter{Action: "login.failure", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range entries {
		reasons = append(reasons, e.Changes)
	}
	all := strings.Join(reasons, "\n")
	for _, want := range []string{"access ended on 2026-06-30", "account disabled", "wrong password"} {
		if !strings.Contains(all, want) {
			t.Errorf("audit trail lacks the reason %q: %s", want, all)
		}
	}
}

func isReauth(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.KindForbidden && e.Code == "reauth_required"
}

// The dangerous account actions need the actor's password entered within
// the last ten minutes: a stolen session cookie alone cannot plant an
// administrator or a token.
func TestStepUp(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, _, clk := setup(t, target)
			mustCreate(t, svc, "root@example.com", "admin")
			v := mustCreate(t, svc, "v@example.com", "viewer")
			cookie, _, err := svc.Login(ctx, "root@example.com", goodPassword, "c")
			if err != nil {
				t.Fatal(err)
			}
			clk.advance(11 * time.Minute)
			p, err := svc.SessionPrincipal(ctx, cookie) // the session as a thief holding the cookie has it
			if err != nil {
				t.Fatal(err)
			}
			admin, reset, off, name := "admin", "another-long-passphrase-7", true, "Vera"
			for what, try := range map[string]func() error{
				"role change": func() error { _, err := svc.UpdateUser(ctx, p, v.ID, auth.UserPatch{Role: &admin}); return err },
				"password reset": func() error {
					_, err := svc.UpdateUser(ctx, p, v.ID, auth.UserPatch{Password: &reset})
					return err
				},
				"disabling": func() error { _, err := svc.UpdateUser(ctx, p, v.ID, auth.UserPatch{Disabled: &off}); return err },
				"new user": func() error {
					_, err := svc.CreateUser(ctx, p, auth.NewUser{Email: "evil@example.com", Role: "admin", Password: goodPassword})
					return err
				},
				"new token": func() error {
					_, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "backdoor", Scope: auth.ScopeReadWrite})
					return err
				},
			} {
				if err := try(); !isReauth(err) {
					t.Errorf("%s without a recent password: %v", what, err)
				}
			}
			if _, err := svc.UpdateUser(ctx, p, v.ID, auth.UserPatch{Name: &name}); err != nil {
				t.Errorf("renaming needs no password: %v", err)
			}
			if err := svc.Reauthenticate(ctx, p, "not-the-password", "c"); !isKind(err, apperr.KindInvalid) {
				t.Fatalf("wrong password confirmed: %v", err)
			}
			if err := svc.Reauthenticate(ctx, p, goodPassword, "c"); err != nil {
				t.Fatal(err)
			}
			if p, err = svc.SessionPrincipal(ctx, cookie); err != nil { // the next request sees it
				t.Fatal(err)
			}
			if _, err := svc.UpdateUser(ctx, p, v.ID, auth.UserPatch{Role: &admin}); err != nil {
				t.Errorf("role change right after confirming: %v", err)
			}
			// Confirming is limited like sign-in: a cookie thief cannot guess on.
			for i := 0; i < 5; i++ {
				if err := svc.Reauthenticate(ctx, p, "guess-"+fmt.Sprint(i)+"-xxxxxx", "evil"); !isKind(err, apperr.KindInvalid) {
					t.Fatalf("guess %d: %v", i+1, err)
				}
			}
			if err := svc.Reauthenticate(ctx, p, goodPassword, "evil"); !isKind(err, apperr.KindTooMany) {
				t.Errorf("sixth confirmation from the same address: %v, want locked out", err)
			}
		})
	}
}

// A password change, an administrator's reset and disabling revoke the
// account's API tokens and calendar feed; enabling it again does not
// bring them back.
func TestCredentialsRevoked(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, db, _ := setup(t, target)
			mustCreate(t, svc, "root@example.com", "admin")
			u := mustCreate(t, svc, "o@example.com", "owner")
			makeTokens := func() (string, *auth.Principal) {
				_, p, err := svc.Login(ctx, "o@example.com", goodPassword, "c")
				if err != nil {
					t.Fatal(err)
				}
				secret, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "ci", Scope: auth.ScopeRead})
				if err != nil {
					t.Fatal(err)
				}
				if err := db.W.Exec("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) "+
					"ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL", u.ID, secret, time.Now()).Error; err != nil {
					t.Fatal(err)
				}
				return secret, p
			}
			revoked := func(what string, secret string) {
				t.Helper()
				if _, err := svc.TokenPrincipal(ctx, secret); !isKind(err, apperr.KindUnauthorized) {
					t.Errorf("%s: token still works: %v", what, err)
				}
				var live, feeds int64
				if err := db.R.Table("api_tokens").Where("user_id = ? AND revoked_at IS NULL", u.ID).Count(&live).Error; err != nil {
					t.Fatal(err)
				}
				if err := db.R.Table("calendar_feeds").Where("user_id = ? AND revoked_at IS NULL", u.ID).Count(&feeds).Error; err != nil {
					t.Fatal(err)
				}
				if live != 0 || feeds != 0 {
					t.Errorf("%s: %d tokens and %d feeds without revoked_at", what, live, feeds)
				}
			}

			secret, p := makeTokens()
			next := "a-brand-new-passphrase-1"
			if err := svc.ChangeOwnPassword(ctx, p, goodPassword, next, "c"); err != nil {
				t.Fatal(err)
			}
			revoked("password change", secret)
			reset := goodPassword
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Password: &reset}); err != nil {
				t.Fatal(err)
			}

			secret, _ = makeTokens()
			again := "yet-another-passphrase-2"
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Password: &again}); err != nil {
				t.Fatal(err)
			}
			revoked("password reset", secret)
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Password: &reset}); err != nil {
				t.Fatal(err)
			}

			secret, _ = makeTokens()
			off, on := true, false
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Disabled: &off}); err != nil {
				t.Fatal(err)
			}
			revoked("disabling", secret)
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Disabled: &on}); err != nil {
				t.Fatal(err)
			}
			revoked("enabling again", secret)
		})
	}
}

// sameAnswer reports whether two errors would reach the client alike.
func sameAnswer(a, b error) bool {
	ea, oka := apperr.As(a)
	eb, okb := apperr.As(b)
	return oka && okb && ea.Kind == eb.Kind && ea.Code == eb.Code && ea.Message == eb.Message
}

// What was typed as the e-mail address of a failed sign-in that names no
// account is kept only as a hash and its domain.
func TestUnknownIdentifiersAreRedacted(t *testing.T) {
	ctx := context.Background()
	svc, db, _ := setup(t, storetest.Targets(t)[0])
	for _, typed := range []string{"Hunter2-is-my-password!", "nobody@Example.com"} {
		if _, _, err := svc.Login(ctx, typed, "whatever-password", "c"); !isKind(err, apperr.KindUnauthorized) {
			t.Fatal(err)
		}
	}
	entries, _, err := auditlog.List(ctx, db, auditlog.Filter{Action: "login.failure", Limit: 10})
	if err != nil || len(entries) != 2 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		dump := fmt.Sprintf("%+v", e)
		if strings.Contains(strings.ToLower(dump), "hunter2") || strings.Contains(dump, "nobody") {
			t.Errorf("the typed identifier reached the audit trail: %s", dump)
		}
		if !strings.HasPrefix(e.ObjectID, "?") || e.Actor != e.ObjectID {
			t.Errorf("entry not redacted: %+v", e)
		}
	}
	if !strings.HasSuffix(entries[0].ObjectID, "@example.com") || strings.Contains(entries[1].ObjectID, "@") {
		t.Errorf("domains: %q, %q", entries[0].ObjectID, entries[1].ObjectID)
	}
	var stored int64
	if err := db.R.Table("login_attempts").Where("account_key LIKE ?", "%hunter%").Count(&stored).Error; err != nil || stored != 0 {
		t.Errorf("the typed text is kept for rate limiting: %d %v", stored, err)
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
		if _, err := svc.CreateUser(ctx, auth.Trusted, in); !isKind(err, apperr.KindInvalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	viewer := "viewer"
	if _, err := svc.UpdateUser(ctx, auth.Trusted, admin.ID, auth.UserPatch{Role: &viewer}); !isKind(err, apperr.KindConflict) {
		t.Errorf("demoting the last admin: %v, want a conflict", err)
	}
	second := mustCreate(t, svc, "admin2@example.com", "admin")
	if _, err := svc.UpdateUser(ctx, auth.Trusted, admin.ID, auth.UserPatch{Role: &viewer}); err != nil {
		t.Errorf("demoting one of two admins: %v", err)
	}
	disabled := true
	if _, err := svc.UpdateUser(ctx, auth.Trusted, second.ID, auth.UserPatch{Disabled: &disabled}); !isKind(err, apperr.KindConflict) {
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
			// Two days on, making a token needs the password again.
			if _, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "late", Scope: auth.ScopeRead}); !isReauth(err) {
				t.Fatalf("token made without a recent password: %v", err)
			}
			if err := svc.Reauthenticate(ctx, p, goodPassword, "c"); err != nil {
				t.Fatal(err)
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
			if _, err := svc.UpdateUser(ctx, auth.Trusted, u.ID, auth.UserPatch{Role: &compliance}); err != nil {
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
