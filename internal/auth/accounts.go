package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// NewUser is what creating an account takes.
type NewUser struct {
	Email       string
	Name        string
	Role        string
	Password    string
	AccessUntil string // YYYY-MM-DD; required for auditors
}

// UserPatch changes an account; nil fields stay as they are.
type UserPatch struct {
	Name        *string
	Role        *string
	Disabled    *bool
	AccessUntil *string // "" removes the end date
	Password    *string // an administrator's reset
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
}

// snapshot is how an account appears in the audit trail: never the hash.
func snapshot(u store.User) map[string]any {
	access := ""
	if u.AccessUntil != nil {
		access = *u.AccessUntil
	}
	return map[string]any{"email": u.Email, "name": u.Name, "role": u.Role,
		"access_until": access, "disabled": u.DisabledAt != nil}
}

func (s *Service) validateNewUser(in *NewUser) error {
	fields := map[string]string{}
	in.Email = store.NormalizeEmail(in.Email)
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || len(in.Email) > 254 {
		fields["email"] = "must be an e-mail address such as name@example.com"
	}
	in.Name = strings.TrimSpace(in.Name)
	if len(in.Name) > 200 {
		fields["name"] = "at most 200 characters"
	}
	if !ValidRole(in.Role) {
		fields["role"] = "must be one of admin, compliance, owner, auditor, viewer"
	}
	if err := CheckPassword(in.Password, in.Email); err != nil {
		fields["password"] = err.Error()
	}
	if msg := checkAccessUntil(in.Role, in.AccessUntil); msg != "" {
		fields["access_until"] = msg
	}
	if len(fields) > 0 {
		return apperr.Invalid("the account cannot be created as given", fields)
	}
	return nil
}

func checkAccessUntil(role, date string) string {
	if date == "" {
		if role == string(Auditor) {
			return "auditors need an access end date (YYYY-MM-DD)"
		}
		return ""
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return "must be a date such as 2026-12-31"
	}
	return ""
}

// CreateUser adds an account on behalf of by, who must have entered their
// password recently: a new account comes with a role.
func (s *Service) CreateUser(ctx context.Context, by *Principal, in NewUser) (store.User, error) {
	if err := s.stepUp(by); err != nil {
		return store.User{}, err
	}
	if err := s.validateNewUser(&in); err != nil {
		return store.User{}, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		u, err = s.insertUser(ctx, in, hash)
		return err
	})
	return u, err
}

// hash hashes a new password under the server-wide bound on hashing.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if gateErr := s.gate.run(ctx, func() { hash, err = HashPassword(password) }); gateErr != nil {
		return "", gateErr
	}
	return hash, err
}

func (s *Service) insertUser(ctx context.Context, in NewUser, hash string) (store.User, error) {
	u := store.User{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash}
	if in.AccessUntil != "" {
		u.AccessUntil = &in.AccessUntil
	}
	if err := s.db.CreateUser(ctx, &u); err != nil {
		if store.IsDuplicate(err) {
			return u, apperr.Invalid("an account with this e-mail address exists",
				map[string]string{"email": "already in use"})
		}
		return u, err
	}
	return u, auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "user.create", ObjectType: "user",
		ObjectID: fmt.Sprint(u.ID), Changes: auditlog.Diff(nil, snapshot(u))})
}

// SetupNeeded reports whether no account exists yet, so the first-run page
// may create the first administrator.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := s.db.CountUsers(ctx)
	return n == 0, err
}

// Setup creates the first administrator and signs them in. It works only
// while no account exists; the check and the insert share one write
// transaction, so two racing requests cannot both succeed.
func (s *Service) Setup(ctx context.Context, in NewUser, client string) (string, *Principal, error) {
	in.Role = string(Admin)
	if err := s.validateNewUser(&in); err != nil {
		return "", nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return "", nil, err
	}
	var u store.User
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.LockUsers(ctx); err != nil {
			return err
		}
		n, err := s.db.CountUsers(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Conflict("socmap is already set up; sign in instead")
		}
		u, err = s.insertUser(ctx, in, hash)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return s.startSession(ctx, u, client)
}

