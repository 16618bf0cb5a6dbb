// Package windows keeps what a preparer records on the occurrence windows
// of a Type II engagement's controls: a window the control did not have to
// operate in, with why, and summary evidence attached to windows. Where
// each window stands is the engagement package's to work out.
package windows

import (
	"context"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the marks and attachments of windows are written through.
type Store interface {
	auditlog.Transactor
	SaveMark(ctx context.Context, m store.WindowMark) (string, error)
	DeleteMark(ctx context.Context, engagementID, controlID int64, start string) (string, error)
	AttachToWindow(ctx context.Context, a store.WindowEvidence) (bool, error)
	DetachFromWindow(ctx context.Context, engagementID, controlID int64, start string, evidenceID int64) (bool, error)
	IsLiveEvidenceOf(ctx context.Context, evidenceID, controlID int64) (bool, error)
}

// Service marks windows and attaches evidence to them.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements whose windows it marks.
func NewService(st Store, eng *engagement.Service) *Service { return &Service{st: st, eng: eng} }
