package engagement

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the engagement rules read and write through.
type Store interface {
	auditlog.Transactor
	EngagementByID(ctx context.Context, id int64) (store.Engagement, error)
	EngagementsGrantedTo(ctx context.Context, userID int64) ([]store.Engagement, error)
	CreateEngagement(ctx context.Context, e *store.Engagement) error
	SaveEngagement(ctx context.Context, e *store.Engagement, ifVersion *int64) error
	SetSamplePolicy(ctx context.Context, id int64, policy string, at time.Time) error
	LiveRequirementsByRef(ctx context.Context, frameworkID string, refs []string) ([]store.Requirement, error)
	ObjectiveRefs(ctx context.Context, engagementID int64) ([]string, error)
	ReplaceObjectives(ctx context.Context, engagementID int64, requirementIDs []int64) error
	AuditorEmails(ctx context.Context, engagementID int64) ([]string, error)
	IsGranted(ctx context.Context, engagementID, userID int64) (bool, error)
	GrantedEngagementIDs(ctx context.Context, userID int64) ([]int64, error)
	ReplaceAuditors(ctx context.Context, engagementID int64, userIDs []int64, at time.Time) error
	UserByEmail(ctx context.Context, email string) (store.User, error)
	ControlExists(ctx context.Context, id int64) (bool, error)
	SaveScopeOverride(ctx context.Context, o store.ScopeOverride) error
	Setting(ctx context.Context, key string) (string, error)
	InheritApplicability(ctx context.Context, engagementID int64, at time.Time) error
	EngagementApplicabilityOf(ctx context.Context, engagementID int64) ([]store.EngagementApplicability, error)
	EngagementApplicabilityDecision(ctx context.Context, engagementID, requirementID int64) (store.EngagementApplicability, error)
	SaveEngagementApplicability(ctx context.Context, a *store.EngagementApplicability) error
	ClearEngagementApplicability(ctx context.Context, engagementID, requirementID int64) error
	RequirementReportedOn(ctx context.Context, on store.ReportedOn, ref string) (store.Requirement, error)
	RequirementsReportedOn(ctx context.Context, on store.ReportedOn) ([]store.Requirement, error)
	CreateRecord(ctx context.Context, rec *store.EngagementRecord, evidence []store.RecordEvidence) error
	SupersedeRecord(ctx context.Context, engagementID int64, at time.Time, by *int64, reason string) (bool, error)
	CurrentRecord(ctx context.Context, engagementID int64) (store.EngagementRecord, error)
	sampleStore
	EngagementsNewestFirst(ctx context.Context) ([]store.Engagement, error)
	EngagementHead(ctx context.Context, id int64) (store.Engagement, error)
	ResultsOfControl(ctx context.Context, controlID int64) ([]store.Result, error)
	LiveControlIDs(ctx context.Context, ids []int64) ([]int64, error)
	EvidenceLinkedToAny(ctx context.Context, evidenceID int64, controlIDs []int64) (bool, error)
	WalkthroughOf(ctx context.Context, engagementID, controlID int64) (store.Walkthrough, error)
	WalkthroughsOf(ctx context.Context, engagementID int64) ([]store.Walkthrough, error)
	EvidenceAttachedInEngagement(ctx context.Context, engagementID, evidenceID int64) (bool, error)
}
