// Package complementary keeps an engagement's complementary controls: the
// CUECs its user entities must run, the subservice organisations with
// their CSOCs, and the reviews of those organisations' own SOC reports.
package complementary

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the complementary controls are read and written through.
type Store interface {
	auditlog.Transactor
	ComplementaryOf(ctx context.Context, engagementID int64) ([]store.CUEC, []store.Subservice, error)
	LiveRequirementsByRef(ctx context.Context, frameworkID string, refs []string) ([]store.Requirement, error)
	ControlExists(ctx context.Context, id int64) (bool, error)
	LiveEvidenceIDs(ctx context.Context, ids []int64) ([]int64, error)
	TakeCUECNumbers(ctx context.Context, engagementID int64, n int) (int, error)
	TakeCSOCNumbers(ctx context.Context, engagementID int64, n int) (int, error)
	CUECIn(ctx context.Context, engagementID, cuecID int64) (store.CUEC, error)
	CreateCUEC(ctx context.Context, c *store.CUEC) error
	SaveCUEC(ctx context.Context, c *store.CUEC, expect *int64) error
	DeleteCUEC(ctx context.Context, engagementID, cuecID int64) (bool, error)
	SubserviceIn(ctx context.Context, engagementID, orgID int64) (store.Subservice, error)
	CreateSubservice(ctx context.Context, sub *store.Subservice) error
	SaveSubservice(ctx context.Context, sub *store.Subservice, expect *int64) error
	DeleteSubservice(ctx context.Context, orgID int64) (bool, error)
	ReviewsOf(ctx context.Context, orgID int64) ([]store.SubserviceReview, error)
	ReviewIn(ctx context.Context, engagementID, orgID, reviewID int64) (store.SubserviceReview, error)
	CreateReview(ctx context.Context, r *store.SubserviceReview) error
	SaveReview(ctx context.Context, r *store.SubserviceReview, expect *int64) error
	ReplaceVendorCUECs(ctx context.Context, reviewID int64, cuecs []store.VendorCUEC) error
	DeleteReview(ctx context.Context, reviewID int64) error
}

// Service keeps the complementary controls of the engagements eng keeps.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements' own service, whose
// clock it shares.
func NewService(st Store, eng *engagement.Service) *Service {
	return &Service{st: st, eng: eng}
}

func (s *Service) now() time.Time { return s.eng.Now() }
