package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Login checks an e-mail address and password and starts a session. It
// returns the cookie value, which is shown to nobody else and stored only
// as a hash. A wrong password, an unknown address and a disabled or
// expired account all get the same answer; the audit trail says which.
func (s *Service) Login(ctx context.Context, email, password, client string) (string, *Principal, error) {
	email = store.NormalizeEmail(email)
	u, err := s.db.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", nil, err
	}
	hash := dummyHash // an unknown account takes as long as a real one
	if known {
		hash = u.PasswordHash
	}
	ok, attempt, err := s.checkPassword(ctx, email, client, hash, password)
	if err != nil {
		return "", nil, err
	}
	var reason string
	switch {
	case !known:
		return "", nil, errors.Join(s.loginFailed(ctx, nil, s.redact(email), client, "unknown account"), errBadCredentials)
	case !ok:
		reason = "wrong password"
	default:
		reason = s.accessProblem(u)
	}
	if reason != "" {
		return "", nil, errors.Join(s.loginFailed(ctx, &u.ID, email, client, reason), errBadCredentials)
	}
	if err := s.db.ForgetLoginAttempts(ctx, attempt); err != nil {
		return "", nil, err
	}
	return s.startSession(ctx, u, client)
}

// checkPassword counts an attempt at the account from the client, unless
// the limits refuse it, and only then checks the password, under the
// server-wide bound on hashing. Counting first, in one transaction with
// the limit check, means that however many guesses arrive at once, no
// more than the limit are ever checked. The attempt is returned so that a
// success can be forgotten.
func (s *Service) checkPassword(ctx context.Context, identifier, client, hash, password string) (bool, store.LoginAttempt, error) {
	now := s.now()
	a := store.LoginAttempt{AccountKey: attemptKey(identifier), Client: client, At: now}
	st := s.settings
	lim := store.LoginLimits{Since: now.Add(-st.FailureWindow), Pair: st.MaxFailuresPerPair,
		Client: st.MaxFailuresPerClient, Account: st.SlowdownAfter + 32}
	id, err := s.db.ClaimLoginAttempt(ctx, a, lim, func(h store.LoginHistory) error {
		if until := st.lockedUntil(h, now); until.After(now) {
			return &apperr.Error{Kind: apperr.KindTooMany, Code: "locked_out", RetryAfter: until.Sub(now),
				Message: fmt.Sprintf("too many failed sign-in attempts; try again after %s UTC", until.UTC().Format("2006-01-02 15:04:05"))}
		}
		return nil
	})
	if err != nil {
		return false, a, err
	}
	a.ID = id
	var ok bool
	if err := s.gate.run(ctx, func() { ok = s.verify(hash, password) }); err != nil {
		// Nothing was checked, so nothing counts against the account.
		return false, a, errors.Join(err, s.db.DropLoginAttempt(context.WithoutCancel(ctx), id))
	}
	return ok, a, nil
}

// lockedUntil is when a new attempt may be made given the history, or a
// time not after now when it may be made at once.
func (st Settings) lockedUntil(h store.LoginHistory, now time.Time) time.Time {
	var until time.Time
	later := func(t time.Time) {
		if t.After(until) {
			until = t
		}
	}
	// With max attempts in the window, sign-in reopens when the oldest of
	// them leaves it.
	if n := st.MaxFailuresPerPair; len(h.Pair) >= n {
		later(h.Pair[n-1].Add(st.FailureWindow))
	}
	if n := st.MaxFailuresPerClient; len(h.Client) >= n {
		later(h.Client[n-1].Add(st.FailureWindow))
	}
	if over := len(h.Account) - st.SlowdownAfter; over >= 0 {
		delay := st.SlowdownMax
		if over < 31 {
			delay = min(st.SlowdownBase<<over, st.SlowdownMax)
		}
		later(h.Account[0].Add(delay))
	}
	return until
}

// attemptKey is what the attempt limits count by: a hash of what was typed,
// so a password typed into the e-mail box is not kept. It is unkeyed so
// that every instance sharing the database counts alike.
func attemptKey(identifier string) string {
	sum := sha256.Sum256([]byte("socmap sign-in\x00" + identifier))
	return hex.EncodeToString(sum[:16])
}

var domainPattern = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)+$`)

// redact is how a sign-in identifier that is not an account appears in the
// immutable audit trail: a keyed hash, which tells repeated attempts apart
// without keeping what was typed, and the domain when it looks like one.
func (s *Service) redact(identifier string) string {
	mac := hmac.New(sha256.New, s.settings.IdentifierKey)
	mac.Write([]byte(identifier))
	label := "?" + hex.EncodeToString(mac.Sum(nil))[:16]
	if i := strings.LastIndexByte(identifier, '@'); i >= 0 && len(identifier)-i <= 254 && domainPattern.MatchString(identifier[i+1:]) {
		label += "@" + identifier[i+1:]
	}
	return label
}

// loginFailed records a failed sign-in in the audit trail, with the reason
// only there; it returns only a storage error.
func (s *Service) loginFailed(ctx context.Context, userID *int64, label, client, reason string) error {
	ctx = auditlog.WithActor(ctx, auditlog.Actor{UserID: userID, Label: label, Via: "login",
		Client: client, RequestID: auditlog.ActorFrom(ctx).RequestID})
	objectType, objectID := "login", label
	if userID != nil {
		objectType, objectID = "user", fmt.Sprint(*userID)
	}
	return auditlog.Record(ctx, s.db, auditlog.Event{Action: "login.failure", ObjectType: objectType,
		ObjectID: objectID, Changes: map[string]auditlog.Change{"reason": {After: reason}}})
}

var errWrongPassword = apperr.Invalid("the password is wrong", map[string]string{"password": "wrong password"})

// confirmPassword checks the signed-in user's own password under the same
// limits as sign-in, so a stolen session cannot be used to guess it.
func (s *Service) confirmPassword(ctx context.Context, p *Principal, password, client string) error {
	ok, attempt, err := s.checkPassword(ctx, p.User.Email, client, p.User.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return errors.Join(auditlog.Record(ctx, s.db, auditlog.Event{Action: "reauth.failure", ObjectType: "user",
			ObjectID: fmt.Sprint(p.User.ID)}), errWrongPassword)
	}
	return s.db.ForgetLoginAttempts(ctx, attempt)
}

// Reauthenticate records that the user of a session entered their
// password again, which opens the dangerous actions for StepUpWindow.
func (s *Service) Reauthenticate(ctx context.Context, p *Principal, password, client string) error {
	if p.Via != "session" {
		return apperr.Forbidden("only a signed-in session can confirm a password")
	}
	if err := s.confirmPassword(ctx, p, password, client); err != nil {
		return err
	}
	now := s.now()
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.MarkReauthenticated(ctx, p.SessionHash, now); err != nil {
			return err
		}
		p.ReauthAt = &now
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "reauth.success", ObjectType: "user", ObjectID: fmt.Sprint(p.User.ID)})
	})
}
