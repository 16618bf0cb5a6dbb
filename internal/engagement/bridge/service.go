// Package bridge drafts and keeps management's bridge letters: what
// covers the gap between the end of an issued Type II report's period
// and a later date. It builds on the engagement package.
package bridge

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the letters are read and written through.
type Store interface {
	auditlog.Transactor
	BridgeLettersOf(ctx context.Context, engagementID int64) ([]store.BridgeLetterRecord, error)
	ControlChanges(ctx context.Context, controlIDs []int64, from, to time.Time) ([]store.AuditEntry, error)
	ControlsByRef(ctx context.Context, ids []int64) ([]store.Control, error)
	CreateBridgeLetter(ctx context.Context, r *store.BridgeLetterRecord) error
}

// Service drafts and keeps bridge letters.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements.
func NewService(st Store, eng *engagement.Service) *Service {
	return &Service{st: st, eng: eng}
}