// UpdateUser changes an account on behalf of by. Changing the role, resetting
// the password, or disabling or enabling the account needs by to have
// entered their password within StepUpWindow, and ends the account's
// sessions at once; a reset or disabling also revokes its API tokens and
// calendar feed for good. The last active administrator cannot be demoted
// or disabled.
func (s *Service) UpdateUser(ctx context.Context, by *Principal, id int64, p UserPatch) (store.User, error) {
	var newHash string
	if p.Password != nil {
		target, err := s.db.UserByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return store.User{}, apperr.NotFound("user %d not found", id)
		} else if err != nil {
			return store.User{}, err
		}
		if err := s.stepUp(by); err != nil {
			return store.User{}, err
		}
		if err := CheckPassword(*p.Password, target.Email); err != nil {
			return store.User{}, apperr.Invalid("the account cannot be changed as given", map[string]string{"password": err.Error()})
		}
		if newHash, err = s.hash(ctx, *p.Password); err != nil {
			return store.User{}, err
		}
	}
	var u store.User
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.db.UserByID(ctx, id); errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("user %d not found", id)
		} else if err != nil {
			return err
		}
		before := snapshot(u)
		wasDisabled := u.DisabledAt != nil
		if err := s.applyPatch(&u, p, newHash); err != nil {
			return err
		}
		roleChanged, enabledChanged := u.Role != before["role"], (u.DisabledAt != nil) != wasDisabled
		if roleChanged || enabledChanged {
			if err := s.stepUp(by); err != nil {
				return err
			}
		}
		if before["role"] == string(Admin) && (u.Role != string(Admin) || u.DisabledAt != nil) {
			if err := s.lastAdminCheck(ctx, u.ID); err != nil {
				return err
			}
		}
		u.UpdatedAt = s.now()
		if err := s.db.SaveUser(ctx, &u, p.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, snapshot(u))
		if roleChanged || enabledChanged || p.Password != nil {
			if err := s.db.DeleteSessionsOf(ctx, u.ID); err != nil {
				return err
			}
		}
		if p.Password != nil || (enabledChanged && u.DisabledAt != nil) {
			if err := s.revokeCredentials(ctx, u.ID, changes); err != nil {
				return err
			}
		}
		if p.Password != nil {
			changes["password"] = auditlog.Change{Before: "(hidden)", After: "(reset)"}
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "user.update", ObjectType: "user",
			ObjectID: fmt.Sprint(u.ID), Changes: changes})
	})
	return u, err
}

// revokeCredentials ends a user's API tokens and calendar feed and notes
// how many in the audit entry's changes.
func (s *Service) revokeCredentials(ctx context.Context, userID int64, changes map[string]auditlog.Change) error {
	tokens, feeds, err := s.db.RevokeCredentials(ctx, userID, s.now())
	if tokens > 0 {
		changes["api_tokens_revoked"] = auditlog.Change{After: tokens}
	}
	if feeds > 0 {
		changes["calendar_feeds_revoked"] = auditlog.Change{After: feeds}
	}
	return err
}

func (s *Service) applyPatch(u *store.User, p UserPatch, newHash string) error {
	fields := map[string]string{}
	if p.Name != nil {
		if n := strings.TrimSpace(*p.Name); len(n) <= 200 {
			u.Name = n
		} else {
			fields["name"] = "at most 200 characters"
		}
	}
	if p.Role != nil && *p.Role != u.Role {
		if ValidRole(*p.Role) {
			u.Role = *p.Role
		} else {
			fields["role"] = "must be one of admin, compliance, owner, auditor, viewer"
		}
	}
	if p.AccessUntil != nil {
		if *p.AccessUntil == "" {
			u.AccessUntil = nil
		} else {
			u.AccessUntil = p.AccessUntil
		}
	}
	access := ""
	if u.AccessUntil != nil {
		access = *u.AccessUntil
	}
	if msg := checkAccessUntil(u.Role, access); msg != "" {
		fields["access_until"] = msg
	}
	if p.Disabled != nil {
		switch {
		case *p.Disabled && u.DisabledAt == nil:
			now := s.now()
			u.DisabledAt = &now
		case !*p.Disabled:
			u.DisabledAt = nil
		}
	}
	if newHash != "" {
		u.PasswordHash = newHash
	}
	if len(fields) > 0 {
		return apperr.Invalid("the account cannot be changed as given", fields)
	}
	return nil
}

func (s *Service) lastAdminCheck(ctx context.Context, changing int64) error {
	others, err := s.db.OtherActiveAdmins(ctx, changing)
	if err == nil && others == 0 {
		return apperr.Conflict("this is the last active administrator; make someone else an administrator first")
	}
	return err
}

// ChangeOwnPassword checks the current password (under the sign-in
// limits), sets a new one, ends every other session of the account and
// revokes its API tokens and calendar feed: whoever knew the old password
// may have made them.
func (s *Service) ChangeOwnPassword(ctx context.Context, p *Principal, current, next, client string) error {
	if err := CheckPassword(next, p.User.Email); err != nil {
		return apperr.Invalid("the new password is not acceptable", map[string]string{"new_password": err.Error()})
	}
	if err := s.confirmPassword(ctx, p, current, client); err != nil {
		if errors.Is(err, errWrongPassword) {
			return apperr.Invalid("the current password is wrong", map[string]string{"current_password": "wrong password"})
		}
		return err
	}
	hash, err := s.hash(ctx, next)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SetPasswordHash(ctx, p.User.ID, hash, now); err != nil {
			return err
		}
		if err := s.db.DeleteOtherSessionsOf(ctx, p.User.ID, p.SessionHash); err != nil {
			return err
		}
		if err := s.db.MarkReauthenticated(ctx, p.SessionHash, now); err != nil {
			return err
		}
		changes := map[string]auditlog.Change{}
		if err := s.revokeCredentials(ctx, p.User.ID, changes); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "user.password_change", ObjectType: "user",
			ObjectID: fmt.Sprint(p.User.ID), Changes: changes})
	})
}
