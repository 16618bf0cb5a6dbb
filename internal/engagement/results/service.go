// Package results keeps what an engagement concludes on its controls
// beyond recording one conclusion: the auditor's filled-in results sheet
// imported back, its sampled items' results and its conclusions applied
// in one go. It builds on the engagement package and on sampling.
package results

import (
	"context"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the results rules write through themselves; the rest goes
// through the engagement and sampling services, in the same transaction.
type Store interface {
	auditlog.Transactor
	WalkthroughReader
	WalkthroughOf(ctx context.Context, engagementID, controlID int64) (store.Walkthrough, error)
	SaveWalkthrough(ctx context.Context, w *store.Walkthrough, ifVersion *int64) error
}

// Service keeps the results of an engagement's controls.
type Service struct {
	st       Store
	eng      *engagement.Service
	sampling *sampling.Service
}

// NewService builds the service on the engagements and their samples.
func NewService(st Store, eng *engagement.Service, smp *sampling.Service) *Service {
	return &Service{st: st, eng: eng, sampling: smp}
}
