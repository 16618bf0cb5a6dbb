// Package workbook writes the sheets of an engagement's workbook for its
// auditors as the database has them now: the control matrix, coverage,
// Section IV, the evidence index, the tests of operating effectiveness
// and the requests. A locked engagement's workbook comes from its record
// instead (package record). It builds on the engagement package.
package workbook

import (
	"context"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the sheets read beyond what the engagement service gives.
type Store interface {
	results.WalkthroughReader
	ComplementaryOf(ctx context.Context, engagementID int64) ([]store.CUEC, []store.Subservice, error)
	ControlsByRefWithOwners(ctx context.Context, ids []int64) ([]store.ControlWithOwner, error)
	LiveEvidenceCountOf(ctx context.Context, controlIDs []int64) (int, error)
	EachLiveEvidenceTitle(ctx context.Context, controlIDs []int64, fn func(controlID int64, title string) error) error
	EachEvidenceIndexRow(ctx context.Context, engagementID int64, controlIDs []int64, fn func(store.EvidenceIndexRow) error) error
	SignOffs(ctx context.Context, engagementID int64) (map[int64]store.SignOff, error)
	ExceptionEvaluations(ctx context.Context, engagementID int64) (map[int64]store.ExceptionEvaluation, error)
	RequestComments(ctx context.Context, requestIDs []int64) ([]store.CommentRow, error)
	RequestControls(ctx context.Context, requestIDs []int64) ([]store.RequestControlRef, error)
	RequestEvidenceOf(ctx context.Context, requestIDs []int64) ([]store.RequestEvidenceRef, error)
	Requests(ctx context.Context, f store.RequestFilter) ([]store.Request, error)
	UserByID(ctx context.Context, id int64) (store.User, error)
}

// Service writes the live sheets of engagements.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements.
func NewService(st Store, eng *engagement.Service) *Service {
	return &Service{st: st, eng: eng}
}

// walkthroughs are a Type I's walkthroughs, by control.
func (s *Service) walkthroughs(ctx context.Context, id int64) (map[int64]results.Walkthrough, error) {
	return results.WalkthroughsOf(ctx, s.st, id)
}
