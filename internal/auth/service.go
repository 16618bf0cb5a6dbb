package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Settings are the session and sign-in limits.
type Settings struct {
	IdleTimeout     time.Duration // a session unused this long ends
	AbsoluteTimeout time.Duration // a session ends this long after sign-in, used or not
	// Sign-in is refused after this many failures within FailureWindow, per
	// account and per client address.
	MaxFailuresPerAccount int
	MaxFailuresPerClient  int
	FailureWindow         time.Duration
}

// DefaultSettings suit a compliance team: a working day's session, a
// handful of tries.
func DefaultSettings() Settings {
	return Settings{
		IdleTimeout: time.Hour, AbsoluteTimeout: 12 * time.Hour,
		MaxFailuresPerAccount: 5, MaxFailuresPerClient: 20, FailureWindow: 15 * time.Minute,
	}
}

// Service signs people in and manages accounts, sessions and tokens.
type Service struct {
	db       *store.DB
	settings Settings
	now      func() time.Time
}

// NewService builds the service; now may be nil for the real clock.
func NewService(db *store.DB, s Settings, now func() time.Time) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Service{db: db, settings: s, now: now}
}

// Principal is an authenticated caller.
type Principal struct {
	User        store.User
	Via         string // "session" or "token"
	SessionHash string
	CSRFToken   string
	Token       *store.APIToken
}

// Role is the principal's role.
func (p *Principal) Role() Role { return Role(p.User.Role) }

// Can reports whether the principal may use a permission: the role must
// hold it, and a token acts with at most its scope.
func (p *Principal) Can(perm Permission) bool {
	if !RoleCan(p.Role(), perm) {
		return false
	}
	if p.Via == "token" {
		if perm.SessionOnly || (perm.Write && p.Token.Scope != ScopeReadWrite) {
			return false
		}
	}
	return true
}

// Actor is how the principal appears in the audit trail.
func (p *Principal) Actor(client, requestID string) auditlog.Actor {
	a := auditlog.Actor{UserID: &p.User.ID, Label: p.User.Email, Via: p.Via, Client: client, RequestID: requestID}
	if p.Token != nil {
		a.TokenID = &p.Token.ID
	}
	return a
}

var (
	errBadCredentials = &apperr.Error{Kind: apperr.KindUnauthorized, Code: "bad_credentials",
		Message: "wrong e-mail address or password"}
	errNoSession = &apperr.Error{Kind: apperr.KindUnauthorized, Code: "unauthenticated",
		Message: "sign in first: your session is missing or has ended"}
	errBadToken = &apperr.Error{Kind: apperr.KindUnauthorized, Code: "unauthenticated",
		Message: "the API token is unknown, revoked or expired"}
)

// accessError explains why an existing account may not sign in now.
func (s *Service) accessError(u store.User) error {
	if u.DisabledAt != nil {
		return &apperr.Error{Kind: apperr.KindUnauthorized, Code: "account_disabled",
			Message: "this account is disabled; ask an administrator"}
	}
	if u.AccessUntil != nil && s.now().Format(time.DateOnly) > *u.AccessUntil {
		return &apperr.Error{Kind: apperr.KindUnauthorized, Code: "access_ended",
			Message: fmt.Sprintf("access for this account ended on %s; ask the compliance team to extend it", *u.AccessUntil)}
	}
	return nil
}

// LockedError says sign-in is refused until RetryAt.
type LockedError struct{ RetryAt time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed sign-in attempts; try again after %s UTC", e.RetryAt.UTC().Format("2006-01-02 15:04:05"))
}

// lockedUntil returns when sign-in opens again for this account or client
// address, or the zero time if it is open now.
func (s *Service) lockedUntil(ctx context.Context, email, client string) (time.Time, error) {
	since := s.now().Add(-s.settings.FailureWindow)
	var until time.Time
	for _, lim := range []struct {
		byEmail bool
		value   string
		max     int
	}{{true, email, s.settings.MaxFailuresPerAccount}, {false, client, s.settings.MaxFailuresPerClient}} {
		times, err := s.db.RecentLoginFailures(ctx, lim.byEmail, lim.value, since, lim.max)
		if err != nil {
			return time.Time{}, err
		}
		// With max failures in the window, sign-in reopens when the oldest
		// of them leaves the window.
		if len(times) >= lim.max {
			if t := times[lim.max-1].Add(s.settings.FailureWindow); t.After(until) {
				until = t
			}
		}
	}
	return until, nil
}

