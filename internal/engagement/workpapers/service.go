// Package workpapers keeps the sign-offs of an engagement's work papers —
// the conclusions on controls, the samples' results — and the evaluations
// of its exceptions, with their own sign-offs. It builds on the
// engagement package.
package workpapers

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the sign-offs and evaluations are read and written through.
type Store interface {
	auditlog.Transactor
	EnsureResult(ctx context.Context, engagementID, controlID int64, now time.Time) error
	ExceptionEvaluationOf(ctx context.Context, engagementID, id int64) (store.ExceptionEvaluation, error)
	SampleSignOffOf(ctx context.Context, engagementID, sampleID int64) (s store.SampleSignOff, found bool, err error)
	SaveExceptionEvaluation(ctx context.Context, x *store.ExceptionEvaluation, expect *int64) error
	SaveSampleSignOff(ctx context.Context, s *store.SampleSignOff, expect *int64) error
	SaveSignOff(ctx context.Context, s *store.SignOff, expect *int64) error
	SignOffs(ctx context.Context, engagementID int64) (map[int64]store.SignOff, error)
}

// Service keeps the sign-offs and the exceptions' evaluations.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements.
func NewService(st Store, eng *engagement.Service) *Service {
	return &Service{st: st, eng: eng}
}

// today is the day a signature or an evaluation is dated.
func (s *Service) today() string { return civil.Of(s.eng.Now()).String() }
