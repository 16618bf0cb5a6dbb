// Package sampling keeps the testing of a Type II engagement's controls on
// samples: the populations uploaded for a control, the reproducible draws
// from them and their extensions, and the tester's results on each
// sampled item with the exceptions they raise. What a control's samples
// say (its n of m, the failed items readiness counts) is read by the
// engagement package, which this one builds on.
package sampling

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the sampling rules read and write through.
type Store interface {
	auditlog.Transactor
	LiveEvidenceIDs(ctx context.Context, ids []int64) ([]int64, error)
	CreatePopulation(ctx context.Context, p *store.Population, items []store.PopulationItem, evidenceIDs []int64) error

	FirstDrawFrom(ctx context.Context, populationID int64) (store.Sample, bool, error)
	RequiredDrawnFrom(ctx context.Context, populationID int64) (int, error)
	ResultOf(ctx context.Context, engagementID, controlID int64) (store.Result, error)
	SampleIn(ctx context.Context, engagementID, sampleID int64) (store.Sample, error)
	SampleByID(ctx context.Context, id int64) (store.Sample, error)
	SeqsSelectedWith(ctx context.Context, firstID int64) ([]int, error)

	SampleItemAt(ctx context.Context, sampleID int64, seq int) (store.SampleItem, error)
	SaveSampleItem(ctx context.Context, item *store.SampleItem) error
	SampleResultsChanged(ctx context.Context, sampleID int64) error
	SetTestedCounts(ctx context.Context, engagementID, controlID int64, failed, tested int) error
	ItemEvidence(ctx context.Context, sampleID int64, seq int) ([]int64, error)
	SetItemEvidence(ctx context.Context, sampleID int64, seq int, evidenceIDs []int64) error
	CountLinkedLiveEvidence(ctx context.Context, controlID int64, evidenceIDs []int64) (int, error)

	ExceptionOfItem(ctx context.Context, sampleID int64, seq int) (store.Exception, bool, error)
	PopulationItemID(ctx context.Context, populationID int64, seq int) (string, error)
	SaveException(ctx context.Context, x *store.Exception, expect *int64) error
}

// Service keeps populations, samples and the results of sampled items.
type Service struct {
	st  Store
	eng *engagement.Service
}

// NewService builds the service on the engagements it samples.
func NewService(st Store, eng *engagement.Service) *Service { return &Service{st: st, eng: eng} }

func (s *Service) now() time.Time { return s.eng.Now() }

// today is the service's current day, for tested-on dates.
func (s *Service) today() string { return civil.Of(s.now()).String() }
