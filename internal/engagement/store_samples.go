package engagement

import (
	"context"

	"github.com/socmap/socmap/internal/store"
)

// sampleStore is what populations, samples, their items and the
// exceptions found on them are read and written through.
type sampleStore interface {
	ResultOf(ctx context.Context, engagementID, controlID int64) (store.Result, error)
	LiveEvidenceIDs(ctx context.Context, ids []int64) ([]int64, error)

	PopulationsOf(ctx context.Context, engagementID, controlID int64) ([]store.Population, error)
	EngagementPopulations(ctx context.Context, engagementID int64) ([]store.Population, error)
	PopulationHasEvidence(ctx context.Context, populationID int64) (bool, error)
	PopulationSeqsDated(ctx context.Context, populationID int64, from, to string) ([]int, error)

	CreateSample(ctx context.Context, smp *store.Sample, seqs []int) error
	OriginalSamplesFrom(ctx context.Context, populationID int64) ([]store.Sample, error)
	SamplesIn(ctx context.Context, engagementID int64) ([]store.Sample, error)
	RetestsDrawnFor(ctx context.Context, exceptionID int64) (int64, error)

	CountLinkedLiveEvidence(ctx context.Context, controlID int64, evidenceIDs []int64) (int, error)
	ItemResultsOf(ctx context.Context, smp store.Sample) ([]store.ItemResults, error)
	ExceptionItemsIn(ctx context.Context, engagementID int64) ([]store.SampleResults, error)

	LiveException(ctx context.Context, engagementID, exceptionID int64) (store.Exception, error)
	SaveException(ctx context.Context, x *store.Exception, expect *int64) error
	OrganisationUserExists(ctx context.Context, id int64) (bool, error)
}

// complementaryStore is what the roll forward copies of the CUECs and
// subservice organisations, and what the carve-outs and the standing of
// the reviews of their reports are read through.
type complementaryStore interface {
	ComplementaryOf(ctx context.Context, engagementID int64) ([]store.CUEC, []store.Subservice, error)
	CarryCounters(ctx context.Context, fromID, toID int64) error
	CopyEngagementDecisions(ctx context.Context, fromID, toID int64) error
	CreateCUEC(ctx context.Context, c *store.CUEC) error
	CreateSubservice(ctx context.Context, sub *store.Subservice) error
	ReviewsInEngagement(ctx context.Context, engagementID int64) ([]store.SubserviceReview, error)
	SubserviceIDsOf(ctx context.Context, engagementID int64) ([]int64, error)
}

// evaluationStore is what the evaluations of criteria's deviations are
// read and written through.
type evaluationStore interface {
	EvaluationOf(ctx context.Context, engagementID, requirementID int64) (store.CriterionEvaluation, error)
	EvaluationsIn(ctx context.Context, engagementID int64) ([]store.CriterionEvaluation, error)
	SaveEvaluation(ctx context.Context, ev *store.CriterionEvaluation, expect *int64) error
	SetCompensating(ctx context.Context, ev store.CriterionEvaluation) error
	DeleteEvaluation(ctx context.Context, evaluationID int64) error
}
