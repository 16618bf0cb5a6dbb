package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Settings are the session and sign-in limits.
type Settings struct {
	IdleTimeout     time.Duration // a session unused this long ends
	AbsoluteTimeout time.Duration // a session ends this long after sign-in, used or not
	// Sign-in from a client address is refused after MaxFailuresPerPair
	// failures at one account, or MaxFailuresPerClient at any account,
	// within FailureWindow. Other addresses are not affected, so a guesser
	// cannot lock the owner out.
	MaxFailuresPerPair   int
	MaxFailuresPerClient int
	FailureWindow        time.Duration
	// Beyond SlowdownAfter failures at one account from anywhere within the
	// window, each further attempt must wait SlowdownBase after the latest
	// one, doubling with every failure up to SlowdownMax: guessing from many
	// addresses slows to a crawl while the owner can still get in.
	SlowdownAfter int
	SlowdownBase  time.Duration
	SlowdownMax   time.Duration
	// HashSlots bounds the argon2id computations running at once; a sign-in
	// that waits HashWait without a slot is answered 503.
	HashSlots int
	HashWait  time.Duration
	// IdentifierKey keys the hash that stands for a sign-in identifier that
	// is not an account in the audit trail; nil picks a random one.
	IdentifierKey []byte
}

// DefaultSettings suit a compliance team: a working day's session, a
// handful of tries, hashing sized to the machine's memory.
func DefaultSettings() Settings {
	return Settings{
		IdleTimeout: time.Hour, AbsoluteTimeout: 12 * time.Hour,
		MaxFailuresPerPair: 5, MaxFailuresPerClient: 20, FailureWindow: 15 * time.Minute,
		SlowdownAfter: 10, SlowdownBase: time.Second, SlowdownMax: time.Minute,
		HashSlots: HashSlots(SystemMemory(), runtime.NumCPU()), HashWait: 2 * time.Second,
	}
}

// StepUpWindow is how recently the password must have been entered in a
// session for the most dangerous actions.
const StepUpWindow = 10 * time.Minute

// Service signs people in and manages accounts, sessions and tokens.
type Service struct {
	db       *store.DB
	settings Settings
	now      func() time.Time
	gate     *gate
	verify   func(hash, password string) bool // VerifyPassword; tests count its calls
}

// NewService builds the service; now may be nil for the real clock.
func NewService(db *store.DB, s Settings, now func() time.Time) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	if len(s.IdentifierKey) == 0 {
		s.IdentifierKey = make([]byte, 32)
		if _, err := rand.Read(s.IdentifierKey); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
	}
	return &Service{db: db, settings: s, now: now, gate: newGate(s.HashSlots, s.HashWait), verify: VerifyPassword}
}

// Principal is an authenticated caller.
type Principal struct {
	User        store.User
	Via         string // "session" or "token"
	SessionHash string
	CSRFToken   string
	Token       *store.APIToken
	ReauthAt    *time.Time // when the password was last entered in this session
}

// Trusted stands for the operator at the command line and for in-process
// setup such as the demo loader: whoever can run them already holds the
// database, so there is no password to ask for again.
var Trusted = &Principal{Via: "cli"}

// stepUp refuses a dangerous action unless the principal entered their
// password within StepUpWindow: a stolen session cookie alone cannot make
// an administrator or a long-lived token.
func (s *Service) stepUp(p *Principal) error {
	if p == Trusted || (p.Via == "session" && p.ReauthAt != nil && s.now().Sub(*p.ReauthAt) <= StepUpWindow) {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindForbidden, Code: "reauth_required",
		Message: "enter your password again to do this"}
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

// accessProblem says why an existing account may not sign in now, or "".
func (s *Service) accessProblem(u store.User) string {
	if u.DisabledAt != nil {
		return "account disabled"
	}
	if u.AccessUntil != nil && s.now().Format(time.DateOnly) > *u.AccessUntil {
		return "access ended on " + *u.AccessUntil
	}
	return ""
}

// accessError explains to a session or token holder why their account no
// longer works.
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

func (s *Service) startSession(ctx context.Context, u store.User, client string) (string, *Principal, error) {
	secret, hash := newSecret("")
	csrf, _ := newSecret("")
	now := s.now()
	sess := store.Session{IDHash: hash, UserID: u.ID, CSRFToken: csrf, Client: client,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.settings.AbsoluteTimeout), ReauthAt: &now}
	p := &Principal{User: u, Via: "session", SessionHash: hash, CSRFToken: csrf, ReauthAt: &now}
	ctx = auditlog.WithActor(ctx, p.Actor(client, auditlog.ActorFrom(ctx).RequestID))
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateSession(ctx, &sess); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "login.success", ObjectType: "user",
			ObjectID: fmt.Sprint(u.ID)})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, p, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.DeleteSession(ctx, p.SessionHash); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "logout", ObjectType: "user",
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
		if err := s.db.DeleteSession(ctx, sess.IDHash); err != nil {
			return nil, err
		}
		return nil, errNoSession
	}
	if err := s.accessError(u); err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.db.TouchSession(ctx, sess.IDHash, now); err != nil {
			return nil, err
		}
	}
	return &Principal{User: u, Via: "session", SessionHash: sess.IDHash, CSRFToken: sess.CSRFToken, ReauthAt: sess.ReauthAt}, nil
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
