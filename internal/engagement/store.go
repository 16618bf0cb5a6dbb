package engagement

import (
	"context"

	"github.com/socmap/socmap/internal/store"
)

// Store is what the engagement rules read and write through.
type Store interface {
	EngagementsNewestFirst(ctx context.Context) ([]store.Engagement, error)
	EngagementHead(ctx context.Context, id int64) (store.Engagement, error)
	ResultsOfControl(ctx context.Context, controlID int64) ([]store.Result, error)
	LiveControlIDs(ctx context.Context, ids []int64) ([]int64, error)
	EvidenceLinkedToAny(ctx context.Context, evidenceID int64, controlIDs []int64) (bool, error)
	WalkthroughOf(ctx context.Context, engagementID, controlID int64) (store.Walkthrough, error)
	WalkthroughsOf(ctx context.Context, engagementID int64) ([]store.Walkthrough, error)
	EvidenceAttachedInEngagement(ctx context.Context, engagementID, evidenceID int64) (bool, error)
}