// Login checks an e-mail address and password and starts a session. It
// returns the cookie value, which is shown to nobody else and stored only
// as a hash.
func (s *Service) Login(ctx context.Context, email, password, client string) (string, *Principal, error) {
	email = store.NormalizeEmail(email)
	if until, err := s.lockedUntil(ctx, email, client); err != nil {
		return "", nil, err
	} else if !until.IsZero() {
		return "", nil, &LockedError{RetryAt: until}
	}
	u, err := s.db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		VerifyPassword(dummyHash, password) // same time as a real check
		return "", nil, errors.Join(s.loginFailed(ctx, email, client, nil, "unknown account"), errBadCredentials)
	}
	if err != nil {
		return "", nil, err
	}
	if !VerifyPassword(u.PasswordHash, password) {
		return "", nil, errors.Join(s.loginFailed(ctx, email, client, &u.ID, "wrong password"), errBadCredentials)
	}
	if refused := s.accessError(u); refused != nil {
		return "", nil, errors.Join(s.loginFailed(ctx, email, client, &u.ID, refused.Error()), refused)
	}
	return s.startSession(ctx, u, client)
}

// loginFailed records a failed sign-in for rate limiting and the audit
// trail; it returns only a storage error.
func (s *Service) loginFailed(ctx context.Context, email, client string, userID *int64, reason string) error {
	ctx = auditlog.WithActor(ctx, auditlog.Actor{UserID: userID, Label: email, Via: "login",
		Client: client, RequestID: auditlog.ActorFrom(ctx).RequestID})
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&store.LoginFailure{Email: email, Client: client, At: s.now()}).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "login.failure", ObjectType: "user",
			ObjectID: email, Changes: map[string]auditlog.Change{"reason": {After: reason}}})
	})
}

func (s *Service) startSession(ctx context.Context, u store.User, client string) (string, *Principal, error) {
	secret, hash := newSecret("")
	csrf, _ := newSecret("")
	now := s.now()
	sess := store.Session{IDHash: hash, UserID: u.ID, CSRFToken: csrf, Client: client,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.settings.AbsoluteTimeout)}
	p := &Principal{User: u, Via: "session", SessionHash: hash, CSRFToken: csrf}
	ctx = auditlog.WithActor(ctx, p.Actor(client, auditlog.ActorFrom(ctx).RequestID))
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&sess).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "login.success", ObjectType: "user",
			ObjectID: fmt.Sprint(u.ID)})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, p, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Delete(&store.Session{}, "id_hash = ?", p.SessionHash).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "logout", ObjectType: "user",
			ObjectID: fmt.Sprint(p.User.ID)})
	})
}

// touchEvery bounds how often a session's last-seen time is written: idle
// expiry does not need second precision, and a write per request would
// serialise every reader behind the SQLite writer.
const touchEvery = time.Minute

// SessionPrincipal returns who holds a session cookie.
func (s *Service) SessionPrincipal(ctx context.Context, cookie string) (*Principal, error) {
	if cookie == "" {
		return nil, errNoSession
	}
	sess, u, err := s.db.SessionWithUser(ctx, hashSecret(cookie))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.settings.IdleTimeout {
		if err := s.db.W.WithContext(ctx).Delete(&store.Session{}, "id_hash = ?", sess.IDHash).Error; err != nil {
			return nil, err
		}
		return nil, errNoSession
	}
	if err := s.accessError(u); err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		err := s.db.W.WithContext(ctx).Model(&store.Session{}).Where("id_hash = ?", sess.IDHash).
			Update("last_seen_at", now).Error
		if err != nil {
			return nil, err
		}
	}
	return &Principal{User: u, Via: "session", SessionHash: sess.IDHash, CSRFToken: sess.CSRFToken}, nil
}

// newSecret returns a random secret (with an optional prefix) and its hash.
func newSecret(prefix string) (secret, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, hashSecret(secret)
}

// hashSecret is SHA-256: the secrets are 256 random bits, so a slow KDF
// would add nothing but latency.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
