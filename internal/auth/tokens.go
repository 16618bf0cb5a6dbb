package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Token scopes.
const (
	ScopeRead      = "read"
	ScopeReadWrite = "read-write"
)

// tokenPrefix makes socmap tokens recognisable to secret scanners.
const tokenPrefix = "smp_"

// NewToken is what creating an API token takes.
type NewToken struct {
	Name      string
	Scope     string
	ExpiresOn string // YYYY-MM-DD, optional: the token works through that day
}

// CreateToken makes a token for the principal's own account and returns
// the secret, which is shown this once and stored only as a hash. The
// principal must have entered their password recently.
func (s *Service) CreateToken(ctx context.Context, p *Principal, in NewToken) (string, store.APIToken, error) {
	if err := s.stepUp(p); err != nil {
		return "", store.APIToken{}, err
	}
	fields := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		fields["name"] = "give the token a name of 1 to 100 characters, e.g. the job that uses it"
	}
	if in.Scope != ScopeRead && in.Scope != ScopeReadWrite {
		fields["scope"] = "must be read or read-write"
	}
	var expires *time.Time
	if in.ExpiresOn != "" {
		day, err := time.Parse(time.DateOnly, in.ExpiresOn)
		switch {
		case err != nil:
			fields["expires_on"] = "must be a date such as 2026-12-31"
		case !day.After(s.now().Truncate(24 * time.Hour).Add(-time.Nanosecond)):
			fields["expires_on"] = "must be today or later"
		default:
			end := day.Add(24*time.Hour - time.Second)
			expires = &end
		}
	}
	if len(fields) > 0 {
		return "", store.APIToken{}, apperr.Invalid("the token cannot be created as given", fields)
	}
	secret, hash := newSecret(tokenPrefix)
	t := store.APIToken{UserID: p.User.ID, Name: in.Name, Prefix: secret[:len(tokenPrefix)+6], Hash: hash,
		Scope: in.Scope, ExpiresAt: expires, CreatedAt: s.now()}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateToken(ctx, &t); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "token.create", ObjectType: "api_token",
			ObjectID: fmt.Sprint(t.ID), Changes: auditlog.Diff(nil, map[string]any{
				"name": t.Name, "scope": t.Scope, "expires_on": in.ExpiresOn, "user_id": t.UserID})})
	})
	return secret, t, err
}

// RevokeToken ends one of the principal's own tokens.
func (s *Service) RevokeToken(ctx context.Context, p *Principal, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		t, err := s.db.TokenOfUser(ctx, id, p.User.ID)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("token %d not found", id)
		} else if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if err := s.db.RevokeToken(ctx, &t, now); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "token.revoke", ObjectType: "api_token",
			ObjectID: fmt.Sprint(t.ID)})
	})
}

// TokenPrincipal returns who an Authorization: Bearer token acts for.
func (s *Service) TokenPrincipal(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, errBadToken
	}
	t, u, err := s.db.TokenWithUser(ctx, hashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return nil, errBadToken
	}
	if err := s.accessError(u); err != nil {
		return nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if err := s.db.TouchToken(ctx, &t, now); err != nil {
			return nil, err
		}
	}
	return &Principal{User: u, Via: "token", Token: &t}, nil
}
