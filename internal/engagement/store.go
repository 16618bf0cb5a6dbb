package engagement

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the engagement rules read and write through.
type Store interface {
	auditlog.Transactor
	progressStore
	resultStore
	scopeStore
	paperStore
	EngagementByID(ctx context.Context, id int64) (store.Engagement, error)
	EngagementsGrantedTo(ctx context.Context, userID int64) ([]store.Engagement, error)
	EngagementsPage(ctx context.Context, f store.EngagementFilter) ([]store.Engagement, int64, error)
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
	SupersedeRecord(ctx context.Context, engagementID int64, at time.Time, by *int64, reason string) (bool, error)
	sampleStore
	complementaryStore
	evaluationStore
	EngagementsNewestFirst(ctx context.Context) ([]store.Engagement, error)
	EngagementHead(ctx context.Context, id int64) (store.Engagement, error)
	ResultsOfControl(ctx context.Context, controlID int64) ([]store.Result, error)
	LiveControlIDs(ctx context.Context, ids []int64) ([]int64, error)
	EvidenceLinkedToAny(ctx context.Context, evidenceID int64, controlIDs []int64) (bool, error)
	EvidenceAttachedInEngagement(ctx context.Context, engagementID, evidenceID int64) (bool, error)
}

// resultStore is what the conclusions on controls, the evidence they rely
// on and the exceptions are read and written through.
type resultStore interface {
	SaveResult(ctx context.Context, r *store.Result, ifVersion *int64) error
	MarkResultUnreviewed(ctx context.Context, engagementID, controlID int64) error
	ResultsOf(ctx context.Context, engagementID int64) ([]store.Result, error)
	ReliedEvidenceIDs(ctx context.Context, engagementID, controlID int64) ([]int64, error)
	ReliedEvidenceOf(ctx context.Context, engagementID int64) ([]store.ReliedEvidence, error)
	PinnedRevisions(ctx context.Context, engagementID, controlID int64) ([]store.ReliedEvidence, error)
	PinEvidence(ctx context.Context, engagementID, controlID int64, evidence []int64) error
	RetiredBefore(ctx context.Context, controlID int64, day string) (bool, error)
	ControlImplementedOn(ctx context.Context, controlID int64) (*string, error)
	EvidenceDatesOf(ctx context.Context, ids []int64) ([]store.EvidenceDates, error)
	CreateException(ctx context.Context, x *store.Exception) error
	ExceptionsOf(ctx context.Context, engagementID int64) ([]store.ExceptionRow, error)
	ExceptionOf(ctx context.Context, engagementID, exceptionID int64) (store.ExceptionRow, error)
	LiveExceptionCounts(ctx context.Context, engagementID int64) (map[int64]int, error)
	SampleItemCounts(ctx context.Context, engagementID int64) (total, done int, err error)
	PopulationEvidenceOf(ctx context.Context, populationIDs []int64) ([]store.PopulationEvidence, error)
	SamplesFrom(ctx context.Context, populationIDs []int64) ([]store.Sample, error)
	SampledItemsOf(ctx context.Context, smp store.Sample) ([]store.SampledItem, error)
}

// scopeStore is what decides which controls an engagement covers, and
// what the scope page shows of them.
type scopeStore interface {
	ScopeOverridesOf(ctx context.Context, engagementID int64) ([]store.ScopeOverride, error)
	MappingsReportedOn(ctx context.Context, on store.ReportedOn) ([]store.MappedRef, error)
	ControlInScopeOf(ctx context.Context, on store.ReportedOn, controlID int64) (bool, error)
	ControlsWithOwners(ctx context.Context, ids []int64) ([]store.ControlWithOwner, error)
	ControlRefsByID(ctx context.Context, ids []int64) (map[int64]string, error)
	SampleRisks(ctx context.Context, engagementID int64) (map[int64]string, error)
	LiveEvidenceDates(ctx context.Context, controlIDs []int64) (*store.EvidenceDatesCursor, error)
}

// paperStore is what the occurrence windows, work paper sign-offs,
// exception evaluations, bridge letters and the requests sheet are read
// and written through.
type paperStore interface {
	AuditVersion(ctx context.Context) (int64, error)
	HolidayDates(ctx context.Context) ([]civil.Date, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	RequestedSamples(ctx context.Context, engagementID int64) (map[int64]bool, error)
	WindowAttachments(ctx context.Context, engagementID int64) (map[int64][]store.WindowEvidence, error)
	WindowMarks(ctx context.Context, engagementID int64) (map[int64][]store.WindowMark, error)
}
